import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

@Suite("A service's history, from the store")
struct ServiceHistoryStoreTests {
    /// The service page's facts: incidents of the year and ever, findings and
    /// follow-ups only from reviews the viewer may open, contributing
    /// factors that come back, the teams on its incidents.
    @Test(arguments: Backend.available)
    func everythingAboutAServiceThatTheViewerMaySee(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)  // INC-1 "Ledger writes failing" on checkout-api, 2026-03-01
            let now = t("2026-06-01T00:00:00Z")
            let ana = try await c.viewer(store, c.ana), outsider = try await c.viewer(store, c.outsider)
            let old = try await store.createIncident(IncidentInput(
                title: "Checkout retries stormed the ledger", severity: "SEV1", status: .resolved, services: ["checkout-api", "ledger"], teams: ["platform"],
                detectionSource: "customer support", detectedAt: .some(t("2024-02-01T10:00:00Z")), resolvedAt: .some(t("2024-02-01T12:00:00Z"))), now: t("2024-02-02T00:00:00Z"))
            _ = try await store.createIncident(IncidentInput(
                title: "Ledger only", severity: "SEV3", status: .resolved, services: ["ledger"], detectionSource: "monitoring alert",
                detectedAt: .some(t("2026-04-01T10:00:00Z")), resolvedAt: .some(t("2026-04-01T11:00:00Z"))), now: t("2026-04-02T00:00:00Z"))

            // An organisation-wide review of the old incident; a pair review of INC-1 that the outsider may not open.
            let open = try await store.createReview(incidentID: old.id, ReviewInput(title: "Retry storm", level: .joint), by: ana)
            _ = try await store.addFinding(reviewID: open.id, kind: .contributingFactor, text: "Client retries without backoff", by: ana)
            _ = try await store.addFinding(reviewID: open.id, kind: .learning, text: "Dashboards hid the retry rate", by: ana)
            let pair = try await store.createReview(incidentID: c.incident.id, ReviewInput(title: "Ana and Ben", level: .pair, participantIDs: [c.ana.id, c.ben.id]), by: ana)
            _ = try await store.addFinding(reviewID: pair.id, kind: .contributingFactor, text: "Retries again, secret-marker-7731", by: ana)
            _ = try await store.createFollowUp(incidentID: c.incident.id, reviewID: pair.id, FollowUpInput(title: "Hidden follow-up secret-marker-7731", ownerTeam: "payments"), by: ana)
            let due = try await store.createFollowUp(incidentID: old.id, FollowUpInput(title: "Add backoff to the client", ownerTeam: "payments", dueDate: .some(t("2026-05-01T00:00:00Z"))))
            let named = try await store.createFollowUp(incidentID: old.id, FollowUpInput(title: "Ledger alert on retry rate", ownerTeam: "platform", service: .some("checkout-api")))
            let closed = try await store.createFollowUp(incidentID: old.id, FollowUpInput(title: "Runbook for retry storms", ownerTeam: "payments"))
            _ = try await store.updateFollowUp(id: closed.id, FollowUpInput(status: .done), now: t("2026-05-20T00:00:00Z"))

            let seenByAna = try #require(try await store.serviceHistory(slug: "checkout-api", viewer: ana, now: now))
            #expect(seenByAna.service.name == "Checkout API")
            #expect(seenByAna.incidentCount == 2 && seenByAna.incidentsInPeriod == 1)
            #expect(seenByAna.incidents.map(\.number) == [c.incident.number])
            #expect(Set(seenByAna.learned.map(\.text)) == ["Client retries without backoff", "Dashboards hid the retry rate", "Retries again, secret-marker-7731"])
            #expect(seenByAna.recurringFactors.map(\.word).contains("retries"))
            #expect(seenByAna.openFollowUps.map(\.title) == [due.title, "Hidden follow-up secret-marker-7731", named.title])
            #expect(seenByAna.recentlyClosedFollowUps.map(\.title) == [closed.title])
            #expect(seenByAna.incidentNumbers[due.incidentID] == old.number)
            #expect(seenByAna.teams == [ServiceHistory.TeamCount(team: "payments", incidents: 1)])

            // The outsider sees the incidents and the open review, nothing of the pair review.
            let seenByOutsider = try #require(try await store.serviceHistory(slug: "checkout-api", viewer: outsider, now: now))
            #expect(seenByOutsider.incidentCount == 2)
            #expect(!seenByOutsider.learned.contains { $0.text.contains("secret-marker-7731") })
            #expect(!seenByOutsider.openFollowUps.contains { $0.title.contains("secret-marker-7731") })
            #expect(seenByOutsider.learned.count == 2)
            #expect(seenByOutsider.recurringFactors.isEmpty)  // one incident's factor is not a pattern

            #expect(try await store.serviceHistory(slug: "no-such-service", viewer: ana, now: now) == nil)
        }
    }
}
