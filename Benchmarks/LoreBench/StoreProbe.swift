import Foundation
import Logging
import LoreCore
import LoreImport
import LoreStore

/// Where a webhook delivery's time goes, without HTTP: parse and record
/// directly, and a single-row read for scale.
func pagerDutyStoreProbe(events count: Int) async throws {
    let (database, dir, _) = try await freshBenchDatabase("lore-bench-probe")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = database.store
    var activities: [PagerDutyActivity] = []
    for i in 0..<count {
        let incident = "PBENCH\(i % 200)"
        let body = Data(#"{"event":{"id":"EV\#(i)","event_type":"incident.annotated","resource_type":"incident","occurred_at":"2026-04-01T02:00:00Z","agent":{"summary":"Priya","type":"user_reference"},"client":null,"data":{"incident":{"id":"\#(incident)","type":"incident_reference","html_url":"https://acme.pagerduty.com/incidents/\#(incident)","summary":"Checkout latency"},"id":"N\#(i)","content":"Note \#(i)","type":"incident_note"}}}"#.utf8)
        activities.append(try PagerDutyWebhookEvent.parse(body))
    }
    var start = nanos()
    for a in activities.prefix(count / 2) { try await store.recordPagerDutyActivity(a) }
    let record = Double(nanos() - start) / 1e9 * 2
    start = nanos()
    var rest = Array(activities.suffix(count / 2))
    while !rest.isEmpty {
        let batch = Array(rest.prefix(16))
        rest.removeFirst(batch.count)
        _ = try await store.recordPagerDutyActivities(batch)
    }
    let batched = Double(nanos() - start) / 1e9 * 2
    print(String(format: "batches of 16: %.0f µs per delivery", batched / Double(count) * 1e6))
    start = nanos()
    for _ in 0..<count { _ = try await store.settings() }
    let settings = Double(nanos() - start) / 1e9
    start = nanos()
    for n in 0..<count { _ = try await store.incident(number: 1 + n % 200) }
    let load = Double(nanos() - start) / 1e9
    print(String(format: "record: %.0f µs each; settings(): %.0f µs; incident(number:) with links: %.0f µs",
                 record / Double(count) * 1e6, settings / Double(count) * 1e6, load / Double(count) * 1e6))
    await database.shutdown()
}
