import FluentKit
import Foundation
import LoreCore
import NIOConcurrencyHelpers
import SQLKit

extension LoreStore {
    /// An incident's follow-ups the viewer may see (those raised in a review
    /// they may not see are left out), oldest first.
    public func followUps(incidentID: UUID, viewer: Viewer? = nil) async throws -> [FollowUp] {
        try await readFollowUps("WHERE f.incident_id = \(bind: incidentID)", viewer: viewer, then: " ORDER BY f.created_at, f.id")
    }

    /// The follow-ups raised in one review.
    public func followUps(reviewID: UUID) async throws -> [FollowUp] {
        try await followUps(reviewIDs: [reviewID])[reviewID] ?? []
    }

    /// The follow-ups raised in each of these reviews, oldest first, in one
    /// query per batch of ids (a page of reviews asks once, not per review).
    public func followUps(reviewIDs: [UUID]) async throws -> [UUID: [FollowUp]] {
        var found: [FollowUp] = []
        for batch in Self.parameterBatches(reviewIDs) {
            found += try await readFollowUps("WHERE f.review_id IN (\(binds: batch))", then: " ORDER BY f.created_at, f.id")
        }
        return Dictionary(grouping: found) { $0.reviewID! }
    }

    /// A follow-up, or nil when unknown or raised in a review the viewer may not see.
    public func followUp(id: UUID, viewer: Viewer? = nil) async throws -> FollowUp? {
        try await readFollowUps("WHERE f.id = \(bind: id)", viewer: viewer).first
    }

    /// Follow-ups by id, in the order of `ids` (unknown ones left out).
    func followUps(ids: [UUID]) async throws -> [FollowUp] {
        var found: [UUID: FollowUp] = [:]
        for batch in Self.parameterBatches(ids) {
            for f in try await readFollowUps("WHERE f.id IN (\(binds: batch))") { found[f.id] = f }
        }
        return ids.compactMap { found[$0] }
    }

    /// Follow-ups as `conditions` (what follows `FROM follow_ups f`) select
    /// them, those of reviews hidden from `viewer` left out in the same
    /// query, then `order`. Read through SQL with named columns: decoding
    /// Fluent's models by reflection cost more than the query.
    func readFollowUps(_ conditions: SQLQueryString, viewer: Viewer? = nil, then order: SQLQueryString = "") async throws -> [FollowUp] {
        var query: SQLQueryString = """
            SELECT f.id, f.incident_id, f.review_id, f.title, f.description, f.owner_team, f.owner_user_id, f.service_slug, f.due_date,
                   f.tracker_reference, f.status, f.created_at, f.closed_at, f.decision_reason, f.decided_by, f.decided_at, f.decided_in, f.plan
            FROM follow_ups f
            """
        query += " " + conditions
        if let viewer {
            for c in Self.visibleReview("f.review_id", try await reviewScope(viewer)) { query += " AND " + c }
        }
        query += order
        let read = NIOLockedValueBox<[FollowUp]>([])
        try await streamRows(query) { row in
            var f = FollowUp(
                id: try row.uuid("id"), incidentID: try row.uuid("incident_id"), reviewID: try row.optionalUUID("review_id"),
                title: try row.string("title"), description: try row.string("description"), ownerTeam: try row.string("owner_team"),
                ownerUserID: try row.optionalUUID("owner_user_id"), service: try row.optionalString("service_slug"),
                dueDate: try row.date("due_date")?.ms, trackerReference: try row.optionalString("tracker_reference"),
                status: FollowUpStatus(rawValue: try row.string("status")) ?? .open, createdAt: (try row.date("created_at") ?? .distantPast).ms,
                closedAt: try row.date("closed_at")?.ms, decisionReason: try row.optionalString("decision_reason"),
                decidedBy: try row.optionalUUID("decided_by"), decidedAt: try row.date("decided_at")?.ms, plan: try row.optionalString("plan")
            )
            f.decidedIn = try row.optionalString("decided_in")
            read.withLockedValue { $0.append(f) }
        }
        return read.withLockedValue { $0 }
    }

    /// Creates a follow-up of an incident, raised in `reviewID` (which must be
    /// one of the incident's reviews the actor may see).
    @discardableResult
    public func createFollowUp(incidentID: UUID, reviewID: UUID? = nil, _ input: FollowUpInput, by actor: Viewer? = nil, now: Date = Date()) async throws -> FollowUp {
        try await transaction { store in
            guard try await IncidentRow.find(incidentID, on: store.db) != nil else { throw StoreError.notFound("Incident") }
            if let reviewID {
                let row = try await ReviewRow.find(reviewID, on: store.db)
                let seen = try await actor.asyncMap { try await store.review(id: reviewID, viewer: $0) != nil } ?? true
                guard let row, row.incidentID == incidentID, seen else {
                    throw ValidationError(field: "reviewId", code: "unknown", message: "That review is not one of this incident's reviews.")
                }
            }
            var f = try await store.validate(input, existing: nil, incidentID: incidentID, actor: actor?.userID, now: now)
            f.reviewID = reviewID
            let row = FollowUpRow()
            store.copy(f, to: row)
            try await row.create(on: store.db)
            try await store.recordChange(FollowUpChange(followUpID: f.id, at: f.createdAt, by: actor?.userID, from: nil, to: f.status, reason: input.reason))
            // Teams that plan in GitHub get the issue without asking, unless it
            // came out of a review not everyone may read: the repository's
            // readers would learn what the review keeps to its own.
            let everyoneMayRead = try await reviewID.asyncMap { try await ReviewRow.find($0, on: store.db)?.visibility == ReviewVisibility.organisation.rawValue } ?? true
            if everyoneMayRead, try await store.issueTracker().settings.pushAutomatically.contains(f.ownerTeam) {
                try await store.requestTrackerPush(followUpID: f.id, now: now)
            }
            return Self.followUp(row)
        }
    }

    /// Changes a follow-up; a status change is kept in its history with who,
    /// when, from, to and why.
    @discardableResult
    /// `fromTracker`: the change was made in the tracker, so it is not sent
    /// back there.
    public func updateFollowUp(id: UUID, _ input: FollowUpInput, by actor: Viewer? = nil, now: Date = Date(), fromTracker: Bool = false) async throws -> FollowUp {
        try await transaction { store in
            guard let existing = try await store.followUp(id: id, viewer: actor), let row = try await FollowUpRow.find(id, on: store.db) else {
                throw StoreError.notFound("Follow-up")
            }
            var f = try await store.validate(input, existing: existing, incidentID: row.incidentID, actor: actor?.userID, now: now)
            // A status set here is decided here; one from the tracker says so itself.
            if f.status != existing.status { f.decidedIn = input.decidedIn }
            store.copy(f, to: row)
            try await row.update(on: store.db)
            if f.status != existing.status {
                try await store.recordChange(FollowUpChange(followUpID: id, at: now.ms, by: actor?.userID, from: existing.status, to: f.status, reason: f.decisionReason ?? input.reason))
                if !fromTracker { try await store.sendStatusToTracker(followUpID: id, status: f.status, now: now) }
            }
            return Self.followUp(row)
        }
    }

    /// Every status change of a follow-up, oldest first.
    public func history(followUpID: UUID) async throws -> [FollowUpChange] {
        try await FollowUpChangeRow.query(on: db).filter(\.$followUpID == followUpID).sort(\.$at).all().map {
            FollowUpChange(followUpID: $0.followUpID, at: $0.at.ms, by: $0.byUserID, from: $0.fromStatus.flatMap(FollowUpStatus.init(rawValue:)),
                           to: FollowUpStatus(rawValue: $0.toStatus) ?? .open, reason: $0.reason)
        }
    }

    func recordChange(_ c: FollowUpChange) async throws {
        let row = FollowUpChangeRow()
        row.followUpID = c.followUpID
        row.at = c.at
        row.byUserID = c.by
        row.fromStatus = c.from?.rawValue
        row.toStatus = c.to.rawValue
        row.reason = c.reason
        try await row.create(on: db)
    }

    func validate(_ input: FollowUpInput, existing: FollowUp?, incidentID: UUID, actor: UUID?, now: Date) async throws -> FollowUp {
        try input.apply(
            to: existing, incidentID: incidentID, knownTeams: try await teamSlugs(),
            knownServices: try await serviceSlugs(), knownUsers: try await userIDs(), actor: actor, now: now
        )
    }

    func copy(_ f: FollowUp, to row: FollowUpRow) {
        row.id = f.id
        row.incidentID = f.incidentID
        row.reviewID = f.reviewID
        row.title = f.title
        row.description = f.description
        row.ownerTeam = f.ownerTeam
        row.ownerUserID = f.ownerUserID
        row.service = f.service
        row.dueDate = f.dueDate
        row.trackerReference = f.trackerReference
        row.status = f.status.rawValue
        row.createdAt = f.createdAt
        row.closedAt = f.closedAt
        row.decisionReason = f.decisionReason
        row.decidedBy = f.decidedBy
        row.decidedAt = f.decidedAt
        row.decidedIn = f.decidedIn
        row.plan = f.plan
    }

    static func followUp(_ r: FollowUpRow) -> FollowUp {
        var f = FollowUp(
            id: r.id!, incidentID: r.incidentID, reviewID: r.reviewID, title: r.title, description: r.description,
            ownerTeam: r.ownerTeam, ownerUserID: r.ownerUserID, service: r.service, dueDate: r.dueDate.ms,
            trackerReference: r.trackerReference, status: FollowUpStatus(rawValue: r.status) ?? .open,
            createdAt: r.createdAt.ms, closedAt: r.closedAt.ms, decisionReason: r.decisionReason, decidedBy: r.decidedBy,
            decidedAt: r.decidedAt.ms, plan: r.plan
        )
        f.decidedIn = r.decidedIn
        return f
    }
}
