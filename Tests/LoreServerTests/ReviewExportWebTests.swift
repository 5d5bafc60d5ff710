import Foundation
import Hummingbird
import HummingbirdTesting
@testable import LoreCore
import LoreImport
import LoreStore
import LoreTestSupport
import Testing

/// Exporting a review from its page, the API and the command line: only a
/// review the person may see, and the Markdown's timeline imports back.
@Suite("Review exports")
struct ReviewExportWebTests {
    /// An incident with a timeline and a team review only the payments team
    /// may see (the member is not in it).
    static func seed(_ store: LoreStore, _ f: Fixture) async throws -> (Incident, Review, Review) {
        let incident = try await store.createIncident(IncidentInput(title: "Checkout <b>latency</b>", severity: "SEV2", detectionSource: "monitoring alert"))
        for (offset, text) in [(0.0, "Alert fired | p99 4 s"), (125.0, "Rolled back **v2.3**\nthen watched the queue")] {
            _ = try await store.addTimelineEntry(TimelineEntry(
                incidentID: incident.id, occurredAt: t("2026-03-01T14:00:00Z").addingTimeInterval(offset), recordedAt: t("2026-03-01T15:00:00Z"),
                author: "Priya", source: .manual, kind: .action, text: text, reflection: offset > 0 ? "The graph looked flat" : nil))
        }
        let admin = try await store.viewer(for: f.admin)
        let open = try await store.createReview(
            incidentID: incident.id, ReviewInput(title: "Organisation review", visibility: .organisation, sections: [.summary: "Retries piled up."]), by: admin)
        let hidden = try await store.createReview(
            incidentID: incident.id, ReviewInput(title: "Payments only", visibility: .team, teams: ["payments"], sections: [.summary: "SECRET-7731"]), by: admin)
        return (incident, open, hidden)
    }

    @Test(arguments: Backend.available) func theAPIExportsOnlyWhatTheTokenMaySee(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (_, open, hidden) = try await Self.seed(store, f)
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            let md = try await api.call(.get, "/reviews/\(open.id.uuidString)/export?format=md")
            #expect(md.status == .ok)
            #expect(md.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(md.headers[.contentDisposition]?.contains("INC-1-review-") == true)
            #expect(md.text.contains("## Summary\n\nRetries piled up."))
            #expect(md.text.contains("| Time (UTC) | Author | Event | Kind | What I was seeing |"))
            let html = try await api.call(.get, "/reviews/\(open.id.uuidString)/export?format=html")
            #expect(html.status == .ok && html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.text.contains("Checkout &lt;b&gt;latency&lt;/b&gt;") && !html.text.contains("<b>latency"))
            // A review the member may not see is not there at all.
            let denied = try await api.call(.get, "/reviews/\(hidden.id.uuidString)/export?format=md")
            #expect(denied.status == .notFound && !denied.text.contains("SECRET-7731"))
            let bad = try await api.call(.get, "/reviews/\(open.id.uuidString)/export?format=pdf")
            #expect(bad.status == .badRequest && bad.text.contains("format must be md or html"))
            // Each export is in the audit log, with who and the format.
            let log = try await store.auditEvents(AuditFilter(action: .reviewExported), viewer: try await store.viewer(for: f.admin))
            #expect(log.map(\.detail) == ["HTML", "MD"])
        }
    }

    @Test(arguments: Backend.available) func thePageLinksTheExportAndItsTimelineImportsIntoANewIncident(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (incident, open, hidden) = try await Self.seed(store, f)
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let page = try await b.get("/incidents/\(incident.key)/reviews/\(open.id.uuidString)")
            #expect(page.text.contains("/reviews/\(open.id.uuidString)/export?format=md"))
            let md = try await b.get("/incidents/\(incident.key)/reviews/\(open.id.uuidString)/export?format=md")
            #expect(md.status == .ok && md.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(try await b.get("/incidents/\(incident.key)/reviews/\(hidden.id.uuidString)/export?format=md").status == .notFound)

            // As a person would: paste the export into a new incident's import form.
            let copy = try await store.createIncident(IncidentInput(title: "Replay", severity: "SEV3", detectionSource: "monitoring alert"))
            let preview = try await b.post("/incidents/\(copy.key)/import", [("table", md.text), ("timeZone", "Asia/Tokyo")])
            #expect(preview.status == .ok && preview.text.contains("Preview: 2 entries"))
            #expect(try await b.post("/incidents/\(copy.key)/import", [("table", md.text), ("timeZone", "Asia/Tokyo"), ("confirm", "1")]).status == .seeOther)
            let original = try await store.timeline(incidentID: incident.id)
            let imported = try await store.timeline(incidentID: copy.id)
            #expect(imported.map(\.occurredAt) == original.map(\.occurredAt))
            #expect(imported.map(\.text) == original.map(\.text))
            #expect(imported.map(\.author) == original.map(\.author))
            #expect(imported.map(\.kind) == original.map(\.kind))
            #expect(imported.map(\.reflection) == original.map(\.reflection))
        }
    }

    /// Every review of the demo, exported for publishing: no name, handle or
    /// e-mail address of any demo person is left, in either format.
    @Test(arguments: Backend.available) func aRedactedExportOfEveryDemoReviewNamesNobody(backend: Backend) async throws {
        try await withApp(backend) { _, store, _ in
            let demo = DemoData.generate(now: Date())
            _ = try await store.loadDemo(demo)
            let users = try await store.users()
            let reviews = try await store.allReviewsForOperator()
            #expect(reviews.count >= 5)
            var words: Set<String> = []
            for person in demo.users {
                words.formUnion([person.displayName, person.handle, person.email] + person.displayName.split(separator: " ").map(String.init))
            }
            var named = 0
            for review in reviews {
                let document = try #require(try await store.reviewDocumentForOperator(reviewID: review.id, timeZone: TimeZone(identifier: "UTC")!, now: Date()))
                let plan = ReviewRedaction.plan(document, users: users)
                let original = ReviewExport.markdown(document)
                named += words.filter { ReviewRedaction.wordRange($0, in: original) != nil }.isEmpty ? 0 : 1
                let redacted = try ReviewRedaction.apply(document, users: users, decisions: Dictionary(uniqueKeysWithValues: plan.references.map { ($0, $0) }))
                for text in [ReviewExport.markdown(redacted), ReviewExport.html(redacted)] {
                    let left = words.filter { ReviewRedaction.wordRange($0, in: text) != nil }
                    #expect(left.isEmpty, "review \(review.id): \(left.sorted())")
                }
            }
            #expect(named >= 3, "the demo's exports name people before redaction, so the check above means something")
        }
    }

    @Test(arguments: Backend.available) func aRedactedExportWaitsForADecisionOnEveryLinkAndHost(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (incident, open, hidden) = try await Self.seed(store, f)
            let admin = try await store.viewer(for: f.admin)
            _ = try await store.updateReview(id: open.id, ReviewInput(sections: [
                .whatHappened: "Ada Admin paged Mo Member; mo@example.com saw 503s on db-01.prod.internal (see https://grafana.corp.example/d/x and 10.0.3.7).",
            ]), by: admin)
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            let plan = try await api.call(.get, "/reviews/\(open.id.uuidString)/export/redacted")
            #expect(plan.status == .ok)
            #expect(plan.json["references"] as? [String] == ["db-01.prod.internal", "https://grafana.corp.example/d/x", "10.0.3.7"])
            let people = (plan.json["people"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") → \($0["role"] ?? "")" }
            #expect(people.contains("Ada Admin → the facilitator") && people.contains("Mo Member → responder A"))

            let undecided = try await api.call(.post, "/reviews/\(open.id.uuidString)/export/redacted", json: ["decisions": ["10.0.3.7": "an internal address"]])
            #expect(undecided.status == .unprocessableContent)
            #expect(undecided.text.contains("db-01.prod.internal") && undecided.text.contains("grafana.corp.example"))
            let file = try await api.call(.post, "/reviews/\(open.id.uuidString)/export/redacted", json: [
                "format": "md", "roles": ["Mo Member": "the on-call engineer"],
                "decisions": ["db-01.prod.internal": "the primary database", "https://grafana.corp.example/d/x": "(internal dashboard)", "10.0.3.7": "an internal address"],
            ])
            #expect(file.status == .ok && file.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(file.text.contains("the facilitator paged the on-call engineer; the on-call engineer saw 503s on the primary database (see (internal dashboard) and an internal address)."))
            for word in ["Ada", "Admin", "Mo Member", "mo@example.com", "db-01", "grafana", "10.0.3.7"] { #expect(!file.text.contains(word), "\(word)") }
            #expect(try await api.call(.get, "/reviews/\(hidden.id.uuidString)/export/redacted").status == .notFound)

            // The page: nothing leaves until the author ticks that they checked.
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let base = "/incidents/\(incident.key)/reviews/\(open.id.uuidString)"
            let form = try await b.get(base + "/export/redacted")
            #expect(form.status == .ok && form.text.contains("db-01.prod.internal") && form.text.contains("[internal host]"))
            var fields: [(String, String)] = [("format", "md")]
            for (i, reference) in ["db-01.prod.internal", "https://grafana.corp.example/d/x", "10.0.3.7"].enumerated() {
                fields += [("reference.\(i)", reference), ("decision.\(i)", "[internal]")]
            }
            let unchecked = try await b.post(base + "/export/redacted", fields)
            #expect(unchecked.status == .unprocessableContent && unchecked.text.contains("nothing leaves without that step"))
            let checked = try await b.post(base + "/export/redacted", fields + [("checked", "1")])
            #expect(checked.status == .ok && checked.headers[.contentDisposition]?.contains("public-review") == true)
            #expect(!checked.text.contains("Mo Member") && !checked.text.contains("db-01") && checked.text.contains("[internal]"))
        }
    }

    /// What a reviewer of the redaction found slipping through, each now listed or replaced.
    @Test func linksWithAnySchemeHostsWithPortsFactsAndAccentedNamesAreCaught() throws {
        let created = t("2026-03-01T14:00:00Z")
        let person = User(displayName: "Seán O’Brien", handle: "sean", email: "sean@example.com", role: .member, createdAt: created)
        let incident = Incident(number: 7, title: "Queue stalls", severity: "SEV2", status: .resolved, services: ["orders-db.prod.internal"],
                                detectionSource: "monitoring alert", createdAt: created, updatedAt: created)
        var review = Review(incidentID: incident.id, title: "Review", createdAt: created, updatedAt: created)
        review.sections[.whatHappened] = "Sean O'Brien opened HTTPS://grafana.corp/d/x?var-host=db-01 and s3://acme-prod-exports, then db-02:5432 and status.acme.sh."
        let document = ReviewDocument(incident: incident, review: review, timeline: [], findings: [], followUps: [], timeZone: TimeZone(identifier: "UTC")!, exportedAt: created)
        let plan = ReviewRedaction.plan(document, users: [person])
        for reference in ["HTTPS://grafana.corp/d/x?var-host=db-01", "s3://acme-prod-exports", "db-02:5432", "status.acme.sh", "orders-db.prod.internal"] {
            #expect(plan.references.contains(reference), "\(reference) in \(plan.references)")
        }
        let redacted = try ReviewRedaction.apply(document, users: [person], decisions: Dictionary(uniqueKeysWithValues: plan.references.map { ($0, "[internal]") }))
        let text = ReviewExport.markdown(redacted)
        for leaked in ["Sean", "Seán", "O'Brien", "grafana", "acme", "db-02", "orders-db"] { #expect(!text.contains(leaked), "\(leaked)") }
        #expect(text.contains("responder A opened [internal] and [internal], then [internal] and [internal]."))
    }
}
