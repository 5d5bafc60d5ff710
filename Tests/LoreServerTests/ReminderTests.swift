import Foundation
import HTTPTypes
import Hummingbird
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func set(_ d: Date) { lock.withLock { current = d } }
}

/// A local webhook receiver that counts what it gets.
actor Receiver {
    struct Delivery { var body: String; var signature: String; var event: String; var deliveryID: String }
    var deliveries: [Delivery] = []
    var failNext = 0

    func record(_ d: Delivery) -> Bool {
        if failNext > 0 { failNext -= 1; return false }
        deliveries.append(d)
        return true
    }
    func failing(_ n: Int) { failNext = n }
    func events() -> [String] { deliveries.map(\.event) }
}

/// Runs `body` with a receiver listening on a real port.
func withReceiver(_ body: @escaping @Sendable (Receiver, String) async throws -> Void) async throws {
    let receiver = Receiver()
    let router = Router()
    router.post("/hook") { request, _ -> Response in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let ok = await receiver.record(.init(
            body: String(buffer: buffer), signature: request.headers[HTTPField.Name("X-Lore-Signature")!] ?? "",
            event: request.headers[HTTPField.Name("X-Lore-Event")!] ?? "", deliveryID: request.headers[HTTPField.Name("X-Lore-Delivery")!] ?? ""))
        return Response(status: ok ? .ok : .internalServerError)
    }
    try await withLocalServer(router) { port in try await body(receiver, "http://127.0.0.1:\(port)/hook") }
}

/// Runs `router` on a free port of this machine while `body` runs.
///
/// The server is run directly rather than through `app.test(.live)`: its test
/// client connects to "localhost" with a 5 s limit it then reports as the
/// test's error, which a loaded CI machine has hit though these servers only
/// need their port.
func withLocalServer(_ router: Router<BasicRequestContext>, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    let (ports, portFound) = AsyncStream<Int>.makeStream()
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in portFound.yield(channel.localAddress?.port ?? 0) })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var found = ports.makeAsyncIterator()
        guard let port = await found.next(), port > 0 else { throw CancellationError() }
        do {
            try await body(port)
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
        _ = try? await group.next()
    }
}

@Suite("Review-window reminders and checkpoints")
struct ReminderTests {
    static let resolved = t("2026-03-01T12:00:00Z")

    /// Two workers on one database (as two `lore serve` processes would be)
    /// deliver each reminder exactly once, signed.
    @Test(arguments: Backend.available)
    func twoWorkersDeliverEachReminderExactlyOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { db, store in
            _ = try await Fixture.make(store)
            let other = try await LoreDatabase.open(db.location)  // a second connection pool, like a second process
            defer { Task { await other.shutdown() } }
            try await withReceiver { receiver, url in
                let (_, secret) = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: url, format: .json, secret: "a-signing-secret-of-some-length"))
                try await store.createIncident(IncidentInput(title: "Queue backlog", severity: "SEV2", status: .resolved, detectionSource: "other",
                                                            detectedAt: .some(Self.resolved.addingTimeInterval(-3600)), resolvedAt: .some(Self.resolved)), now: Self.resolved)
                let clock = TestClock(Self.resolved.addingTimeInterval(3600))
                let a = BackgroundWork(store: store, worker: "A", clock: { clock.now })
                let b = BackgroundWork(store: other.store, worker: "B", clock: { clock.now })
                func bothTick(_ times: Int = 3) async throws {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<times {
                            group.addTask { try await a.tick() }
                            group.addTask { try await b.tick() }
                        }
                        try await group.waitForAll()
                    }
                }
                try await bothTick()
                #expect(await receiver.deliveries.isEmpty)

                clock.set(Self.resolved.addingTimeInterval(48 * 3600 + 1))  // 24 h before the 72 h window closes
                try await bothTick()
                #expect(await receiver.events() == ["review.window_reminder"])

                clock.set(Self.resolved.addingTimeInterval(72 * 3600 + 1))  // it closes
                try await bothTick()
                try await bothTick()
                #expect(await receiver.events() == ["review.window_reminder", "review.window_closed"])

                for d in await receiver.deliveries {
                    #expect(d.signature == WebhookSignature.header(body: Data(d.body.utf8), secret: secret))
                    let json = try #require(try JSONSerialization.jsonObject(with: Data(d.body.utf8)) as? [String: Any])
                    #expect((json["text"] as? String)?.contains("INC-1") == true)
                }
                await a.shutdown()
                await b.shutdown()
            }
        }
    }

    /// Jobs survive a restart: planned before the due time by one process,
    /// delivered after it by a fresh one. A job held by a worker that died is
    /// delivered once its lease runs out.
    @Test(arguments: Backend.available)
    func aRestartBetweenDueTimeAndDeliveryStillDeliversOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { db, store in
            _ = try await Fixture.make(store)
            try await withReceiver { receiver, url in
                _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "slack", url: url, format: .slack, secret: nil))
                try await store.createIncident(IncidentInput(title: "Queue backlog", severity: "SEV2", status: .resolved, detectionSource: "other",
                                                            resolvedAt: .some(Self.resolved)), now: Self.resolved)
                let clock = TestClock(Self.resolved.addingTimeInterval(3600))
                let first = BackgroundWork(store: store, worker: "first", clock: { clock.now })
                try await first.tick()  // plans, nothing due
                await first.shutdown()  // "the server stops"

                clock.set(Self.resolved.addingTimeInterval(49 * 3600))
                // A worker that claims the due reminder and dies before finishing it.
                let stolen = try #require(try await store.claimJob(worker: "crashed", now: clock.now, lease: 120))
                #expect(stolen.kind == "reminder")

                let restarted = try await LoreDatabase.open(db.location)
                let second = BackgroundWork(store: restarted.store, worker: "second", clock: { clock.now })
                try await second.tick()
                #expect(await receiver.deliveries.isEmpty)  // still leased to the dead worker
                clock.set(clock.now.addingTimeInterval(180))
                try await second.tick()
                try await second.tick()
                let deliveries = await receiver.deliveries
                #expect(deliveries.map(\.event) == ["review.window_reminder"])
                #expect(deliveries.first?.body.hasPrefix("{\"text\":") == true)  // Slack format
                await second.shutdown()
                await restarted.shutdown()
            }
        }
    }

    @Test func failedDeliveriesAreRetriedWithBackoffAndHeldReviewsAreNotNagged() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let f = try await Fixture.make(store)
            try await withReceiver { receiver, url in
                _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: url, format: .json, secret: nil))
                let i1 = try await store.createIncident(IncidentInput(title: "One", severity: "SEV3", status: .resolved, detectionSource: "other", resolvedAt: .some(Self.resolved)), now: Self.resolved)
                let i2 = try await store.createIncident(IncidentInput(title: "Two", severity: "SEV3", status: .resolved, detectionSource: "other", resolvedAt: .some(Self.resolved)), now: Self.resolved)
                _ = i1
                // INC-2's review is held in time: no reminder for it.
                try await store.createReview(incidentID: i2.id, ReviewInput(level: .team, status: .held), by: try await store.viewer(for: f.admin), now: Self.resolved.addingTimeInterval(3600))
                let clock = TestClock(Self.resolved.addingTimeInterval(3600))
                let w = BackgroundWork(store: store, worker: "w", clock: { clock.now })
                try await w.tick()
                await receiver.failing(2)
                clock.set(Self.resolved.addingTimeInterval(48 * 3600 + 1))
                try await w.tick()                       // attempt 1 fails
                #expect(await receiver.deliveries.isEmpty)
                clock.set(clock.now.addingTimeInterval(10))
                try await w.tick()                       // not yet: backing off 30 s
                clock.set(clock.now.addingTimeInterval(25))
                try await w.tick()                       // attempt 2 fails; next in 60 s
                clock.set(clock.now.addingTimeInterval(61))
                try await w.tick()                       // attempt 3 succeeds
                let deliveries = await receiver.deliveries
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.body.contains("INC-1") == true)
                await w.shutdown()
            }
        }
    }

    /// At 14, 28 and 42 days after a ballot closes, Lore records what was done
    /// and announces it.
    @Test func followThroughCheckpointsAreRecordedAndAnnounced() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let f = try await Fixture.make(store)
            try await withReceiver { receiver, url in
                _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: url, format: .json, secret: nil))
                let admin = try await store.viewer(for: f.admin)
                let i = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
                let r = try await store.createReview(incidentID: i.id, ReviewInput(level: .team), by: admin)
                let fu = try await store.createFollowUp(incidentID: i.id, reviewID: r.id, FollowUpInput(title: "Cap retries", ownerTeam: "payments"), by: admin)
                try await store.createFollowUp(incidentID: i.id, reviewID: r.id, FollowUpInput(title: "Alert", ownerTeam: "payments"), by: admin)
                try await store.openBallot(reviewID: r.id, by: admin)
                try await store.vote(reviewID: r.id, picks: [fu.id], by: admin)
                let closedAt = t("2026-04-01T09:00:00Z")
                try await store.closeBallot(reviewID: r.id, by: admin, now: closedAt)
                try await store.updateFollowUp(id: fu.id, FollowUpInput(status: .done), by: admin, now: closedAt.addingTimeInterval(3 * 86400))
                let clock = TestClock(closedAt.addingTimeInterval(86400))
                let w = BackgroundWork(store: store, worker: "w", clock: { clock.now })
                try await w.tick()
                clock.set(closedAt.addingTimeInterval(29 * 86400))
                try await w.tick()
                try await w.tick()
                let view = try #require(try await store.ballot(reviewID: r.id, viewer: admin))
                #expect(view.readings.map(\.day) == [14, 28])
                #expect(view.readings[0].focusClosed == 1 && view.readings[0].focusTotal == 1)
                #expect(await receiver.events() == ["ballot.follow_through", "ballot.follow_through"])
                await w.shutdown()
            }
        }
    }
}
