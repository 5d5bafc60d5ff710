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
struct GitHubIssues {
    let http: HTTPClient
    let apiURL: String
    let token: String

    /// GitHub asked Lore to wait (a rate limit: 403 or 429 with
    /// `Retry-After` or `x-ratelimit-reset`), or did not answer well enough
    /// to go on; the job is tried again later.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var retryAfter: TimeInterval?
        var description: String { message }
    }

    /// The issue with the follow-up's label, if one was already opened (a
    /// push whose answer was lost): searched by label, which lists at once,
    /// unlike GitHub's search.
    func issue(labelled label: String, in project: TrackerProject) async throws -> TrackerIssue? {
        let (_, json) = try await call(.GET, "/repos/\(project.repository)/issues?labels=\(label)&state=all&per_page=1")
        guard let first = (json as? [[String: Any]])?.first else { return nil }
        return Self.issue(first, in: project)
    }

    func create(_ draft: TrackerIssueDraft, in project: TrackerProject) async throws -> TrackerIssue {
        let (_, json) = try await call(.POST, "/repos/\(project.repository)/issues", body: ["title": draft.title, "body": draft.body, "labels": draft.labels])
        guard let object = json as? [String: Any], let issue = Self.issue(object, in: project) else {
            throw Failure(message: "GitHub's answer to creating an issue has no number or html_url")
        }
        return issue
    }

    /// `state` `open` or `closed`, with `state_reason` for a closed one.
    func setState(_ state: String, reason: String?, of issue: TrackerIssue) async throws {
        var body: [String: Any] = ["state": state]
        if let reason { body["state_reason"] = reason }
        _ = try await call(.PATCH, "/repos/\(issue.project.repository)/issues/\(issue.number)", body: body)
    }

    /// The issue's last comment by `login` (what they said when closing it),
    /// or nil. Comments come oldest first; one page of the newest is read.
    func lastComment(on issue: TrackerIssue, by login: String) async throws -> String? {
        let (_, json) = try await call(.GET, "/repos/\(issue.project.repository)/issues/\(issue.number)/comments?per_page=100")
        let comments = (json as? [[String: Any]]) ?? []
        return comments.last { (($0["user"] as? [String: Any])?["login"] as? String) == login }?["body"] as? String
    }

    static func issue(_ object: [String: Any], in project: TrackerProject) -> TrackerIssue? {
        guard let number = object["number"] as? Int, let url = object["html_url"] as? String else { return nil }
        return TrackerIssue(project: project, number: number, url: url)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> (Int, Any?) {
        var request = HTTPClientRequest(url: apiURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "Lore")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        }
        let response = try await http.execute(request, timeout: .seconds(15))
        let data = Data(buffer: try await response.body.collect(upTo: 4 << 20))
        let status = Int(response.status.code)
        if status == 429 || (status == 403 && (response.headers.first(name: "retry-after") != nil || response.headers.first(name: "x-ratelimit-remaining") == "0")) {
            // Secondary limits say Retry-After; the primary one, the reset time.
            let after = response.headers.first(name: "retry-after").flatMap(TimeInterval.init)
                ?? response.headers.first(name: "x-ratelimit-reset").flatMap(TimeInterval.init).map { max(1, $0 - Date().timeIntervalSince1970) }
                ?? 60
            throw Failure(message: "GitHub rate limit on \(method) \(path): wait \(Int(after)) s", retryAfter: after)
        }
        guard (200..<300).contains(status) else {
            let message = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["message"] as? String ?? ""
            throw Failure(message: "GitHub answered \(status) to \(method) \(path)\(message.isEmpty ? "" : ": \(message)")")
        }
        return (status, data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data))
    }
}

extension BackgroundWork {
    func gitHub() async throws -> (GitHubIssues, IssueTrackerSettings) {
        let saved = try await store.issueTracker()
        guard let token = saved.token else { throw GitHubIssues.Failure(message: "no GitHub token in Settings → Issue tracker") }
        return (GitHubIssues(http: http, apiURL: saved.settings.apiURL, token: token), saved.settings)
    }

    /// `tracker.push`: the follow-up's issue, opened once. A push whose
    /// answer was lost finds its issue by label on the next attempt.
    func pushToTracker(_ job: Job) async throws {
        guard let id = UUID(uuidString: job.payload), let f = try await store.followUp(id: id) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "follow-up removed")
            return
        }
        if try await store.trackerIssue(followUpID: id) != nil {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "already pushed")
            return
        }
        let (github, settings) = try await gitHub()
        guard let project = settings.teamRepositories[f.ownerTeam] else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "team \(f.ownerTeam) has no repository")
            return
        }
        let issue: TrackerIssue
        if let existing = try await github.issue(labelled: TrackerIssueDraft.label(for: id), in: project) {
            issue = existing
        } else {
            let incident = try await store.incident(id: f.incidentID)
            let link = (publicURL ?? "") + "/incidents/\(incident?.key ?? "")/follow-ups/\(id.uuidString)/edit"
            issue = try await github.create(TrackerIssueDraft(followUp: f, incidentKey: incident?.key ?? "", incidentTitle: incident?.title ?? "", link: link), in: project)
        }
        try await store.recordTrackerIssue(followUpID: id, issue, now: clock())
        try await store.completeJob(job.id, worker: worker, now: clock(), note: issue.url)
    }

    /// `tracker.state`: a status set in Lore, sent to the issue.
    func sendStateToTracker(_ job: Job) async throws {
        let parts = job.payload.split(separator: " ")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let status = FollowUpStatus(rawValue: String(parts[1])),
              let issue = try await store.trackerIssue(followUpID: id), let target = TrackerIssueEvent.githubState(for: status) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "nothing to send")
            return
        }
        let (github, _) = try await gitHub()
        try await github.setState(target.state, reason: target.reason, of: issue)
        try await store.completeJob(job.id, worker: worker, now: clock())
    }

    /// `tracker.event`: a change GitHub reported, with the closing comment
    /// read from GitHub, applied to the follow-up.
    func applyTrackerEvent(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        guard let id = p["followUp"].flatMap(UUID.init(uuidString:)), let issue = try await store.trackerIssue(followUpID: id),
              let event = TrackerIssueEvent(githubAction: p["action"] ?? "", stateReason: p["stateReason"]) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "nothing to apply")
            return
        }
        let login = p["login"] ?? "someone"
        var comment: String?
        if event == .closedAsNotPlanned { comment = try await gitHub().0.lastComment(on: issue, by: login) }
        try await store.applyTrackerEvent(followUpID: id, event, issue: issue, by: login, comment: comment, now: clock())
        try await store.completeJob(job.id, worker: worker, now: clock())
    }
}
