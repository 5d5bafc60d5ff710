import Foundation
import Hummingbird
import LoreStore
import Prometheus

/// What `GET /metrics` reports, in the Prometheus text format: requests by
/// route pattern and status with their latency, PagerDuty deliveries and
/// timeline imports by outcome, the connection pool's use and queue, and the job queue's depth and the age of its
/// oldest due job (read from the database at each scrape, so every server on
/// one database reports the same queue).
///
/// Label values are route patterns and fixed words, never a path as sent, an
/// incident key or an id: each series stays one series, and nothing a person
/// typed reaches the monitoring system.
final class LoreMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Methods outside the usual ones count as `OTHER`: a client can send
    /// any method, and each would otherwise open a series of its own.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func request(route: String, method: String, status: Int, duration: Duration) {
        let method = Self.methods.contains(method) ? method : "OTHER"
        registry.makeCounter(
            name: "lore_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))],
            help: "HTTP requests answered, by route pattern, method and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "lore_http_request_duration_seconds", labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets,
            help: "Time to answer an HTTP request, by route pattern and method."
        ).record(duration)
    }

    /// `created`, `duplicate`, `ignored`, `bad_signature`, `unknown_subscription`, `invalid`.
    func pagerDutyDelivery(_ outcome: String) {
        registry.makeCounter(name: "lore_pagerduty_deliveries_total", labels: [("outcome", outcome)], help: "PagerDuty webhook deliveries, by outcome.").increment()
    }

    /// Kind `csv` or `markdown` (`table` when it could not be read), or
    /// `slack` (an uploaded export); outcome `imported` or `refused`.
    func timelineImport(kind: String, outcome: String) {
        registry.makeCounter(
            name: "lore_timeline_imports_total", labels: [("kind", kind), ("outcome", outcome)], help: "Timeline imports from the web, by kind and outcome."
        ).increment()
    }

    /// Outgoing webhook deliveries: `delivered`, `retrying` (the receiver
    /// failed or did not answer; tried again later), `failed` (given up after
    /// the last attempt), `dropped` (the endpoint was removed meanwhile).
    func webhookDelivery(_ outcome: String) {
        registry.makeCounter(name: "lore_webhook_deliveries_total", labels: [("outcome", outcome)], help: "Outgoing webhook deliveries, by outcome.").increment()
    }

    /// The text a scrape receives, with the queue, the review windows, this
    /// server's connection pool and the database's connections read now.
    func exposition(store: LoreStore, pool: ConnectionPoolState?) async throws -> String {
        let windows = try await store.reviewWindowTotals()
        registry.makeGauge(name: "lore_review_windows_open", help: "Incidents whose review window is open and has no review held yet.").set(Double(windows.openWithoutReview))
        registry.makeGauge(name: "lore_review_windows_missed", help: "Review windows that closed in the last 90 days without a review held in time.").set(Double(windows.missed))
        if let pool {
            for (state, count) in [("in_use", pool.inUse), ("idle", pool.idle)] {
                registry.makeGauge(name: "lore_db_pool_connections", labels: [("state", state)],
                                   help: "This server's database connections, by state (in_use: checked out for a statement or transaction; idle: open, waiting in the pool).").set(Double(count))
            }
            registry.makeGauge(name: "lore_db_pool_waiting", help: "Requests of this server queued for a database connection because every one the pool may open is in use.").set(Double(pool.waiting))
            registry.makeGauge(name: "lore_db_pool_size", help: "The most connections this server's pool may open.").set(Double(pool.size))
        }
        for (state, count) in try await store.databaseConnections() {
            registry.makeGauge(name: "lore_db_connections", labels: [("state", state)],
                               help: "PostgreSQL connections of every Lore server on this database, by state (active: running a statement; idle: waiting in a pool).").set(Double(count))
        }
        let queue = try await store.jobQueueState()
        registry.makeGauge(name: "lore_jobs_pending", help: "Background jobs waiting to run (webhook deliveries, reminders, digests).").set(Double(queue.pending))
        registry.makeGauge(name: "lore_jobs_oldest_due_seconds", help: "How long the longest-waiting due job has been due (0 when none is).").set(queue.oldestDueSeconds)
        return registry.emitToString()
    }

    /// `GET /metrics`: answered only with the configured token (404 when no
    /// token is configured, as if there were no such page; 401 for a wrong one).
    static func register(on router: Router<LoreRequestContext>, app: LoreApp) {
        router.group().add(middleware: APIErrorMiddleware()).get("/metrics") { request, _ -> Response in
            guard let expected = app.configuration.metricsToken, !expected.isEmpty else { throw LoreHTTPError.notFound("Page") }
            let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            guard Secrets.constantTimeEquals(given, expected) else {
                throw LoreHTTPError(.unauthorized, code: "unauthorized", message: "Send the metrics token as Authorization: Bearer <token>.")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try await app.metrics.exposition(store: app.store, pool: await app.database.poolState()))))
        }
    }
}
