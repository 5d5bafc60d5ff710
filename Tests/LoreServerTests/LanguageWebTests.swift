import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("Wording advice in the review editor and the API")
struct LanguageWebTests {
    /// The dashboard reads counts kept on each review; they follow the
    /// review's text, the phrases kept as written and the people Lore knows
    /// (a name becomes a person once someone by that name joins).
    @Test(arguments: Backend.available) func dashboardWordingCountsFollowTextKeptPhrasesAndPeople(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let incident = try await store.createIncident(IncidentInput(title: "Checkout down", severity: "SEV2", detectionSource: "other"))
            let admin = try await store.viewer(for: f.admin)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Checkout review", level: .joint, visibility: .organisation, participantIDs: [f.admin.id],
                sections: [.summary: "Zed Zulu pushed the bad config. The outage was caused by human error."]), by: admin)
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            func open() async throws -> Int? {
                let page = try await b.get("/dashboard").text
                guard let r = page.range(of: #"(\d+) open suggestion\(s\)"#, options: .regularExpression) else { return nil }
                return Int(page[r].prefix { $0.isNumber })
            }
            let before = try #require(try await open())
            _ = try await store.createUser(UserInput(displayName: "Zed Zulu", email: "zed@example.com"))
            let known = try #require(try await open())
            #expect(known > before, "naming a known person is flagged once Lore knows them: \(before) → \(known)")
            try await store.keepAsWritten(reviewID: review.id, section: "summary", ruleID: "error-label", matchedText: "human error", note: "quoting", by: admin)
            #expect(try await open() == known - 1)
            _ = try await store.updateReview(id: review.id, ReviewInput(sections: [.summary: "The config push reached every region at once."]), by: admin)
            #expect(try await open() == nil)
            #expect(try await b.get("/dashboard").text.contains("No open wording suggestions."))
        }
    }

    /// The background work keeps the stored counts current, so the first
    /// dashboard view after the people change does not count every review.
    @Test(arguments: Backend.available) func backgroundWorkCountsWordingAgainWhenThePeopleChange(backend: Backend) async throws {
        try await withApp(backend) { _, store, f in
            let incident = try await store.createIncident(IncidentInput(title: "Queue backlog", severity: "SEV3", detectionSource: "other"))
            let admin = try await store.viewer(for: f.admin)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Queue review", level: .joint, visibility: .organisation, participantIDs: [f.admin.id],
                sections: [.summary: "Yan Yankee pushed the bad queue config. It was human error."]), by: admin)
            func stored() async throws -> Int? {
                try await store.reviewsWithOpenWording(viewer: admin, limit: 10).items.first { $0.review.id == review.id }?.open
            }
            #expect(try await stored() == nil, "nothing has counted this review yet")
            let work = BackgroundWork(store: store, worker: "w", language: try LanguageSupport.load(rulesFile: nil, logger: Logger(label: "test")))
            try await work.tick()
            let before = try #require(try await stored())
            _ = try await store.createUser(UserInput(displayName: "Yan Yankee", email: "yan@example.com"))
            try await work.tick()
            await work.shutdown()
            let after = try #require(try await stored())
            #expect(after > before, "a name becomes a person once someone by that name joins: \(before) → \(after)")
        }
    }

    @Test(arguments: Backend.available) func findingsAppearNextToTheTextCanBeKeptAndAreCounted(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            try await b.post("/incidents", [("title", "Disk full"), ("severity", "SEV3"), ("detectionSource", "other")])
            let created = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("visibility", "organisation"),
                ("summary", "Mo Member should have rotated the logs. It was human error."),
                ("surprises", "> “It's all on me,” he wrote in chat.\n\nThe disk graph was not on the dashboard."),
            ])
            let path = try #require(created.location)  // saving is never blocked
            var page = try await b.get(path).text
            #expect(page.contains("should have"))
            #expect(page.contains("Try: "))
            #expect(page.contains("2 open suggestion(s)"))
            #expect(!page.contains("“all on me”"))  // the quoted chat line is not flagged

            // Preview on the edit form shows findings without saving.
            let preview = try await b.post(path, [("preview", "1"), ("whatWentWell", "Obviously the rollback was quick.")])
            #expect(preview.status == .ok && preview.text.contains("Obviously"))
            #expect(try await b.get(path).text.contains("Obviously") == false)

            // Keep one as written.
            let kept = try await b.post(path + "/language/keep", [("section", "summary"), ("ruleId", "error-label"), ("matchedText", "human error"), ("note", "quoting the vendor's report")])
            #expect(kept.status == .seeOther)
            page = try await b.get(path).text
            #expect(page.contains("1 open suggestion(s)") && page.contains("1 kept as written"))
            #expect(page.contains("quoting the vendor"))
            let noNote = try await b.post(path + "/language/keep", [("section", "summary"), ("ruleId", "x"), ("matchedText", "y"), ("note", "")])
            #expect(noNote.status == .unprocessableContent)
            #expect(try await b.get("/dashboard").text.contains("1 open suggestion(s)"))

            let (token, _) = try await store.createAPIToken(userID: f.admin.id, name: "t")
            let api = APIClient(client: client, token: token)
            let check = try await api.call(.post, "/language/check", json: ["text": "Why did you restart it?\nThe job failed to start."])
            let findings = try #require(check.json["findings"] as? [[String: Any]])
            #expect(findings.map { $0["category"] as? String } == ["why_you"])
            #expect(findings.first?["line"] as? Int == 1 && findings.first?["column"] as? Int == 1)
            #expect(try await api.call(.post, "/language/check", json: ["txt": "x"]).status == .unprocessableContent)
            let id = String(path.split(separator: "/").last!)
            let review = try await api.call(.get, "/reviews/\(id)").json
            #expect(review["openLanguageFindings"] as? Int == 1)
            let language = try await api.call(.get, "/reviews/\(id)/language").json
            #expect(language["open"] as? Int == 1)
            #expect(try await api.call(.post, "/reviews/\(id)/language/keep", json: ["section": "summary", "ruleId": "counterfactual-should-have", "matchedText": "should have rotated", "note": "kept for the record"]).status == .created)
        }
    }
}
