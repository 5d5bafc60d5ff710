import Foundation

/// A team of people. Teams own services, are paged for them, and own follow-ups.
public struct Team: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String

    public init(id: UUID = UUID(), name: String, slug: String) {
        self.id = id
        self.name = name
        self.slug = slug
    }
}

/// A service in the catalog: who builds it and who gets woken up for it.
/// The two can differ, which is why follow-up ownership is checked against
/// the paged teams, not the owning team.
public struct Service: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    /// Team slug.
    public var owningTeam: String?
    /// Slugs of the teams paged for this service, primary first.
    public var pagedTeams: [String]
    /// PagerDuty service id, for matching imported incidents to the catalog.
    public var pagerDutyServiceID: String?

    public init(id: UUID = UUID(), name: String, slug: String, owningTeam: String? = nil, onCallTeam: String? = nil, pagedTeams: [String] = [], pagerDutyServiceID: String? = nil) {
        self.id = id
        self.name = name
        self.slug = slug
        self.owningTeam = owningTeam
        var teams = pagedTeams
        if let onCallTeam, !teams.contains(onCallTeam) { teams.insert(onCallTeam, at: 0) }
        self.pagedTeams = teams
        self.pagerDutyServiceID = pagerDutyServiceID
    }

    /// The primary paged team.
    public var onCallTeam: String? { pagedTeams.first }
}

/// Slugs: lowercase letters, digits and single hyphens; used in URLs and the API.
public enum Slug {
    public static func make(from name: String) -> String {
        var out = ""
        var lastHyphen = true
        for ch in name.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                out.append(ch)
                lastHyphen = false
            } else if !lastHyphen {
                out.append("-")
                lastHyphen = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(Limits.slug))
    }

    public static func isValid(_ s: String) -> Bool {
        !s.isEmpty && s.count <= Limits.slug && s == make(from: s)
    }

    /// The slug a person gave, or one made from the name; checked.
    static func resolve(given: String?, name: String, into v: inout Validator) -> String {
        let trimmed = (given ?? "").trimmingCharacters(in: .whitespaces)
        let slug = trimmed.isEmpty ? make(from: name) : trimmed
        if !name.isEmpty && !isValid(slug) {
            v.add("slug", "invalid", "Slug \"\(slug)\" must be lowercase letters, digits and single hyphens (for example \"payments-sre\").")
        }
        return slug
    }
}

/// Input for a team.
public struct TeamInput: Equatable, Sendable {
    public var name: String?
    public var slug: String?
    public init(name: String?, slug: String? = nil) {
        self.name = name
        self.slug = slug
    }

    public func validated() throws(ValidationError) -> (name: String, slug: String) {
        var v = Validator()
        let name = v.requireText(name, field: "name", label: "Team name", max: Limits.name)
        let slug = Slug.resolve(given: slug, name: name, into: &v)
        try v.check()
        return (name, slug)
    }
}

/// Input for a service.
public struct ServiceInput: Equatable, Sendable {
    public var name: String?
    public var slug: String?
    public var owningTeam: String?
    /// Replaces the paged teams (primary first).
    public var pagedTeams: [String]?
    public var pagerDutyServiceID: String?

    public init(name: String?, slug: String? = nil, owningTeam: String? = nil, onCallTeam: String? = nil, pagedTeams: [String]? = nil, pagerDutyServiceID: String? = nil) {
        self.name = name
        self.slug = slug
        self.owningTeam = owningTeam
        if let pagedTeams {
            self.pagedTeams = pagedTeams
        } else if let onCallTeam {
            self.pagedTeams = onCallTeam.isEmpty ? [] : [onCallTeam]
        }
        self.pagerDutyServiceID = pagerDutyServiceID
    }

    public func validated(knownTeams: Set<String>) throws(ValidationError) -> Service {
        var v = Validator()
        let name = v.requireText(name, field: "name", label: "Service name", max: Limits.name)
        let slug = Slug.resolve(given: slug, name: name, into: &v)
        let owning = owningTeam.flatMap { $0.isEmpty ? nil : $0 }
        var seen = Set<String>()
        let paged = (pagedTeams ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        if let o = owning, !knownTeams.contains(o) { v.add("owningTeam", "unknown", "Unknown team \"\(o)\".") }
        for p in paged where !knownTeams.contains(p) { v.add("pagedTeams", "unknown", "Unknown team \"\(p)\".") }
        let pd = v.optionalText(pagerDutyServiceID, field: "pagerDutyServiceId", label: "PagerDuty service id", max: Limits.externalId)
        try v.check()
        return Service(name: name, slug: slug, owningTeam: owning, pagedTeams: paged, pagerDutyServiceID: pd.isEmpty ? nil : pd)
    }
}
