import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The maintenance report as a page and through the API.
@Suite("Maintenance report on the web")
struct MaintenanceWebTests {
    @Test(arguments: Backend.available) func pageAndAPI(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let admin = try await store.viewer(for: f.admin)
            var keys: [String] = []
            for (title, start) in [("Disk full", "2026-02-10T10:00:00Z"), ("Disk full again", "2026-05-03T10:00:00Z")] {
                let i = try await store.createIncident(IncidentInput(title: title, severity: "SEV3", status: .resolved, services: ["checkout-api"], teams: ["payments"],
                    detectionSource: "monitoring alert", impactStartedAt: .some(t(start)), resolvedAt: .some(t(start).addingTimeInterval(1800))))
                let r = try await store.createReview(incidentID: i.id, ReviewInput(title: "Review", level: .team, visibility: .organisation, teams: ["payments"],
                    status: .held, participantIDs: [f.admin.id]), by: admin)
                let factor = try await store.addFinding(reviewID: r.id, kind: .contributingFactor, text: "No disk alert.", by: admin)
                try await store.setFindingTags(findingID: factor.id, tags: ["capacity"], by: admin)
                keys.append(i.key)
            }
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let page = try await b.get("/reports/maintenance?since=2026-01-01&until=2026-06-30")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("2026-Q1") && page.text.contains("2026-Q2"))
            #expect(page.text.contains("capacity: 2 incidents") && page.text.contains(keys[0]) && page.text.contains("What the numbers can and cannot show"))
            #expect(try await b.get("/reports/maintenance?since=yesterday").status == .unprocessableContent)

            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "t")
            let api = APIClient(client: client, token: token)
            let json = try await api.call(.get, "/reports/maintenance?since=2026-01-01&until=2026-06-30")
            #expect(json.status == .ok)
            let rows = try #require(json.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["quarter"] as? String } == ["2026-Q1", "2026-Q2"])
            #expect(rows.allSatisfy { ($0["incidentMinutes"] as? Int) == 30 })
            #expect((json.json["recurrences"] as? [[String: Any]])?.first?["incidents"] as? [String] == keys)
            #expect(try await api.call(.get, "/reports/maintenance?until=2026-01-01&since=2026-06-01").status == .unprocessableContent)
        }
    }
}
