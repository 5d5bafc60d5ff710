import Foundation
import LoreCore
@testable import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// What `/metrics` says about the work behind the pages: webhook deliveries
/// by outcome, review windows open and missed, and the database's
/// connections, read as a scraper reads them.
@Suite("Operational metrics")
struct OperationalMetricsTests {
    @Test(arguments: Backend.available)
    func deliveriesWindowsAndConnectionsAreReported(backend: Backend) async throws {
        try await withTestDatabase(backend) { database, store in
            _ = try await Fixture.make(store)
            let now = Date()
            // A window open without a review, one that closed without one
            // (missed), and one kept: a review held in time.
            try await store.createIncident(IncidentInput(title: "Open window", severity: "SEV3", status: .resolved, detectionSource: "other",
                                                        resolvedAt: .some(now.addingTimeInterval(-2 * 3600))), now: now.addingTimeInterval(-3 * 3600))
            try await store.createIncident(IncidentInput(title: "Missed window", severity: "SEV3", status: .resolved, detectionSource: "other",
                                                        resolvedAt: .some(now.addingTimeInterval(-10 * 86400))), now: now.addingTimeInterval(-11 * 86400))
            let kept = try await store.createIncident(IncidentInput(title: "Kept window", severity: "SEV3", status: .resolved, detectionSource: "other",
                                                                   resolvedAt: .some(now.addingTimeInterval(-20 * 86400))), now: now.addingTimeInterval(-21 * 86400))
            let admin = try await store.viewer(for: try #require(try await store.users().first { $0.role == .admin }))
            try await store.createReview(incidentID: kept.id, ReviewInput(level: .team, status: .held), by: admin, now: now.addingTimeInterval(-19 * 86400))

            let metrics = LoreMetrics()
            try await withReceiver { receiver, url in
                _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: url, format: .json, secret: nil))
                // Events for the open window's reminder are planned and fanned out; the
                // receiver fails the first delivery, which is retried later and delivered.
                await receiver.failing(1)
                let clock = TestClock(now.addingTimeInterval(70 * 3600))
                let work = BackgroundWork(store: store, worker: "metrics", clock: { clock.now }, metrics: metrics)
                for _ in 0..<3 { try await work.tick() }
                clock.set(now.addingTimeInterval(71 * 3600))
                for _ in 0..<3 { try await work.tick() }
                await work.shutdown()
                #expect(await receiver.deliveries.count >= 1)
            }
            let text = try await metrics.exposition(store: store, pool: await database.poolState())
            let parsed = try PrometheusText.parse(text)
            func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
                parsed.samples.first { $0.name == name && $0.labels == labels }?.value
            }
            #expect(parsed.types["lore_webhook_deliveries_total"] == "counter")
            #expect(value("lore_webhook_deliveries_total", ["outcome": "retrying"]) == 1)
            #expect((value("lore_webhook_deliveries_total", ["outcome": "delivered"]) ?? 0) >= 1)
            #expect(value("lore_review_windows_open") == 1)
            #expect(value("lore_review_windows_missed") == 1)
            // This server's pool, idle between requests: nothing checked out or queued.
            #expect(parsed.types["lore_db_pool_connections"] == "gauge")
            #expect(value("lore_db_pool_connections", ["state": "in_use"]) == 0)
            #expect((value("lore_db_pool_connections", ["state": "idle"]) ?? 0) >= 1)
            #expect(value("lore_db_pool_waiting") == 0)
            #expect(value("lore_db_pool_size") == (backend == .sqlite ? 1 : 4))
            if backend == .postgres {
                // The scrape's own statement is running while it is counted.
                #expect((value("lore_db_connections", ["state": "active"]) ?? 0) >= 1)
                // Every state is always reported, so a dashboard's series do not come and go.
                let states = Set(parsed.samples.filter { $0.name == "lore_db_connections" }.compactMap { $0.labels["state"] })
                #expect(states == ["active", "idle", "idle_in_transaction", "other"])
            } else {
                #expect(!parsed.samples.contains { $0.name == "lore_db_connections" }, "SQLite has one connection per process: nothing to report")
            }
        }
    }
}
