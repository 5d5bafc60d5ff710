import Foundation
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("Weekly team digests")
struct TeamDigestWebTests {
    /// Payments with two members, a team review they both see, a pair review
    /// one of them does not, an overdue follow-up; the digest week 2026-W11
    /// runs from Monday 2 March 09:00 UTC to Monday 9 March 09:00 UTC.
    static func organisation(_ store: LoreStore, _ fixture: Fixture? = nil) async throws -> (f: Fixture, ana: User, incident: Incident) {
        let f: Fixture
        if let fixture { f = fixture } else { f = try await Fixture.make(store) }
        let ana = try await store.createUser(UserInput(displayName: "Ana Responder", email: "ana@example.com", password: "a long enough password"))
        try await store.setMembership(teamSlug: "payments", userID: ana.id, role: .member)
        try await store.setMembership(teamSlug: "payments", userID: f.member.id, role: .member)
        let anaViewer = try await store.viewer(for: ana)
        let incident = try await store.createIncident(IncidentInput(
            title: "Ledger writes failing", severity: "SEV2", status: .resolved, services: ["checkout-api"], detectionSource: "monitoring alert",
            detectedAt: .some(t("2026-03-03T10:00:00Z")), resolvedAt: .some(t("2026-03-03T11:00:00Z"))), now: t("2026-03-03T12:00:00Z"))
        let team = try await store.createReview(incidentID: incident.id, ReviewInput(title: "Payments", level: .team, teams: ["payments"]), by: anaViewer, now: t("2026-03-04T09:00:00Z"))
        _ = try await store.addFinding(reviewID: team.id, kind: .learning, text: "Retries amplified the outage", by: anaViewer, now: t("2026-03-04T10:00:00Z"))
        let pair = try await store.createReview(incidentID: incident.id, ReviewInput(title: "Pair", level: .pair, participantIDs: [ana.id, f.admin.id]), by: anaViewer, now: t("2026-03-04T09:00:00Z"))
        _ = try await store.addFinding(reviewID: pair.id, kind: .learning, text: "secret-pair-finding-5521", by: anaViewer, now: t("2026-03-04T10:00:00Z"))
        _ = try await store.createFollowUp(incidentID: incident.id, reviewID: pair.id, FollowUpInput(title: "secret-pair-follow-up-5521", ownerTeam: "payments", dueDate: .some(t("2026-03-05T00:00:00Z"))), by: anaViewer)
        _ = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Cap client retries", ownerTeam: "payments", ownerUserID: .some(ana.id), dueDate: .some(t("2026-03-05T00:00:00Z"))))
        return (f, ana, incident)
    }

    /// Two servers on one database send each team's digest once a week, at
    /// the team's hour, with only what every member may see.
    @Test(arguments: Backend.available)
    func twoServersSendEachWeeksDigestOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { db, store in
            let (_, _, incident) = try await Self.organisation(store)
            try await store.setDigestSchedule(teamSlug: "payments", DigestSchedule(weekday: 1, hour: 9, timeZone: "UTC"))
            let other = try await LoreDatabase.open(db.location)
            try await withReceiver { receiver, url in
                _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: url, format: .json, secret: nil))
                let clock = TestClock(t("2026-03-09T08:00:00Z"))
                let a = BackgroundWork(store: store, worker: "a", clock: { clock.now }, publicURL: "https://lore.example.com")
                let b = BackgroundWork(store: other.store, worker: "b", clock: { clock.now }, publicURL: "https://lore.example.com")
                func bothTick() async throws {
                    async let x: Void = a.tick()
                    async let y: Void = b.tick()
                    _ = try await (x, y)
                }
                try await bothTick()
                #expect(await receiver.deliveries.isEmpty)  // not yet Monday 09:00

                clock.set(t("2026-03-09T09:00:01Z"))
                try await bothTick()
                try await bothTick()
                let digests = await receiver.deliveries.filter { $0.event == "team.weekly_digest" }
                #expect(digests.count == 1)
                let first = try #require(digests.first)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
                let data = try #require(json["data"] as? [String: Any])
                #expect(data["team"] as? String == "payments" && data["week"] as? String == "2026-W11")
                #expect((data["incidents"] as? [[String: Any]])?.map { $0["key"] as? String } == [incident.key])
                #expect((data["learned"] as? [[String: Any]])?.map { $0["text"] as? String } == ["Retries amplified the outage"])
                #expect((data["followUps"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Cap client retries"])
                #expect(data["url"] as? String == "https://lore.example.com/teams/payments/digest?week=2026-W11")
                let text = try #require(json["text"] as? String)
                #expect(text.contains("Weekly digest for Payments, 2026-W11"))
                #expect(text.contains("<https://lore.example.com/incidents/\(incident.key)|\(incident.key)>"))
                #expect(!text.contains("secret-pair") && !(digests.first?.body.contains("secret-pair") ?? true))

                // The next week: one more, and the first is not sent again.
                clock.set(t("2026-03-16T09:00:01Z"))
                try await bothTick()
                try await bothTick()
                #expect(await receiver.deliveries.filter { $0.event == "team.weekly_digest" }.count == 2)
                let second = try #require(await receiver.deliveries.last)
                let next = try #require(try JSONSerialization.jsonObject(with: Data(second.body.utf8)) as? [String: Any])
                let nextData = try #require(next["data"] as? [String: Any])
                #expect(nextData["week"] as? String == "2026-W12")
                #expect((nextData["incidents"] as? [Any])?.isEmpty == true)
                #expect((next["text"] as? String)?.contains("Cap client retries") == true)  // still overdue: said again
                await a.shutdown()
                await b.shutdown()
            }
            await other.shutdown()
        }
    }

    /// A member reads any past week, chooses the team's time (refused when
    /// wrong, field by field), and the API answers the same digest; someone
    /// outside the team may not change it.
    @Test(arguments: Backend.available)
    func membersReadPastWeeksAndChooseTheTime(backend: Backend) async throws {
        try await withApp(backend) { client, store, fixture in
            let (f, _, incident) = try await Self.organisation(store, fixture)
            let browser = Browser(client)
            try await browser.signIn(f.member.email, "another long password")
            let page = try await browser.get("/teams/payments/digest?week=2026-W11")
            #expect(page.status == .ok)
            #expect(page.text.contains("Payments: weekly digest 2026-W11"))
            #expect(page.text.contains("href=\"/incidents/\(incident.key)\""))
            #expect(page.text.contains("Retries amplified the outage") && page.text.contains("Cap client retries"))
            #expect(!page.text.contains("secret-pair"))
            #expect(page.text.contains("not sent: the team has not chosen a time"))
            #expect(try await browser.get("/teams/payments/digest?week=2026-W99").status == .unprocessableContent)
            #expect(try await browser.get("/teams/no-team/digest").status == .notFound)

            let refused = try await browser.post("/teams/payments/digest/schedule", [("weekday", "9"), ("hour", "25"), ("timeZone", "Nowhere/Here")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Unknown time zone"))
            #expect(try await store.digestSchedule(teamSlug: "payments") == nil)
            let saved = try await browser.post("/teams/payments/digest/schedule", [("weekday", "5"), ("hour", "16"), ("timeZone", "Europe/Berlin")])
            #expect(saved.status == .seeOther || saved.status == .found)
            #expect(try await store.digestSchedule(teamSlug: "payments") == DigestSchedule(weekday: 5, hour: 16, timeZone: "Europe/Berlin"))
            #expect(try await browser.get("/teams/payments/digest").text.contains("sent Fridays at 16:00 (Europe/Berlin)"))
            // Without a CSRF token nothing changes.
            #expect(try await browser.post("/teams/payments/digest/schedule", [("weekday", "none")], csrf: false).status == .forbidden)

            // Platform is not Mo's team.
            #expect(try await browser.post("/teams/platform/digest/schedule", [("weekday", "1"), ("hour", "9"), ("timeZone", "UTC")]).status == .forbidden)

            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            let json = try await api.call(.get, "/teams/payments/digest?week=2026-W10").json
            #expect(json["week"] as? String == "2026-W10")
            #expect((json["schedule"] as? [String: Any])?["timeZone"] as? String == "Europe/Berlin")
            #expect(try await api.call(.get, "/teams/payments/digest?week=soon").status == .unprocessableContent)
        }
    }
}
