import Foundation
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite struct DashboardWebTests {
    /// The dashboard's facts are kept for a few seconds per viewer; a
    /// viewer's own change shows on their next view at once.
    @Test(arguments: Backend.available)
    func yourOwnChangeShowsOnYourNextView(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            #expect(try await b.get("/dashboard").text.contains("No review window is open."))
            let now = LoreTime.localInput(Date().addingTimeInterval(-3600), timeZone: f.admin.zone)
            let created = try await b.post("/incidents", [
                ("title", "Queue backed up"), ("severity", "SEV2"), ("status", "resolved"), ("detectionSource", "monitoring alert"),
                ("detectedAt", now), ("resolvedAt", now),
            ])
            #expect(created.status == .seeOther)
            let page = try await b.get("/dashboard").text
            #expect(page.contains("Queue backed up"))
            #expect(!page.contains("No review window is open."))
            let json = try await APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "t").secret).call(.get, "/dashboard").json
            #expect(json["openWindowCount"] as? Int == 1)
            #expect((json["openWindows"] as? [[String: Any]])?.first?["title"] as? String == "Queue backed up")
        }
    }
}
