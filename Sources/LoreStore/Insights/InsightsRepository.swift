import FluentKit
import SQLKit
import Foundation
import LoreCore
import NIOConcurrencyHelpers

extension LoreStore {
    /// The Insights report for `options` over the incidents `filter` keeps,
    /// in one streaming pass: rows go into the accumulator as the database
    /// returns them, so memory grows with the number of durations (a few
    /// numbers per incident), not with the incidents.
    public func insights(_ options: InsightsOptions, filter: InsightsFilter = InsightsFilter()) async throws -> InsightsReport {
        let accumulator = NIOLockedValueBox(InsightsAccumulator(options))
        try await forEachInsightsIncident(in: options.period, filter: filter, withServicesAndTeams: options.grouping.needsMembership) { incident in
            accumulator.withLockedValue { $0.add(incident) }
        }
        return accumulator.withLockedValue { $0.finish() }
    }

    /// Calls `body` with each incident of `period` that `filter` keeps, as the
    /// rows arrive, in no particular order. Services and teams are read only
    /// when `withServicesAndTeams` (grouping by them needs them; nothing else
    /// does), streamed first by one query each over the period's incidents.
    ///
    /// Rows are decoded column by column as the driver hands them over, never
    /// as Fluent models: FluentKit's `all { }` keeps every model it built
    /// until the query ends (for eager loading), which is the whole period
    /// in memory, and building a model costs several times reading its
    /// columns.
    ///
    /// Incidents are not restricted by viewer (every signed-in person may open
    /// every incident); reviews are, and the callers show review links only
    /// through `reviewsByIncident(_:viewer:)`.
    public func forEachInsightsIncident(
        in period: InsightsPeriod, filter: InsightsFilter, withServicesAndTeams: Bool,
        _ body: @escaping @Sendable (InsightsIncident) -> Void
    ) async throws {
        var services: [UUID: [String]] = [:], teams: [UUID: [String]] = [:]
        if withServicesAndTeams {
            services = try await memberships(IncidentServiceRow.self, slug: "service_slug", period, filter)
            teams = try await memberships(IncidentTeamRow.self, slug: "team_slug", period, filter)
        }
        let memberships = (services: services, teams: teams)
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        try await insightsConditions(IncidentRow.query(on: db), period, filter)
            .field(\.$id).field(\.$number).field(\.$title).field(\.$severity).field(\.$status).field(\.$detectionSource)
            .field(\.$impactStartedAt).field(\.$detectedAt).field(\.$acknowledgedAt).field(\.$mitigatedAt).field(\.$resolvedAt)
            .field(\.$createdAt)
            .run { output in
                let row = output.schema(IncidentRow.schema)
                do {
                    let id = try row.decode("id", as: UUID.self)
                    body(InsightsIncident(
                        id: id, key: Incident.key(for: try row.decode("number", as: Int.self)), title: try row.decode("title", as: String.self),
                        severity: try row.decode("severity", as: String.self),
                        status: IncidentStatus(rawValue: try row.decode("status", as: String.self)) ?? .open,
                        detectionSource: try row.decode("detection_source", as: String.self),
                        services: memberships.services[id] ?? [], teams: memberships.teams[id] ?? [],
                        times: IncidentTimes(
                            impactStartedAt: try row.decode("impact_started_at", as: Date?.self), detectedAt: try row.decode("detected_at", as: Date?.self),
                            acknowledgedAt: try row.decode("acknowledged_at", as: Date?.self), mitigatedAt: try row.decode("mitigated_at", as: Date?.self),
                            resolvedAt: try row.decode("resolved_at", as: Date?.self)),
                        createdAt: try row.decode("created_at", as: Date.self)
                    ))
                } catch {
                    failure.withLockedValue { $0 = $0 ?? error }
                }
            }
        if let e = failure.withLockedValue({ $0 }) { throw e }
    }

    /// The period's incidents' services or teams (slugs in their order), by
    /// incident, streamed like the incidents themselves.
    private func memberships<Link: Model>(_ link: Link.Type, slug: FieldKey, _ period: InsightsPeriod, _ filter: InsightsFilter) async throws -> [UUID: [String]] {
        let found = NIOLockedValueBox<[UUID: [String]]>([:])
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        let q = insightsConditions(
            Link.query(on: db).join(IncidentRow.self, [.field(.path([.id], schema: IncidentRow.schema), .equal, .path(["incident_id"], schema: Link.schema))]),
            period, filter)
        q.query.fields = [DatabaseQuery.Field.path(["incident_id"], schema: Link.schema), .path([slug], schema: Link.schema)]
        try await q.sort(.path(["position"], schema: Link.schema), .ascending).run { output in
            let row = output.schema(Link.schema)
            do {
                let id = try row.decode("incident_id", as: UUID.self), value = try row.decode(slug, as: String.self)
                found.withLockedValue { $0[id, default: []].append(value) }
            } catch {
                failure.withLockedValue { $0 = $0 ?? error }
            }
        }
        if let e = failure.withLockedValue({ $0 }) { throw e }
        return found.withLockedValue { $0 }
    }
}

extension LoreStore {
    /// How many incidents of `period` the filter keeps: the same rows the
    /// report streams, counted by the database (the Insights benchmark's
    /// baseline).
    public func insightsIncidentCount(in period: InsightsPeriod, filter: InsightsFilter) async throws -> Int {
        try await insightsConditions(IncidentRow.query(on: db), period, filter).count()
    }

    /// Keeps the period's incidents in `q` (incidents, or rows joined to
    /// them), by when they happened (the same rule as
    /// `InsightsIncident.occurredAt`: impact started, else detected, else
    /// recorded), with the incident list's filters. Every column is named
    /// with its table, so the same conditions serve both.
    func insightsConditions<M: Model>(_ q: QueryBuilder<M>, _ period: InsightsPeriod, _ filter: InsightsFilter) -> QueryBuilder<M> {
        let since: Date? = period.since, until: Date? = period.until
        var q = q.group(.or) { or in
            or.group(.and) { $0.filter(IncidentRow.self, \.$impactStartedAt >= since).filter(IncidentRow.self, \.$impactStartedAt < until) }
            or.group(.and) {
                $0.filter(IncidentRow.self, \.$impactStartedAt == nil).filter(IncidentRow.self, \.$detectedAt >= since).filter(IncidentRow.self, \.$detectedAt < until)
            }
            or.group(.and) {
                $0.filter(IncidentRow.self, \.$impactStartedAt == nil).filter(IncidentRow.self, \.$detectedAt == nil)
                    .filter(IncidentRow.self, \.$createdAt >= period.since).filter(IncidentRow.self, \.$createdAt < period.until)
            }
        }
        if let s = filter.status { q = q.filter(IncidentRow.self, \.$status == s.rawValue) }
        if let s = filter.severity { q = q.filter(IncidentRow.self, \.$severity == s) }
        // A subquery, not a list of ids: a large organisation's busiest
        // service has more incidents than one statement may bind.
        if let s = filter.service { q = q.filter(.custom(Self.incidentIn("incident_services", "service_slug", s))) }
        if let t = filter.team { q = q.filter(.custom(Self.incidentIn("incident_teams", "team_slug", t))) }
        return q
    }

    /// `incidents.id IN (SELECT incident_id FROM <table> WHERE <column> = <slug>)`.
    static func incidentIn(_ table: String, _ column: String, _ slug: String) -> any SQLExpression {
        SQLBinaryExpression(
            SQLColumn("id", table: IncidentRow.schema), .in,
            SQLSubquery.select { $0.column("incident_id").from(table).where(SQLColumn(column), .equal, SQLBind(slug)) }
        )
    }

    /// The reviews, follow-ups and follow-through readings of these incidents
    /// (a period's): what practice health counts. Only those columns are
    /// read, in batches under both databases' limits on bound parameters;
    /// no text, no people, no follow-up titles.
    public func practiceRecords(incidentIDs: [UUID]) async throws -> PracticeRecords {
        var records = PracticeRecords()
        for batch in Self.parameterBatches(incidentIDs) {
            records.reviews += try await ReviewRow.query(on: db).filter(\.$incidentID ~~ batch)
                .field(\.$id).field(\.$incidentID).field(\.$heldAt).all().compactMap { r in
                    r.id.map { PracticeReview(id: $0, incidentID: r.incidentID, heldAt: r.heldAt) }
                }
            records.followUps += try await FollowUpRow.query(on: db).filter(\.$incidentID ~~ batch)
                .field(\.$reviewID).field(\.$incidentID).field(\.$status).field(\.$createdAt).all().map { f in
                    PracticeFollowUp(reviewID: f.reviewID, incidentID: f.incidentID, status: FollowUpStatus(rawValue: f.status) ?? .open, createdAt: f.createdAt)
                }
        }
        // Readings hang off ballots, ballots off reviews.
        let incidentOfReview = Dictionary(records.reviews.map { ($0.id, $0.incidentID) }, uniquingKeysWith: { a, _ in a })
        let reviewIDs = Array(incidentOfReview.keys)
        for batch in Self.parameterBatches(reviewIDs) {
            let ballots = try await BallotRow.query(on: db).filter(\.$reviewID ~~ batch).filter(\.$status == BallotStatus.closed.rawValue)
                .field(\.$id).field(\.$reviewID).all()
            let incidentOfBallot = Dictionary(ballots.compactMap { b in b.id.flatMap { id in incidentOfReview[b.reviewID].map { (id, $0) } } },
                                              uniquingKeysWith: { a, _ in a })
            guard !incidentOfBallot.isEmpty else { continue }
            for row in try await FollowThroughRow.query(on: db).filter(\.$ballotID ~~ Array(incidentOfBallot.keys)).all() {
                guard let incidentID = incidentOfBallot[row.ballotID],
                      let reading = try? JSONDecoder().decode(FollowThroughReading.self, from: Data(row.reading.utf8)) else { continue }
                records.readings.append(PracticeReading(
                    incidentID: incidentID, day: reading.day, focusClosed: reading.focusClosed, focusTotal: reading.focusTotal,
                    othersClosed: reading.othersClosed, othersTotal: reading.othersTotal))
            }
        }
        return records
    }
}
