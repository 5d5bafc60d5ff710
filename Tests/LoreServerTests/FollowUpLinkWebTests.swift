import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// A follow-up tied to a later incident it would have prevented: linked
/// from the follow-up, seen from both incidents, refused when it names no
/// later incident, and hidden with the review it belongs to.
@Suite("Follow-ups linked to later incidents")
struct FollowUpLinkWebTests {
    @Test(arguments: Backend.available) func linkSeenFromBothSides(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let first = try await store.createIncident(IncidentInput(title: "Disk full on orders-db", severity: "SEV3", detectionSource: "monitoring alert"))
            let later = try await store.createIncident(IncidentInput(title: "Disk full again", severity: "SEV2", detectionSource: "monitoring alert"))
            let admin = try await store.viewer(for: f.admin)
            let open = try await store.createFollowUp(incidentID: first.id, FollowUpInput(title: "Alert at 80 % disk", ownerTeam: "payments"), by: admin)
            let hiddenReview = try await store.createReview(incidentID: first.id, ReviewInput(
                title: "Pair", level: .pair, visibility: .participants, teams: [], status: .held, participantIDs: [f.admin.id]), by: admin)
            let hidden = try await store.createFollowUp(incidentID: first.id, reviewID: hiddenReview.id, FollowUpInput(title: "Private: rotate logs daily", ownerTeam: "payments"), by: admin)

            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let base = "/incidents/\(first.key)/follow-ups/\(open.id.uuidString)"
            let linked = try await b.post("\(base)/links", [("effect", "prevented"), ("incident", later.key.lowercased()), ("note", "the same disk filled up")])
            #expect(linked.location == "\(base)/edit#later-incidents")
            let page = try await b.get("\(base)/edit")
            #expect(page.text.contains("would have prevented") && page.text.contains(later.key) && page.text.contains("the same disk filled up"))
            let laterPage = try await b.get("/incidents/\(later.key)")
            #expect(laterPage.text.contains("Earlier follow-ups that bear on this incident") && laterPage.text.contains("Alert at 80 % disk"))

            for (incident, message) in [("INC-999", "There is no incident INC-999"), (first.key, "not to its own"), ("", "Name the later incident")] {
                let refused = try await b.post("\(base)/links", [("effect", "shortened"), ("incident", incident)])
                #expect(refused.status == .unprocessableContent && refused.text.contains(message), "\(incident)")
            }

            // From the later incident's side: point back at an earlier follow-up (the hidden one is offered only to who may see it).
            let offered = try await b.get("/incidents/\(later.key)")
            #expect(offered.text.contains("Point back at an earlier follow-up") && offered.text.contains("\(first.key): Alert at 80 % disk (Open)"))
            let pointed = try await b.post("/incidents/\(later.key)/earlier-follow-ups", [("followUpId", open.id.uuidString), ("effect", "shortened"), ("note", "seen from the new incident")])
            #expect(pointed.location == "/incidents/\(later.key)#earlier-follow-ups")
            #expect(try await b.get("/incidents/\(later.key)").text.contains("seen from the new incident"))
            // A follow-up of a review the reader may not see does not show on the later incident.
            _ = try await b.post("/incidents/\(first.key)/follow-ups/\(hidden.id.uuidString)/links", [("effect", "shortened"), ("incident", later.key)])
            #expect(try await b.get("/incidents/\(later.key)").text.contains("Private: rotate logs daily"))
            let mo = Browser(client)
            try await mo.signIn("mo@example.com", "another long password")
            let seen = try await mo.get("/incidents/\(later.key)")
            #expect(seen.text.contains("Alert at 80 % disk") && !seen.text.contains("Private: rotate logs daily"))
            let refusedHidden = try await mo.post("/incidents/\(later.key)/earlier-follow-ups", [("followUpId", hidden.id.uuidString), ("effect", "shortened")])
            #expect(refusedHidden.status == .notFound)
        }
    }
}
