import FluentKit
import Foundation
import LoreCore
import SQLKit

/// The tracker's settings as saved, with the secrets kept apart from what
/// pages show: the API token Lore calls GitHub with, and the secret GitHub
/// signs its webhook deliveries with.
public struct SavedIssueTracker: Sendable, Equatable {
    public var settings: IssueTrackerSettings
    public var token: String?
    public var webhookSecret: String?
    /// Jira's API token (with `settings.jiraEmail`) and its webhook secret.
    public var jiraToken: String?
    public var jiraWebhookSecret: String?

    /// Whether Lore can call the tracker of `project`.
    public func hasCredentials(for project: TrackerProject) -> Bool {
        project.kind == .github ? token != nil : jiraToken != nil && !settings.jiraURL.isEmpty && !settings.jiraEmail.isEmpty
    }
}

extension LoreStore {
    public func issueTracker() async throws -> SavedIssueTracker {
        guard let row = try await SettingsRow.query(on: db).first() else { return SavedIssueTracker(settings: IssueTrackerSettings(), token: nil, webhookSecret: nil) }
        let settings = row.issueTracker.flatMap { try? JSONDecoder().decode(IssueTrackerSettings.self, from: Data($0.utf8)) } ?? IssueTrackerSettings()
        let secrets = row.issueTrackerSecrets.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        return SavedIssueTracker(settings: settings, token: secrets["token"], webhookSecret: secrets["webhookSecret"],
                                 jiraToken: secrets["jiraToken"], jiraWebhookSecret: secrets["jiraWebhookSecret"])
    }

    /// Saves; a secret left nil keeps the one saved, "" removes it. A new API
    /// address drops the saved token unless a new one is given: a token is
    /// for the host it was made on.
    public func saveIssueTracker(_ s: IssueTrackerSettings, token: String?, webhookSecret: String?, jiraToken: String? = nil, jiraWebhookSecret: String? = nil,
                                 by actor: AuditActor = .commandLine) async throws {
        let before = try await issueTracker()
        let sameHost = URLComponents(string: s.apiURL)?.host == URLComponents(string: before.settings.apiURL)?.host
        let sameJira = URLComponents(string: s.jiraURL)?.host == URLComponents(string: before.settings.jiraURL)?.host && s.jiraEmail == before.settings.jiraEmail
        try await transaction { store in
            let row = try await SettingsRow.query(on: store.db).first() ?? Self.defaultSettingsRow()
            row.issueTracker = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
            var secrets: [String: String] = [:]
            if let t = token.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? (sameHost ? before.token : nil), !t.isEmpty { secrets["token"] = t }
            if let w = webhookSecret.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? before.webhookSecret, !w.isEmpty { secrets["webhookSecret"] = w }
            if let t = jiraToken.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? (sameJira ? before.jiraToken : nil), !t.isEmpty { secrets["jiraToken"] = t }
            if let w = jiraWebhookSecret.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? before.jiraWebhookSecret, !w.isEmpty { secrets["jiraWebhookSecret"] = w }
            row.issueTrackerSecrets = String(decoding: try JSONEncoder().encode(secrets), as: UTF8.self)
            try await row.save(on: store.db)
            var changes: [String] = []
            if before.settings.apiURL != s.apiURL { changes.append("GitHub API address \(before.settings.apiURL) → \(s.apiURL)") }
            if before.settings.teamRepositories != s.teamRepositories || before.settings.pushAutomatically != s.pushAutomatically {
                changes.append("teams' repositories: \(s.lines.replacingOccurrences(of: "\n", with: "; "))")
            }
            if (secrets["token"] ?? "") != (before.token ?? "") { changes.append(secrets["token"] == nil ? "GitHub token removed" : "GitHub token changed") }
            if (secrets["webhookSecret"] ?? "") != (before.webhookSecret ?? "") { changes.append("GitHub webhook secret changed") }
            if before.settings.jiraURL != s.jiraURL || before.settings.jiraEmail != s.jiraEmail { changes.append("Jira site \(s.jiraURL) as \(s.jiraEmail)") }
            if (secrets["jiraToken"] ?? "") != (before.jiraToken ?? "") { changes.append(secrets["jiraToken"] == nil ? "Jira token removed" : "Jira token changed") }
            if (secrets["jiraWebhookSecret"] ?? "") != (before.jiraWebhookSecret ?? "") { changes.append("Jira webhook secret changed") }
            if !changes.isEmpty {
                try await store.recordAudit(actor.event(.settingsChanged, subjectType: "settings", detail: changes.joined(separator: "; ")))
            }
        }
    }

    /// The follow-up's issue, once pushed.
    public func trackerIssue(followUpID: UUID) async throws -> TrackerIssue? {
        guard let row = try await sqlDatabase().raw("SELECT repository, number, url FROM follow_up_issues WHERE follow_up_id = \(bind: followUpID)").first(),
              let project = TrackerProject(repository: try row.decode(column: "repository", as: String.self)) else { return nil }
        return TrackerIssue(project: project, number: try row.decode(column: "number", as: Int.self), url: try row.decode(column: "url", as: String.self))
    }

    /// The follow-up an issue belongs to (names compared as GitHub does, in any case).
    public func followUpID(for project: TrackerProject, number: Int) async throws -> UUID? {
        try await sqlDatabase().raw("SELECT follow_up_id FROM follow_up_issues WHERE lower(repository) = \(bind: project.repository.lowercased()) AND number = \(bind: number)")
            .first()?.decode(column: "follow_up_id", as: UUID.self)
    }

    /// Remembers the issue; it becomes the follow-up's tracker reference
    /// unless someone wrote one by hand.
    public func recordTrackerIssue(followUpID: UUID, _ issue: TrackerIssue, now: Date = Date()) async throws {
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded())
        try await transaction { store in
            let sql = try store.sqlDatabase()
            try await sql.raw("DELETE FROM follow_up_issues WHERE follow_up_id = \(bind: followUpID)").run()
            try await sql.raw("""
                INSERT INTO follow_up_issues (follow_up_id, repository, number, url, linked_at)
                VALUES (\(bind: followUpID), \(bind: issue.project.repository), \(bind: issue.number), \(bind: issue.url), \(bind: at))
                """).run()
            if let row = try await FollowUpRow.find(followUpID, on: store.db), (row.trackerReference ?? "").isEmpty {
                row.trackerReference = issue.url
                try await row.update(on: store.db)
            }
        }
    }

    /// Why a follow-up cannot be pushed, or nil when it can.
    public func trackerPushProblem(followUpID: UUID) async throws -> String? {
        guard let f = try await followUp(id: followUpID) else { return "There is no such follow-up." }
        let saved = try await issueTracker()
        guard let project = saved.settings.teamRepositories[f.ownerTeam] else { return "Team \(f.ownerTeam) has no GitHub repository or Jira project; map it in Settings → Issue tracker." }
        guard saved.hasCredentials(for: project) else { return "No \(project.kind.label) token is set in Settings → Issue tracker." }
        return nil
    }

    /// Asks for the follow-up to be pushed to its team's repository (a job:
    /// retried with backoff, one however often it is asked, and asked again
    /// after it failed). Nil when its team has no repository.
    @discardableResult
    public func requestTrackerPush(followUpID: UUID, now: Date = Date()) async throws -> TrackerProject? {
        guard let f = try await followUp(id: followUpID), let project = try await issueTracker().settings.teamRepositories[f.ownerTeam] else { return nil }
        if try await trackerIssue(followUpID: followUpID) == nil {
            try await requeueJob(kind: "tracker.push", dedupeKey: "tracker.push:\(followUpID)", payload: followUpID.uuidString, dueAt: now, now: now)
        }
        return project
    }

    /// Whether a push was asked for and has not finished.
    public func trackerPushPending(followUpID: UUID) async throws -> Bool {
        try await jobPending(dedupeKey: "tracker.push:\(followUpID)")
    }

    /// Whether a status set in Lore is still on its way to the tracker: until
    /// it is there, what the tracker reports is older than Lore's word.
    public func trackerStatePending(followUpID: UUID) async throws -> Bool {
        try await jobPending(dedupeKey: "tracker.state:\(followUpID)")
    }

    /// Applies the issue's state, as it stands, to the follow-up, with who
    /// made it and where in its history. Nothing happens when the follow-up
    /// already agrees (Lore's own change coming back: a loop changes nothing
    /// twice), and nothing goes back to the tracker.
    @discardableResult
    public func applyTrackerEvent(followUpID: UUID, _ event: TrackerIssueEvent, issue: TrackerIssue, by login: String, comment: String?, now: Date = Date()) async throws -> Bool {
        guard let existing = try await followUp(id: followUpID), !event.accepts(existing.status) else { return false }
        let tracker = issue.project.kind.label
        let who = issue.project.kind == .github ? "@\(login)" : login
        let whereAndWho = "In \(tracker) (\(issue.reference)), \(who)"
        var input = FollowUpInput(status: event.status)
        input.decidedIn = "\(tracker): \(who), \(issue.reference)"
        switch event {
        case .closedAsNotPlanned:
            // Decided in the tracker: the reason is what was said there,
            // shortened to what a reason holds.
            let head = "\(whereAndWho) closed the issue as not planned"
            var said = (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let room = Limits.shortText - head.count - 2
            if said.count > room { said = String(said.prefix(max(0, room - 1))) + "…" }
            input.reason = head + (said.isEmpty ? "." : ": \(said)")
        case .closedAsCompleted:
            input.reason = "\(whereAndWho) closed the issue as completed."
        case .reopened:
            input.reason = "\(whereAndWho) reopened the issue."
        }
        try await updateFollowUp(id: followUpID, input, by: nil, now: now, fromTracker: true)
        return true
    }

    /// After a status change made in Lore: the issue follows (one job per
    /// follow-up, which sends the status as it is when it runs).
    public func sendStatusToTracker(followUpID: UUID, status: FollowUpStatus, now: Date) async throws {
        guard try await trackerIssue(followUpID: followUpID) != nil else { return }
        try await requeueJob(kind: "tracker.state", dedupeKey: "tracker.state:\(followUpID)", payload: followUpID.uuidString, dueAt: now, now: now)
    }
}
