import Foundation
import Hummingbird
import HummingbirdTesting
import LoreCore
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
}
