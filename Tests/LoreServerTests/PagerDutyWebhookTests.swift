import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The real PagerDuty webhook v3 bodies in Tests/Fixtures/pagerduty.
let pagerDutyFixtures: [(name: String, body: Data)] = {
    let dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pagerduty")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { ($0, try! Data(contentsOf: dir.appendingPathComponent($0))) }
}()

private func deliver(_ client: any TestClientProtocol, _ body: Data, subscription: String = "production", signature: String?) async throws -> TestResponse {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    if let signature { headers[HTTPField.Name("X-PagerDuty-Signature")!] = signature }
    return try await client.execute(uri: "/hooks/pagerduty/\(subscription)", method: .post, headers: headers, body: ByteBuffer(data: body))
}

@Suite("PagerDuty webhooks v3")
struct PagerDutyWebhookTests {
    static let secret = "whsec-3Jk9+rotating/abc"

    @Test(arguments: Backend.available)
    func realDeliveriesTwiceAndShuffledGiveOneTimelineEach(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            #expect(pagerDutyFixtures.count == 15)
            try await store.addPagerDutySubscription(name: "production", secret: Self.secret)
            try await store.updateService(slug: "checkout-api", ServiceInput(name: "Checkout API", owningTeam: "payments", pagedTeams: ["payments"], pagerDutyServiceID: "PLVTM9H"))
            var rng = SystemRandomNumberGenerator()
            let deliveries = (pagerDutyFixtures + pagerDutyFixtures).shuffled(using: &rng)
            for d in deliveries {
                let r = try await deliver(client, d.body, signature: PagerDutySignature.header(body: d.body, secret: Self.secret))
                #expect(r.status == .ok, "\(d.name): \(r.text)")
            }
            // Six PagerDuty incidents; each delivery once on its timeline.
            #expect(try await store.incidentCount() == 6)
            let checkout = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(checkout.title == "Critical: Checkout API High Latency")
            #expect(checkout.services == ["checkout-api"])
            #expect(checkout.severity == "SEV2", "P1 at 02:08, changed to P2 at 02:15")
            #expect(checkout.status == .open)
            #expect(checkout.times.detectedAt == t("2026-04-01T02:07:30Z"))
            let timeline = try await store.timeline(incidentID: checkout.id)
            #expect(timeline.count == 10)
            #expect(Set(timeline.compactMap(\.externalID)).count == 10)
            #expect(timeline.allSatisfy { $0.source == .pagerduty && $0.sourceURL?.hasPrefix("https://") == true })
            #expect(timeline.contains { $0.text.contains("Running KILL on long-running queries from the reporting-service.") })
            #expect(timeline.first?.occurredAt == t("2026-04-01T02:08:04.642Z"))
            let resolved = try #require(try await store.incident(externalSystem: "pagerduty", id: "PCPZE64"))
            #expect(resolved.status == .resolved && resolved.times.resolvedAt == t("2021-06-04T13:16:53.816Z"))
            let acked = try #require(try await store.incident(externalSystem: "pagerduty", id: "PQ1K5C8"))
            #expect(acked.times.acknowledgedAt == t("2021-06-04T13:55:30.394Z"))
        }
    }

    /// The responder opening an incident PagerDuty just created sees what
    /// was seen before on its service, with the reason, on the page and
    /// through the API.
    @Test(arguments: Backend.available)
    func aLiveIncidentShowsWhatWasSeenBefore(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            try await store.addPagerDutySubscription(name: "production", secret: Self.secret)
            try await store.updateService(slug: "checkout-api", ServiceInput(name: "Checkout API", owningTeam: "payments", pagedTeams: ["payments"], pagerDutyServiceID: "PLVTM9H"))
            let earlier = try await store.createIncident(IncidentInput(
                title: "Checkout API high latency after reporting deploy", severity: "SEV2", status: .resolved, services: ["checkout-api"],
                detectionSource: "monitoring alert", detectedAt: .some(t("2026-03-01T10:00:00Z")), resolvedAt: .some(t("2026-03-01T11:00:00Z"))),
                now: t("2026-03-01T12:00:00Z"))
            let unrelated = try await store.createIncident(IncidentInput(
                title: "Ledger replica lag", severity: "SEV3", status: .resolved, services: ["ledger"], detectionSource: "monitoring alert",
                detectedAt: .some(t("2026-03-02T10:00:00Z")), resolvedAt: .some(t("2026-03-02T11:00:00Z"))), now: t("2026-03-02T12:00:00Z"))
            let first = try #require(pagerDutyFixtures.first { $0.name == "escalate_v3.json" })
            #expect(try await deliver(client, first.body, signature: PagerDutySignature.header(body: first.body, secret: Self.secret)).status == .ok)
            let live = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(live.status == .open)

            let browser = Browser(client)
            try await browser.signIn(f.member.email, "another long password")
            let page = try await browser.get("/incidents/\(live.key)").text
            #expect(page.contains("Seen before"))
            #expect(page.contains("href=\"/incidents/\(earlier.key)\""))
            #expect(page.contains("same service: Checkout API · both mention checkout api high latency"))
            #expect(!page.contains("href=\"/incidents/\(unrelated.key)\""))
            // The earlier incident has nothing before it: no empty section.
            #expect(!(try await browser.get("/incidents/\(earlier.key)").text.contains("Seen before")))

            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            let items = try #require(try await api.call(.get, "/incidents/\(live.key)/related").json["items"] as? [[String: Any]])
            #expect(items.map { $0["key"] as? String } == [earlier.key])
            #expect(items.first?["sharedServices"] as? [String] == ["checkout-api"])
            #expect(try await api.call(.get, "/incidents/INC-999/related").status == .notFound)
        }
    }

    @Test(arguments: Backend.available) func badOrMissingSignaturesAre401AndWriteNothing(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            try await store.addPagerDutySubscription(name: "production", secret: Self.secret)
            try await store.addPagerDutySubscription(name: "waiting", secret: nil)
            let body = pagerDutyFixtures[0].body
            let good = PagerDutySignature.header(body: body, secret: Self.secret)
            var tampered = body
            tampered[tampered.count - 3] ^= 0x01
            let attempts: [(String, Data, String?)] = [
                ("production", body, nil),
                ("production", body, ""),
                ("production", body, PagerDutySignature.header(body: body, secret: "another secret")),
                ("production", body, good.replacingOccurrences(of: "v1=", with: "v0=")),
                ("production", body, String(good.dropLast(2))),
                ("production", tampered, good),
                ("waiting", body, PagerDutySignature.header(body: body, secret: "")),
                ("nobody", body, good),
            ]
            for (sub, b, sig) in attempts {
                let r = try await deliver(client, b, subscription: sub, signature: sig)
                #expect(r.status == .unauthorized, "\(sub) \(sig ?? "nil")")
                #expect((r.json["error"] as? [String: Any])?["code"] != nil)
            }
            #expect(try await store.incidentCount() == 0)
        }
    }

    @Test(arguments: Backend.available) func severalSignaturesDuringARotationAndTheRest(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            try await store.addPagerDutySubscription(name: "production", secret: Self.secret)
            let body = pagerDutyFixtures[0].body
            let rotating = PagerDutySignature.header(body: body, secret: "the old secret") + "," + PagerDutySignature.header(body: body, secret: Self.secret)
            let ok = try await deliver(client, body, signature: rotating)
            #expect(ok.status == .ok)
            #expect(ok.json["createdIncident"] as? Bool == true)
            let again = try await deliver(client, body, signature: rotating)
            #expect(again.json["duplicate"] as? Bool == true)

            // Signed but not JSON: a clear 400, nothing written.
            let junk = Data("{\"event\": {\"id\": ".utf8)
            let bad = try await deliver(client, junk, signature: PagerDutySignature.header(body: junk, secret: Self.secret))
            #expect(bad.status == .badRequest)
            // A ping or another resource type is acknowledged and ignored.
            let ping = Data(#"{"event":{"id":"01PING","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2026-04-01T02:00:00Z","agent":null,"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}}"#.utf8)
            let pong = try await deliver(client, ping, signature: PagerDutySignature.header(body: ping, secret: Self.secret))
            #expect(pong.status == .accepted)
            #expect(try await store.incidentCount() == 1)
            #expect(try await store.pagerDutySubscriptions().first?.lastDeliveryAt != nil)
        }
    }

    @Test(arguments: Backend.available) func adminsManageSubscriptionsInSettings(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let admin = Browser(client)
            try await admin.signIn("ada@example.com", "correct horse battery")
            var page = try await admin.get("/settings/pagerduty")
            #expect(page.status == .ok)
            page = try await admin.post("/settings/pagerduty", [("name", "Production"), ("secret", "")])
            #expect(page.text.contains("/hooks/pagerduty/production"))
            #expect(page.text.contains("missing — deliveries refused"))
            page = try await admin.post("/settings/pagerduty", [("name", "bad name!"), ("secret", "")])
            #expect(page.status == .unprocessableContent)
            page = try await admin.post("/settings/pagerduty/production/secret", [("secret", Self.secret)])
            #expect(page.status == .seeOther || page.status == .found)
            #expect(try await store.pagerDutySigningSecret(subscription: "production") == Self.secret)
            page = try await admin.get("/settings/pagerduty")
            #expect(!page.text.contains(Self.secret), "the secret is never shown again")
            // Without the form's token nothing changes.
            let forged = try await admin.post("/settings/pagerduty/production/delete", [], csrf: false)
            #expect(forged.status == .forbidden)
            // Members do not see the page at all.
            let member = Browser(client)
            try await member.signIn(f.member.email, "another long password")
            #expect(try await member.get("/settings/pagerduty").status == .notFound)
            #expect(try await member.post("/settings/pagerduty", [("name", "sneaky")]).status == .notFound)
            try await admin.post("/settings/pagerduty/production/delete", [])
            #expect(try await store.pagerDutySubscriptions().isEmpty)
        }
    }
}
