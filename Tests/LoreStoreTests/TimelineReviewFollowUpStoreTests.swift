import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

@Suite("Timeline, review and follow-ups in the store")
struct TimelineReviewFollowUpStoreTests {
    @Test(arguments: Backend.available)
    func timelineIsInTimeOrderAndImportsAreIdempotent(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            let i = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
            let later = TimelineEntry(incidentID: i.id, occurredAt: t("2026-03-01T10:05:00Z"), recordedAt: t("2026-03-01T10:06:00Z"), author: "Mo", source: .manual, kind: .action, text: "Rolled back")
            let earlier = TimelineEntry(incidentID: i.id, occurredAt: t("2026-03-01T10:00:00Z"), recordedAt: t("2026-03-04T10:00:00Z"), author: "Ada", authorUserID: f.admin.id, source: .manual, kind: .observation, text: "Saw 500s", reflection: "The dashboard only showed p50, so it looked fine")
            try await store.addTimelineEntry(later)
            try await store.addTimelineEntry(earlier)
            let pd = TimelineEntry(incidentID: i.id, occurredAt: t("2026-03-01T09:59:00Z"), recordedAt: t("2026-03-01T09:59:01Z"), author: "PagerDuty", source: .pagerduty, kind: .alert, text: "Triggered", externalID: "PD-EVENT-1")
            let first = try await store.addTimelineEntry(pd)
            let again = try await store.addTimelineEntry(TimelineEntry(incidentID: i.id, occurredAt: pd.occurredAt, recordedAt: Date(), author: "PagerDuty", source: .pagerduty, kind: .alert, text: "Triggered (again)", externalID: "PD-EVENT-1"))
            #expect(first.created && !again.created)
            #expect(again.entry.id == first.entry.id)
            let timeline = try await store.timeline(incidentID: i.id)
            #expect(timeline.map(\.text) == ["Triggered", "Saw 500s", "Rolled back"])
            #expect(timeline[1].reflection == "The dashboard only showed p50, so it looked fine")
            #expect(timeline[1].authorUserID == f.admin.id)
            try await store.removeTimelineEntry(id: timeline[2].id, incidentID: i.id, by: try await store.viewer(for: f.admin))
            #expect(try await store.timeline(incidentID: i.id).count == 2)
        }
    }

    @Test(arguments: Backend.available)
    func followUpsNeedAnOwnerTeamAndRecordClosing(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            let i = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
            let e = await #expect(throws: ValidationError.self) {
                try await store.createFollowUp(incidentID: i.id, FollowUpInput(title: "Add alerting on p99"))
            }
            #expect(e?.issues.first?.field == "ownerTeam")
            let fu = try await store.createFollowUp(incidentID: i.id, FollowUpInput(
                title: "Add alerting on p99", ownerTeam: "payments", ownerUserID: .some(f.member.id), service: .some("checkout-api"),
                trackerReference: .some("OPS-42")), now: t("2026-03-02T00:00:00Z"))
            #expect(fu.status == .open && fu.closedAt == nil)
            let done = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .done), now: t("2026-03-10T00:00:00Z"))
            #expect(done.closedAt == t("2026-03-10T00:00:00Z"))
            #expect(done.title == "Add alerting on p99" && done.trackerReference == "OPS-42")
            let reopened = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .inProgress))
            #expect(reopened.closedAt == nil)
            await #expect(throws: ValidationError.self) {
                try await store.updateFollowUp(id: fu.id, FollowUpInput(trackerReference: .some("javascript:alert(1)")))
            }
            #expect(try await store.followUps(incidentID: i.id).count == 1)
        }
    }
}

@Suite("Timeline imports")
struct TimelineImportStoreTests {
    @Test(arguments: Backend.available)
    func importsLandWholeAndOnlyOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let i = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
            func row(_ at: String, _ text: String) -> TimelineEntry {
                TimelineEntry(incidentID: i.id, occurredAt: t(at), recordedAt: t("2026-03-05T00:00:00Z"), author: "Ana", source: .csv, kind: .note, text: text,
                              externalID: ImportIdentity.rowID(incidentID: i.id, occurredAt: t(at), author: "Ana", text: text))
            }
            let rows = [row("2026-03-01T10:00:00Z", "Alert"), row("2026-03-01T10:05:00Z", "Rollback")]
            #expect(try await store.importTimeline(rows) == (2, 0))
            #expect(try await store.importTimeline(rows + [row("2026-03-01T10:09:00Z", "Recovered")]) == (1, 2))
            // A row for an incident that does not exist fails the whole import.
            var orphan = row("2026-03-01T11:00:00Z", "Orphan")
            orphan.incidentID = UUID()
            await #expect(throws: StoreError.self) { try await store.importTimeline([row("2026-03-01T10:30:00Z", "Valid"), orphan]) }
            #expect(try await store.timeline(incidentID: i.id).map(\.text) == ["Alert", "Rollback", "Recovered"])
        }
    }
}
