import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    public func teams() async throws -> [Team] {
        try await TeamRow.query(on: db).sort(\.$name).all().map(Self.team)
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

    public func services() async throws -> [Service] {
        try await loadServices(try await ServiceRow.query(on: db).sort(\.$name).all())
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
