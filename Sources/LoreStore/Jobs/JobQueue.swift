import FluentKit
import Foundation
import LoreCore
import SQLKit

/// A unit of background work, claimed by one worker at a time.
public struct Job: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var dedupeKey: String
    public var payload: String
    public var dueAt: Date
    public var attempts: Int
}

/// Jobs live in the database so that they survive restarts and so that
/// several `lore serve` processes on one database share them: a job is
/// claimed with a single UPDATE (with `FOR UPDATE SKIP LOCKED` on PostgreSQL;
/// SQLite has one writer at a time), held under a lease, and finished only by
/// the worker that holds it. A dedupe key makes planning the same job twice a
/// no-op.
extension LoreStore {
    /// Adds a job unless one with the same key exists. True when added.
    @discardableResult
    public func enqueueJob(kind: String, dedupeKey: String, payload: String, dueAt: Date, now: Date = Date()) async throws -> Bool {
        if try await JobRow.query(on: db).filter(\.$dedupeKey == dedupeKey).count() > 0 { return false }
        let row = JobRow()
        row.kind = kind
        row.dedupeKey = dedupeKey
        row.payload = payload
        row.dueAt = dueAt.ms
        row.status = "pending"
        row.attempts = 0
        row.createdAt = now.ms
        do {
            try await row.create(on: db)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false  // another process planned it at the same moment
        }
    }

    /// Claims the next due job for `worker`, or nil when none is due.
    public func claimJob(worker: String, now: Date = Date(), lease: TimeInterval = 120) async throws -> Job? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let skipLocked = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE jobs SET locked_by = \(bind: worker), locked_until = \(bind: now.addingTimeInterval(lease).ms), attempts = attempts + 1
            WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND due_at <= \(bind: now.ms)
                        AND (locked_until IS NULL OR locked_until < \(bind: now.ms))
                        ORDER BY due_at LIMIT 1\(unsafeRaw: skipLocked))
            RETURNING id, kind, dedupe_key, payload, due_at, attempts
            """
        guard let row = try await sql.raw(query).first() else { return nil }
        return Job(
            id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String.self), payload: try row.decode(column: "payload", as: String.self),
            dueAt: try row.decode(column: "due_at", as: Date.self).ms, attempts: try row.decode(column: "attempts", as: Int.self))
    }

    /// Marks a claimed job done. False when the lease was lost meanwhile.
    @discardableResult
    public func completeJob(_ id: UUID, worker: String, now: Date = Date(), note: String? = nil) async throws -> Bool {
        guard let row = try await JobRow.find(id, on: db), row.lockedBy == worker, row.status == "pending" else { return false }
        row.status = "done"
        row.finishedAt = now.ms
        row.lastError = note
        row.lockedUntil = nil
        try await row.update(on: db)
        return true
    }

    /// Queues the job with this key, or runs it again if it has finished or
    /// failed (its key stays one job: two servers asking at once still make
    /// one). True when it is now pending.
    @discardableResult
    public func requeueJob(kind: String, dedupeKey: String, payload: String, dueAt: Date, now: Date = Date()) async throws -> Bool {
        if try await enqueueJob(kind: kind, dedupeKey: dedupeKey, payload: payload, dueAt: dueAt, now: now) { return true }
        guard let row = try await JobRow.query(on: db).filter(\.$dedupeKey == dedupeKey).first() else { return false }
        if row.status == "pending" { return true }
        row.status = "pending"
        row.attempts = 0
        row.payload = payload
        row.dueAt = dueAt.ms
        row.lockedBy = nil
        row.lockedUntil = nil
        row.lastError = nil
        row.finishedAt = nil
        try await row.update(on: db)
        return true
    }

    /// Whether the job with this key is waiting to run.
    public func jobPending(dedupeKey: String) async throws -> Bool {
        try await JobRow.query(on: db).filter(\.$dedupeKey == dedupeKey).filter(\.$status == "pending").count() > 0
    }

    /// Gives a claimed job back to be retried at `retryAt`, or marks it failed
    /// after too many attempts.
    public func failJob(_ id: UUID, worker: String, error: String, retryAt: Date?, now: Date = Date()) async throws {
        guard let row = try await JobRow.find(id, on: db), row.lockedBy == worker else { return }
        row.lastError = String(error.prefix(500))
        row.lockedBy = nil
        row.lockedUntil = nil
        if let retryAt {
            row.dueAt = retryAt.ms
        } else {
            row.status = "failed"
            row.finishedAt = now.ms
        }
        try await row.update(on: db)
    }

    /// Jobs waiting to run (due or not) and how long the longest-waiting
    /// due one has been due, for `/metrics`: two aggregates, whatever the
    /// queue's size.
    public func jobQueueState(now: Date = Date()) async throws -> (pending: Int, oldestDueSeconds: Double) {
        let pending = try await JobRow.query(on: db).filter(\.$status == "pending").count()
        let oldest = try await JobRow.query(on: db).filter(\.$status == "pending").filter(\.$dueAt <= now.ms).min(\.$dueAt)
        return (pending, oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    /// PostgreSQL: the connections of every Lore server on this database by
    /// state (`active`, `idle`, `idle_in_transaction`, `other`), as the
    /// server sees them (this server's own pool: `LoreDatabase.poolState()`).
    /// SQLite has one connection per process and reports none.
    public func databaseConnections() async throws -> [(state: String, count: Int)] {
        guard !isSQLite else { return [] }
        var counts: [String: Int] = ["active": 0, "idle": 0, "idle_in_transaction": 0, "other": 0]
        for row in try await sqlDatabase().raw("""
            SELECT coalesce(state, 'other') AS state, count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'lore' GROUP BY 1
            """).all() {
            let state = try row.decode(column: "state", as: String.self).replacingOccurrences(of: " ", with: "_")
            counts[counts[state] == nil ? "other" : state, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Counts of jobs by status and kind, for tests and the operator.
    public func jobCounts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await JobRow.query(on: db).all() { out["\(row.kind):\(row.status)", default: 0] += 1 }
        return out
    }

    // MARK: Webhook endpoints

    /// Adds an endpoint; returns it with its signing secret (generated when
    /// none was given), which is shown to the admin once.
    public func createWebhookEndpoint(_ input: WebhookEndpointInput, now: Date = Date(), by actor: AuditActor = .commandLine) async throws -> (endpoint: WebhookEndpoint, secret: String) {
        let v = try input.validated()
        let secret = v.secret.isEmpty ? Secrets.generate(prefix: "whsec_") : v.secret
        let row = WebhookEndpointRow()
        row.name = v.name
        row.url = v.url
        row.format = v.format.rawValue
        row.secret = secret
        row.active = true
        row.createdAt = now.ms
        try await row.create(on: db)
        try await recordAudit(actor.event(.webhookAdded, subjectType: "webhook", subjectID: row.id?.uuidString, detail: "\(v.name) → \(v.url) (\(v.format.rawValue))", at: now))
        return (Self.endpoint(row), secret)
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await WebhookEndpointRow.query(on: db).sort(\.$createdAt).all().map(Self.endpoint)
    }

    /// The endpoint with its secret, for signing a delivery.
    public func webhookEndpointForDelivery(id: UUID) async throws -> (endpoint: WebhookEndpoint, secret: String)? {
        guard let row = try await WebhookEndpointRow.find(id, on: db) else { return nil }
        return (Self.endpoint(row), row.secret)
    }

    public func deleteWebhookEndpoint(id: UUID, by actor: AuditActor = .commandLine) async throws {
        guard let row = try await WebhookEndpointRow.find(id, on: db) else { throw StoreError.notFound("Webhook") }
        try await row.delete(on: db)
        try await recordAudit(actor.event(.webhookRemoved, subjectType: "webhook", subjectID: id.uuidString, detail: "\(row.name) → \(row.url)"))
    }

    static func endpoint(_ r: WebhookEndpointRow) -> WebhookEndpoint {
        WebhookEndpoint(id: r.id!, name: r.name, url: r.url, format: WebhookFormat(rawValue: r.format) ?? .json, active: r.active, createdAt: r.createdAt.ms)
    }

    // MARK: What the planner needs

    /// Closed ballots, with when they closed, for follow-through checkpoints.
    public func closedBallots() async throws -> [(ballotID: UUID, reviewID: UUID, closedAt: Date)] {
        try await BallotRow.query(on: db).filter(\.$status == BallotStatus.closed.rawValue).all().compactMap { r in
            r.closedAt.map { (r.id!, r.reviewID, $0.ms) }
        }
    }

    /// Incidents whose review window ends after `since` (mitigated or resolved).
    public func incidentsWithWindow(closingAfter since: Date, windowHours: Int) async throws -> [Incident] {
        let earliest = since.addingTimeInterval(-TimeInterval(windowHours) * 3600)
        return try await readIncidents("WHERE i.resolved_at >= \(bind: earliest) OR i.mitigated_at >= \(bind: earliest)")
    }

    /// The earliest time any review of the incident was held (operator view:
    /// reminders are about the team's commitment, not one viewer's).
    public func firstHeldAt(incidentID: UUID) async throws -> Date? {
        try await ReviewRow.query(on: db).filter(\.$incidentID == incidentID).all().compactMap(\.heldAt).min()?.ms
    }
}
