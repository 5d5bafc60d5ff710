import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// An incident's follow-ups the viewer may see (those raised in a review
    /// they may not see are left out), oldest first.
    public func followUps(incidentID: UUID, viewer: Viewer? = nil) async throws -> [FollowUp] {
        let all = try await FollowUpRow.query(on: db).filter(\.$incidentID == incidentID).sort(\.$createdAt).sort(\.$id).all().map(Self.followUp)
        return try await visible(all, viewer: viewer)
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
            found += try await FollowUpRow.query(on: db).filter(\.$reviewID ~~ batch).sort(\.$createdAt).sort(\.$id).all().map(Self.followUp)
        }
        return Dictionary(grouping: found) { $0.reviewID! }
    }

    /// A follow-up, or nil when unknown or raised in a review the viewer may not see.
    public func followUp(id: UUID, viewer: Viewer? = nil) async throws -> FollowUp? {
        guard let f = try await FollowUpRow.find(id, on: db).map(Self.followUp) else { return nil }
        return try await visible([f], viewer: viewer).first
    }

    func visible(_ followUps: [FollowUp], viewer: Viewer?) async throws -> [FollowUp] {
        guard let viewer else { return followUps }
        let reviewIDs = Set(followUps.compactMap(\.reviewID))
        if reviewIDs.isEmpty { return followUps }
        let rows = try await ReviewRow.query(on: db).filter(\.$id ~~ Array(reviewIDs)).all()
        let seen = Set(try await visible(try await loadReviews(rows), viewer: viewer).map(\.id))
        return followUps.filter { $0.reviewID.map(seen.contains) ?? true }
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
