import AsyncHTTPClient
import Foundation
import LoreCore
import LoreStore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The documented subset of Jira Cloud's REST API (v3) that follow-ups
/// need: create an issue, find one by label (JQL), move it through its
/// workflow's transitions, read its comments.
/// https://developer.atlassian.com/cloud/jira/platform/rest/v3/
struct JiraIssues: IssueTrackerClient {
    let http: HTTPClient
    let siteURL: String
    let email: String
    let token: String
    let issueType: String

    func issue(labelled label: String, in project: TrackerProject) async throws -> TrackerIssue? {
        let jql = "project = \"\(project.jiraKey)\" AND labels = \"\(label)\""
        let (_, json) = try await call(.GET, "/rest/api/3/search/jql?jql=\(FormData.encode(jql))&fields=summary&maxResults=1")
        guard let first = ((json as? [String: Any])?["issues"] as? [[String: Any]])?.first, let key = first["key"] as? String else { return nil }
        return issue(key: key, in: project)
    }

    func create(_ draft: TrackerIssueDraft, in project: TrackerProject) async throws -> (issue: TrackerIssue, labelled: Bool) {
        // Jira labels hold no spaces.
        let labels = draft.labels.map { $0.replacingOccurrences(of: " ", with: "_") }
        let fields: [String: Any] = [
            "project": ["key": project.jiraKey], "summary": String(draft.title.prefix(255)), "issuetype": ["name": issueType],
            "labels": labels, "description": Self.document(draft.body),
        ]
        let (_, json) = try await call(.POST, "/rest/api/3/issue", body: ["fields": fields])
        guard let key = (json as? [String: Any])?["key"] as? String, let made = issue(key: key, in: project) else {
            throw TrackerFailure(message: "Jira's answer to creating an issue has no key")
        }
        return (made, true)
    }

    func state(of issue: TrackerIssue) async throws -> TrackerIssueState {
        let (_, json) = try await call(.GET, "/rest/api/3/issue/\(issue.reference)?fields=status,resolution,resolutiondate")
        let fields = ((json as? [String: Any])?["fields"] as? [String: Any]) ?? [:]
        let status = (fields["status"] as? [String: Any]) ?? [:]
        let category = (status["statusCategory"] as? [String: Any])?["key"] as? String ?? "new"
        let resolution = (fields["resolution"] as? [String: Any])?["name"] as? String
        return TrackerIssueState(event: TrackerIssueEvent(jiraStatusCategory: category, resolution: resolution, statusName: status["name"] as? String),
                                 closedBy: nil, closedAt: fields["resolutiondate"] as? String)
    }

    /// Through the workflow: the transition whose target status is in the
    /// right category (done, or to do for a reopen), preferring by name one
    /// that says "won't do" for a follow-up not done, and one that does not
    /// for a follow-up done. A resolution is set only where the transition's
    /// screen has the field and offers a "won't do" value; a done issue that
    /// must be done otherwise is reopened first, as Jira's workflows ask.
    func setStatus(_ status: FollowUpStatus, of issue: TrackerIssue) async throws -> Bool {
        let want = TrackerIssueEvent.githubState(for: status)
        let now = try await state(of: issue)
        if let current = now.event, current.accepts(status) { return false }
        if want.state == "closed", now.event == .closedAsCompleted || now.event == .closedAsNotPlanned {
            try await transition(issue, toOpen: true, notPlanned: false)
        }
        try await transition(issue, toOpen: want.state == "open", notPlanned: want.reason == "not_planned")
        return true
    }

    private func transition(_ issue: TrackerIssue, toOpen: Bool, notPlanned: Bool) async throws {
        let (_, json) = try await call(.GET, "/rest/api/3/issue/\(issue.reference)/transitions?expand=transitions.fields")
        let transitions = ((json as? [String: Any])?["transitions"] as? [[String: Any]]) ?? []
        func category(_ t: [String: Any]) -> String { (((t["to"] as? [String: Any])?["statusCategory"] as? [String: Any])?["key"] as? String) ?? "" }
        func saysNotDone(_ name: String?) -> Bool {
            let n = (name ?? "").lowercased().replacingOccurrences(of: "’", with: "'")
            return TrackerIssueEvent.jiraNotDoneWords.contains { n.contains($0) }
        }
        var body: [String: Any]
        if toOpen {
            guard let t = transitions.first(where: { category($0) == "new" }) ?? transitions.first(where: { category($0) == "indeterminate" }) else {
                throw TrackerFailure(message: "\(issue.reference) has no transition back to work", permanent: true)
            }
            body = ["transition": ["id": t["id"] ?? ""]]
        } else {
            let done = transitions.filter { category($0) == "done" }
            guard let t = done.first(where: { saysNotDone($0["name"] as? String) == notPlanned }) ?? done.first else {
                throw TrackerFailure(message: "\(issue.reference) has no transition to a done status", permanent: true)
            }
            body = ["transition": ["id": t["id"] ?? ""]]
            if notPlanned, !saysNotDone(t["name"] as? String),
               let field = (t["fields"] as? [String: Any])?["resolution"] as? [String: Any],
               let value = ((field["allowedValues"] as? [[String: Any]]) ?? []).first(where: { saysNotDone($0["name"] as? String) }),
               let name = value["name"] as? String {
                body["fields"] = ["resolution": ["name": name]]
            }
        }
        _ = try await call(.POST, "/rest/api/3/issue/\(issue.reference)/transitions", body: body)
    }

    /// `GET /rest/api/3/myself`: the account Lore calls Jira as.
    func ownAccount() async throws -> String? {
        let (_, json) = try await call(.GET, "/rest/api/3/myself")
        return (json as? [String: Any])?["accountId"] as? String
    }

    func lastComment(on issue: TrackerIssue, by login: String, closedAt: String?) async throws -> String? {
        let (_, json) = try await call(.GET, "/rest/api/3/issue/\(issue.reference)/comment?orderBy=-created&maxResults=20")
        let comments = ((json as? [String: Any])?["comments"] as? [[String: Any]]) ?? []
        let since = closedAt.flatMap(Self.date)?.addingTimeInterval(-600)
        let mine = comments.first { c in
            ((c["author"] as? [String: Any])?["displayName"] as? String) == login
                && (since == nil || ((c["created"] as? String).flatMap(Self.date).map { $0 >= since! } ?? true))
        }
        return mine.map { Self.text(of: $0["body"] ?? "") }
    }

    func issue(key: String, in project: TrackerProject) -> TrackerIssue? {
        guard key.hasPrefix(project.jiraKey + "-"), let number = Int(key.dropFirst(project.jiraKey.count + 1)) else { return nil }
        return TrackerIssue(project: project, number: number, url: siteURL + "/browse/" + key)
    }

    /// Atlassian Document Format: a paragraph per block of lines, a hard
    /// break per line.
    static func document(_ text: String) -> [String: Any] {
        let paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block -> [String: Any] in
            var content: [[String: Any]] = []
            for (i, line) in block.components(separatedBy: "\n").enumerated() {
                if i > 0 { content.append(["type": "hardBreak"]) }
                if !line.isEmpty { content.append(["type": "text", "text": line]) }
            }
            return ["type": "paragraph", "content": content]
        }
        return ["type": "doc", "version": 1, "content": paragraphs]
    }

    /// The words of an Atlassian Document (or of a plain string, as API v2 sends).
    static func text(of node: Any) -> String {
        if let s = node as? String { return s }
        guard let object = node as? [String: Any] else { return "" }
        if let t = object["text"] as? String { return t }
        let attrs = object["attrs"] as? [String: Any]
        switch object["type"] as? String {
        case "hardBreak": return "\n"
        case "mention": return attrs?["text"] as? String ?? ""
        case "inlineCard", "blockCard": return attrs?["url"] as? String ?? ""
        default: break
        }
        let parts = ((object["content"] as? [Any]) ?? []).map(text(of:))
        return (object["type"] as? String == "doc" ? parts.joined(separator: "\n") : parts.joined()).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func date(_ s: String) -> Date? {
        // Jira writes 2017-01-30T18:32:14.716+0100.
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return f.date(from: s) ?? (try? Date(s, strategy: .iso8601))
    }

    private func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> (Int, Any?) {
        let answer = try await TrackerExchange.send(http, method, url: siteURL + path, headers: [
            ("Accept", "application/json"), ("Authorization", "Basic " + Data("\(email):\(token)".utf8).base64EncodedString()),
        ], body: body)
        let status = answer.status
        if status == 429 || status == 503 {
            let after = answer.headers.first(name: "retry-after").flatMap(TimeInterval.init) ?? 60
            throw TrackerFailure(message: "Jira rate limit on \(method) \(path): wait \(Int(after)) s", retryAfter: after)
        }
        guard (200..<300).contains(status) else {
            let object = answer.json as? [String: Any]
            let messages = ((object?["errorMessages"] as? [String]) ?? []) + ((object?["errors"] as? [String: String])?.map { "\($0.key): \($0.value)" } ?? [])
            throw TrackerFailure(message: "Jira answered \(status) to \(method) \(path)\(messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))",
                                 permanent: [400, 401, 403, 404, 410].contains(status))
        }
        return (status, answer.json)
    }
}
