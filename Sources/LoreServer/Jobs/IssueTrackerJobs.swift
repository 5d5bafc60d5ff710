import AsyncHTTPClient
import Foundation
import LoreCore
import LoreStore
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// What Lore asks of a tracker (GitHub Issues, Jira), whichever it is.
protocol IssueTrackerClient: Sendable {
    /// The issue carrying the follow-up's label, if one was already opened
    /// (a push whose answer was lost).
    func issue(labelled label: String, in project: TrackerProject) async throws -> TrackerIssue?
    /// The new issue, and whether the tracker kept its labels.
    func create(_ draft: TrackerIssueDraft, in project: TrackerProject) async throws -> (issue: TrackerIssue, labelled: Bool)
    /// The issue as it stands now.
    func state(of issue: TrackerIssue) async throws -> TrackerIssueState
    /// Moves the issue to where the follow-up's status says; false when it
    /// was there already.
    func setStatus(_ status: FollowUpStatus, of issue: TrackerIssue) async throws -> Bool
    /// What `login` said when closing the issue, or nil.
    func lastComment(on issue: TrackerIssue, by login: String, closedAt: String?) async throws -> String?
    /// The tracker's id of the account Lore calls it as: a change made by
    /// that account is Lore's own coming back.
    func ownAccount() async throws -> String?
}

/// An issue as it stands: what it means for the follow-up (nil for a state
/// Lore does not know), who closed it and when.
struct TrackerIssueState {
    var event: TrackerIssueEvent?
    var closedBy: String?
    var closedAt: String?
}

/// A tracker asked Lore to wait (a rate limit: `Retry-After`), or did not
/// answer well enough to go on; the job is tried again later, unless trying
/// again cannot help (a bad token, a project that is not there, a request
/// the tracker refuses): then it fails at once, saying why.
struct TrackerFailure: Error, CustomStringConvertible {
    var message: String
    var retryAfter: TimeInterval?
    var permanent = false
    var description: String { message }
}

/// One JSON exchange with a tracker's REST API: sent with the tracker's own
/// headers, answered within 15 s and read up to 4 MB. Each tracker reads its
/// own rate limits and error bodies from it.
struct TrackerExchange {
    let status: Int
    let headers: HTTPHeaders
    let data: Data

    /// The body as JSON, nil when empty or not JSON.
    var json: Any? { data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data) }

    static func send(_ http: HTTPClient, _ method: HTTPMethod, url: String, headers: [(String, String)], body: [String: Any]?) async throws -> TrackerExchange {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "Lore")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        }
        let response = try await http.execute(request, timeout: .seconds(15))
        let data = Data(buffer: try await response.body.collect(upTo: 4 << 20))
        return TrackerExchange(status: Int(response.status.code), headers: response.headers, data: data)
    }
}

extension BackgroundWork {
    func client(for project: TrackerProject) async throws -> any IssueTrackerClient {
        let saved = try await store.issueTracker()
        switch project.kind {
        case .github:
            guard let token = saved.token else { throw TrackerFailure(message: "no GitHub token in Settings → Issue tracker", permanent: true) }
            return GitHubIssues(http: http, apiURL: saved.settings.apiURL, token: token)
        case .jira:
            guard let token = saved.jiraToken, !saved.settings.jiraURL.isEmpty, !saved.settings.jiraEmail.isEmpty else {
                throw TrackerFailure(message: "no Jira site, email or token in Settings → Issue tracker", permanent: true)
            }
            return JiraIssues(http: http, siteURL: saved.settings.jiraURL, email: saved.settings.jiraEmail, token: token, issueType: saved.settings.jiraIssueType)
        }
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
        guard let project = try await store.issueTracker().settings.teamRepositories[f.ownerTeam] else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "team \(f.ownerTeam) has no repository or project")
            return
        }
        let tracker = try await client(for: project)
        let issue: TrackerIssue
        if let existing = try await tracker.issue(labelled: TrackerIssueDraft.label(for: id), in: project) {
            issue = existing
        } else {
            let incident = try await store.incident(id: f.incidentID)
            let link = (publicURL ?? "") + "/incidents/\(incident?.key ?? "")/follow-ups/\(id.uuidString)/edit"
            let made = try await tracker.create(TrackerIssueDraft(followUp: f, incidentKey: incident?.key ?? "", incidentTitle: incident?.title ?? "", link: link, tracker: project.kind), in: project)
            if !made.labelled {
                logger.warning("\(project.kind.label) did not keep the labels of \(made.issue.reference): a retried push cannot find its issue")
            }
            issue = made.issue
        }
        try await store.recordTrackerIssue(followUpID: id, issue, now: clock())
        // Closed in Lore before the tracker had the issue: the issue follows.
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
        let changed = try await client(for: issue.project).setStatus(f.status, of: issue)
        try await store.completeJob(job.id, worker: worker, now: clock(), note: changed ? nil : "already so")
    }

    /// `tracker.event`: the tracker said an issue changed. The issue is read
    /// as it stands now (events can arrive out of order, and twice), and
    /// applied unless Lore's own newer status is still on its way there.
    func applyTrackerEvent(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        guard let id = p["followUp"].flatMap(UUID.init(uuidString:)), let issue = try await store.trackerIssue(followUpID: id) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "nothing to apply")
            return
        }
        if try await store.trackerStatePending(followUpID: id) {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "Lore's own change is on its way to the tracker")
            return
        }
        var event = p["action"] == "jira"
            ? TrackerIssueEvent(jiraStatusCategory: p["category"] ?? "new", resolution: p["resolution"], statusName: p["statusName"])
            : TrackerIssueEvent(githubAction: p["action"] ?? "", stateReason: p["stateReason"])
        var login = p["login"] ?? "someone"
        var closedAt = p["closedAt"]
        let tracker = try? await client(for: issue.project)
        if let tracker, let account = p["account"], try await tracker.ownAccount() == account {
            // Lore's own change coming back (the tracker may say it in other
            // words than Lore sent, such as a done status without a resolution).
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "Lore's own change")
            return
        }
        if let tracker {
            let current = try await tracker.state(of: issue)
            if current.event != event { login = current.closedBy ?? login }
            event = current.event
            closedAt = current.closedAt ?? closedAt
        }
        guard let event, let f = try await store.followUp(id: id), !event.accepts(f.status) else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "already so")
            return
        }
        // Without credentials the change still comes in, without the comment.
        let comment = event == .closedAsNotPlanned ? try await tracker?.lastComment(on: issue, by: login, closedAt: closedAt) : nil
        try await store.applyTrackerEvent(followUpID: id, event, issue: issue, by: login, comment: comment, now: clock())
        try await store.completeJob(job.id, worker: worker, now: clock())
    }
}
