import FluentKit
import Foundation
import LoreCore
import NIOConcurrencyHelpers
import SQLKit

extension LoreStore {
    /// The Insights report for `options` over the incidents `filter` keeps,
    /// in one streaming pass: rows go into the accumulator as the database
    /// returns them, so memory grows with the number of durations (a few
    /// numbers per incident), not with the incidents.
    public func insights(_ options: InsightsOptions, filter: InsightsFilter = InsightsFilter()) async throws -> InsightsReport {
        let accumulator = NIOLockedValueBox(InsightsAccumulator(options))
        try await forEachInsightsIncident(
            in: options.period, filter: filter, withServicesAndTeams: options.grouping.needsMembership, withTitles: false
        ) { incident in
            accumulator.withLockedValue { $0.add(incident) }
        }
        let report = accumulator.withLockedValue { $0.finish() }
        let named = Array(report.longTailIDs)
        guard !named.isEmpty, let sql = db as? any SQLDatabase else { return report }
        // In chunks: ten years in months with the hundred longest of each is
        // 48,000 ids, more than SQLite binds in one statement.
        var titles: [UUID: String] = [:]
        for start in stride(from: 0, to: named.count, by: 1_000) {
            let chunk = Array(named[start ..< min(start + 1_000, named.count)])
            for row in try await sql.raw("SELECT id, title FROM incidents WHERE id IN (\(binds: chunk))").all() {
                titles[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "title", as: String.self)
            }
        }
        return report.titlingLongTail(titles)
    }

    /// Calls `body` with each incident of `period` that `filter` keeps, as the
    /// rows arrive, in no particular order. Services and teams are read only
    /// when `withServicesAndTeams` (grouping by them needs them; nothing else
    /// does), as one list per row. Without `withTitles` every title is empty:
    /// the report names only its long tail, and reading a title per incident
    /// was a string per row for nothing.
    ///
    /// Rows are read column by column as the driver hands them over
    /// (`streamRows`), never as Fluent models: FluentKit's `all { }` keeps
    /// every model it built until the query ends, which is the whole period
    /// in memory, and building a model costs many times reading its columns.
    ///
    /// Incidents are not restricted by viewer (every signed-in person may open
    /// every incident); reviews are, and the callers show review links only
    /// through `reviewsByIncident(_:viewer:)`.
    public func forEachInsightsIncident(
        in period: InsightsPeriod, filter: InsightsFilter, withServicesAndTeams: Bool, withTitles: Bool = true,
        _ body: @escaping @Sendable (InsightsIncident) -> Void
    ) async throws {
        // Each incident's services and teams come with it, as one
        // space-separated list per row (slugs hold no spaces), read through
        // the (incident, slug) unique index.
        var memberships: SQLQueryString = ""
        if withServicesAndTeams {
            let postgres = isPostgres
            for (table, slug, name) in [("incident_services", "service_slug", "services"), ("incident_teams", "team_slug", "teams")] {
                memberships += postgres
                    ? ", (SELECT string_agg(\(unsafeRaw: slug), ' ' ORDER BY position) FROM \(unsafeRaw: table) WHERE incident_id = i.id) AS \(unsafeRaw: name)"
                    : ", (SELECT group_concat(\(unsafeRaw: slug), ' ') FROM (SELECT \(unsafeRaw: slug) FROM \(unsafeRaw: table) WHERE incident_id = i.id ORDER BY position)) AS \(unsafeRaw: name)"
            }
        }
        try await streamRows(
            "SELECT i.id, i.number, " + (withTitles ? "i.title, " : "") + "i.severity, i.status, i.detection_source, i.impact_started_at, i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, i.created_at"
                + memberships + " FROM incidents i WHERE " + Self.periodConditions(period, filter)
        ) { row in
            func slugs(_ column: String) throws -> [String] {
                guard withServicesAndTeams, let list = try row.optionalString(column) else { return [] }
                return list.split(separator: " ").map(String.init)
            }
            body(InsightsIncident(
                id: try row.uuid("id"), key: Incident.key(for: try row.int("number")), title: withTitles ? try row.string("title") : "", severity: try row.string("severity"),
                status: IncidentStatus(rawValue: try row.string("status")) ?? .open, detectionSource: try row.string("detection_source"),
                services: try slugs("services"), teams: try slugs("teams"),
                times: IncidentTimes(
                    impactStartedAt: try row.date("impact_started_at"), detectedAt: try row.date("detected_at"),
                    acknowledgedAt: try row.date("acknowledged_at"), mitigatedAt: try row.date("mitigated_at"), resolvedAt: try row.date("resolved_at")),
                createdAt: try row.date("created_at") ?? Date(timeIntervalSince1970: 0)
            ))
        }
    }

    /// How many incidents of `period` the filter keeps: the same rows the
    /// report streams, counted by the database (the Insights benchmark's
    /// baseline).
    public func insightsIncidentCount(in period: InsightsPeriod, filter: InsightsFilter) async throws -> Int {
        let count = NIOLockedValueBox(0)
        try await streamRows("SELECT count(*) AS n FROM incidents i WHERE " + Self.periodConditions(period, filter)) { row in
            let n = try row.int("n")
            count.withLockedValue { $0 = n }
        }
        return count.withLockedValue { $0 }
    }

    /// Keeps the period's incidents (`i`), by when they happened (the same
    /// rule as `InsightsIncident.occurredAt`: impact started, else detected,
    /// else recorded), with the incident list's filters. Service and team
    /// are subqueries, not lists of ids: a large organisation's busiest
    /// service has more incidents than one statement may bind.
    static func periodConditions(_ period: InsightsPeriod, _ filter: InsightsFilter) -> SQLQueryString {
        var q: SQLQueryString = Self.incidentHappened + " >= \(bind: period.since) AND " + Self.incidentHappened + " < \(bind: period.until)"
        if let s = filter.status { q += " AND i.status = \(bind: s.rawValue)" }
        if let s = filter.severity { q += " AND i.severity = \(bind: s)" }
        if let s = filter.service { q += " AND i.id IN (SELECT incident_id FROM incident_services WHERE service_slug = \(bind: s))" }
        if let t = filter.team { q += " AND i.id IN (SELECT incident_id FROM incident_teams WHERE team_slug = \(bind: t))" }
        return q
    }

    /// The reviews, follow-ups and follow-through readings of the period's
    /// incidents: what practice health counts. Only those columns are read
    /// (each review with its stored count of open wording findings, nil
    /// while it awaits one: see `reviewsAwaitingWordingCount`); no text, no
    /// people, no follow-up titles.
    public func practiceRecords(in period: InsightsPeriod, filter: InsightsFilter) async throws -> PracticeRecords {
        let conditions = Self.periodConditions(period, filter)
        let records = NIOLockedValueBox(PracticeRecords())
        try await streamRows(
            "SELECT r.id, r.incident_id, r.held_at, r.wording_open FROM reviews r JOIN incidents i ON i.id = r.incident_id WHERE " + conditions
        ) { row in
            let review = PracticeReview(
                id: try row.uuid("id"), incidentID: try row.uuid("incident_id"), heldAt: try row.date("held_at"),
                openWordingFindings: try row.optionalInt("wording_open"))
            records.withLockedValue { $0.reviews.append(review) }
        }
        try await streamRows(
            "SELECT f.review_id, f.incident_id, f.status, f.created_at FROM follow_ups f JOIN incidents i ON i.id = f.incident_id WHERE " + conditions
        ) { row in
            let followUp = PracticeFollowUp(
                reviewID: try row.optionalUUID("review_id"), incidentID: try row.uuid("incident_id"),
                status: FollowUpStatus(rawValue: try row.string("status")) ?? .open, createdAt: try row.date("created_at") ?? .distantPast)
            records.withLockedValue { $0.followUps.append(followUp) }
        }
        // Readings hang off closed ballots, ballots off reviews.
        try await streamRows(
            "SELECT r.incident_id, t.reading FROM follow_through_readings t JOIN ballots b ON b.id = t.ballot_id JOIN reviews r ON r.id = b.review_id JOIN incidents i ON i.id = r.incident_id WHERE b.status = 'closed' AND "
                + conditions
        ) { row in
            guard let reading = try? JSONDecoder().decode(FollowThroughReading.self, from: Data(try row.string("reading").utf8)) else { return }
            let practice = PracticeReading(
                incidentID: try row.uuid("incident_id"), day: reading.day, focusClosed: reading.focusClosed, focusTotal: reading.focusTotal,
                othersClosed: reading.othersClosed, othersTotal: reading.othersTotal)
            records.withLockedValue { $0.readings.append(practice) }
        }
        return records.withLockedValue { $0 }
    }
}
