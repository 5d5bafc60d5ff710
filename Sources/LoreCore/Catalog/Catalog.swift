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
/// the on-call team, not the owning team.
public struct Service: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    /// Team slug.
    public var owningTeam: String?
    /// Team slug of the team paged for this service.
    public var onCallTeam: String?

    public init(id: UUID = UUID(), name: String, slug: String, owningTeam: String? = nil, onCallTeam: String? = nil) {
        self.id = id
        self.name = name
        self.slug = slug
        self.owningTeam = owningTeam
        self.onCallTeam = onCallTeam
    }
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
        let given = (slug ?? "").trimmingCharacters(in: .whitespaces)
        let slug = given.isEmpty ? Slug.make(from: name) : given
        if !name.isEmpty && !Slug.isValid(slug) {
            v.add("slug", "invalid", "Slug \"\(slug)\" must be lowercase letters, digits and hyphens (for example \"payments-sre\").")
        }
        try v.check()
        return (name, slug)
    }
}

/// Input for a service.
public struct ServiceInput: Equatable, Sendable {
    public var name: String?
    public var slug: String?
    public var owningTeam: String?
    public var onCallTeam: String?
    public init(name: String?, slug: String? = nil, owningTeam: String? = nil, onCallTeam: String? = nil) {
        self.name = name
        self.slug = slug
        self.owningTeam = owningTeam
        self.onCallTeam = onCallTeam
    }

    public func validated(knownTeams: Set<String>) throws(ValidationError) -> Service {
        var v = Validator()
        let name = v.requireText(name, field: "name", label: "Service name", max: Limits.name)
        let given = (slug ?? "").trimmingCharacters(in: .whitespaces)
        let slug = given.isEmpty ? Slug.make(from: name) : given
        if !name.isEmpty && !Slug.isValid(slug) {
            v.add("slug", "invalid", "Slug \"\(slug)\" must be lowercase letters, digits and hyphens.")
        }
        let owning = owningTeam.flatMap { $0.isEmpty ? nil : $0 }
        let onCall = onCallTeam.flatMap { $0.isEmpty ? nil : $0 }
        if let o = owning, !knownTeams.contains(o) { v.add("owningTeam", "unknown", "Unknown team \"\(o)\".") }
        if let o = onCall, !knownTeams.contains(o) { v.add("onCallTeam", "unknown", "Unknown team \"\(o)\".") }
        try v.check()
        return Service(name: name, slug: slug, owningTeam: owning, onCallTeam: onCall)
    }
}
