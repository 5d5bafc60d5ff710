import FluentKit
import NIOConcurrencyHelpers
import SQLKit
import Foundation
import LoreCore

/// A ballot as one person may see it. Until the ballot closes nobody sees
/// anyone else's picks or a running tally — only who has voted — so that the
/// ranking is independent, not anchored on the loudest voice.
public struct BallotView: Sendable {
    public var id: UUID
    public var reviewID: UUID
    public var status: BallotStatus
    public var rules: BallotRules
    public var openedAt: Date
    public var closedAt: Date?
    public var candidates: [BallotCandidate]
    /// Who has voted (never what).
    public var voters: [UUID]
    /// The viewer's own picks, in order.
    public var myPicks: [UUID]
    /// Only once closed.
    public var tally: Tally?
    public var readings: [FollowThroughReading]
}

extension LoreStore {
    /// Opens the ranking over the review's follow-ups. Only the facilitator
    /// opens it, once per review.
    @discardableResult
    public func openBallot(reviewID: UUID, by actor: Viewer, now: Date = Date()) async throws -> BallotView {
        try await transaction { store in
            guard let review = try await store.review(id: reviewID, viewer: actor) else { throw StoreError.notFound("Review") }
            guard ReviewAccess.isFacilitator(review, viewer: actor) else { throw StoreError.forbidden("Only the facilitator opens the ballot.") }
            if try await BallotRow.query(on: store.db).filter(\.$reviewID == reviewID).count() > 0 {
                throw ValidationError(field: "ballot", code: "exists", message: "This review already has a ballot.")
            }
            let candidates = try await store.followUps(reviewID: reviewID).filter { !$0.status.isClosed }
            guard !candidates.isEmpty else {
                throw ValidationError(field: "ballot", code: "no_candidates", message: "List the candidate follow-ups first; there is nothing open to rank.")
            }
            let rules = try await store.settings().practice.ballot
            let row = BallotRow()
            row.reviewID = reviewID
            row.status = BallotStatus.open.rawValue
            row.picksPerVoter = rules.picksPerVoter
            row.focusSize = rules.focusSize
            row.openedBy = actor.userID
            row.openedAt = now.ms
            try await row.create(on: store.db)
            for (i, f) in candidates.enumerated() {
                let c = BallotCandidateRow()
                c.ballotID = row.id!
                c.followUpID = f.id
                c.position = i
                try await c.create(on: store.db)
            }
            return try await store.ballotView(row, viewer: actor)
        }
    }

    /// The review's ballot as the viewer may see it; nil when there is none.
    public func ballot(reviewID: UUID, viewer: Viewer) async throws -> BallotView? {
        guard let seen = try await seenReview(id: reviewID, viewer: viewer) else { throw StoreError.notFound("Review") }
        return try await ballot(of: seen)
    }

    public func ballot(of seen: SeenReview) async throws -> BallotView? {
        guard let row = try await BallotRow.query(on: db).filter(\.$reviewID == seen.review.id).first() else { return nil }
        return try await ballotView(row, viewer: seen.viewer)
    }

    /// The ballot as the command line sees it: like anyone, no one's picks,
    /// and a tally only once closed.
    public func ballotForOperator(reviewID: UUID) async throws -> BallotView? {
        guard let row = try await BallotRow.query(on: db).filter(\.$reviewID == reviewID).first() else { return nil }
        return try await ballotView(row, viewer: Viewer(userID: UUID(), isAdmin: false, memberships: []))
    }

    /// Every closed ballot's readings, for the follow-through report, oldest
    /// first, in one query.
    public func followThroughReadings(since: Date?) async throws -> [(reviewID: UUID, ballotID: UUID, reading: FollowThroughReading)] {
        try await followThroughReadings(since: since, visibleTo: .everything)
    }

    /// The readings of ballots in reviews `access` may see, taken since
    /// `since` (by the reading's own moment), oldest first.
    func followThroughReadings(since: Date?, visibleTo access: ReviewScope, newest limit: Int? = nil) async throws -> [(reviewID: UUID, ballotID: UUID, reading: FollowThroughReading)] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var q: SQLQueryString = """
            SELECT b.review_id, b.id AS ballot_id, ft.reading FROM follow_through_readings ft JOIN ballots b ON b.id = ft.ballot_id
            WHERE b.status = \(bind: BallotStatus.closed.rawValue)
            """
        if let since { q += " AND ft.taken_at >= \(bind: since)" }
        for c in Self.visibleReview("b.review_id", access) { q += " AND " + c }
        q += " ORDER BY ft.taken_at " + (limit == nil ? "ASC" : "DESC") + ", ft.day"
        if let limit { q += " LIMIT \(literal: limit)" }
        var out: [(UUID, UUID, FollowThroughReading)] = []
        for row in try await sql.raw(q).all() {
            guard let reading = try? JSONDecoder().decode(FollowThroughReading.self, from: Data(try row.decode(column: "reading", as: String.self).utf8)) else { continue }
            if let since, reading.takenAt < since { continue }
            out.append((try row.decode(column: "review_id", as: UUID.self), try row.decode(column: "ballot_id", as: UUID.self), reading))
        }
        return limit == nil ? out : out.reversed()
    }

    /// Records (or replaces) the actor's ordered picks. Participants only,
    /// while the ballot is open.
    @discardableResult
    public func vote(reviewID: UUID, picks: [UUID], by actor: Viewer, now: Date = Date()) async throws -> BallotView {
        try await transaction { store in
            guard let review = try await store.review(id: reviewID, viewer: actor) else { throw StoreError.notFound("Review") }
            guard let row = try await BallotRow.query(on: store.db).filter(\.$reviewID == reviewID).first() else { throw StoreError.notFound("Ballot") }
            guard review.participants.contains(where: { $0.userID == actor.userID && $0.role != .observer }) else {
                throw StoreError.forbidden("Only the review's participants vote.")
            }
            guard row.status == BallotStatus.open.rawValue else {
                throw ValidationError(field: "picks", code: "closed", message: "The ballot is closed; picks can no longer change.")
            }
            let rules = BallotRules(picksPerVoter: row.picksPerVoter, focusSize: row.focusSize)
            try BallotPicks.validate(picks, candidates: try await store.candidates(ballotID: row.id!), rules: rules)
            try await BallotPickRow.query(on: store.db).filter(\.$ballotID == row.id!).filter(\.$voterID == actor.userID).delete()
            for (i, id) in picks.enumerated() {
                let p = BallotPickRow()
                p.ballotID = row.id!
                p.voterID = actor.userID
                p.followUpID = id
                p.position = i
                try await p.create(on: store.db)
            }
            let voter = try await BallotVoterRow.query(on: store.db).filter(\.$ballotID == row.id!).filter(\.$voterID == actor.userID).first()
            if picks.isEmpty {
                try await voter?.delete(on: store.db)
            } else if let voter {
                voter.votedAt = now.ms
                try await voter.update(on: store.db)
            } else {
                let v = BallotVoterRow()
                v.ballotID = row.id!
                v.voterID = actor.userID
                v.votedAt = now.ms
                try await v.create(on: store.db)
            }
            return try await store.ballotView(row, viewer: actor)
        }
    }

    /// Closes the ballot and stores the tally, which then never changes. The
    /// top K become the review's focus.
    @discardableResult
    public func closeBallot(reviewID: UUID, by actor: Viewer, now: Date = Date()) async throws -> BallotView {
        try await transaction { store in
            guard let review = try await store.review(id: reviewID, viewer: actor) else { throw StoreError.notFound("Review") }
            guard ReviewAccess.isFacilitator(review, viewer: actor) else { throw StoreError.forbidden("Only the facilitator closes the ballot.") }
            guard let row = try await BallotRow.query(on: store.db).filter(\.$reviewID == reviewID).first() else { throw StoreError.notFound("Ballot") }
            guard row.status == BallotStatus.open.rawValue else {
                throw ValidationError(field: "ballot", code: "closed", message: "The ballot is already closed.")
            }
            // Only the people taking part when the ballot closes are counted:
            // the picks of someone removed from the review since they voted
            // are dropped (not kept hidden), and the review's history says
            // whose and why.
            let eligible = Set(review.participants.filter { $0.role != .observer }.map(\.userID))
            let allPicks = try await BallotPickRow.query(on: store.db).filter(\.$ballotID == row.id!).sort(\.$position).all()
            let dropped = Set(allPicks.map(\.voterID)).subtracting(eligible)
            if !dropped.isEmpty {
                try await BallotPickRow.query(on: store.db).filter(\.$ballotID == row.id!).filter(\.$voterID ~~ Array(dropped)).delete()
                try await BallotVoterRow.query(on: store.db).filter(\.$ballotID == row.id!).filter(\.$voterID ~~ Array(dropped)).delete()
                let names = try await dropped.asyncMapAll { try await store.user(id: $0)?.displayName ?? "a former participant" }.sorted()
                try await store.recordAudit(AuditEvent(
                    at: now, actorID: actor.userID, actorName: try await store.user(id: actor.userID)?.displayName ?? "",
                    action: .ballotPicksDropped, subjectType: "review", subjectID: reviewID.uuidString,
                    detail: "Picks of \(names.joined(separator: ", ")) were dropped: no longer \(names.count == 1 ? "a participant" : "participants") when the ballot closed."))
            }
            let picks = allPicks.filter { !dropped.contains($0.voterID) }
            let ballots = Dictionary(grouping: picks, by: \.voterID).values.map { $0.sorted { $0.position < $1.position }.map(\.followUpID) }
            let tally = Tally.compute(candidates: try await store.candidates(ballotID: row.id!), ballots: ballots, rules: BallotRules(picksPerVoter: row.picksPerVoter, focusSize: row.focusSize))
            for r in tally.rows {
                let result = BallotResultRow()
                result.ballotID = row.id!
                result.followUpID = r.followUpID
                result.rank = r.rank
                result.points = r.points
                result.pickers = r.pickers
                result.picksByPosition = r.picksByPosition
                result.isFocus = r.isFocus
                try await result.create(on: store.db)
            }
            row.status = BallotStatus.closed.rawValue
            row.closedAt = now.ms
            try await row.update(on: store.db)
            try await store.recordAudit(AuditEvent(
                at: now, actorID: actor.userID, actorName: try await store.user(id: actor.userID)?.displayName ?? "",
                action: .ballotClosed, subjectType: "review", subjectID: reviewID.uuidString,
                detail: "\(Set(picks.map(\.voterID)).count) of \(eligible.count) participants voted."))
            return try await store.ballotView(row, viewer: actor)
        }
    }

    /// The focus follow-ups of a review (nil until its ballot closes).
    public func focus(reviewID: UUID) async throws -> Set<UUID>? {
        try await focus(reviewIDs: [reviewID])[reviewID]
    }

    /// The focus follow-ups of each of these reviews whose ballot has
    /// closed, in one query per batch of ids.
    public func focus(reviewIDs: [UUID]) async throws -> [UUID: Set<UUID>] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var out: [UUID: Set<UUID>] = [:]
        for batch in Self.parameterBatches(reviewIDs) {
            let rows = try await sql.raw("""
                SELECT b.review_id, x.follow_up_id FROM ballots b LEFT JOIN ballot_results x ON x.ballot_id = b.id AND x.is_focus = \(bind: true)
                WHERE b.status = \(bind: BallotStatus.closed.rawValue) AND b.review_id IN (\(binds: batch))
                """).all()
            for row in rows {
                let review = try row.decode(column: "review_id", as: UUID.self)
                var focus = out[review] ?? []
                if let f = try row.decodeNil(column: "follow_up_id") ? nil : row.decode(column: "follow_up_id", as: UUID.self) { focus.insert(f) }
                out[review] = focus
            }
        }
        return out
    }

    /// Takes the follow-through reading for a checkpoint day, once.
    @discardableResult
    public func takeFollowThroughReading(ballotID: UUID, day: Int, now: Date = Date()) async throws -> FollowThroughReading? {
        try await transaction { store in
            guard let row = try await BallotRow.find(ballotID, on: store.db), row.status == BallotStatus.closed.rawValue else { return nil }
            if let existing = try await FollowThroughRow.query(on: store.db).filter(\.$ballotID == ballotID).filter(\.$day == day).first() {
                return try JSONDecoder().decode(FollowThroughReading.self, from: Data(existing.reading.utf8))
            }
            let candidateIDs = Set(try await BallotCandidateRow.query(on: store.db).filter(\.$ballotID == ballotID).all().map(\.followUpID))
            let followUps = try await store.followUps(reviewID: row.reviewID).filter { candidateIDs.contains($0.id) }
            let focus = try await store.focus(reviewID: row.reviewID) ?? []
            let reading = FollowThroughReading.take(day: day, at: now.ms, followUps: followUps, focus: focus)
            let r = FollowThroughRow()
            r.ballotID = ballotID
            r.day = day
            r.takenAt = now.ms
            r.reading = String(decoding: try JSONEncoder().encode(reading), as: UTF8.self)
            try await r.create(on: store.db)
            return reading
        }
    }

    /// The candidates in their order, with their follow-ups' titles.
    func candidates(ballotID: UUID) async throws -> [BallotCandidate] {
        let read = NIOLockedValueBox<[BallotCandidate]>([])
        try await streamRows("""
            SELECT c.follow_up_id, f.created_at, f.title FROM ballot_candidates c JOIN follow_ups f ON f.id = c.follow_up_id
            WHERE c.ballot_id = \(bind: ballotID) ORDER BY c.position
            """) { row in
            let c = BallotCandidate(followUpID: try row.uuid("follow_up_id"), createdAt: (try row.date("created_at") ?? .distantPast).ms, title: try row.string("title"))
            read.withLockedValue { $0.append(c) }
        }
        return read.withLockedValue { $0 }
    }

    /// The ballot as `viewer` sees it: their own picks, who voted, and once
    /// closed the tally. Read with named columns, a statement per part: the
    /// review page reads it on every view, and decoding the rows as Fluent
    /// models (by reflection) was a tenth of that page's time.
    func ballotView(_ row: BallotRow, viewer: Viewer) async throws -> BallotView {
        let id = row.id!
        let closed = row.status == BallotStatus.closed.rawValue
        let mine = try await ids("SELECT follow_up_id AS id FROM ballot_picks WHERE ballot_id = \(bind: id) AND voter_id = \(bind: viewer.userID) ORDER BY position")
        let voters = try await ids("SELECT voter_id AS id FROM ballot_voters WHERE ballot_id = \(bind: id) ORDER BY voted_at")
        let candidates = try await candidates(ballotID: id)
        var tally: Tally?
        if closed {
            let titles = Dictionary(uniqueKeysWithValues: candidates.map { ($0.followUpID, $0.title) })
            let rows = NIOLockedValueBox<[TallyRow]>([])
            try await streamRows("SELECT follow_up_id, rank, points, pickers, picks_by_position, is_focus FROM ballot_results WHERE ballot_id = \(bind: id) ORDER BY rank") { r in
                let followUp = try r.uuid("follow_up_id")
                let tallied = TallyRow(followUpID: followUp, title: titles[followUp] ?? "", points: try r.int("points"), pickers: try r.int("pickers"),
                                       picksByPosition: try r.ints("picks_by_position"), rank: try r.int("rank"), isFocus: try r.bool("is_focus"))
                rows.withLockedValue { $0.append(tallied) }
            }
            tally = Tally(rows: rows.withLockedValue { $0 }, voterCount: voters.count)
        }
        let readings = NIOLockedValueBox<[FollowThroughReading]>([])
        try await streamRows("SELECT reading FROM follow_through_readings WHERE ballot_id = \(bind: id) ORDER BY day") { r in
            if let reading = try? JSONDecoder().decode(FollowThroughReading.self, from: Data(try r.string("reading").utf8)) {
                readings.withLockedValue { $0.append(reading) }
            }
        }
        return BallotView(
            id: id, reviewID: row.reviewID, status: BallotStatus(rawValue: row.status) ?? .open,
            rules: BallotRules(picksPerVoter: row.picksPerVoter, focusSize: row.focusSize), openedAt: row.openedAt.ms, closedAt: row.closedAt.ms,
            candidates: candidates, voters: voters, myPicks: mine, tally: tally, readings: readings.withLockedValue { $0 })
    }

}
