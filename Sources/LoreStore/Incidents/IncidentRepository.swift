import FluentKit
import Foundation
import NIOConcurrencyHelpers
import LoreCore
import SQLKit

extension LoreStore {
    /// Creates an incident with the next key, all in one transaction.
    @discardableResult
    public func createIncident(_ input: IncidentInput, now: Date = Date()) async throws -> Incident {
        try await transaction { store in
            let settings = try await store.settings()
            let r = try input.resolve(
                over: nil, settings: settings, knownServices: try await store.serviceSlugs(),
                knownTeams: try await store.teamSlugs(), now: now
            )
            try await store.checkExternalReferences(r.externalReferences, incidentID: nil)
            let row = IncidentRow()
            row.number = try await store.nextIncidentNumber()
            row.createdAt = now.ms
            store.apply(r, to: row, now: now)
            try await row.create(on: store.db)
            try await store.replaceLinks(of: row.id!, with: r)
            return try await store.load(row)
        }
    }

    /// Applies a change to an incident, validated as a whole.
    @discardableResult
    public func updateIncident(number: Int, _ input: IncidentInput, now: Date = Date()) async throws -> Incident {
        try await transaction { store in
            guard let row = try await IncidentRow.query(on: store.db).filter(\.$number == number).first() else {
                throw StoreError.notFound("Incident \(Incident.key(for: number))")
            }
            let existing = try await store.load(row)
            let r = try input.resolve(
                over: existing, settings: try await store.settings(), knownServices: try await store.serviceSlugs(),
                knownTeams: try await store.teamSlugs(), now: now
            )
            try await store.checkExternalReferences(r.externalReferences, incidentID: row.id)
            store.apply(r, to: row, now: now)
            try await row.update(on: store.db)
            try await store.replaceLinks(of: row.id!, with: r)
            return try await store.load(row)
        }
    }

    /// Takes the next incident number; call inside the creating transaction,
    /// so that a failed create gives its number back.
    func nextIncidentNumber() async throws -> Int {
        try await reserveIncidentNumbers(1).lowerBound
    }

    /// `count` consecutive numbers in one update: a loader of thousands of
    /// incidents in one transaction must not update the counter row once
    /// each (PostgreSQL keeps every version of that row until the commit,
    /// and each update walks past them all).
    func reserveIncidentNumbers(_ count: Int) async throws -> ClosedRange<Int> {
        guard let sql = db as? any SQLDatabase,
              let row = try await sql.raw("UPDATE incident_counter SET last_number = last_number + \(bind: count) WHERE id = 1 RETURNING last_number").first()
        else { throw StoreError.configuration("The incident counter is missing; run `lore migrate`.") }
        let last = try row.decode(column: "last_number", as: Int.self)
        return (last - count + 1) ... last
    }

    /// Validates a change without writing it, so that a form can show every
    /// problem at once, including those found after its own parsing failed.
    public func checkIncident(_ input: IncidentInput, number: Int?, now: Date = Date()) async throws {
        let existing = try await number.asyncMap { try await incident(number: $0) } ?? nil
        _ = try input.resolve(
            over: existing, settings: try await settings(), knownServices: try await serviceSlugs(),
            knownTeams: try await teamSlugs(), now: now)
    }

    public func incident(number: Int) async throws -> Incident? {
        try await readIncidents("WHERE i.number = \(bind: number)").first
    }

    public func incident(key: String) async throws -> Incident? {
        guard let n = Incident.number(fromKey: key) else { return nil }
        return try await incident(number: n)
    }

    public func incident(id: UUID) async throws -> Incident? {
        try await readIncidents("WHERE i.id = \(bind: id)").first
    }

    /// Finds an incident again by its reference in another system.
    public func incident(externalSystem system: String, id externalID: String) async throws -> Incident? {
        guard let ref = try await ExternalReferenceRow.query(on: db).filter(\.$system == system).filter(\.$externalID == externalID).first() else { return nil }
        return try await incident(id: ref.incidentID)
    }

    /// A page of incidents, newest first.
    public func incidents(_ filter: IncidentFilter) async throws -> ListPage<Incident> {
        // Joined, not read into an `IN (…)`: a service with tens of
        // thousands of incidents would pass SQLite's bind limit.
        var from: SQLQueryString = ""
        if let s = filter.service { from += " JOIN incident_services s ON s.incident_id = i.id AND s.service_slug = \(bind: s)" }
        if let t = filter.team { from += " JOIN incident_teams t ON t.incident_id = i.id AND t.team_slug = \(bind: t)" }
        from += " WHERE 1 = 1"
        if let s = filter.status { from += " AND i.status = \(bind: s.rawValue)" }
        if let s = filter.severity { from += " AND i.severity = \(bind: s)" }
        let countKey = [filter.status?.rawValue, filter.severity, filter.service, filter.team].map { $0 ?? "" }.joined(separator: "\u{1F}")
        let total: Int
        let (known, generation) = incidentCounts.fresh(countKey)
        if let known {
            total = known
        } else {
            // Counting a column of the (status, number) index, not the id,
            // lets SQLite count from the index alone (4 ms instead of 19 at
            // 100,000 incidents).
            do {
                let counted = NIOLockedValueBox(0)
                try await streamRows("SELECT count(i.number) AS n FROM incidents i" + from) { row in
                    let n = try row.int("n")
                    counted.withLockedValue { $0 = n }
                }
                total = counted.withLockedValue { $0 }
            } catch {
                incidentCounts.abandon(countKey)
                throw error
            }
            incidentCounts.remember(total, for: countKey, countedIn: generation)
        }
        let page = try await readIncidents(from + " ORDER BY i.number DESC LIMIT \(literal: filter.perPage) OFFSET \(literal: (filter.page - 1) * filter.perPage)")
        return ListPage(items: page, page: filter.page, perPage: filter.perPage, total: total)
    }

    public func incidentCount() async throws -> Int { try await IncidentRow.query(on: db).count() }

    // MARK: Mapping

    func apply(_ r: IncidentInput.Resolved, to row: IncidentRow, now: Date) {
        row.title = r.title
        row.severity = r.severity
        row.status = r.status.rawValue
        row.detectionSource = r.detectionSource
        row.impactStartedAt = r.times.impactStartedAt
        row.detectedAt = r.times.detectedAt
        row.acknowledgedAt = r.times.acknowledgedAt
        row.mitigatedAt = r.times.mitigatedAt
        row.resolvedAt = r.times.resolvedAt
        row.customerImpact = r.customerImpact
        row.labels = r.labels
        row.updatedAt = now.ms
    }

    /// External references are unique per system across all incidents, so
    /// that an import finds "its" incident again rather than creating another.
    func checkExternalReferences(_ refs: [ExternalReference], incidentID: UUID?) async throws {
        for (i, ref) in refs.enumerated() {
            if let other = try await ExternalReferenceRow.query(on: db).filter(\.$system == ref.system).filter(\.$externalID == ref.id).first(),
               other.incidentID != incidentID {
                let key = try await IncidentRow.find(other.incidentID, on: db).map { Incident.key(for: $0.number) } ?? "another incident"
                throw ValidationError(field: "externalReferences[\(i)]", code: "taken", message: "\(ref.system) \(ref.id) is already linked to \(key).")
            }
        }
    }

    func replaceLinks(of incidentID: UUID, with r: IncidentInput.Resolved) async throws {
        try await IncidentServiceRow.query(on: db).filter(\.$incidentID == incidentID).delete()
        try await IncidentTeamRow.query(on: db).filter(\.$incidentID == incidentID).delete()
        try await ExternalReferenceRow.query(on: db).filter(\.$incidentID == incidentID).delete()
        for (i, s) in r.services.enumerated() {
            let row = IncidentServiceRow()
            row.incidentID = incidentID
            row.serviceSlug = s
            row.position = i
            try await row.create(on: db)
        }
        for (i, t) in r.teams.enumerated() {
            let row = IncidentTeamRow()
            row.incidentID = incidentID
            row.teamSlug = t
            row.position = i
            try await row.create(on: db)
        }
        for ref in r.externalReferences {
            let row = ExternalReferenceRow()
            row.incidentID = incidentID
            row.system = ref.system.trimmingCharacters(in: .whitespaces)
            row.externalID = ref.id.trimmingCharacters(in: .whitespaces)
            row.url = ref.url
            try await row.create(on: db)
        }
    }

    func load(_ row: IncidentRow) async throws -> Incident {
        try await load([row])[0]
    }

    /// Maps rows to incidents, with their links read for all at once.
    func load(_ rows: [IncidentRow]) async throws -> [Incident] {
        try await withLinks(rows.map { r in
            Incident(
                id: r.id!, number: r.number, title: r.title, severity: r.severity,
                status: IncidentStatus(rawValue: r.status) ?? .open, services: [], teams: [],
                detectionSource: r.detectionSource,
                times: IncidentTimes(
                    impactStartedAt: r.impactStartedAt.ms, detectedAt: r.detectedAt.ms, acknowledgedAt: r.acknowledgedAt.ms,
                    mitigatedAt: r.mitigatedAt.ms, resolvedAt: r.resolvedAt.ms
                ),
                customerImpact: r.customerImpact, labels: r.labels, externalReferences: [],
                createdAt: r.createdAt.ms, updatedAt: r.updatedAt.ms
            )
        })
    }

    /// Incidents as `rest` (what follows `FROM incidents i`) selects and
    /// orders them, with their links. Reads that every page makes go
    /// through SQL with named columns: decoding Fluent's models by
    /// reflection was a fifth of the incident list's time.
    func readIncidents(_ rest: SQLQueryString) async throws -> [Incident] {
        let read = NIOLockedValueBox<[Incident]>([])
        try await streamRows("""
            SELECT i.id, i.number, i.title, i.severity, i.status, i.detection_source, i.impact_started_at, i.detected_at, i.acknowledged_at,
                   i.mitigated_at, i.resolved_at, i.customer_impact, i.labels, i.created_at, i.updated_at FROM incidents i
            """ + " " + rest) { row in
            let incident = Incident(
                id: try row.uuid("id"), number: try row.int("number"), title: try row.string("title"), severity: try row.string("severity"),
                status: IncidentStatus(rawValue: try row.string("status")) ?? .open, services: [], teams: [],
                detectionSource: try row.string("detection_source"),
                times: IncidentTimes(
                    impactStartedAt: try row.date("impact_started_at")?.ms, detectedAt: try row.date("detected_at")?.ms,
                    acknowledgedAt: try row.date("acknowledged_at")?.ms, mitigatedAt: try row.date("mitigated_at")?.ms,
                    resolvedAt: try row.date("resolved_at")?.ms
                ),
                customerImpact: try row.string("customer_impact"), labels: try row.strings("labels"), externalReferences: [],
                createdAt: (try row.date("created_at") ?? .distantPast).ms, updatedAt: (try row.date("updated_at") ?? .distantPast).ms
            )
            read.withLockedValue { $0.append(incident) }
        }
        return try await withLinks(read.withLockedValue { $0 })
    }

    /// The incidents with their services and teams (in their order) and
    /// external references (by system), read for all of them at once.
    func withLinks(_ incidents: [Incident]) async throws -> [Incident] {
        if incidents.isEmpty { return [] }
        let services = NIOLockedValueBox<[UUID: [String]]>([:]), teams = NIOLockedValueBox<[UUID: [String]]>([:])
        let refs = NIOLockedValueBox<[UUID: [ExternalReference]]>([:])
        for batch in Self.parameterBatches(incidents.map(\.id)) {
            try await streamRows("SELECT incident_id, service_slug FROM incident_services WHERE incident_id IN (\(binds: batch)) ORDER BY position") { row in
                let id = try row.uuid("incident_id"), slug = try row.string("service_slug")
                services.withLockedValue { $0[id, default: []].append(slug) }
            }
            try await streamRows("SELECT incident_id, team_slug FROM incident_teams WHERE incident_id IN (\(binds: batch)) ORDER BY position") { row in
                let id = try row.uuid("incident_id"), slug = try row.string("team_slug")
                teams.withLockedValue { $0[id, default: []].append(slug) }
            }
            try await streamRows("SELECT incident_id, system, external_id, url FROM incident_external_refs WHERE incident_id IN (\(binds: batch)) ORDER BY system") { row in
                let id = try row.uuid("incident_id")
                let ref = ExternalReference(system: try row.string("system"), id: try row.string("external_id"), url: try row.optionalString("url"))
                refs.withLockedValue { $0[id, default: []].append(ref) }
            }
        }
        let (s, t, r) = (services.withLockedValue { $0 }, teams.withLockedValue { $0 }, refs.withLockedValue { $0 })
        return incidents.map { i in
            var i = i
            i.services = s[i.id] ?? []
            i.teams = t[i.id] ?? []
            i.externalReferences = r[i.id] ?? []
            return i
        }
    }
}

/// The incident list's totals by filter, shared by every store over one
/// database. Counting 100,000 incidents costs 4 ms on SQLite and 20 ms on
/// PostgreSQL on every list view, for a number that changes only when an
/// incident is written: this process's writes forget the totals at once (see
/// `LoreStore.transaction`), another process's show within `freshFor`.
final class IncidentCounts: Sendable {
    static let freshFor: TimeInterval = 5
    /// Once a total is older than `freshFor`, one request counts it again
    /// while the others are answered with it, up to this age (64 requests
    /// arriving together otherwise each counted).
    static let staleFor: TimeInterval = 60
    static let capacity = 1_000
    private struct State {
        var totals: [String: (total: Int, at: Date)] = [:]
        var counting: Set<String> = []
        /// How many times the totals were forgotten: a count that began
        /// before a write committed is not kept after it.
        var generation = 0
    }
    private let state = NIOLockedValueBox(State())

    /// The total to show, or nil when the caller is to count it (and then
    /// `remember` or `abandon` it).
    func fresh(_ key: String, now: Date = Date()) -> (total: Int?, generation: Int) {
        state.withLockedValue { s in
            if let e = s.totals[key] {
                let age = now.timeIntervalSince(e.at)
                if age < Self.freshFor || (age < Self.staleFor && s.counting.contains(key)) { return (e.total, s.generation) }
            }
            s.counting.insert(key)
            return (nil, s.generation)
        }
    }

    func remember(_ total: Int, for key: String, countedIn generation: Int, now: Date = Date()) {
        state.withLockedValue { s in
            s.counting.remove(key)
            guard s.generation == generation else { return }
            if s.totals.count >= Self.capacity { s.totals.removeAll(keepingCapacity: true) }
            s.totals[key] = (total, now)
        }
    }

    func abandon(_ key: String) { _ = state.withLockedValue { $0.counting.remove(key) } }

    func forget() {
        state.withLockedValue { s in
            s.totals.removeAll(keepingCapacity: true)
            s.counting.removeAll(keepingCapacity: true)
            s.generation += 1
        }
    }
}
