import FluentKit
import Foundation
import LoreCore
import SQLKit

// The dashboard's facts are counted and paged in the database: their cost
// follows the review period and the page's length, never the size of the
// organisation's whole history. Each section reads what the viewer may see
// (`visibleReview`, the SQL form of `ReviewAccess.canSee`).

extension LoreStore {
    /// When an incident's review window opened (`i`): resolved, else mitigated.
    static let reviewWindowStart: SQLQueryString = "COALESCE(i.resolved_at, i.mitigated_at)"

    /// The windows still open (soonest to close first), the newest that
    /// closed within `period` without a review held in time, and how often
    /// the window was kept over the period, as `ReviewSchedule.build` counts
    /// them, from the reviews the viewer may see. At most `limit` of each
    /// list are read; their totals are counted.
    public func reviewSchedule(viewer: Viewer, windowHours: Int, now: Date, period: TimeInterval = WindowKeeping.defaultPeriod, limit: Int = 20) async throws -> ReviewSchedule {
        let access = ReviewScope.viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
        let hours = TimeInterval(windowHours) * 3600
        let openFrom = now.addingTimeInterval(-hours).ms, periodFrom = now.addingTimeInterval(-period - hours).ms
        let start = Self.reviewWindowStart
        let (counted, heldInTime) = try await reviewWindowCounts(access: access, windowHours: windowHours, now: now, period: period)
        let openTotal = counted.openTotal, openHeld = counted.openHeld, closedTotal = counted.closedTotal, closedKept = counted.closedKept

        let openIDs = try await ids("SELECT i.id FROM incidents i WHERE \(start) >= \(bind: openFrom) ORDER BY \(start) ASC LIMIT \(literal: limit)")
        let missedIDs = try await ids("""
            SELECT i.id FROM incidents i WHERE \(start) >= \(bind: periodFrom) AND \(start) < \(bind: openFrom) AND \(heldInTime) IS NULL
            ORDER BY \(start) DESC LIMIT \(literal: limit)
            """)
        let incidents = Dictionary(uniqueKeysWithValues: try await self.incidents(ids: openIDs + missedIDs).map { ($0.id, $0) })
        let reviews = try await reviewsByIncident(openIDs + missedIDs, viewer: viewer)
        func due(_ id: UUID) -> DueReview? {
            guard let incident = incidents[id], let window = ReviewWindow(incident: incident, hours: windowHours) else { return nil }
            let rs = reviews[id] ?? []
            return DueReview(incident: incident, window: window, reviews: rs, heldAt: rs.compactMap(\.heldAt).min())
        }
        return ReviewSchedule(
            open: openIDs.compactMap(due), missed: missedIDs.compactMap(due),
            keeping: WindowKeeping(kept: openHeld + closedKept, missed: closedTotal - closedKept, pending: openTotal - openHeld, period: period),
            openTotal: openTotal, missedTotal: closedTotal - closedKept)
    }

    struct WindowCounts {
        var openTotal = 0, openHeld = 0, closedTotal = 0, closedKept = 0
    }

    /// How many review windows are open now (and how many of those already
    /// have a review held) and how many closed within `period` (and how many
    /// of those were kept), counting the reviews `access` may see; with the
    /// condition "a review was held in time", for the lists.
    func reviewWindowCounts(access: ReviewScope, windowHours: Int, now: Date, period: TimeInterval) async throws -> (WindowCounts, heldInTime: SQLQueryString) {
        let sql = try sqlDatabase()
        let hours = TimeInterval(windowHours) * 3600
        let openFrom = now.addingTimeInterval(-hours).ms, periodFrom = now.addingTimeInterval(-period - hours).ms
        let start = Self.reviewWindowStart
        // The first visible review held by now, and whether it was held by
        // the time the window closed.
        var held: SQLQueryString = "SELECT MIN(rv.held_at) FROM reviews rv WHERE rv.incident_id = i.id AND rv.held_at <= \(bind: now.ms)"
        for c in Self.visibleReview("rv.id", access) { held += " AND " + c }
        let heldInTime: SQLQueryString = "(" + held + " AND rv.held_at <= " + addingSeconds(start, windowHours * 3600) + ")"
        let counts = try await sql.raw("""
            SELECT
              SUM(CASE WHEN \(start) >= \(bind: openFrom) THEN 1 ELSE 0 END) AS open_total,
              SUM(CASE WHEN \(start) >= \(bind: openFrom) AND (\(held)) IS NOT NULL THEN 1 ELSE 0 END) AS open_held,
              SUM(CASE WHEN \(start) < \(bind: openFrom) THEN 1 ELSE 0 END) AS closed_total,
              SUM(CASE WHEN \(start) < \(bind: openFrom) AND \(heldInTime) IS NOT NULL THEN 1 ELSE 0 END) AS closed_kept
            FROM incidents i WHERE \(start) >= \(bind: periodFrom)
            """).first()
        func count(_ column: String) throws -> Int { try counts.flatMap { try $0.decode(column: column, as: Int?.self) } ?? 0 }
        return (WindowCounts(openTotal: try count("open_total"), openHeld: try count("open_held"), closedTotal: try count("closed_total"), closedKept: try count("closed_kept")), heldInTime)
    }

    /// For monitoring: review windows open now without a review held yet,
    /// and windows that closed within `period` without one, whoever may see
    /// the reviews.
    public func reviewWindowTotals(now: Date = Date(), period: TimeInterval = WindowKeeping.defaultPeriod) async throws -> (openWithoutReview: Int, missed: Int) {
        let (c, _) = try await reviewWindowCounts(access: .everything, windowHours: try await settings().reviewWindowHours, now: now, period: period)
        return (c.openTotal - c.openHeld, c.closedTotal - c.closedKept)
    }

    /// `column` plus a number of seconds, in the database's own terms
    /// (SQLite keeps times as seconds; PostgreSQL as timestamps).
    func addingSeconds(_ column: SQLQueryString, _ seconds: Int) -> SQLQueryString {
        if isPostgres { return "(" + column + " + \(literal: seconds) * INTERVAL '1 second')" }
        return "(" + column + " + \(literal: seconds))"
    }

    /// The newest follow-through readings (taken within `since`) of ballots
    /// in reviews the viewer may see, newest first, with their reviews and
    /// incidents.
    public func recentFollowThrough(viewer: Viewer, since: Date, limit: Int) async throws -> [(review: Review, incident: Incident, reading: FollowThroughReading)] {
        let access = ReviewScope.viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
        let readings = try await followThroughReadings(since: since, visibleTo: access, newest: limit)
        let reviews = Dictionary(uniqueKeysWithValues: try await reviewsForCounting(ids: Array(Set(readings.map(\.reviewID)))).map { ($0.id, $0) })
        let incidents = Dictionary(uniqueKeysWithValues: try await self.incidents(ids: Array(Set(reviews.values.map(\.incidentID)))).map { ($0.id, $0) })
        return readings.reversed().compactMap { r in
            guard let review = reviews[r.reviewID], let incident = incidents[review.incidentID] else { return nil }
            return (review, incident, r.reading)
        }
    }

    /// Open follow-ups the viewer may see whose owning team is not paged for
    /// their service (or, naming none, for any of their incident's
    /// services), newest first: at most `limit`, and how many there are.
    /// The same rule as `OwnershipAlignment.check`, which the caller applies
    /// to the page for its explanation: unknown paging is never flagged.
    public func misalignedFollowUps(viewer: Viewer, limit: Int) async throws -> (items: [(followUp: FollowUp, incident: Incident)], total: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Lore needs an SQL database.") }
        let access = ReviewScope.viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
        let open = FollowUpStatus.allCases.filter { !$0.isClosed }.map(\.rawValue)
        var q: SQLQueryString = """
            FROM follow_ups f WHERE f.status IN (\(binds: open)) AND TRIM(f.owner_team) <> '' AND (
              (COALESCE(f.service_slug, '') <> ''
                AND EXISTS (SELECT 1 FROM service_paged_teams p WHERE p.service_slug = f.service_slug AND p.team_slug <> '')
                AND NOT EXISTS (SELECT 1 FROM service_paged_teams p WHERE p.service_slug = f.service_slug AND p.team_slug = TRIM(f.owner_team)))
              OR (COALESCE(f.service_slug, '') = ''
                AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = f.incident_id AND s.service_slug <> '')
                AND NOT EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = f.incident_id AND s.service_slug <> ''
                  AND NOT EXISTS (SELECT 1 FROM service_paged_teams p WHERE p.service_slug = s.service_slug AND p.team_slug <> ''))
                AND NOT EXISTS (SELECT 1 FROM incident_services s JOIN service_paged_teams p ON p.service_slug = s.service_slug
                  WHERE s.incident_id = f.incident_id AND p.team_slug = TRIM(f.owner_team))))
            """
        for c in Self.visibleReview("f.review_id", access) { q += " AND " + c }
        // The count rides along with the page (a window over every match,
        // taken before the limit): the conditions are evaluated once, not
        // once for the count and again for the page.
        let found = try await sql.raw("SELECT f.id, COUNT(*) OVER () AS n " + q + " ORDER BY f.created_at DESC, f.id DESC LIMIT \(literal: limit)").all()
        let total = try found.first.map { try $0.decode(column: "n", as: Int.self) } ?? 0
        let ids = try found.map { try $0.decode(column: "id", as: UUID.self) }
        let rows = try await followUps(ids: ids)  // in the order of `ids`
        let incidents = Dictionary(uniqueKeysWithValues: try await self.incidents(ids: Array(Set(rows.map(\.incidentID)))).map { ($0.id, $0) })
        return (rows.compactMap { f in incidents[f.incidentID].map { (f, $0) } }, total)
    }

    /// Incidents by id, in no particular order, in one query per batch.
    public func incidents(ids: [UUID]) async throws -> [Incident] {
        var read: [Incident] = []
        for batch in Self.parameterBatches(ids) { read += try await readIncidents("WHERE i.id IN (\(binds: batch))") }
        return read
    }
}
