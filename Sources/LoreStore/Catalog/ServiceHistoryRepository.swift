import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// Everything Lore knows about the service `slug` for `viewer`, or nil
    /// when there is no such service. A fixed number of bounded queries,
    /// whatever the size of the history: counts are counted in SQL, lists
    /// are limited there, and findings and follow-ups from reviews the
    /// viewer may not see are kept out inside the query.
    public func serviceHistory(slug: String, viewer: Viewer, now: Date = Date()) async throws -> ServiceHistory? {
        guard let service = try await service(slug: slug) else { return nil }
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("The service page needs an SQL database.") }
        let scope = ReviewScope.viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
        let since = now.addingTimeInterval(-ServiceHistory.period)
        let when = Self.incidentHappened
        let ofService: SQLQueryString = "EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_slug = \(bind: slug))"

        let countRow = try await sql.raw("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN " + when + " >= \(bind: since) THEN 1 ELSE 0 END), 0) AS recent FROM incidents i WHERE " + ofService).first()
        let total = try countRow?.decode(column: "total", as: Int.self) ?? 0
        let inPeriod = try countRow?.decode(column: "recent", as: Int.self) ?? 0

        var marks: [ServiceHistory.IncidentMark] = []
        for row in try await sql.raw("SELECT i.number, i.title, i.severity, i.status, " + when + " AS happened FROM incidents i WHERE " + ofService + " AND " + when
                                     + " >= \(bind: since) ORDER BY happened DESC LIMIT \(literal: ServiceHistory.markLimit)").all() {
            marks.append(ServiceHistory.IncidentMark(
                number: try row.decode(column: "number", as: Int.self), title: try row.decode(column: "title", as: String.self),
                severity: try row.decode(column: "severity", as: String.self),
                status: IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                happenedAt: try row.decode(column: "happened", as: Date.self)))
        }

        // What the reviews learned. A finding promoted into a joint review is
        // the same finding twice; it is said once.
        var learned: [ServiceHistory.Learned] = [], factors: [(incident: Int, text: String)] = [], said = Set<String>()
        var findings: SQLQueryString = "SELECT f.review_id, f.kind, f.text, f.created_at, i.number, i.title FROM findings f JOIN reviews fr ON fr.id = f.review_id JOIN incidents i ON i.id = fr.incident_id WHERE "
            + ofService + " AND f.kind IN ('learning', 'contributing_factor', 'surprise')"
        for c in Self.visibleReview("f.review_id", scope) { findings = findings + " AND " + c }
        findings = findings + " ORDER BY f.created_at DESC, f.id DESC LIMIT 500"
        for row in try await sql.raw(findings).all() {
            let number = try row.decode(column: "number", as: Int.self), text = try row.decode(column: "text", as: String.self)
            guard let kind = FindingKind(rawValue: try row.decode(column: "kind", as: String.self)), said.insert("\(number)\u{0}\(text)").inserted else { continue }
            if kind == .contributingFactor { factors.append((number, text)) }
            if learned.count < ServiceHistory.learnedLimit {
                learned.append(ServiceHistory.Learned(
                    incidentNumber: number, incidentTitle: try row.decode(column: "title", as: String.self), reviewID: try row.decode(column: "review_id", as: UUID.self),
                    kind: kind, text: text, at: try row.decode(column: "created_at", as: Date.self)))
            }
        }

        // Follow-ups about the service: named for it, or raised for one of its incidents.
        func followUpIDs(_ condition: SQLQueryString, order: SQLQueryString) async throws -> [UUID] {
            var q: SQLQueryString = "SELECT f.id FROM follow_ups f WHERE (f.service_slug = \(bind: slug) OR EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = f.incident_id AND s.service_slug = \(bind: slug))) AND " + condition
            for c in Self.visibleReview("f.review_id", scope) { q = q + " AND " + c }
            q = q + " ORDER BY " + order + " LIMIT \(literal: ServiceHistory.followUpLimit)"
            return try await sql.raw(q).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        // Open ones by due date (undated last), then the oldest first: what is waiting longest.
        let open = try await followUps(ids: try await followUpIDs("f.status IN ('open', 'in_progress')", order: "CASE WHEN f.due_date IS NULL THEN 1 ELSE 0 END, f.due_date, f.created_at, f.id"))
        let closed = try await followUps(ids: try await followUpIDs("f.closed_at >= \(bind: now.addingTimeInterval(-ServiceHistory.recentlyClosed))", order: "f.closed_at DESC, f.id"))

        var numbers: [UUID: Int] = [:]
        let incidentIDs = Array(Set((open + closed).map(\.incidentID)))
        if !incidentIDs.isEmpty {
            for row in try await sql.raw("SELECT id, number FROM incidents WHERE id IN (\(binds: incidentIDs))").all() {
                numbers[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "number", as: Int.self)
            }
        }

        var teams: [ServiceHistory.TeamCount] = []
        for row in try await sql.raw("SELECT t.team_slug, COUNT(*) AS n FROM incident_teams t JOIN incidents i ON i.id = t.incident_id WHERE " + ofService + " AND " + when
                                     + " >= \(bind: since) GROUP BY t.team_slug ORDER BY n DESC, t.team_slug").all() {
            teams.append(ServiceHistory.TeamCount(team: try row.decode(column: "team_slug", as: String.self), incidents: try row.decode(column: "n", as: Int.self)))
        }

        return ServiceHistory(
            service: service, incidentCount: total, since: since, until: now, incidents: marks, incidentsInPeriod: inPeriod, learned: learned,
            openFollowUps: open, recentlyClosedFollowUps: closed, incidentNumbers: numbers, teams: teams, recurringFactors: ServiceHistory.recurring(factors))
    }
}
