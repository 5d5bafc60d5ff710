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
}

extension LoreStore {
    public func issueTracker() async throws -> SavedIssueTracker {
        guard let row = try await SettingsRow.query(on: db).first() else { return SavedIssueTracker(settings: IssueTrackerSettings(), token: nil, webhookSecret: nil) }
        let settings = row.issueTracker.flatMap { try? JSONDecoder().decode(IssueTrackerSettings.self, from: Data($0.utf8)) } ?? IssueTrackerSettings()
        let secrets = row.issueTrackerSecrets.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        return SavedIssueTracker(settings: settings, token: secrets["token"], webhookSecret: secrets["webhookSecret"])
    }

    /// Saves; a secret left nil keeps the one saved, "" removes it.
    public func saveIssueTracker(_ s: IssueTrackerSettings, token: String?, webhookSecret: String?, by actor: AuditActor = .commandLine) async throws {
        let before = try await issueTracker()
        try await transaction { store in
            let row = try await SettingsRow.query(on: store.db).first() ?? Self.defaultSettingsRow()
            row.issueTracker = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
            var secrets: [String: String] = [:]
            if let t = token.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? before.token, !t.isEmpty { secrets["token"] = t }
            if let w = webhookSecret.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) ?? before.webhookSecret, !w.isEmpty { secrets["webhookSecret"] = w }
            row.issueTrackerSecrets = String(decoding: try JSONEncoder().encode(secrets), as: UTF8.self)
            try await row.save(on: store.db)
            var changes: [String] = []
            if before.settings != s { changes.append("issue tracker: \(s.teamRepositories.count) team(s) mapped to GitHub repositories") }
            if (secrets["token"] ?? "") != (before.token ?? "") { changes.append("GitHub token changed") }
            if (secrets["webhookSecret"] ?? "") != (before.webhookSecret ?? "") { changes.append("GitHub webhook secret changed") }
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

    /// The follow-up an issue belongs to.
    public func followUpID(for project: TrackerProject, number: Int) async throws -> UUID? {
        try await sqlDatabase().raw("SELECT follow_up_id FROM follow_up_issues WHERE repository = \(bind: project.repository) AND number = \(bind: number)")
            .first()?.decode(column: "follow_up_id", as: UUID.self)
    }

    /// Remembers the issue and shows it as the follow-up's tracker reference.
    public func recordTrackerIssue(followUpID: UUID, _ issue: TrackerIssue, now: Date = Date()) async throws {
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded())
        try await transaction { store in
            let sql = try store.sqlDatabase()
            try await sql.raw("DELETE FROM follow_up_issues WHERE follow_up_id = \(bind: followUpID)").run()
            try await sql.raw("""
                INSERT INTO follow_up_issues (follow_up_id, repository, number, url, linked_at)
                VALUES (\(bind: followUpID), \(bind: issue.project.repository), \(bind: issue.number), \(bind: issue.url), \(bind: at))
                """).run()
            if let row = try await FollowUpRow.find(followUpID, on: store.db) {
                row.trackerReference = issue.url
                try await row.update(on: store.db)
            }
        }
    }

    /// Asks for the follow-up to be pushed to its team's repository (a job:
    /// retried with backoff, once however often it is asked). Nil when its
    /// team has no repository.
    @discardableResult
    public func requestTrackerPush(followUpID: UUID, now: Date = Date()) async throws -> TrackerProject? {
        guard let f = try await followUp(id: followUpID), let project = try await issueTracker().settings.teamRepositories[f.ownerTeam] else { return nil }
        if try await trackerIssue(followUpID: followUpID) == nil {
            try await enqueueJob(kind: "tracker.push", dedupeKey: "tracker.push:\(followUpID)", payload: followUpID.uuidString, dueAt: now, now: now)
        }
        return project
    }

    /// Whether a push was asked for and has not finished.
    public func trackerPushPending(followUpID: UUID) async throws -> Bool {
        try await JobRow.query(on: db).filter(\.$dedupeKey == "tracker.push:\(followUpID)").filter(\.$status == "pending").count() > 0
    }

    /// A change made in the tracker, applied to the follow-up with who made
    /// it and where in its history. Nothing happens when the follow-up is
    /// already there (Lore's own change coming back: a loop changes nothing
    /// twice), and nothing goes back to the tracker.
    @discardableResult
    public func applyTrackerEvent(followUpID: UUID, _ event: TrackerIssueEvent, issue: TrackerIssue, by login: String, comment: String?, now: Date = Date()) async throws -> Bool {
        guard let existing = try await followUp(id: followUpID), existing.status != event.status else { return false }
        let whereAndWho = "In GitHub (\(issue.reference)), @\(login)"
        var input = FollowUpInput(status: event.status)
        switch event {
        case .closedAsNotPlanned:
            // Decided in the tracker: the reason is what was said there.
            let said = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            input.reason = "\(whereAndWho) closed the issue as not planned" + (said.isEmpty ? "." : ": \(said)")
        case .closedAsCompleted:
            input.reason = "\(whereAndWho) closed the issue as completed."
        case .reopened:
            input.reason = "\(whereAndWho) reopened the issue."
        }
        try await updateFollowUp(id: followUpID, input, by: nil, now: now, fromTracker: true)
        return true
    }

    /// After a status change made in Lore: the issue follows (a job).
    func sendStatusToTracker(followUpID: UUID, status: FollowUpStatus, now: Date) async throws {
        guard TrackerIssueEvent.githubState(for: status) != nil, try await trackerIssue(followUpID: followUpID) != nil else { return }
        let payload = "\(followUpID.uuidString) \(status.rawValue)"
        try await enqueueJob(kind: "tracker.state", dedupeKey: "tracker.state:\(followUpID):\(status.rawValue):\(Int64(now.timeIntervalSince1970 * 1000))", payload: payload, dueAt: now, now: now)
    }
}
