import AsyncHTTPClient
import Foundation
import LoreCore
import LoreStore
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// The documented subset of GitHub's REST API that follow-ups need: create
/// an issue, find one by label, close or reopen it, read its last comment.
/// https://docs.github.com/en/rest/issues
struct GitHubIssues: IssueTrackerClient {
    let http: HTTPClient
    let apiURL: String
    let token: String

    /// The issue with the follow-up's label, if one was already opened (a
    /// push whose answer was lost): searched by label, which lists at once,
    /// unlike GitHub's search.
    func issue(labelled label: String, in project: TrackerProject) async throws -> TrackerIssue? {
        let (_, json) = try await call(.GET, "/repos/\(project.repository)/issues?labels=\(label)&state=all&per_page=1")
        guard let first = (json as? [[String: Any]])?.first else { return nil }
        return Self.issue(first, in: project)
    }

    /// The new issue, and whether GitHub kept its labels (it drops them
    /// silently for a token without push access, and then a retry could not
    /// find the issue by its label).
    func create(_ draft: TrackerIssueDraft, in project: TrackerProject) async throws -> (issue: TrackerIssue, labelled: Bool) {
        let (_, json) = try await call(.POST, "/repos/\(project.repository)/issues", body: ["title": draft.title, "body": draft.body, "labels": draft.labels])
        guard let object = json as? [String: Any], let issue = Self.issue(object, in: project) else {
            throw TrackerFailure(message: "GitHub's answer to creating an issue has no number or html_url")
        }
        let labels = ((object["labels"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        return (issue, draft.labels.allSatisfy(labels.contains))
    }

    func state(of issue: TrackerIssue) async throws -> TrackerIssueState {
        let (_, json) = try await call(.GET, "/repos/\(issue.project.repository)/issues/\(issue.number)")
        let object = (json as? [String: Any]) ?? [:]
        return TrackerIssueState(event: TrackerIssueEvent(githubState: object["state"] as? String ?? "open", stateReason: object["state_reason"] as? String),
                                 closedBy: (object["closed_by"] as? [String: Any])?["login"] as? String, closedAt: object["closed_at"] as? String)
    }

    func setStatus(_ status: FollowUpStatus, of issue: TrackerIssue) async throws -> Bool {
        let target = TrackerIssueEvent.githubState(for: status)
        let (_, json) = try await call(.GET, "/repos/\(issue.project.repository)/issues/\(issue.number)")
        let object = (json as? [String: Any]) ?? [:]
        let state = object["state"] as? String ?? "open", reason = object["state_reason"] as? String
        if state == target.state && (target.reason == nil || reason == target.reason) { return false }
        if state == "closed", target.state == "closed" {
            // GitHub keeps a closed issue's reason unless it is closed anew.
            try await setState("open", reason: nil, of: issue)
        }
        try await setState(target.state, reason: target.reason, of: issue)
        return true
    }

    /// `state` `open` or `closed`, with `state_reason` for a closed one.
    func setState(_ state: String, reason: String?, of issue: TrackerIssue) async throws {
        var body: [String: Any] = ["state": state]
        if let reason { body["state_reason"] = reason }
        _ = try await call(.PATCH, "/repos/\(issue.project.repository)/issues/\(issue.number)", body: body)
    }

    /// What `login` said when closing the issue: their last comment written
    /// from ten minutes before the close (`since`; comments come oldest
    /// first, so an old one on a long issue is not read), or nil.
    func lastComment(on issue: TrackerIssue, by login: String, closedAt: String?) async throws -> String? {
        var since = ""
        if let closedAt, let at = try? Date(closedAt, strategy: .iso8601) {
            since = "&since=" + at.addingTimeInterval(-600).formatted(.iso8601)
        }
        let (_, json) = try await call(.GET, "/repos/\(issue.project.repository)/issues/\(issue.number)/comments?per_page=100\(since)")
        let comments = (json as? [[String: Any]]) ?? []
        return comments.last { (($0["user"] as? [String: Any])?["login"] as? String) == login }?["body"] as? String
    }

    /// GitHub's mapping of state to status is exact: Lore's own change comes
    /// back in the words it was sent, and is found to change nothing.
    func ownAccount() async throws -> String? { nil }

    static func issue(_ object: [String: Any], in project: TrackerProject) -> TrackerIssue? {
        guard let number = object["number"] as? Int, let url = object["html_url"] as? String else { return nil }
        return TrackerIssue(project: project, number: number, url: url)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> (Int, Any?) {
        let answer = try await TrackerExchange.send(http, method, url: apiURL + path, headers: [
            ("Accept", "application/vnd.github+json"), ("Authorization", "Bearer \(token)"), ("X-GitHub-Api-Version", "2022-11-28"),
        ], body: body)
        let status = answer.status
        if status == 429 || (status == 403 && (answer.headers.first(name: "retry-after") != nil || answer.headers.first(name: "x-ratelimit-remaining") == "0")) {
            // Secondary limits say Retry-After; the primary one, the reset time.
            let after = answer.headers.first(name: "retry-after").flatMap(TimeInterval.init)
                ?? answer.headers.first(name: "x-ratelimit-reset").flatMap(TimeInterval.init).map { max(1, $0 - Date().timeIntervalSince1970) }
                ?? 60
            throw TrackerFailure(message: "GitHub rate limit on \(method) \(path): wait \(Int(after)) s", retryAfter: after)
        }
        guard (200..<300).contains(status) else {
            let message = (answer.json as? [String: Any])?["message"] as? String ?? ""
            throw TrackerFailure(message: "GitHub answered \(status) to \(method) \(path)\(message.isEmpty ? "" : ": \(message)")",
                          permanent: [401, 403, 404, 410, 422].contains(status))
        }
        return (status, answer.json)
    }
}
