import FluentKit
import Foundation
import LoreCore
import NIOConcurrencyHelpers
import SQLKit

// Every way of reading reviews goes through `visible(_:viewer:)`, so that
// pages, the API, dashboard counts and later search and exports all apply
// the same rule (LoreCore's ReviewAccess) and a hidden review simply does not
// exist for the viewer.

extension LoreStore {
    /// The person as the review rules see them: their teams and roles.
    public func viewer(for user: User) async throws -> Viewer {
        Viewer(user: user, memberships: try await memberships(userID: user.id))
    }

    /// The incident's reviews this viewer may see, narrowest level first.
    public func reviews(incidentID: UUID, viewer: Viewer) async throws -> [Review] {
        return try await visible(try await readReviews("WHERE r.incident_id = \(bind: incidentID) ORDER BY r.created_at"), viewer: viewer).sorted { ($0.level, $0.createdAt) < ($1.level, $1.createdAt) }
    }

    /// Every review of an incident, regardless of visibility. For the
    /// command line only, whose user already holds the database itself; the
    /// server never calls this.
    public func reviewsForOperator(incidentID: UUID) async throws -> [Review] {
        try await readReviews("WHERE r.incident_id = \(bind: incidentID) ORDER BY r.created_at")
    }

    /// The reviews of these incidents the viewer may see, by incident, in one
    /// query per batch; `viewer` nil is the operator at the command line,
    /// who sees every review.
    public func reviewsByIncident(_ incidentIDs: [UUID], viewer: Viewer?) async throws -> [UUID: [Review]] {
        var found: [Review] = []
        for batch in Self.parameterBatches(incidentIDs) {
            found += try await readReviews("WHERE r.incident_id IN (\(binds: batch)) ORDER BY r.created_at")
        }
        if let viewer { found = try await visible(found, viewer: viewer) }
        return Dictionary(grouping: found.sorted { ($0.level, $0.createdAt) < ($1.level, $1.createdAt) }, by: \.incidentID)
    }

    /// Reviews by id, regardless of visibility: for counts that name no
    /// review (the wording findings Insights totals), never for display.
    public func reviewsForCounting(ids: [UUID]) async throws -> [Review] {
        var found: [Review] = []
        for batch in Self.parameterBatches(ids) {
            found += try await readReviews("WHERE r.id IN (\(binds: batch))")
        }
        return found
    }

    /// Every review, regardless of visibility (command line only).
    public func allReviewsForOperator() async throws -> [Review] {
        try await readReviews("ORDER BY r.created_at")
    }

    /// Every review this viewer may see (for the dashboard and reports).
    public func allReviews(viewer: Viewer) async throws -> [Review] {
        try await visible(try await readReviews("ORDER BY r.created_at"), viewer: viewer)
    }

    /// A review, or nil when it does not exist or the viewer may not see it.
    public func review(id: UUID, viewer: Viewer) async throws -> Review? {
        try await visible(try await readReviews("WHERE r.id = \(bind: id)"), viewer: viewer).first
    }

    /// The review, for a viewer who may see it (nil otherwise): what a page
    /// reads its ballot, findings and kept phrases through, so that the
    /// review is read and its visibility checked once, not once per part.
    public func seenReview(id: UUID, viewer: Viewer) async throws -> SeenReview? {
        try await review(id: id, viewer: viewer).map { SeenReview(review: $0, viewer: viewer) }
    }

    func visible(_ reviews: [Review], viewer: Viewer) async throws -> [Review] {
        let adminsSeeAll = try await settings().practice.adminsSeeAllReviews
        return reviews.filter { ReviewAccess.canSee($0, viewer: viewer, adminsSeeAll: adminsSeeAll) }
    }

    /// Starts a review of an incident. Whoever starts it takes part; without
    /// a facilitator named, they facilitate.
    @discardableResult
    public func createReview(incidentID: UUID, _ input: ReviewInput, parentReviewID: UUID? = nil, by actor: Viewer, now: Date = Date()) async throws -> Review {
        try await transaction { store in
            guard try await IncidentRow.find(incidentID, on: store.db) != nil else { throw StoreError.notFound("Incident") }
            var blank = Review(incidentID: incidentID, level: input.level ?? .team, createdAt: now.ms, updatedAt: now.ms)
            blank.participants = [ReviewParticipant(userID: actor.userID, role: .participant)]
            var r = try input.apply(to: blank, knownUsers: try await store.userIDs(), knownTeams: try await store.teamSlugs(), now: now)
            if !r.participants.contains(where: { $0.userID == actor.userID }) {
                r.participants.append(ReviewParticipant(userID: actor.userID, role: .participant))
            }
            if r.facilitatorID == nil, let i = r.participants.firstIndex(where: { $0.userID == actor.userID }) {
                r.participants[i].role = .facilitator
            }
            if let parentReviewID {
                try await store.checkGathering(r, into: parentReviewID, by: actor)
                r.parentReviewID = parentReviewID
            }
            let row = ReviewRow()
            row.id = r.id
            try await store.write(r, to: row, isNew: true)
            return r
        }
    }

    /// Applies a change to a review the actor may see and take part in.
    @discardableResult
    public func updateReview(id: UUID, _ input: ReviewInput, by actor: Viewer, now: Date = Date()) async throws -> Review {
        try await transaction { store in
            guard let existing = try await store.review(id: id, viewer: actor), let row = try await ReviewRow.find(id, on: store.db) else {
                throw StoreError.notFound("Review")
            }
            guard ReviewAccess.canEdit(existing, viewer: actor) || actor.isAdmin else {
                throw StoreError.forbidden("Only the review's participants can change it.")
            }
            let r = try input.apply(to: existing, knownUsers: try await store.userIDs(), knownTeams: try await store.teamSlugs(), now: now)
            try await store.write(r, to: row, isNew: false)
            try await store.auditTrustChanges(from: existing, to: r, by: actor, now: now)
            return r
        }
    }

    /// Who widened or narrowed a review, and who published it, go to the
    /// review's history (the audit log).
    func auditTrustChanges(from old: Review, to new: Review, by actor: Viewer, now: Date) async throws {
        var changes: [(AuditAction, String, String)] = []
        let visibility = { (r: Review) in r.visibility.rawValue + (r.withoutManagers ? ", without managers" : "") }
        if visibility(old) != visibility(new) { changes.append((.reviewVisibilityChanged, visibility(old), visibility(new))) }
        if old.level != new.level { changes.append((.reviewLevelChanged, old.level.rawValue, new.level.rawValue)) }
        if old.status != .published && new.status == .published { changes.append((.reviewPublished, old.status.rawValue, new.status.rawValue)) }
        if changes.isEmpty { return }
        let name = try await user(id: actor.userID)?.displayName ?? ""
        for (action, from, to) in changes {
            try await recordAudit(AuditEvent(at: now, actorID: actor.userID, actorName: name, action: action, subjectType: "review", subjectID: new.id.uuidString, from: from, to: to))
        }
    }

    /// Gathers a review into a wider one (or releases it with nil).
    @discardableResult
    public func setParent(reviewID: UUID, parentReviewID: UUID?, by actor: Viewer) async throws -> Review {
        try await transaction { store in
            guard var child = try await store.review(id: reviewID, viewer: actor), let row = try await ReviewRow.find(reviewID, on: store.db) else {
                throw StoreError.notFound("Review")
            }
            if let parentReviewID {
                try await store.checkGathering(child, into: parentReviewID, by: actor)
            }
            child.parentReviewID = parentReviewID
            row.parentReviewID = parentReviewID
            try await row.update(on: store.db)
            return child
        }
    }

    /// The one rule for naming a wider review, when a review is started inside
    /// it or gathered into it later: the wider review is loaded through the
    /// actor's access rule (one they may not see answers exactly like one
    /// that does not exist, so an id is neither permission nor an oracle),
    /// only its participants gather reviews into it, and it must be a wider
    /// level of the same incident.
    func checkGathering(_ child: Review, into parentReviewID: UUID, by actor: Viewer) async throws {
        guard let parent = try await review(id: parentReviewID, viewer: actor) else {
            throw ValidationError(field: "parentReviewId", code: "unknown", message: "The review to gather this one into does not exist.")
        }
        guard ReviewAccess.canEdit(parent, viewer: actor) || actor.isAdmin else {
            throw StoreError.forbidden("Only participants of the wider review can gather reviews into it.")
        }
        try FindingPromotion.checkParent(child, parent: parent)
    }

    /// Reviews gathered into this one that the viewer may see.
    public func childReviews(of reviewID: UUID, viewer: Viewer) async throws -> [Review] {
        try await visible(try await readReviews("WHERE r.parent_review_id = \(bind: reviewID) ORDER BY r.created_at"), viewer: viewer)
    }

    func write(_ r: Review, to target: ReviewRow, isNew: Bool) async throws {
        target.copy(r)
        if isNew { try await target.create(on: db) } else { try await target.update(on: db) }
        try await forgetWordingCount(reviewID: r.id)
        try await ReviewParticipantRow.query(on: db).filter(\.$reviewID == r.id).delete()
        for row in ReviewParticipantRow.rows(of: r) { try await row.create(on: db) }
        try await ReviewTeamRow.query(on: db).filter(\.$reviewID == r.id).delete()
        for row in ReviewTeamRow.rows(of: r) { try await row.create(on: db) }
    }

    /// Reviews as `rest` (what follows `FROM reviews r`) selects and orders
    /// them, with their participants and teams. Read through SQL with named
    /// columns: a review page reads reviews five times, and decoding
    /// Fluent's models by reflection was a sixth of its time.
    func readReviews(_ rest: SQLQueryString) async throws -> [Review] {
        let read = NIOLockedValueBox<[Review]>([])
        try await streamRows("""
            SELECT r.id, r.incident_id, r.status, r.meeting_at, r.summary, r.what_happened, r.contributing_factors,
                   r.what_went_well, r.where_we_got_lucky, r.surprises, r.open_questions, r.customer_impact, r.created_at, r.updated_at,
                   r.held_at, r.published_at, r.title, r.level, r.visibility, r.without_managers, r.parent_review_id FROM reviews r
            """ + " " + rest) { row in
            let found = Review(
                id: try row.uuid("id"), incidentID: try row.uuid("incident_id"), title: try row.string("title"),
                level: ReviewLevel(rawValue: try row.string("level")) ?? .team,
                visibility: ReviewVisibility(rawValue: try row.string("visibility")) ?? .organisation, teams: [],
                withoutManagers: try row.bool("without_managers"), parentReviewID: try row.optionalUUID("parent_review_id"),
                status: ReviewStatus(rawValue: try row.string("status")) ?? .draft, participants: [], meetingAt: try row.date("meeting_at").ms,
                sections: [
                    .summary: try row.string("summary"), .whatHappened: try row.string("what_happened"),
                    .contributingFactors: try row.string("contributing_factors"), .whatWentWell: try row.string("what_went_well"),
                    .whereWeGotLucky: try row.string("where_we_got_lucky"), .surprises: try row.string("surprises"),
                    .openQuestions: try row.string("open_questions"), .customerImpact: try row.string("customer_impact"),
                ],
                createdAt: (try row.date("created_at") ?? .distantPast).ms, updatedAt: (try row.date("updated_at") ?? .distantPast).ms,
                heldAt: try row.date("held_at").ms, publishedAt: try row.date("published_at").ms)
            read.withLockedValue { $0.append(found) }
        }
        return try await withPeople(read.withLockedValue { $0 })
    }

    /// The reviews with their participants and teams, in their order, read
    /// for all of them at once.
    func withPeople(_ reviews: [Review]) async throws -> [Review] {
        if reviews.isEmpty { return [] }
        let participants = NIOLockedValueBox<[UUID: [ReviewParticipant]]>([:]), teams = NIOLockedValueBox<[UUID: [String]]>([:])
        for batch in Self.parameterBatches(reviews.map(\.id)) {
            try await streamRows("SELECT review_id, user_id, role FROM review_participants WHERE review_id IN (\(binds: batch)) ORDER BY position") { row in
                let id = try row.uuid("review_id")
                let person = ReviewParticipant(userID: try row.uuid("user_id"), role: ParticipantRole(rawValue: try row.string("role")) ?? .participant)
                participants.withLockedValue { $0[id, default: []].append(person) }
            }
            try await streamRows("SELECT review_id, team_slug FROM review_teams WHERE review_id IN (\(binds: batch)) ORDER BY position") { row in
                let id = try row.uuid("review_id"), slug = try row.string("team_slug")
                teams.withLockedValue { $0[id, default: []].append(slug) }
            }
        }
        let (p, t) = (participants.withLockedValue { $0 }, teams.withLockedValue { $0 })
        return reviews.map { r in
            var r = r
            r.participants = p[r.id] ?? []
            r.teams = t[r.id] ?? []
            return r
        }
    }

    // MARK: Findings

    public func findings(reviewID: UUID, viewer: Viewer) async throws -> [Finding] {
        guard let seen = try await seenReview(id: reviewID, viewer: viewer) else { throw StoreError.notFound("Review") }
        return try await findings(of: seen)
    }

    public func findings(of seen: SeenReview) async throws -> [Finding] {
        let reviewID = seen.review.id, viewer = seen.viewer
        let found = try await FindingRow.query(on: db).filter(\.$reviewID == reviewID).sort(\.$createdAt).all().map(Self.finding)
        let sources = Set(found.compactMap(\.promotedFromReviewID))
        if sources.isEmpty { return found }
        let seen = Set(try await visible(try await readReviews("WHERE r.id IN (\(binds: Array(sources)))"), viewer: viewer).map(\.id))
        return found.map { f in f.promotedFromReviewID.map(seen.contains) == false ? f.hidingSource() : f }
    }

    @discardableResult
    public func addFinding(reviewID: UUID, kind: FindingKind, text: String, by actor: Viewer, now: Date = Date()) async throws -> Finding {
        guard let review = try await review(id: reviewID, viewer: actor) else { throw StoreError.notFound("Review") }
        guard ReviewAccess.canEdit(review, viewer: actor) else { throw StoreError.forbidden("Only the review's participants can add findings.") }
        var v = Validator()
        let t = v.requireText(text, field: "text", label: "Finding", max: Limits.longText)
        try v.check()
        let f = Finding(reviewID: reviewID, kind: kind, text: t, createdBy: actor.userID, createdAt: now.ms)
        try await insert(f)
        return f
    }

    /// Copies a finding up to the review that gathers its review.
    @discardableResult
    public func promoteFinding(id: UUID, by actor: Viewer, now: Date = Date()) async throws -> Finding {
        try await transaction { store in
            guard let row = try await FindingRow.find(id, on: store.db),
                  let source = try await store.review(id: row.reviewID, viewer: actor) else { throw StoreError.notFound("Finding") }
            // The wider review is loaded through the promoter's access rule
            // too: its visibility may have narrowed since the gathering.
            guard let parentID = source.parentReviewID, let target = try await store.review(id: parentID, viewer: actor) else {
                throw ValidationError(field: "targetReviewId", code: "not_above", message: "This review has not been gathered into a wider review you can see; there is nowhere to promote to.")
            }
            if try await FindingRow.query(on: store.db).filter(\.$promotedFromID == id).filter(\.$reviewID == parentID).count() > 0 {
                throw ValidationError(field: "findingId", code: "already_promoted", message: "This finding has already been promoted.")
            }
            let copy = try FindingPromotion.promote(Self.finding(row), from: source, to: target, by: actor.userID, now: now)
            try await store.insert(copy)
            return copy
        }
    }

    func insert(_ f: Finding) async throws {
        let row = FindingRow()
        row.id = f.id
        row.reviewID = f.reviewID
        row.kind = f.kind.rawValue
        row.text = f.text
        row.createdBy = f.createdBy
        row.createdAt = f.createdAt
        row.promotedFromID = f.promotedFromID
        row.promotedFromReviewID = f.promotedFromReviewID
        try await row.create(on: db)
    }

    static func finding(_ r: FindingRow) -> Finding {
        Finding(id: r.id!, reviewID: r.reviewID, kind: FindingKind(rawValue: r.kind) ?? .learning, text: r.text, createdBy: r.createdBy,
                createdAt: r.createdAt.ms, promotedFromID: r.promotedFromID, promotedFromReviewID: r.promotedFromReviewID)
    }
}

extension ReviewRow {
    /// Every column from the review (not the id, which a new row is given).
    func copy(_ r: Review) {
        incidentID = r.incidentID
        title = r.title
        level = r.level.rawValue
        visibility = r.visibility.rawValue
        withoutManagers = r.withoutManagers
        parentReviewID = r.parentReviewID
        status = r.status.rawValue
        facilitatorID = r.facilitatorID
        meetingAt = r.meetingAt
        summary = r.text(.summary)
        whatHappened = r.text(.whatHappened)
        contributingFactors = r.text(.contributingFactors)
        whatWentWell = r.text(.whatWentWell)
        whereWeGotLucky = r.text(.whereWeGotLucky)
        surprises = r.text(.surprises)
        openQuestions = r.text(.openQuestions)
        customerImpact = r.text(.customerImpact)
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        heldAt = r.heldAt
        publishedAt = r.publishedAt
    }
}

extension ReviewParticipantRow {
    /// The review's participants, in order.
    static func rows(of r: Review) -> [ReviewParticipantRow] {
        r.participants.enumerated().map { i, p in
            let row = ReviewParticipantRow()
            row.reviewID = r.id
            row.userID = p.userID
            row.role = p.role.rawValue
            row.position = i
            return row
        }
    }
}

extension ReviewTeamRow {
    /// The review's teams, in order.
    static func rows(of r: Review) -> [ReviewTeamRow] {
        r.teams.enumerated().map { i, t in
            let row = ReviewTeamRow()
            row.reviewID = r.id
            row.teamSlug = t
            row.position = i
            return row
        }
    }
}

extension LoreStore {
    /// What a review export holds: the review (already checked for this
    /// viewer), its incident and timeline, the findings the viewer may see
    /// and the review's follow-ups.
    public func reviewDocument(_ review: Review, incident: Incident, viewer: Viewer, timeZone: TimeZone, now: Date) async throws -> ReviewDocument {
        ReviewDocument(
            incident: incident, review: review, timeline: try await timeline(incidentID: incident.id),
            findings: try await findings(reviewID: review.id, viewer: viewer), followUps: try await followUps(reviewID: review.id),
            timeZone: timeZone, exportedAt: now)
    }
}

extension LoreStore {
    /// The same document for the command line, which runs as the operator
    /// of the database and sees every review; nil when there is no such review.
    public func reviewDocumentForOperator(reviewID: UUID, timeZone: TimeZone, now: Date) async throws -> ReviewDocument? {
        guard let review = try await readReviews("WHERE r.id = \(bind: reviewID)").first,
              let incident = try await incident(id: review.incidentID) else { return nil }
        let findings = try await FindingRow.query(on: db).filter(\.$reviewID == reviewID).sort(\.$createdAt).all().map(Self.finding)
        return ReviewDocument(
            incident: incident, review: review, timeline: try await timeline(incidentID: incident.id), findings: findings,
            followUps: try await followUps(reviewID: review.id), timeZone: timeZone, exportedAt: now)
    }
}

/// A review as read for a viewer the store found may see it. Only the store
/// makes one (`seenReview(id:viewer:)`), so a method that takes one need
/// not check again.
public struct SeenReview: Sendable {
    public let review: Review
    let viewer: Viewer
}

