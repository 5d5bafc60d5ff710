import Foundation
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The incident page keeps its timeline's HTML between views
/// (`RenderedTimelines`), shared by everyone who looks at the incident.
/// What must not be shared: each viewer's Remove buttons and time zone;
/// and a new entry shows on the next view.
@Suite struct TimelinePageWebTests {
    @Test(arguments: Backend.available)
    func keptTimelineStillShowsEachViewerTheirOwnButtonsZoneAndTheNewestEntries(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (incident, mineID) = try await incidentWithAnEntryEach(client, store, f, title: "Ledger lag", adminText: "Paged the ledger team")
            let adminAPI = APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "a2").secret)
            let memberAPI = APIClient(client: client, token: try await store.createAPIToken(userID: f.member.id, name: "m2").secret)
            _ = try await store.updateUser(id: f.member.id, displayName: nil, timeZone: "Asia/Tokyo")
            func removeButtons(_ page: String) -> Int { page.components(separatedBy: "<button form=\"remove-entry\"").count - 1 }

            // The admin sees the page first: every entry has a button, times in UTC.
            let admin = Browser(client)
            try await admin.signIn("ada@example.com", "correct horse battery")
            let adminPage = try await admin.get("/incidents/\(incident.key)").text
            #expect(removeButtons(adminPage) == 2)
            #expect(adminPage.contains("10:00") && !adminPage.contains("19:00"))

            // The member, from the same kept timeline: a button on her own entry only, times in Tokyo.
            let member = Browser(client)
            try await member.signIn("mo@example.com", "another long password")
            let memberPage = try await member.get("/incidents/\(incident.key)").text
            #expect(removeButtons(memberPage) == 1)
            #expect(memberPage.contains("formaction=\"/incidents/\(incident.key)/timeline/\(mineID)/delete\""))
            #expect(memberPage.contains("19:00") && memberPage.contains("19:05"))
            #expect(memberPage.contains("Paged the ledger team") && memberPage.contains("Joined the call"))

            // An entry added after both views shows on the next one, for both.
            _ = try await memberAPI.call(.post, "/incidents/\(incident.key)/timeline", json: ["occurredAt": "2026-03-01T10:20:00Z", "text": "Failed over to the replica"])
            let memberAgain = try await member.get("/incidents/\(incident.key)").text
            #expect(memberAgain.contains("Failed over to the replica") && memberAgain.contains("19:20"))
            #expect(removeButtons(memberAgain) == 2)
            let adminAgain = try await admin.get("/incidents/\(incident.key)").text
            #expect(adminAgain.contains("Failed over to the replica") && removeButtons(adminAgain) == 3)

            // Resolving the incident changes which entries were "recalled later": the kept HTML is not reused.
            let recalledLater = "recalled later</span>"
            #expect(!adminAgain.contains(recalledLater))
            _ = try await adminAPI.call(.patch, "/incidents/\(incident.key)", json: ["status": "resolved", "resolvedAt": "2026-03-01T10:30:00Z"])
            let resolvedPage = try await admin.get("/incidents/\(incident.key)").text
            #expect(resolvedPage.components(separatedBy: recalledLater).count - 1 == 3)
        }
    }
}
