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

    /// A review the member may not open still counts in practice health:
    /// its open wording findings and its ballot's focus follow-through are
    /// totalled, and neither names it. A phrase kept as written is not open.
    @Test(arguments: Backend.available)
    func practiceHealthCountsFollowThroughAndOpenWordingWithoutNamingTheReview(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let s = t("2026-03-02T09:00:00Z")
            let incident = try await store.createIncident(IncidentInput(
                title: "Ledger stalled", severity: "SEV2", status: .resolved, detectionSource: "monitoring alert",
                impactStartedAt: .some(s), detectedAt: .some(s.addingTimeInterval(300)), resolvedAt: .some(s.addingTimeInterval(3600))
            ), now: s)
            let admin = try await store.viewer(for: f.admin)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Secret ledger review", level: .pair, visibility: .participants, participantIDs: [f.admin.id],
                sections: [.summary: "The outage was caused by human error. The operator should have checked the replica lag first."]
            ), by: admin, now: s.addingTimeInterval(7200))
            let ids = try await ["Alert on replica lag", "Runbook for failover", "Cap retries"].asyncMapAll { title in
                try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: title, ownerTeam: "payments"), by: admin, now: s.addingTimeInterval(7200)).id
            }
            _ = try await store.openBallot(reviewID: review.id, by: admin, now: s.addingTimeInterval(7300))
            try await store.vote(reviewID: review.id, picks: [ids[0]], by: admin, now: s.addingTimeInterval(7400))
            let closed = try await store.closeBallot(reviewID: review.id, by: admin, now: s.addingTimeInterval(7500))
            try await store.updateFollowUp(id: ids[2], FollowUpInput(status: .done), by: admin, now: s.addingTimeInterval(86_400))
            _ = try await store.takeFollowThroughReading(ballotID: closed.id, day: 14, now: s.addingTimeInterval(15 * 86_400))

            let query = "since=2026-01-01&until=2026-06-30"
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "insights")
            let api = APIClient(client: client, token: token)
            func practice() async throws -> [String: Any] {
                let json = try await api.call(.get, "/insights?\(query)").json
                return try #require((json["whole"] as? [String: Any])?["practice"] as? [String: Any])
            }
            let before = try await practice()
            let checkpoints = try #require(before["followThrough"] as? [[String: Any]])
            #expect(checkpoints.count == 1)
            #expect(checkpoints.first?["day"] as? Int == 14)
            #expect(checkpoints.first?["focusTotal"] as? Int == 1 && checkpoints.first?["focusClosed"] as? Int == 0)
            #expect(checkpoints.first?["othersTotal"] as? Int == 2 && checkpoints.first?["othersClosed"] as? Int == 1)
            let wording = try #require(before["wording"] as? [String: Any])
            #expect(wording["reviewsChecked"] as? Int == 1)
            let open = try #require(wording["openFindings"] as? Int)
            #expect(open >= 2, "human error and should have: \(wording)")

            // Keeping one phrase as written closes it; the count follows.
            try await store.keepAsWritten(reviewID: review.id, section: "summary", ruleID: "error-label", matchedText: "human error", note: "quoting the ticket", by: admin)
            let after = try #require(try await practice()["wording"] as? [String: Any])
            #expect(after["openFindings"] as? Int == open - 1, "\(after)")

            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let page = try await b.get("/insights?\(query)")
            #expect(page.text.contains("At 14 days (1 ballot): 0 of 1 (0 %) focus item closed, 1 of 2 (50 %) others."))
            #expect(page.text.contains("open wording finding"))
            #expect(!page.text.contains("Secret ledger review"))
            #expect(!page.text.contains("Alert on replica lag"))
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
