import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import LoreCore
import LoreServer
import LoreStore
import NIOCore

/// PagerDuty webhook deliveries over loopback into a real `lore serve` app on
/// a fresh SQLite database: `events` signed v3 events spread over `spread`
/// incidents (a mix of types, out of order), 5 % of them delivered twice,
/// from `senders` concurrent connections. Afterwards every event must be on a timeline exactly once.
/// Baseline, same server, same run: `GET /healthz` (one `SELECT 1`) at the
/// same concurrency — the floor any request with a database touch pays.
func webhookBench(events count: Int, incidents spread: Int, senders: Int) async throws {
    let (database, dir, _) = try await freshBenchDatabase("lore-bench-webhooks")
    defer { try? FileManager.default.removeItem(at: dir) }
    let quiet = quietLogger()
    let store = database.store
    let secret = "bench-secret-\(UUID().uuidString)"
    try await store.addPagerDutySubscription(name: "bench", secret: secret)

    let port = 20_000 + Int(getpid() % 20_000)
    let app = try await buildApplication(database: database, configuration: LoreServerConfiguration(port: port), logger: quiet)
    let server = Task { try await app.runService() }
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: senders)))
    let base = "http://127.0.0.1:\(port)"
    for _ in 0..<100 {
        if (try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(1)).status) == .ok { break }
        try await Task.sleep(for: .milliseconds(50))
    }

    // Bodies shaped like PagerDuty's, signed as PagerDuty signs them.
    let types = ["incident.annotated", "incident.acknowledged", "incident.escalated", "incident.priority_updated", "incident.resolved", "incident.reopened", "incident.responder.added", "incident.status_update_published"]
    var bodies: [(Data, String)] = []
    bodies.reserveCapacity(count)
    for i in 0..<count {
        let incident = "PBENCH\(i % spread)"
        let type = types[(i / spread) % types.count]
        let minute = (i * 7919) % 600  // out of order within each incident
        let occurred = LoreTime.iso(Date(timeIntervalSince1970: 1_775_000_000 + Double(minute) * 6 + Double(i % spread) / 1000))
        let data: String
        if type == "incident.annotated" || type == "incident.responder.added" || type == "incident.status_update_published" {
            data = #"{"incident":{"id":"\#(incident)","type":"incident_reference","html_url":"https://acme.pagerduty.com/incidents/\#(incident)","summary":"Checkout latency \#(i % spread)"},"id":"N\#(i)","content":"Note \#(i): rolled back the canary","message":"Update \#(i)","type":"incident_note"}"#
        } else {
            let status = type == "incident.resolved" ? "resolved" : type == "incident.acknowledged" ? "acknowledged" : "triggered"
            data = #"{"id":"\#(incident)","type":"incident","html_url":"https://acme.pagerduty.com/incidents/\#(incident)","number":\#(i % spread),"status":"\#(status)","title":"Checkout latency \#(i % spread)","service":{"id":"PSVC","summary":"Checkout API"},"assignees":[{"summary":"Priya"}],"escalation_policy":{"summary":"Default"},"teams":[],"priority":{"summary":"P\#(1 + i % 4)"},"urgency":"high","created_at":"2026-03-31T23:00:00Z"}"#
        }
        let body = Data(#"{"event":{"id":"EV\#(i)","event_type":"\#(type)","resource_type":"incident","occurred_at":"\#(occurred)","agent":{"summary":"Priya","type":"user_reference"},"client":null,"data":\#(data)}}"#.utf8)
        bodies.append((body, PagerDutySignature.header(body: body, secret: secret)))
    }
    let deliveries = bodies + bodies.enumerated().filter { $0.offset % 20 == 0 }.map(\.element)

    func run(_ n: Int, _ request: @escaping @Sendable (Int) -> HTTPClientRequest) async throws -> (seconds: Double, failures: Int) {
        let next = Counter()
        let start = nanos()
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<senders {
                group.addTask {
                    var failed = 0
                    while let i = next.take(below: n) {
                        let r = try await client.execute(request(i), timeout: .seconds(30))
                        _ = try await r.body.collect(upTo: 1 << 16)
                        if r.status.code >= 300 { failed += 1 }
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
        return (Double(nanos() - start) / 1e9, failures)
    }

    let baseline = try await run(deliveries.count) { _ in HTTPClientRequest(url: base + "/healthz") }
    let sent = try await run(deliveries.count) { i in
        var r = HTTPClientRequest(url: base + "/hooks/pagerduty/bench")
        r.method = .POST
        r.headers.add(name: "Content-Type", value: "application/json")
        r.headers.add(name: "X-PagerDuty-Signature", value: deliveries[i].1)
        r.body = .bytes(ByteBuffer(data: deliveries[i].0))
        return r
    }
    let incidents = try await store.incidentCount()
    var entries = 0
    for n in 1...max(incidents, 1) {
        if let i = try await store.incident(number: n) { entries += try await store.timeline(incidentID: i.id).count }
    }
    try await client.shutdown()
    server.cancel()
    await database.shutdown()

    let rate = Double(deliveries.count) / sent.seconds
    print("PagerDuty webhooks: \(deliveries.count) signed deliveries (\(count) events on \(spread) incidents, \(deliveries.count - count) repeated), \(senders) senders, SQLite")
    print(String(format: "  %.0f deliveries/s (%.2f s); failed responses: %d", rate, sent.seconds, sent.failures))
    print(String(format: "  baseline GET /healthz, same server and concurrency: %.0f requests/s; a delivery costs %.1f× a health check",
                 Double(deliveries.count) / baseline.seconds, sent.seconds / baseline.seconds))
    print("  incidents: \(incidents) (expected \(spread)); timeline entries: \(entries) (expected \(count)) — \(entries == count && incidents == spread ? "none lost, none duplicated" : "MISMATCH")")
    if entries != count || incidents != spread || sent.failures > 0 { throw BenchFailure(message: "webhook deliveries were lost or duplicated") }
}

struct BenchFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Hands out 0, 1, 2, … to concurrent senders.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
