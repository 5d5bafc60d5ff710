import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

/// Contributing factors tagged from the organisation's vocabulary, which an
/// admin edits in Settings.
@Suite struct FactorTagStoreTests {
    @Test(arguments: Backend.available) func factorsCarryTagsFromTheVocabulary(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            #expect(try await store.settings().factorTags == OrganisationSettings.defaultFactorTags)
            let incident = try await store.createIncident(IncidentInput(title: "Disk full", severity: "SEV3", detectionSource: "monitoring alert"))
            let admin = try await store.viewer(for: f.admin)
            let member = try await store.viewer(for: f.member)
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                title: "Review", level: .team, visibility: .organisation, teams: ["payments"], status: .held, participantIDs: [f.admin.id]), by: admin)
            let factor = try await store.addFinding(reviewID: review.id, kind: .contributingFactor, text: "The disk alert fired at 99 %.", by: admin)
            let learning = try await store.addFinding(reviewID: review.id, kind: .learning, text: "Logs rotate weekly.", by: admin)

            try await store.setFindingTags(findingID: factor.id, tags: ["Capacity", "alerting gap", "capacity"], by: admin)
            #expect(try await store.findingTags(reviewID: review.id)[factor.id] == ["alerting gap", "capacity"], "the vocabulary's spelling, once each")

            // Words outside the vocabulary, findings that are not factors, and people who may not edit are refused; nothing changes.
            await #expect(throws: ValidationError.self) { try await store.setFindingTags(findingID: factor.id, tags: ["cosmic rays"], by: admin) }
            await #expect(throws: ValidationError.self) { try await store.setFindingTags(findingID: learning.id, tags: ["capacity"], by: admin) }
            await #expect(throws: StoreError.self) { try await store.setFindingTags(findingID: factor.id, tags: [], by: member) }
            #expect(try await store.findingTags(reviewID: review.id)[factor.id] == ["alerting gap", "capacity"])

            // The vocabulary is the organisation's: edited, validated, audited; a dropped word stays where it was used.
            var settings = try await store.settings()
            settings.factorTags = ["capacity", "third-party outage", " ", "Capacity"]
            await #expect(throws: ValidationError.self) { try await store.saveSettings(settings) }
            settings.factorTags = ["capacity", "third-party outage"]
            _ = try await store.saveSettings(settings)
            #expect(try await store.settings().factorTags == ["capacity", "third-party outage"])
            try await store.setFindingTags(findingID: factor.id, tags: ["alerting gap", "third-party outage"], by: admin)
            #expect(try await store.findingTags(reviewID: review.id)[factor.id] == ["alerting gap", "third-party outage"])
            try await store.setFindingTags(findingID: factor.id, tags: [], by: admin)
            #expect(try await store.findingTags(reviewID: review.id)[factor.id] == nil)
        }
    }
}
