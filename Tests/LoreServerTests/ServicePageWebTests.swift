import Foundation
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("The service page")
struct ServicePageWebTests {
    /// Linked from the incident page; shows its incidents as dots and a
    /// list, escapes what people typed, and answers 404 for a service that
    /// does not exist.
    @Test(arguments: Backend.available)
    func anOnCallEngineerReadsAboutAService(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let incident = try await store.createIncident(IncidentInput(
                title: "<script>alert(1)</script> checkout pool", severity: "SEV1", status: .resolved, services: ["checkout-api"], teams: ["payments"],
                detectionSource: "monitoring alert", detectedAt: .some(Date().addingTimeInterval(-20 * 86_400)), resolvedAt: .some(Date().addingTimeInterval(-20 * 86_400 + 3600))))
            _ = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Raise the pool limit", ownerTeam: "payments", dueDate: .some(Date().addingTimeInterval(-86_400))))
            let browser = Browser(client)
            try await browser.signIn(f.member.email, "another long password")
            #expect(try await browser.get("/incidents/\(incident.key)").text.contains("href=\"/services/checkout-api\""))
            #expect(try await browser.get("/incidents").text.contains("href=\"/services/checkout-api\""))

            let page = try await browser.get("/services/checkout-api")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<h1>Checkout API</h1>"))
            #expect(html.contains("1 in the last 12 months, 1 in all"))
            #expect(html.contains("<circle"))
            #expect(html.contains("href=\"/incidents/\(incident.key)\""))
            #expect(!html.contains("<script>alert(1)</script>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; checkout pool"))
            #expect(html.contains("Raise the pool limit") && html.contains("overdue"))
            #expect(html.contains("Payments: 1"))

            #expect(try await browser.get("/services/no-such-service").status == .notFound)
            #expect(try await client.execute(uri: "/services/checkout-api", method: .get).status != .ok)  // signed out
        }
    }
}
