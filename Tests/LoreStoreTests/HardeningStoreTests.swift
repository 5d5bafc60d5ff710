import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// The defects found by probing Lore from outside (issue 10), each as the
/// store must answer it on both databases.
@Suite("Hardening: writes that name other objects, ballots, timeline removal")
struct HardeningStoreTests {
    /// A manager kept out of a review held without managers cannot name it
    /// as the wider review of a new one: the answer is the same as for an id
    /// that does not exist (no oracle), nothing is written, and nothing can
    /// then be promoted into it.
    @Test(arguments: Backend.available)
    func aHiddenReviewCannotBeNamedAsAParent(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana), maya = try await c.viewer(store, c.manager), ben = try await c.viewer(store, c.ben)
            let hidden = try await store.createReview(incidentID: c.incident.id, ReviewInput(title: "Joint, no managers", level: .joint, teams: ["payments"], withoutManagers: true, participantIDs: [c.ana.id]), by: ana)
            #expect(try await store.review(id: hidden.id, viewer: maya) == nil)

            let before = try await store.reviewsForOperator(incidentID: c.incident.id).count
            let forHidden = await #expect(throws: ValidationError.self) {
                try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .pair), parentReviewID: hidden.id, by: maya)
            }
            let forRandom = await #expect(throws: ValidationError.self) {
                try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .pair), parentReviewID: UUID(), by: maya)
            }
            #expect(forHidden?.issues == forRandom?.issues)
            #expect(forHidden?.issues.first?.field == "parentReviewId")
            #expect(try await store.reviewsForOperator(incidentID: c.incident.id).count == before)

            // Ben can see the joint review (organisation-wide once it drops the
            // no-managers rule? no: it is still without managers, but Ben is
            // not a manager) yet is not a participant: he may not gather into it.
            #expect(try await store.review(id: hidden.id, viewer: ben) != nil)
            await #expect(throws: StoreError.self) {
                try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .pair), parentReviewID: hidden.id, by: ben)
            }
            #expect(try await store.reviewsForOperator(incidentID: c.incident.id).count == before)
            #expect(try await store.findings(reviewID: hidden.id, viewer: ana).isEmpty)
        }
    }

    /// Promoted findings say where they came from only to those who may see
    /// the narrower review.
    @Test(arguments: Backend.available)
    func promotedFindingsHideTheirSourceFromThoseWhoCannotSeeIt(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana), otto = try await c.viewer(store, c.outsider)
            let joint = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .joint, teams: ["payments", "platform"], participantIDs: [c.ana.id]), by: ana)
            let pair = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .pair, participantIDs: [c.ana.id, c.ben.id]), parentReviewID: joint.id, by: ana)
            let finding = try await store.addFinding(reviewID: pair.id, kind: .learning, text: "Retries amplified the outage", by: ana)
            try await store.promoteFinding(id: finding.id, by: ana)

            let seenByAna = try #require(try await store.findings(reviewID: joint.id, viewer: ana).first)
            #expect(seenByAna.isPromoted && seenByAna.promotedFromReviewID == pair.id && seenByAna.promotedFromID == finding.id)
            let seenByOtto = try #require(try await store.findings(reviewID: joint.id, viewer: otto).first)
            #expect(seenByOtto.text == "Retries amplified the outage")
            #expect(seenByOtto.isPromoted && seenByOtto.promotedFromReviewID == nil && seenByOtto.promotedFromID == nil)
        }
    }

    /// Picks of a participant removed before the ballot closes are dropped,
    /// and the review's history says whose.
    @Test(arguments: Backend.available)
    func picksOfSomeoneRemovedBeforeCloseAreDroppedAndRecorded(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana), ben = try await c.viewer(store, c.ben), mo = try await c.viewer(store, c.f.member)
            let review = try await store.createReview(incidentID: c.incident.id, ReviewInput(level: .team, teams: ["payments"], participantIDs: [c.ana.id, c.ben.id, c.f.member.id]), by: ana)
            var ids: [UUID] = []
            for (n, title) in ["Alert on saturation", "Cap retries", "Runbook"].enumerated() {
                ids.append(try await store.createFollowUp(incidentID: c.incident.id, reviewID: review.id, FollowUpInput(title: title, ownerTeam: "payments"), by: ana, now: t("2026-03-02T10:0\(n):00Z")).id)
            }
            try await store.openBallot(reviewID: review.id, by: ana)
            try await store.vote(reviewID: review.id, picks: [ids[0]], by: ana)
            try await store.vote(reviewID: review.id, picks: [ids[2], ids[1]], by: ben)
            try await store.vote(reviewID: review.id, picks: [ids[2]], by: mo)
            // Ben leaves the review before it closes.
            try await store.updateReview(id: review.id, ReviewInput(participantIDs: [c.ana.id, c.f.member.id]), by: ana)
            let closed = try await store.closeBallot(reviewID: review.id, by: ana, now: t("2026-03-03T10:00:00Z"))
            let tally = try #require(closed.tally)
            #expect(tally.voterCount == 2)
            #expect(Set(closed.voters) == [c.ana.id, c.f.member.id])
            // Without Ben: runbook 3 (mo), alert 3 (ana); Ben's 2 points for "Cap retries" are gone.
            #expect(tally.rows.first { $0.followUpID == ids[1] }?.points == 0)
            #expect(tally.rows.first { $0.followUpID == ids[2] }?.points == 3)

            let history = try await store.reviewHistory(reviewID: review.id, viewer: ana)
            let dropped = try #require(history.first { $0.action == .ballotPicksDropped })
            #expect(dropped.detail?.contains("Ben Responder") == true)
            #expect(history.contains { $0.action == .ballotClosed })
            // The history is as private as the review.
            await #expect(throws: StoreError.self) { try await store.reviewHistory(reviewID: review.id, viewer: try await c.viewer(store, c.outsider)) }
        }
    }

    /// Members remove what they wrote; someone else's entry or an imported one
    /// needs a facilitator of one of the incident's reviews or an admin.
    /// Removal leaves a tombstone, can be undone, and survives re-import.
    @Test(arguments: Backend.available)
    func timelineRemovalIsLimitedKeptAsATombstoneAndSurvivesReimport(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana), ben = try await c.viewer(store, c.ben), admin = try await c.viewer(store, c.f.admin)
            let i = c.incident.id
            let anas = TimelineEntry(incidentID: i, occurredAt: t("2026-03-01T10:01:00Z"), recordedAt: t("2026-03-01T10:02:00Z"), author: "Ana", authorUserID: c.ana.id, source: .manual, kind: .action, text: "Restarted the ledger")
            let paged = TimelineEntry(incidentID: i, occurredAt: t("2026-03-01T10:00:00Z"), recordedAt: t("2026-03-01T10:00:00Z"), author: "PagerDuty", source: .pagerduty, kind: .alert, text: "Triggered", externalID: "PD-1")
            try await store.addTimelineEntry(anas)
            try await store.importTimeline([paged])

            await #expect(throws: StoreError.self) { try await store.removeTimelineEntry(id: anas.id, incidentID: i, by: ben) }
            await #expect(throws: StoreError.self) { try await store.removeTimelineEntry(id: paged.id, incidentID: i, by: ana) }
            await #expect(throws: StoreError.self) { try await store.removeTimelineEntry(id: anas.id, incidentID: UUID(), by: admin) }
            #expect(try await store.timeline(incidentID: i).count == 2)

            // The author may take back her own entry, and put it back.
            let removed = try await store.removeTimelineEntry(id: anas.id, incidentID: i, by: ana, now: t("2026-03-02T09:00:00Z"))
            #expect(removed.removal == TimelineRemoval(at: t("2026-03-02T09:00:00Z"), byUserID: c.ana.id, byName: "Ana Responder"))
            #expect(try await store.timeline(incidentID: i).map(\.text) == ["Triggered"])
            #expect(try await store.removedTimeline(incidentID: i).map(\.id) == [anas.id])
            await #expect(throws: StoreError.self) { try await store.restoreTimelineEntry(id: anas.id, incidentID: i, by: ben) }
            try await store.restoreTimelineEntry(id: anas.id, incidentID: i, by: ana)
            #expect(try await store.timeline(incidentID: i).count == 2)
            #expect(try await store.timeline(incidentID: i).allSatisfy { $0.removal == nil })

            // Ben facilitates a review of the incident: he may remove the imported entry.
            try await store.createReview(incidentID: i, ReviewInput(level: .pair, participantIDs: [c.ben.id]), by: ben)
            try await store.removeTimelineEntry(id: paged.id, incidentID: i, by: ben)
            #expect(try await store.timeline(incidentID: i).map(\.text) == ["Restarted the ledger"])
            // Importing the same PagerDuty event again does not bring it back.
            let again = try await store.importTimeline([TimelineEntry(incidentID: i, occurredAt: paged.occurredAt, recordedAt: Date(), author: "PagerDuty", source: .pagerduty, kind: .alert, text: "Triggered", externalID: "PD-1")])
            #expect(again.added == 0)
            #expect(try await store.timeline(incidentID: i).map(\.text) == ["Restarted the ledger"])
            // Admins may restore anything; the audit log has each step.
            try await store.restoreTimelineEntry(id: paged.id, incidentID: i, by: admin)
            let log = try await store.auditEvents(AuditFilter(subjectType: "timeline_entry"), viewer: admin)
            #expect(log.map(\.action) == [.timelineEntryRestored, .timelineEntryRemoved, .timelineEntryRestored, .timelineEntryRemoved])
            await #expect(throws: StoreError.self) { try await store.auditEvents(AuditFilter(), viewer: ana) }
        }
    }
}

@Suite("The audit log in the store")
struct AuditStoreTests {
    /// Each administrative change is one row naming who, what, from and to;
    /// rows older than the retention period are the only ones ever deleted.
    @Test(arguments: Backend.available)
    func administrativeChangesAreRecordedAndOldRowsExpire(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            let ada = AuditActor(f.admin, address: "192.0.2.10")
            var settings = try await store.settings()
            settings.reviewWindowHours = 48
            try await store.saveSettings(settings, by: ada)
            try await store.saveSettings(settings, by: ada)  // no change, no row
            try await store.setMembership(teamSlug: "payments", userID: f.member.id, role: .manager, by: ada)
            try await store.updateUser(id: f.member.id, displayName: nil, timeZone: nil, role: .admin, by: ada)
            try await store.addPagerDutySubscription(name: "production", secret: nil, by: ada)
            try await store.setPagerDutySecret(name: "production", secret: "s3cret-s3cret", by: ada)
            try await store.removePagerDutySubscription(name: "production", by: ada)
            let (hook, _) = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: "https://hooks.example.com/lore", format: .json, secret: nil), by: ada)
            try await store.deleteWebhookEndpoint(id: hook.id)  // from the command line

            let log = try await store.auditEvents(AuditFilter(), viewer: try await store.viewer(for: f.admin)).reversed().filter { $0.subjectType != "user" || $0.action != .tokenCreated }
            #expect(log.map(\.action) == [.settingsChanged, .membershipChanged, .roleChanged, .pagerDutySubscriptionAdded, .pagerDutySecretChanged, .pagerDutySubscriptionRemoved, .webhookAdded, .webhookRemoved])
            #expect(log[0].detail == "review window 72 → 48 h" && log[0].address == "192.0.2.10" && log[0].actorName == "Ada Admin")
            #expect(log[1].from == "not a member" && log[1].to == "manager" && log[1].detail == "team payments")
            #expect(log[2].from == "member" && log[2].to == "admin")
            #expect(log.last?.actorName == "command line" && log.last?.actorID == nil)

            let admin = try await store.viewer(for: f.admin)
            try await store.pruneAudit(olderThanDays: 400, now: Date().addingTimeInterval(399 * 86_400))
            #expect(try await store.auditEvents(AuditFilter(), viewer: admin).count == log.count)
            try await store.pruneAudit(olderThanDays: 400, now: Date().addingTimeInterval(401 * 86_400))
            #expect(try await store.auditEvents(AuditFilter(), viewer: admin).isEmpty)
        }
    }
}
