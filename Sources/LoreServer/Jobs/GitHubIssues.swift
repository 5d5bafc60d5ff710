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
        /// Trying again cannot help (a bad token, a repository that is not
        /// there, a request GitHub refuses): the job fails at once, saying why.
        var permanent = false
        var description: String { message }
    }

    /// An issue as it stands.
    struct IssueState {
        var state: String
        var stateReason: String?
        var closedBy: String?
        var closedAt: String?
    }

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
            throw Failure(message: "GitHub's answer to creating an issue has no number or html_url")
        }
        let labels = ((object["labels"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        return (issue, draft.labels.allSatisfy(labels.contains))
    }

    func state(of issue: TrackerIssue) async throws -> IssueState {
        let (_, json) = try await call(.GET, "/repos/\(issue.project.repository)/issues/\(issue.number)")
        let object = (json as? [String: Any]) ?? [:]
        return IssueState(state: object["state"] as? String ?? "open", stateReason: object["state_reason"] as? String,
                          closedBy: (object["closed_by"] as? [String: Any])?["login"] as? String, closedAt: object["closed_at"] as? String)
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
            throw Failure(message: "GitHub answered \(status) to \(method) \(path)\(message.isEmpty ? "" : ": \(message)")",
                          permanent: [401, 403, 404, 410, 422].contains(status))
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
            let made = try await github.create(TrackerIssueDraft(followUp: f, incidentKey: incident?.key ?? "", incidentTitle: incident?.title ?? "", link: link), in: project)
            if !made.labelled {
                logger.warning("GitHub did not keep the labels of \(made.issue.reference): give the token push access, or a retried push cannot find its issue")
            }
            issue = made.issue
        }
        try await store.recordTrackerIssue(followUpID: id, issue, now: clock())
        // Closed in Lore before GitHub had the issue: the issue follows.
        if f.status != .open {
            try await store.sendStatusToTracker(followUpID: id, status: f.status, now: clock())
        }
        try await store.completeJob(job.id, worker: worker, now: clock(), note: issue.url)
    }

    /// `tracker.state`: the follow-up's status as it is now, sent to the
    /// issue (one job per follow-up, so an older status cannot arrive last).
    func sendStateToTracker(_ job: Job) async throws {
        guard let id = UUID(uuidString: job.payload), let f = try await store.followUp(id: id), let issue = try await store.trackerIssue(followUpID: id) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "nothing to send")
            return
        }
        let (github, _) = try await gitHub()
        let target = TrackerIssueEvent.githubState(for: f.status)
        let now = try await github.state(of: issue)
        if now.state == target.state && (target.reason == nil || now.stateReason == target.reason) {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "already so")
            return
        }
        if now.state == "closed", target.state == "closed" {
            // GitHub keeps a closed issue's reason unless it is closed anew.
            try await github.setState("open", reason: nil, of: issue)
        }
        try await github.setState(target.state, reason: target.reason, of: issue)
        try await store.completeJob(job.id, worker: worker, now: clock())
    }

    /// `tracker.event`: GitHub said an issue changed. The issue is read as it
    /// stands now (events can arrive out of order, and twice), and applied
    /// unless Lore's own newer status is still on its way there.
    func applyTrackerEvent(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        guard let id = p["followUp"].flatMap(UUID.init(uuidString:)), let issue = try await store.trackerIssue(followUpID: id),
              var event = TrackerIssueEvent(githubAction: p["action"] ?? "", stateReason: p["stateReason"]) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "nothing to apply")
            return
        }
        if try await store.trackerStatePending(followUpID: id) {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "Lore's own change is on its way to GitHub")
            return
        }
        var login = p["login"] ?? "someone"
        var closedAt = p["closedAt"]
        let github = try? await gitHub().0
        if let github {
            let current = try await github.state(of: issue)
            guard let now = TrackerIssueEvent(githubState: current.state, stateReason: current.stateReason) else {
                try await store.completeJob(job.id, worker: worker, now: clock(), note: "a state Lore does not know")
                return
            }
            if now != event { login = current.closedBy ?? login }
            event = now
            closedAt = current.closedAt ?? closedAt
        }
        guard let f = try await store.followUp(id: id), !event.accepts(f.status) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "already so")
            return
        }
        // Without a token the change still comes in, without the comment.
        let comment = event == .closedAsNotPlanned ? try await github?.lastComment(on: issue, by: login, closedAt: closedAt) : nil
        try await store.applyTrackerEvent(followUpID: id, event, issue: issue, by: login, comment: comment, now: clock())
        try await store.completeJob(job.id, worker: worker, now: clock())
    }
}
