import FluentKit
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
    /// does), in one extra query over the period's incidents.
    ///
    /// Incidents are not restricted by viewer (every signed-in person may open
    /// every incident); reviews are, and the callers show review links only
    /// through `reviews(incidentID:viewer:)`.
    public func forEachInsightsIncident(
        in period: InsightsPeriod, filter: InsightsFilter, withServicesAndTeams: Bool,
        _ body: @escaping @Sendable (InsightsIncident) -> Void
    ) async throws {
        var q = IncidentRow.query(on: db)
            .field(\.$id).field(\.$number).field(\.$title).field(\.$severity).field(\.$status).field(\.$detectionSource)
            .field(\.$impactStartedAt).field(\.$detectedAt).field(\.$acknowledgedAt).field(\.$mitigatedAt).field(\.$resolvedAt)
            .field(\.$createdAt)
        // When it happened, by the same rule as `InsightsIncident.occurredAt`:
        // impact started, else detected, else recorded.
        let since: Date? = period.since, until: Date? = period.until
        q = q.group(.or) { or in
            or.group(.and) { $0.filter(\.$impactStartedAt >= since).filter(\.$impactStartedAt < until) }
            or.group(.and) { $0.filter(\.$impactStartedAt == nil).filter(\.$detectedAt >= since).filter(\.$detectedAt < until) }
            or.group(.and) {
                $0.filter(\.$impactStartedAt == nil).filter(\.$detectedAt == nil)
                    .filter(\.$createdAt >= period.since).filter(\.$createdAt < period.until)
            }
        }
        if let s = filter.status { q = q.filter(\.$status == s.rawValue) }
        if let s = filter.severity { q = q.filter(\.$severity == s) }
        if let s = filter.service {
            q = q.filter(\.$id ~~ (try await IncidentServiceRow.query(on: db).filter(\.$serviceSlug == s).all().map(\.incidentID)))
        }
        if let t = filter.team {
            q = q.filter(\.$id ~~ (try await IncidentTeamRow.query(on: db).filter(\.$teamSlug == t).all().map(\.incidentID)))
        }

        var services: [UUID: [String]] = [:], teams: [UUID: [String]] = [:]
        if withServicesAndTeams {
            // Slugs of the period's incidents only, a few short strings each,
            // asked for in batches that stay under both databases' limits on
            // bound parameters.
            let ids = try await q.copy().all(\.$id)
            for batch in Self.parameterBatches(ids) {
                for row in try await IncidentServiceRow.query(on: db).filter(\.$incidentID ~~ batch).sort(\.$position).all() {
                    services[row.incidentID, default: []].append(row.serviceSlug)
                }
                for row in try await IncidentTeamRow.query(on: db).filter(\.$incidentID ~~ batch).sort(\.$position).all() {
                    teams[row.incidentID, default: []].append(row.teamSlug)
                }
            }
        }
        let memberships = (services: services, teams: teams)
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        // Row by row as the driver decodes them. (Not FluentKit's async
        // `chunk`: it hands over the last partial chunk only when the query
        // fails, so a report of fewer rows than a chunk came out empty.)
        try await q.all { result in
            switch result {
            case .success(let r):
                guard let id = r.id else { return }
                body(InsightsIncident(
                    id: id, key: Incident.key(for: r.number), title: r.title, severity: r.severity,
                    status: IncidentStatus(rawValue: r.status) ?? .open, detectionSource: r.detectionSource,
                    services: memberships.services[id] ?? [], teams: memberships.teams[id] ?? [],
                    times: IncidentTimes(impactStartedAt: r.impactStartedAt, detectedAt: r.detectedAt, acknowledgedAt: r.acknowledgedAt,
                                         mitigatedAt: r.mitigatedAt, resolvedAt: r.resolvedAt),
                    createdAt: r.createdAt
                ))
            case .failure(let e):
                failure.withLockedValue { $0 = $0 ?? e }
            }
        }
        if let e = failure.withLockedValue({ $0 }) { throw e }
    }
}

extension LoreStore {
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
