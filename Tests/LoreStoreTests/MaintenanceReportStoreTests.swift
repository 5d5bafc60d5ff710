import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

/// The maintenance report from what was recorded: incidents and their
/// minutes per service and quarter, follow-ups done by the tags of the
/// factors they answered, recurrences, and links to later incidents; and
/// nothing counted from a review the reader may not see.
@Suite struct MaintenanceReportStoreTests {
    @Test(arguments: Backend.available) func countsWhatWasRecorded(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            let admin = try await store.viewer(for: f.admin)
            func incident(_ title: String, _ start: String, minutes: Double) async throws -> Incident {
                try await store.createIncident(IncidentInput(title: title, severity: "SEV3", status: .resolved, services: ["checkout-api"], teams: ["payments"],
                    detectionSource: "monitoring alert", impactStartedAt: .some(t(start)), resolvedAt: .some(t(start).addingTimeInterval(minutes * 60))))
            }
            let a = try await incident("Disk full", "2026-02-10T10:00:00Z", minutes: 30)
            let b = try await incident("Disk full again", "2026-05-03T10:00:00Z", minutes: 90)
            let c = try await incident("Slow checkout", "2026-05-20T10:00:00Z", minutes: 15)
            for (i, visibility) in [(a, ReviewVisibility.organisation), (b, .organisation), (c, .participants)] {
                let r = try await store.createReview(incidentID: i.id, ReviewInput(title: "Review \(i.key)", level: .team, visibility: visibility,
                    teams: ["payments"], status: .held, participantIDs: [f.admin.id]), by: admin)
                let factor = try await store.addFinding(reviewID: r.id, kind: .contributingFactor, text: "No alert before the disk filled.", by: admin)
                try await store.setFindingTags(findingID: factor.id, tags: ["capacity"], by: admin)
                if i.id == a.id {
                    let fu = try await store.createFollowUp(incidentID: a.id, reviewID: r.id, FollowUpInput(title: "Alert at 80 %", ownerTeam: "payments", service: "checkout-api"), by: admin)
                    _ = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .done), by: admin, now: t("2026-03-01T09:00:00Z"))
                    try await store.linkFollowUp(fu.id, toIncident: b.key, effect: .shortened, note: "the alert fired this time", by: f.admin, now: t("2026-05-04T09:00:00Z"))
                }
            }
            let report = try await store.maintenanceReport(since: t("2026-01-01T00:00:00Z"), until: t("2026-07-01T00:00:00Z"), viewer: admin)
            let q1 = try #require(report.rows.first { $0.quarter.description == "2026-Q1" && $0.service == "checkout-api" })
            #expect(q1.incidents == 1 && q1.incidentMinutes == 30 && q1.followUpsDone == 1 && q1.doneByTag == ["capacity": 1])
            let q2 = try #require(report.rows.first { $0.quarter.description == "2026-Q2" && $0.service == "checkout-api" })
            #expect(q2.incidents == 2 && q2.incidentMinutes == 105 && q2.followUpsDone == 0)
            // The admin takes part in every review: all three incidents recur on capacity.
            #expect(report.recurrences.map(\.incidentKeys) == [[a.key, b.key, c.key]])
            #expect(report.links.map(\.incidentKey) == [b.key])

            // An incident of two services is a row of each, and one incident of its quarter.
            _ = try await store.createIncident(IncidentInput(title: "Both down", severity: "SEV2", status: .resolved, services: ["checkout-api", "ledger"], teams: ["payments"],
                detectionSource: "monitoring alert", impactStartedAt: .some(t("2026-06-30T23:30:00Z")), resolvedAt: .some(t("2026-07-01T00:10:00Z"))))
            let withBoth = try await store.maintenanceReport(since: t("2026-01-01T00:00:00Z"), until: t("2026-07-01T00:00:00Z"), viewer: admin)
            #expect(withBoth.rows.filter { $0.quarter.description == "2026-Q2" }.map(\.incidents).reduce(0, +) == 4)
            #expect(withBoth.totals.first { $0.quarter.description == "2026-Q2" }?.incidents == 3)
            #expect(withBoth.totals.first { $0.quarter.description == "2026-Q2" }?.minutes == 145)

            // Mo may not see c's review: its tag does not count.
            let mo = try await store.viewer(for: f.member)
            let seen = try await store.maintenanceReport(since: t("2026-01-01T00:00:00Z"), until: t("2026-07-01T00:00:00Z"), viewer: mo)
            #expect(seen.recurrences.map(\.incidentKeys) == [[a.key, b.key]])
            #expect(seen.rows == withBoth.rows, "incidents and follow-ups of visible reviews count the same")
        }
    }

    /// What a new incident's page offers to point back at: unfinished
    /// follow-ups of earlier incidents on its services, newest first, at
    /// most the page's limit, whatever the size of the history behind them.
    @Test(arguments: Backend.available) func earlierFollowUpsOfferedNewestFirst(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            let admin = try await store.viewer(for: f.admin)
            func incident(_ title: String, _ at: String, service: String) async throws -> Incident {
                try await store.createIncident(IncidentInput(title: title, severity: "SEV3", status: .resolved, services: [service], teams: ["payments"],
                    detectionSource: "monitoring alert"), now: t(at))
            }
            let old = try await incident("Disk full", "2026-02-10T10:00:00Z", service: "checkout-api")
            let other = try await incident("Search slow", "2026-02-11T10:00:00Z", service: f.ledger.slug)
            var offered: [String] = []
            for day in 1...6 {
                let at = t("2026-03-0\(day)T09:00:00Z")
                let fu = try await store.createFollowUp(incidentID: old.id, FollowUpInput(title: "Step \(day)", ownerTeam: "payments", service: "checkout-api"), by: admin, now: at)
                if day == 3 { _ = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .done), by: admin, now: at) }
                else if day == 4 { _ = try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .notNecessary, reason: "The alert already covers it."), by: admin, now: at); offered.append(fu.title) }
                else { offered.append(fu.title) }
            }
            _ = try await store.createFollowUp(incidentID: other.id, FollowUpInput(title: "Other service", ownerTeam: "payments", service: f.ledger.slug), by: admin, now: t("2026-03-07T09:00:00Z"))
            let later = try await incident("Disk full again", "2026-05-03T10:00:00Z", service: "checkout-api")
            let candidates = try await store.earlierFollowUpCandidates(for: later, viewer: admin)
            #expect(candidates.map(\.title) == offered.reversed())
            #expect(candidates.allSatisfy { $0.incidentKey == old.key })
            #expect(try await store.earlierFollowUpCandidates(for: later, viewer: admin, limit: 2).map(\.title) == ["Step 6", "Step 5"])
            // An incident that came before the follow-ups' incident is offered none of them.
            let before = try await incident("Earliest", "2026-01-01T10:00:00Z", service: "checkout-api")
            #expect(try await store.earlierFollowUpCandidates(for: before, viewer: admin).isEmpty)
        }
    }
}
