import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The customer-facing summary as its people use it: written and flagged
/// as it is written, approved, shared to a webhook receiver, and read by a
/// customer-facing account that reaches nothing else.
@Suite("Customer-facing summary on the web")
struct CustomerSummaryWebTests {
    @Test(arguments: Backend.available)
    func writeFlagApproveShareAndReadAsSupport(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let incident = try await store.createIncident(IncidentInput(
                title: "Card payments declined", severity: "SEV2", status: .resolved, services: ["checkout-api"], teams: ["payments"], detectionSource: "monitoring alert",
                impactStartedAt: .some(t("2026-03-01T14:02:00Z")), resolvedAt: .some(t("2026-03-01T14:47:00Z"))))
            let admin = try await store.viewer(for: f.admin)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Payments review", level: .team, visibility: .organisation, teams: ["payments"], status: .published, participantIDs: [f.admin.id],
                sections: [.summary: "Planted in the review only: quillwort-tessellate."]), by: admin)
            let followUp = try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: "Alert on decline rate", ownerTeam: "payments"), by: admin)
            _ = try await store.createUser(UserInput(displayName: "Sam Support", email: "sam@example.com", role: .customerFacing, password: "a long support password"))

            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let base = "/incidents/\(incident.key)/summary"
            // The first draft is filled from the incident; flagged as it is written.
            let fresh = try await b.get(base)
            #expect(fresh.status == .ok && fresh.text.contains("Alert on decline rate"))
            let save = try await b.post(base, [
                ("headline", "Some card payments failed on 1 March"),
                ("whatCustomersSaw", "Checkout on edge-03 failed for card payments; Ada rolled back the deploy."),
                ("whoWasAffected", "Customers paying by card."), ("whatWeDid", "We undid a change."), ("whatToTell", "No card was charged twice."),
                ("change_\(followUp.id.uuidString)", "1"), ("changeText_\(followUp.id.uuidString)", "We are now alerted within two minutes."),
            ])
            #expect(save.status == .seeOther || save.status == .found)
            let flagged = try await b.get(base)
            for rule in ["internal-host", "person-named", "jargon-deploy"] { #expect(flagged.text.contains(rule), "\(rule)") }
            #expect(flagged.text.contains("edge-03") && flagged.text.contains("Draft"))

            // Approve the version read (a change since is refused), then share: the receiver gets the card through the webhook queue.
            let read = try #require(try await store.customerSummary(incidentID: incident.id)).updatedAt
            let stale = try await b.post("\(base)/approve", [("seen", String(Int64(read.timeIntervalSince1970 * 1000) - 1))])
            #expect(stale.status == .unprocessableContent && stale.text.contains("after you opened it"))
            #expect(try await store.customerSummary(incidentID: incident.id)?.status == .draft)
            _ = try await b.post("\(base)/approve", [("seen", String(Int64((read.timeIntervalSince1970 * 1000).rounded())))])
            #expect(try await store.customerSummary(incidentID: incident.id)?.status == .approved)
            _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "support", url: "https://hooks.example.com/support", format: .slack, secret: nil))
            let shared = try await b.post("\(base)/share", [])
            #expect(shared.location == "/summaries/\(incident.key)")
            let jobs = try await store.jobCounts()
            #expect(jobs["deliver:pending"] == 1, "\(jobs)")
            let card = try await b.get("/summaries/\(incident.key)")
            #expect(card.status == .ok && card.text.contains("We are now alerted within two minutes.") && card.text.contains("Shared"))
            #expect(card.text.contains("## Some card payments failed on 1 March"), "the Markdown to copy, under the customers' headline")
            #expect(!card.text.contains("Card payments declined"), "the responders' incident title does not reach the card")

            // Editing after sharing returns it to draft: it leaves the list.
            _ = try await b.post(base, [("headline", "Some card payments failed on 1 March"), ("whatCustomersSaw", "Card payments were declined at checkout."), ("whatWeDid", "We undid a change.")])
            #expect(try await b.get("/summaries").text.contains("No summary has been approved yet."))
            _ = try await b.post("\(base)/approve", [])

            // The customer-facing account: the summary, and nothing else.
            let support = Browser(client)
            try await support.signIn("sam@example.com", "a long support password")
            #expect(try await support.get("/").location == "/summaries")
            let list = try await support.get("/summaries")
            #expect(list.status == .ok && list.text.contains("Some card payments failed on 1 March"))
            for reachable in ["/summaries", "/summaries/\(incident.key)", "/account"] {
                let r = try await support.get(reachable)
                #expect(r.status == .ok && !r.text.contains("quillwort"), "\(reachable)")
            }
            // An unknown incident and one without a summary answer alike: keys cannot be counted.
            let other = try await store.createIncident(IncidentInput(title: "Quiet one", severity: "SEV3", detectionSource: "other"))
            for key in ["INC-999", other.key] {
                let r = try await support.get("/summaries/\(key)")
                #expect(r.status == .notFound && r.text.contains("Customer summary not found") && !r.text.contains("Incident"), "\(key)")
            }
            #expect(!list.text.contains("href=\"/incidents\""), "the navigation offers nothing it may not open")
            #expect(try await support.get("/summaries/\(incident.key)").status == .ok)
            for path in ["/dashboard", "/incidents", "/incidents/\(incident.key)", base, "/incidents/\(incident.key)/reviews/\(review.id)",
                         "/incidents/\(incident.key)/reviews/\(review.id)/export?format=md", "/search?q=quillwort", "/insights", "/settings",
                         "/incidents/\(incident.key)/timeline.csv", "/services/checkout-api", "/teams/payments/digest"] {
                let r = try await support.get(path)
                #expect(r.status == .notFound, "\(path): \(r.status)")
                #expect(!r.text.contains("quillwort"), "\(path)")
            }
            #expect(try await support.post("\(base)/approve", []).status == .notFound)

            // Through the API, with the account's own token.
            let supportUser = try #require(try await store.user(email: "sam@example.com"))
            let (token, _) = try await store.createAPIToken(userID: supportUser.id, name: "support")
            let api = APIClient(client: client, token: token)
            let summaries = try await api.call(.get, "/summaries")
            #expect(summaries.status == .ok && summaries.text.contains("We undid a change.") && !summaries.text.contains("quillwort"))
            #expect(!(try await api.call(.get, "/summaries/\(incident.key)")).text.contains("quillwort"))
            for path in ["/incidents", "/incidents/\(incident.key)", "/reviews/\(review.id)", "/reviews/\(review.id)/export?format=md", "/search?q=quillwort", "/insights"] {
                let r = try await api.call(.get, path)
                #expect(r.status == .notFound, "\(path): \(r.status)")
                #expect(!r.text.contains("quillwort"), "\(path)")
            }
        }
    }

    /// The organisation adds its own insider words, in the language rules' shape.
    @Test func theOrganisationExtendsTheAudienceRules() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("audience-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try """
        rules:
          - id: acme-bifrost
            category: jargon
            patterns: ['bifrost']
            message: Bifrost is our internal name for the payment router.
            suggestions: ['the payment service']
        overrides:
          - id: jargon-deploy
            enabled: false
        """.write(toFile: file, atomically: true, encoding: .utf8)
        var configuration = LoreServerConfiguration()
        configuration.audienceRulesFile = file
        try await withApp(configuration: configuration) { client, store, _ in
            let incident = try await store.createIncident(IncidentInput(title: "Payments slow", severity: "SEV3", detectionSource: "other"))
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            _ = try await b.post("/incidents/\(incident.key)/summary", [("whatCustomersSaw", "Bifrost was slow after a deploy.")])
            let page = try await b.get("/incidents/\(incident.key)/summary")
            #expect(page.text.contains("acme-bifrost") && page.text.contains("the payment service"))
            #expect(!page.text.contains("jargon-deploy"), "switched off by the organisation")
        }
    }

    /// Approval is refused, on the page, to someone who cannot read every
    /// review of the incident.
    @Test func approvalNeedsEveryReview() async throws {
        try await withApp { client, store, f in
            let incident = try await store.createIncident(IncidentInput(title: "Queue backlog", severity: "SEV3", detectionSource: "other"))
            let admin = try await store.viewer(for: f.admin)
            _ = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Private", level: .pair, visibility: .participants, teams: [], status: .held, participantIDs: [f.admin.id]), by: admin)
            _ = try await store.saveCustomerSummary(incidentID: incident.id, CustomerSummaryInput(headline: "Orders slow to confirm", whatCustomersSaw: "Orders were slow to confirm."), by: f.admin)
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let refused = try await b.post("/incidents/\(incident.key)/summary/approve", [])
            #expect(refused.status == .unprocessableContent && refused.text.contains("see all of this incident"))
            #expect(try await store.customerSummary(incidentID: incident.id)?.status == .draft)
        }
    }
}
