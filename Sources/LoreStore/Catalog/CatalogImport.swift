import FluentKit
import Foundation
import LoreCore

/// What importing a catalog changed.
public struct CatalogImportSummary: Sendable, Equatable {
    public var teamsCreated = 0, teamsUpdated = 0, servicesCreated = 0, servicesUpdated = 0, memberships = 0
    public init() {}
}

/// One team or service from a catalog file, with the line it came from so
/// that a problem the store finds can still be pointed at.
public struct CatalogEntryTeam: Sendable {
    public var input: TeamInput
    public var members: [(email: String, role: TeamRole)]
    public var line: Int
    public init(input: TeamInput, members: [(email: String, role: TeamRole)], line: Int) {
        self.input = input
        self.members = members
        self.line = line
    }
}

public struct CatalogEntryService: Sendable {
    public var input: ServiceInput
    public var line: Int
    public init(input: ServiceInput, line: Int) {
        self.input = input
        self.line = line
    }
}

extension LoreStore {
    /// Applies a catalog in one transaction: teams and services are created or
    /// updated by slug, memberships set. Anything that cannot be applied (an
    /// email with no account) rejects the whole file, naming the line.
    public func importCatalog(teams: [CatalogEntryTeam], services: [CatalogEntryService], fileName: String) async throws -> CatalogImportSummary {
        try await transaction { store in
            var summary = CatalogImportSummary()
            var problems: [FieldIssue] = []
            for t in teams {
                let v = try t.input.validated()
                if let row = try await TeamRow.query(on: store.db).filter(\.$slug == v.slug).first() {
                    if row.name != v.name {
                        row.name = v.name
                        try await row.update(on: store.db)
                        summary.teamsUpdated += 1
                    }
                } else {
                    try await store.createTeam(t.input)
                    summary.teamsCreated += 1
                }
                for m in t.members {
                    guard let user = try await store.user(email: m.email) else {
                        problems.append(FieldIssue(field: "\(fileName):\(t.line)", code: "unknown_user", message: "\(fileName):\(t.line): team \"\(v.name)\": no account with the email \(m.email); add it first (lore users add).") )
                        continue
                    }
                    try await store.setMembership(teamSlug: v.slug, userID: user.id, role: m.role)
                    summary.memberships += 1
                }
            }
            if !problems.isEmpty { throw ValidationError(problems) }
            for s in services {
                let slug = try s.input.validated(knownTeams: try await store.teamSlugs()).slug
                if try await store.service(slug: slug) != nil {
                    try await store.updateService(slug: slug, s.input)
                    summary.servicesUpdated += 1
                } else {
                    try await store.createService(s.input)
                    summary.servicesCreated += 1
                }
            }
            return summary
        }
    }
}
