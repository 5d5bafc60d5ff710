import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// The maintenance report over `since ..< until`, from what `viewer` may
    /// see: the tags of contributing factors and the follow-ups of reviews
    /// hidden from them are not counted (incidents are open to everyone).
    /// Without a viewer (the operator at the command line) everything counts.
    public func maintenanceReport(since: Date, until: Date, viewer: Viewer?) async throws -> MaintenanceReport {
        let sql = try sqlDatabase()
        let access = try await reviewScope(viewer)
        let happened: SQLQueryString = "COALESCE(i.impact_started_at, i.detected_at, i.created_at)"

        struct Found { var key: String; var happened: Date; var minutes: Int?; var services: [String] = []; var tags: Set<String> = [] }
        var incidents: [UUID: Found] = [:]
        for row in try await sql.raw("""
            SELECT i.id, i.number, \(happened) AS happened, COALESCE(i.impact_started_at, i.detected_at) AS started,
                   COALESCE(i.mitigated_at, i.resolved_at) AS ended, s.service_slug
            FROM incidents i LEFT JOIN incident_services s ON s.incident_id = i.id
            WHERE \(happened) >= \(bind: since) AND \(happened) < \(bind: until)
            """).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            if incidents[id] == nil {
                let started = try row.decode(column: "started", as: Date?.self), ended = try row.decode(column: "ended", as: Date?.self)
                let minutes = zip2(started, ended).flatMap { $1 > $0 ? Int(($1.timeIntervalSince($0) / 60).rounded()) : nil }
                incidents[id] = Found(key: Incident.key(for: try row.decode(column: "number", as: Int.self)), happened: try row.decode(column: "happened", as: Date.self), minutes: minutes)
            }
            if let service = try row.decode(column: "service_slug", as: String?.self) { incidents[id]!.services.append(service) }
        }

        // Tags of the contributing factors of reviews the viewer may see, by review and by incident.
        var tagQuery: SQLQueryString = """
            SELECT r.id AS review_id, r.incident_id, t.tag FROM finding_tags t JOIN findings fd ON fd.id = t.finding_id JOIN reviews r ON r.id = fd.review_id WHERE 1 = 1
            """
        for c in Self.visibleReview("fd.review_id", access) { tagQuery += " AND " + c }
        var tagsByReview: [UUID: Set<String>] = [:]
        for row in try await sql.raw(tagQuery).all() {
            let tag = try row.decode(column: "tag", as: String.self)
            tagsByReview[try row.decode(column: "review_id", as: UUID.self), default: []].insert(tag)
            let incident = try row.decode(column: "incident_id", as: UUID.self)
            if incidents[incident] != nil { incidents[incident]!.tags.insert(tag) }
        }

        var doneQuery: SQLQueryString = """
            SELECT f.service_slug, f.closed_at, f.review_id FROM follow_ups f
            WHERE f.status = 'done' AND f.closed_at >= \(bind: since) AND f.closed_at < \(bind: until)
            """
        for c in Self.visibleReview("f.review_id", access) { doneQuery += " AND " + c }
        let done = try await sql.raw(doneQuery).all().map { row in
            MaintenanceReport.FollowUpFact(
                service: try row.decode(column: "service_slug", as: String?.self), closedAt: try row.decode(column: "closed_at", as: Date.self),
                tags: try row.decode(column: "review_id", as: UUID?.self).map { (tagsByReview[$0] ?? []).sorted() } ?? [])
        }
        // Links to later incidents of the period, whenever they were recorded.
        let inPeriod = Set(incidents.values.map(\.key))
        let links = try await followUpLinks(viewer: viewer).filter { inPeriod.contains($0.incidentKey) }
        return MaintenanceReport.build(
            incidents: incidents.values.map { .init(key: $0.key, services: $0.services.sorted(), happenedAt: $0.happened, minutes: $0.minutes, tags: $0.tags.sorted()) },
            followUpsDone: done, links: links, since: since, until: until)
    }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
