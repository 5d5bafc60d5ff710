import FluentKit
import Foundation
import LoreCore
import SQLKit
import NIOConcurrencyHelpers

extension LoreStore {
    /// Every team, by name. Read at most once every `CatalogCache.freshFor`
    /// per process, with the services (every page names teams and services,
    /// and they change a few times a month); a write in this process is seen
    /// at once, one in another process within `freshFor`.
    public func teams() async throws -> [Team] {
        try await catalog().teams
    }

    public func team(slug: String) async throws -> Team? {
        try await TeamRow.query(on: db).filter(\.$slug == slug).first().map(Self.team)
    }

    public func teamSlugs() async throws -> Set<String> {
        Set(try await TeamRow.query(on: db).all().map(\.slug))
    }

    @discardableResult
    public func createTeam(_ input: TeamInput) async throws -> Team {
        let v = try input.validated()
        return try await transaction { store in
            if try await TeamRow.query(on: store.db).filter(\.$slug == v.slug).count() > 0 {
                throw ValidationError(field: "slug", code: "taken", message: "A team with the slug \"\(v.slug)\" already exists.")
            }
            let row = TeamRow()
            row.name = v.name
            row.slug = v.slug
            try await row.create(on: store.db)
            return Self.team(row)
        }
    }

    /// Every service with its paged teams, by name (see `teams()`).
    public func services() async throws -> [Service] {
        try await catalog().services
    }

    private func catalog() async throws -> (teams: [Team], services: [Service]) {
        if let known = catalogCache?.fresh() { return known }
        let generation = catalogCache?.generation ?? 0
        let read = try await readCatalog()
        catalogCache?.remember(read, generation: generation)
        return read
    }

    /// Teams, then services with their paged teams, in one statement with
    /// named columns (it starts with `CatalogCache.statementMark`).
    private func readCatalog() async throws -> (teams: [Team], services: [Service]) {
        let found = NIOLockedValueBox<(teams: [Team], services: [Service])>(([], []))
        try await streamRows("""
            \(unsafeRaw: CatalogCache.statementMark) SELECT 0 AS kind, t.id, t.slug, t.name, NULL AS owning_team, NULL AS pagerduty_service_id, NULL AS paged_team, 0 AS position
            FROM teams t
            UNION ALL
            SELECT 1 AS kind, s.id, s.slug, s.name, s.owning_team, s.pagerduty_service_id, p.team_slug AS paged_team, COALESCE(p.position, 0) AS position
            FROM services s LEFT JOIN service_paged_teams p ON p.service_slug = s.slug
            ORDER BY kind, name, slug, position
            """) { row in
            let slug = try row.string("slug"), name = try row.string("name"), id = try row.uuid("id")
            if try row.int("kind") == 0 {
                found.withLockedValue { $0.teams.append(Team(id: id, name: name, slug: slug)) }
                return
            }
            let paged = try row.optionalString("paged_team"), owning = try row.optionalString("owning_team"), pagerDuty = try row.optionalString("pagerduty_service_id")
            found.withLockedValue { f in
                if f.services.last?.slug != slug {
                    f.services.append(Service(id: id, name: name, slug: slug, owningTeam: owning, pagedTeams: [], pagerDutyServiceID: pagerDuty))
                }
                if let paged { f.services[f.services.count - 1].pagedTeams.append(paged) }
            }
        }
        return found.withLockedValue { $0 }
    }

    public func service(slug: String) async throws -> Service? {
        guard let row = try await ServiceRow.query(on: db).filter(\.$slug == slug).first() else { return nil }
        return try await loadServices([row]).first
    }

    /// Service slug -> slugs of the teams paged for it.
    public func pagedTeams() async throws -> [String: [String]] {
        Dictionary(grouping: try await ServicePagedTeamRow.query(on: db).sort(\.$position).all(), by: \.serviceSlug)
            .mapValues { $0.map(\.teamSlug) }
    }

    func loadServices(_ rows: [ServiceRow]) async throws -> [Service] {
        let paged = try await pagedTeams()
        return rows.map { r in
            Service(id: r.id!, name: r.name, slug: r.slug, owningTeam: r.owningTeam, pagedTeams: paged[r.slug] ?? [], pagerDutyServiceID: r.pagerDutyServiceID)
        }
    }

    func replacePagedTeams(of slug: String, with teams: [String]) async throws {
        try await ServicePagedTeamRow.query(on: db).filter(\.$serviceSlug == slug).delete()
        for (i, t) in teams.enumerated() {
            let row = ServicePagedTeamRow()
            row.serviceSlug = slug
            row.teamSlug = t
            row.position = i
            try await row.create(on: db)
        }
    }

    public func serviceSlugs() async throws -> Set<String> {
        Set(try await ServiceRow.query(on: db).all().map(\.slug))
    }

    @discardableResult
    public func createService(_ input: ServiceInput) async throws -> Service {
        try await transaction { store in
            let s = try input.validated(knownTeams: try await store.teamSlugs())
            if try await ServiceRow.query(on: store.db).filter(\.$slug == s.slug).count() > 0 {
                throw ValidationError(field: "slug", code: "taken", message: "A service with the slug \"\(s.slug)\" already exists.")
            }
            let row = ServiceRow()
            row.slug = s.slug
            row.name = s.name
            row.owningTeam = s.owningTeam
            row.onCallTeam = s.onCallTeam
            row.pagerDutyServiceID = s.pagerDutyServiceID
            try await row.create(on: store.db)
            try await store.replacePagedTeams(of: s.slug, with: s.pagedTeams)
            return try await store.service(slug: s.slug)!
        }
    }

    /// Changes a service's name and teams; the slug stays, since URLs and
    /// imports refer to it.
    @discardableResult
    public func updateService(slug: String, _ input: ServiceInput) async throws -> Service {
        try await transaction { store in
            guard let row = try await ServiceRow.query(on: store.db).filter(\.$slug == slug).first() else {
                throw StoreError.notFound("Service \"\(slug)\"")
            }
            var i = input
            i.slug = slug
            let s = try i.validated(knownTeams: try await store.teamSlugs())
            row.name = s.name
            row.owningTeam = s.owningTeam
            row.onCallTeam = s.onCallTeam
            row.pagerDutyServiceID = s.pagerDutyServiceID
            try await row.update(on: store.db)
            try await store.replacePagedTeams(of: slug, with: s.pagedTeams)
            return try await store.service(slug: slug)!
        }
    }

    static func team(_ r: TeamRow) -> Team { Team(id: r.id!, name: r.name, slug: r.slug) }

}

/// The teams and services as last read, shared by every store over one
/// database. Any transaction in this process forgets them (teams and
/// services are only written in transactions); another process's change is
/// seen within `freshFor`. A read that began before a forgetting is not
/// remembered, so a write is never hidden behind a read that raced it.
final class CatalogCache: Sendable {
    static let freshFor: TimeInterval = 2
    /// The comment the catalog's statement starts with, so that a query count
    /// can leave out a read whose timing depends on the clock.
    static let statementMark = "/* catalog */"
    private let state = NIOLockedValueBox<(known: (teams: [Team], services: [Service], at: Date)?, generation: Int)>((nil, 0))

    var generation: Int { state.withLockedValue { $0.generation } }

    func fresh(now: Date = Date()) -> (teams: [Team], services: [Service])? {
        state.withLockedValue { s in s.known.flatMap { now.timeIntervalSince($0.at) < Self.freshFor ? ($0.teams, $0.services) : nil } }
    }

    func remember(_ read: (teams: [Team], services: [Service]), generation: Int, now: Date = Date()) {
        state.withLockedValue { s in if s.generation == generation { s.known = (read.teams, read.services, now) } }
    }

    func forget() { state.withLockedValue { $0 = (nil, $0.generation + 1) } }
}
