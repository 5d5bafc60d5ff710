import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// People for the review-practice tests: a pair of responders, their
/// manager, an outsider and an admin.
struct Cast {
    var f: Fixture
    var ana: User, ben: User, manager: User, outsider: User
    var incident: Incident

    static func make(_ store: LoreStore) async throws -> Cast {
        let f = try await Fixture.make(store)
        let ana = try await store.createUser(UserInput(displayName: "Ana Responder", email: "ana@example.com"))
        let ben = try await store.createUser(UserInput(displayName: "Ben Responder", email: "ben@example.com"))
        let manager = try await store.createUser(UserInput(displayName: "Maya Manager", email: "maya@example.com"))
        let outsider = try await store.createUser(UserInput(displayName: "Otto Outsider", email: "otto@example.com"))
        try await store.setMembership(teamSlug: "payments", userID: ana.id, role: .member)
        try await store.setMembership(teamSlug: "payments", userID: ben.id, role: .member)
        try await store.setMembership(teamSlug: "payments", userID: manager.id, role: .manager)
        try await store.setMembership(teamSlug: "payments", userID: f.member.id, role: .member)
        try await store.setMembership(teamSlug: "platform", userID: outsider.id, role: .member)
        let incident = try await store.createIncident(IncidentInput(
            title: "Ledger writes failing", severity: "SEV2", status: .resolved, services: ["checkout-api"], teams: ["payments"],
            detectionSource: "monitoring alert", detectedAt: .some(t("2026-03-01T10:00:00Z")), resolvedAt: .some(t("2026-03-01T12:00:00Z"))),
            now: t("2026-03-01T13:00:00Z"))
        return Cast(f: f, ana: ana, ben: ben, manager: manager, outsider: outsider, incident: incident)
    }

    func viewer(_ store: LoreStore, _ u: User) async throws -> Viewer { try await store.viewer(for: u) }
}

@Suite("Reviews at levels of trust")
struct ReviewLevelStoreTests {
    @Test(arguments: Backend.available)
    func visibilityFollowsLevelTeamAndManagers(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let pair = try await store.createReview(incidentID: c.incident.id, ReviewInput(title: "Ana and Ben", level: .pair, participantIDs: [c.ana.id, c.ben.id]), by: ana)
            let team = try await store.createReview(incidentID: c.incident.id, ReviewInput(title: "Payments", level: .team, teams: ["payments"], withoutManagers: true, participantIDs: [c.ana.id, c.ben.id, c.f.member.id]), by: ana)
            #expect(pair.visibility == .participants && team.visibility == .team)
            #expect(pair.facilitatorID == c.ana.id)

            func sees(_ u: User) async throws -> Set<UUID> { Set(try await store.reviews(incidentID: c.incident.id, viewer: try await c.viewer(store, u)).map(\.id)) }
            #expect(try await sees(c.ben) == [pair.id, team.id])
            #expect(try await sees(c.manager) == [])          // without managers, not yet published
            #expect(try await sees(c.outsider) == [])         // other team
            #expect(try await sees(c.f.admin) == [])          // admins do not see private reviews by default
            #expect(try await store.review(id: pair.id, viewer: try await c.viewer(store, c.manager)) == nil)
            #expect(try await store.allReviews(viewer: try await c.viewer(store, c.outsider)).isEmpty)

            try await store.updateReview(id: team.id, ReviewInput(status: .published), by: ana)
            #expect(try await sees(c.manager) == [team.id])   // published: the managers see it now
            #expect(try await sees(c.f.member) == [team.id])  // a team member who was not in the pair

            var s = try await store.settings()
            s.practice.adminsSeeAllReviews = true
            try await store.saveSettings(s)
            #expect(try await sees(c.f.admin) == [pair.id, team.id])

            // Someone who cannot see it cannot change it either: it does not exist for them.
            await #expect(throws: StoreError.self) {
                try await store.updateReview(id: pair.id, ReviewInput(title: "hijacked"), by: try await c.viewer(store, c.outsider))
            }
        }
    }

    @Test(arguments: Backend.available)
    func aJointReviewGathersNarrowerOnesAndFindingsMoveUpOnlyByChoice(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let joint = try await store.createReview(incidentID: c.incident.id, ReviewInput(title: "Joint", level: .joint, teams: ["payments", "platform"], facilitatorID: .some(c.outsider.id), participantIDs: [c.outsider.id, c.ana.id]), by: ana)
            #expect(joint.facilitatorID == c.outsider.id)  // an outside facilitator
            let pair = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .pair, participantIDs: [c.ana.id, c.ben.id]), parentReviewID: joint.id, by: ana)
            #expect(pair.parentReviewID == joint.id)
            let finding = try await store.addFinding(reviewID: pair.id, kind: .surprise, text: "Retries doubled the load", by: ana)
            #expect(try await store.findings(reviewID: joint.id, viewer: ana).isEmpty)  // nothing moves up by itself

            // Not a participant of the pair review: cannot promote (and cannot even see it).
            await #expect(throws: StoreError.self) { try await store.promoteFinding(id: finding.id, by: try await c.viewer(store, c.outsider)) }
            let promoted = try await store.promoteFinding(id: finding.id, by: ana)
            #expect(promoted.reviewID == joint.id && promoted.promotedFromID == finding.id && promoted.promotedFromReviewID == pair.id)
            #expect(try await store.findings(reviewID: joint.id, viewer: try await c.viewer(store, c.outsider)).map(\.text) == ["Retries doubled the load"])
            await #expect(throws: ValidationError.self) { try await store.promoteFinding(id: finding.id, by: ana) }

            // A review can only be gathered into a wider one.
            let team = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .team, teams: ["payments"]), by: ana)
            await #expect(throws: ValidationError.self) { try await store.setParent(reviewID: team.id, parentReviewID: pair.id, by: ana) }
            await #expect(throws: ValidationError.self) { try await store.setParent(reviewID: joint.id, parentReviewID: team.id, by: ana) }
            try await store.setParent(reviewID: team.id, parentReviewID: joint.id, by: ana)
            #expect(Set(try await store.childReviews(of: joint.id, viewer: ana).map(\.id)) == [pair.id, team.id])
            // Promoting from a review with no wider one is refused.
            let orphan = try await store.addFinding(reviewID: joint.id, kind: .learning, text: "x", by: ana)
            await #expect(throws: ValidationError.self) { try await store.promoteFinding(id: orphan.id, by: ana) }
        }
    }
}

@Suite("Honest follow-ups and the ballot")
struct FollowUpBallotStoreTests {
    @Test(arguments: Backend.available)
    func decisionsNeedAReasonOrAPlanAndAreKeptAsHistory(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let review = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .team, teams: ["payments"]), by: ana)
            let fu = try await store.createFollowUp(incidentID: c.incident.id, reviewID: review.id, FollowUpInput(title: "Cap retries", ownerTeam: "payments"), by: ana, now: t("2026-03-02T10:00:00Z"))
            let e = await #expect(throws: ValidationError.self) {
                try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .notNecessary), by: ana)
            }
            #expect(e?.issues.first?.field == "reason")
            #expect(try await store.followUp(id: fu.id)?.status == .open)
            await #expect(throws: ValidationError.self) { try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .foldedIntoPlan), by: ana) }
            let dropped = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .notNecessary, reason: "The client already caps retries"), by: ana, now: t("2026-03-05T10:00:00Z"))
            #expect(dropped.decidedBy == c.ana.id && dropped.decidedAt == t("2026-03-05T10:00:00Z") && dropped.closedAt == t("2026-03-05T10:00:00Z"))
            let folded = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .foldedIntoPlan, plan: "Q3 resilience plan"), by: ana, now: t("2026-03-06T10:00:00Z"))
            #expect(folded.plan == "Q3 resilience plan" && folded.status.isClosed)
            let history = try await store.history(followUpID: fu.id)
            #expect(history.map(\.to) == [.open, .notNecessary, .foldedIntoPlan])
            #expect(history[1].from == .open && history[1].reason == "The client already caps retries" && history[1].by == c.ana.id)
            // Follow-ups of a review one may not see are not there.
            #expect(try await store.followUp(id: fu.id, viewer: try await c.viewer(store, c.outsider)) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func ballotsAreSecretUntilClosedThenRankedAndFrozen(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana), ben = try await c.viewer(store, c.ben), mo = try await c.viewer(store, c.f.member)
            let review = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .team, teams: ["payments"], participantIDs: [c.ana.id, c.ben.id, c.f.member.id]), by: ana)
            let ids: [UUID] = try await ["Alert on saturation", "Cap retries", "Runbook for failover", "Load test ledger"].enumerated().asyncMapAll { n, title in
                try await store.createFollowUp(incidentID: c.incident.id, reviewID: review.id, FollowUpInput(title: title, ownerTeam: "payments"), by: ana, now: t("2026-03-02T10:0\(n):00Z")).id
            }
            await #expect(throws: StoreError.self) { try await store.openBallot(reviewID: review.id, by: ben) }  // not the facilitator
            let opened = try await store.openBallot(reviewID: review.id, by: ana)
            #expect(opened.candidates.count == 4 && opened.tally == nil)

            // Bad picks are refused and change nothing.
            let other = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .team, teams: ["payments"]), by: ana)
            let foreign = try await store.createFollowUp(incidentID: c.incident.id, reviewID: other.id, FollowUpInput(title: "Elsewhere", ownerTeam: "payments"), by: ana)
            await #expect(throws: ValidationError.self) { try await store.vote(reviewID: review.id, picks: [ids[0], ids[1], ids[2], ids[3]], by: ben) }
            await #expect(throws: ValidationError.self) { try await store.vote(reviewID: review.id, picks: [ids[0], ids[0]], by: ben) }
            await #expect(throws: ValidationError.self) { try await store.vote(reviewID: review.id, picks: [foreign.id], by: ben) }
            await #expect(throws: StoreError.self) { try await store.vote(reviewID: review.id, picks: [ids[0]], by: try await c.viewer(store, c.manager)) }

            // Three participants vote at the same moment.
            async let v1 = store.vote(reviewID: review.id, picks: [ids[1], ids[0], ids[2]], by: ana)
            async let v2 = store.vote(reviewID: review.id, picks: [ids[1], ids[2]], by: ben)
            async let v3 = store.vote(reviewID: review.id, picks: [ids[0], ids[1], ids[3]], by: mo)
            _ = try await (v1, v2, v3)

            // Nobody, not even the facilitator, sees anyone else's picks or a tally before close.
            let seenByAna = try #require(try await store.ballot(reviewID: review.id, viewer: ana))
            #expect(seenByAna.myPicks == [ids[1], ids[0], ids[2]])
            #expect(seenByAna.tally == nil)
            #expect(Set(seenByAna.voters) == [c.ana.id, c.ben.id, c.f.member.id])
            #expect(try await store.ballot(reviewID: review.id, viewer: ben)?.myPicks == [ids[1], ids[2]])
            var adminSettings = try await store.settings()
            adminSettings.practice.adminsSeeAllReviews = true
            try await store.saveSettings(adminSettings)
            let seenByAdmin = try #require(try await store.ballot(reviewID: review.id, viewer: try await c.viewer(store, c.f.admin)))
            #expect(seenByAdmin.myPicks.isEmpty && seenByAdmin.tally == nil)

            // Changing one's mind is allowed while open.
            try await store.vote(reviewID: review.id, picks: [ids[1], ids[2], ids[0]], by: ben)

            await #expect(throws: StoreError.self) { try await store.closeBallot(reviewID: review.id, by: ben) }
            let closed = try await store.closeBallot(reviewID: review.id, by: ana, now: t("2026-03-03T10:00:00Z"))
            let tally = try #require(closed.tally)
            // ana: 1→3, 0→2, 2→1; ben: 1→3, 2→2, 0→1; mo: 0→3, 1→2, 3→1
            #expect(tally.rows.map(\.followUpID) == [ids[1], ids[0], ids[2], ids[3]])
            #expect(tally.rows.map(\.points) == [8, 6, 3, 1])
            #expect(tally.rows.map(\.pickers) == [3, 3, 2, 1])
            #expect(tally.rows.map(\.picksByPosition) == [[2, 1, 0], [1, 1, 1], [0, 1, 1], [0, 0, 1]])
            #expect(Set(tally.focus) == Set(ids))  // K = 5 > 4 candidates with points
            #expect(try await store.focus(reviewID: review.id) == Set(ids))
            await #expect(throws: ValidationError.self) { try await store.vote(reviewID: review.id, picks: [ids[3]], by: ben) }
            await #expect(throws: ValidationError.self) { try await store.closeBallot(reviewID: review.id, by: ana) }
            #expect(try await store.ballot(reviewID: review.id, viewer: ben)?.tally == tally)

            // Follow-through at day 14.
            try await store.updateFollowUp(id: ids[3], FollowUpInput(status: .done), by: ana, now: t("2026-03-10T10:00:00Z"))
            let reading = try #require(try await store.takeFollowThroughReading(ballotID: closed.id, day: 14, now: t("2026-03-17T10:00:00Z")))
            #expect(reading.focusClosed == 1 && reading.focusTotal == 4)
            let again = try await store.takeFollowThroughReading(ballotID: closed.id, day: 14, now: t("2026-03-20T10:00:00Z"))
            #expect(again == reading)  // taken once
            #expect(try await store.ballot(reviewID: review.id, viewer: ben)?.readings == [reading])
        }
    }
}
