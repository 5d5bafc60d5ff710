import Foundation
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("Insights page, CSV and API")
struct InsightsWebTests {
    /// A member opens Insights, switches to services, follows a dot, gets
    /// the CSV and the same numbers through the API; a review they may not
    /// open is counted but never named or linked.
    @Test(arguments: Backend.available)
    func aMemberSeesTheNumbersButNotTheReviewsTheyMayNotOpen(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let start = t("2026-03-02T09:00:00Z")
            var keys: [String] = []
            for i in 0..<6 {
                let s = start.addingTimeInterval(Double(i) * 86_400)
                let incident = try await store.createIncident(IncidentInput(
                    title: i == 5 ? "Ledger <b>stalled</b>" : "Checkout errors \(i)", severity: "SEV2", status: .resolved,
                    services: [i % 2 == 0 ? "checkout-api" : "ledger"], detectionSource: i < 3 ? "customer support" : "monitoring alert",
                    impactStartedAt: .some(s), detectedAt: .some(s.addingTimeInterval(Double(600 * (i + 1)))),
                    mitigatedAt: .some(s.addingTimeInterval(7200)), resolvedAt: .some(s.addingTimeInterval(Double(3600 * (i + 2))))
                ), now: s)
                keys.append(incident.key)
            }
            // The longest incident (INC-6) has a review held without the member.
            let admin = try await store.viewer(for: f.admin)
            let longest = try #require(try await store.incident(key: keys[5]))
            _ = try await store.createReview(incidentID: longest.id, ReviewInput(title: "Secret ledger review", level: .pair, visibility: .participants, participantIDs: [f.admin.id]), by: admin)

            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let query = "since=2026-01-01&until=2026-06-30&measure=to-resolve"
            let page = try await b.get("/insights?\(query)&by=service")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("href=\"/incidents/\(keys[0])\""))  // a dot leads to its incident
            #expect(page.text.contains("Ledger &lt;b&gt;stalled&lt;/b&gt;"))
            #expect(!page.text.contains("<b>stalled"))
            #expect(!page.text.contains("Secret ledger review"))
            #expect(page.text.contains("not targets"))
            #expect(!page.text.lowercased().contains("mean"))

            let csv = try await b.get("/insights/durations.csv?\(query)")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 7)
            #expect(lines[1].hasPrefix("\(keys[0]),Checkout errors 0,2026-03-02T09:00:00.000Z,resolved,SEV2,customer support,checkout-api,,600.000,,7200.000,7200.000,to-acknowledge: "))

            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "insights")
            let api = APIClient(client: client, token: token)
            let json = try await api.call(.get, "/insights?\(query)").json
            let whole = try #require(json["whole"] as? [String: Any])
            #expect(whole["incidentCount"] as? Int == 6)
            let all = try #require(whole["all"] as? [String: Any])
            let resolve = try #require(all["toResolve"] as? [String: Any])
            #expect(resolve["median"] as? Double == 4.5 * 3600)  // 2, 3, … 7 h: type-7 median
            let listed = try #require(json["longest"] as? [[String: Any]])
            #expect(listed.first?["key"] as? String == keys[5])
            #expect((listed.first?["reviews"] as? [Any])?.isEmpty == true)  // counted, never named

            let adminToken = try await store.createAPIToken(userID: f.admin.id, name: "insights").0
            let asAdmin = try await APIClient(client: client, token: adminToken).call(.get, "/insights?\(query)").json
            let reviews = (asAdmin["longest"] as? [[String: Any]])?.first?["reviews"] as? [[String: Any]]
            #expect(reviews?.first?["title"] as? String == "Secret ledger review")
        }
    }

    /// Bad input names the parameter, on the page and through the API alike.
    @Test func badParametersAreNamedOnThePageAndInTheAPI() async throws {
        try await withApp { client, store, f in
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let page = try await b.get("/insights?by=colour")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("<strong>by</strong>"))
            #expect(try await b.get("/insights?since=2026-07-01&until=2026-01-01").status == .unprocessableContent)

            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "insights")
            let api = APIClient(client: client, token: token)
            for (query, field) in [("by=colour", "by"), ("since=2026-07-01&until=2026-01-01", "since"), ("since=last+tuesday", "since"),
                                   ("until=2026-02-30", "until"), ("measure=mttr", "measure"), ("split=week", "split"),
                                   ("earlier=2019-Q1", "earlier"), ("colour=red", "colour"), ("mitigatedWithin=0", "mitigatedWithin")] {
                let r = try await api.call(.get, "/insights?\(query)")
                #expect(r.status == .unprocessableContent, "\(query)")
                #expect((r.json["error"] as? [String: Any])?["field"] as? String == field, "\(query): \(r.text)")
            }
        }
    }
}
