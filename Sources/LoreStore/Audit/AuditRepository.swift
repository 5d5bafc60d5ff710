import FluentKit
import Foundation
import LoreCore

/// Which audit rows to list.
public struct AuditFilter: Sendable, Equatable {
    public var action: AuditAction?
    public var actorID: UUID?
    public var subjectType: String?
    public var subjectID: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int

    public static let maxLimit = 500

    public init(action: AuditAction? = nil, actorID: UUID? = nil, subjectType: String? = nil, subjectID: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 100) {
        self.action = action
        self.actorID = actorID
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.since = since
        self.until = until
        self.limit = limit
    }
}

extension LoreStore {
    /// Appends a row to the audit log. Call it inside the transaction of the
    /// change it records, so the log never claims what did not happen.
    public func recordAudit(_ e: AuditEvent) async throws {
        let row = AuditEventRow()
        row.id = e.id
        row.at = e.at
        row.actorID = e.actorID
        row.actorName = e.actorName
        row.action = e.action.rawValue
        row.subjectType = e.subjectType
        row.subjectID = e.subjectID
        row.from = e.from
        row.to = e.to
        row.detail = e.detail
        row.address = e.address
        try await row.create(on: db)
    }

    /// The audit log, newest first. Admins only: it names people and addresses.
    public func auditEvents(_ filter: AuditFilter, viewer: Viewer) async throws -> [AuditEvent] {
        guard viewer.isAdmin else { throw StoreError.notFound("Audit log") }
        return try await auditRows(filter)
    }

    /// What happened to a review (visibility, level, publishing, its ballot),
    /// for whoever may see the review.
    public func reviewHistory(reviewID: UUID, viewer: Viewer) async throws -> [AuditEvent] {
        guard try await review(id: reviewID, viewer: viewer) != nil else { throw StoreError.notFound("Review") }
        return try await auditRows(AuditFilter(subjectType: "review", subjectID: reviewID.uuidString, limit: AuditFilter.maxLimit)).reversed()
    }

    func auditRows(_ filter: AuditFilter) async throws -> [AuditEvent] {
        var q = AuditEventRow.query(on: db)
        if let a = filter.action { q = q.filter(\.$action == a.rawValue) }
        if let a = filter.actorID { q = q.filter(\.$actorID == a) }
        if let t = filter.subjectType { q = q.filter(\.$subjectType == t) }
        if let s = filter.subjectID { q = q.filter(\.$subjectID == s) }
        if let s = filter.since { q = q.filter(\.$at >= s) }
        if let u = filter.until { q = q.filter(\.$at < u) }
        let rows = try await q.sort(\.$at, .descending).sort(\.$id, .descending).limit(min(max(filter.limit, 1), AuditFilter.maxLimit)).all()
        return rows.compactMap { r in
            guard let action = AuditAction(rawValue: r.action) else { return nil }
            return AuditEvent(
                id: r.id!, at: r.at.ms, actorID: r.actorID, actorName: r.actorName, action: action,
                subjectType: r.subjectType, subjectID: r.subjectID, from: r.from, to: r.to, detail: r.detail, address: r.address)
        }
    }

    /// Deletes rows older than the retention period (the only deletion the
    /// log ever sees).
    public func pruneAudit(olderThanDays days: Int, now: Date = Date()) async throws {
        try await AuditEventRow.query(on: db).filter(\.$at < AuditRetention.cutoff(now: now, days: days)).delete()
    }
}
