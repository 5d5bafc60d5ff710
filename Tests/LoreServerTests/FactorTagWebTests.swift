import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// Tagging a contributing factor on the review page, as a participant does.
@Suite("Contributing-factor tags on the web")
struct FactorTagWebTests {
    @Test(arguments: Backend.available) func aParticipantTagsAFactor(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let incident = try await store.createIncident(IncidentInput(title: "Disk full", severity: "SEV3", detectionSource: "monitoring alert"))
            let admin = try await store.viewer(for: f.admin)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Review", level: .team, visibility: .organisation, teams: ["payments"], status: .held, participantIDs: [f.admin.id]), by: admin)
            let factor = try await store.addFinding(reviewID: review.id, kind: .contributingFactor, text: "The disk alert fired at 99 %.", by: admin)
            _ = try await store.addFinding(reviewID: review.id, kind: .learning, text: "Logs rotate weekly.", by: admin)
            let page = "/incidents/\(incident.key)/reviews/\(review.id.uuidString)"

            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let before = try await b.get(page)
            #expect(before.text.components(separatedBy: "Tags for this contributing factor").count == 2, "one form: the factor's, not the learning's")
            let saved = try await b.post("\(page)/findings/\(factor.id.uuidString)/tags", [("tags", "capacity"), ("tags", "alerting gap")])
            #expect(saved.location == "\(page)#findings")
            let after = try await b.get(page)
            #expect(after.text.contains("<span class=\"tag\">alerting gap</span>") && after.text.contains("<span class=\"tag\">capacity</span>"))
            let refused = try await b.post("\(page)/findings/\(factor.id.uuidString)/tags", [("tags", "<script>x</script>")])
            #expect(refused.status == .unprocessableContent && !refused.text.contains("<script>x</script>"))

            // Someone outside the review sees the tags but no form.
            let mo = Browser(client)
            try await mo.signIn("mo@example.com", "another long password")
            let seen = try await mo.get(page)
            #expect(seen.text.contains("<span class=\"tag\">capacity</span>") && !seen.text.contains("Tags for this contributing factor"))
        }
    }
}
