import Foundation

/// What a person may do across the organisation. Admins change settings and
/// manage accounts; what anyone may *see* is decided per record.
public enum UserRole: String, CaseIterable, Codable, Sendable {
    case admin, member
    /// Support, account managers, sales: they read the customer summaries
    /// that were approved, and nothing else (no incident, review or search).
    case customerFacing = "customer_facing"
}

/// A person's role within a team. Managers matter for reviews held without
/// managers present.
public enum TeamRole: String, CaseIterable, Codable, Sendable {
    case member, manager
}

/// A person who can sign in.
public struct User: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var displayName: String
    public var handle: String
    public var email: String
    public var role: UserRole
    /// IANA identifier; times are shown to this person in this zone.
    public var timeZone: String
    public var createdAt: Date

    public init(id: UUID = UUID(), displayName: String, handle: String, email: String, role: UserRole, timeZone: String = "UTC", createdAt: Date) {
        self.id = id
        self.displayName = displayName
        self.handle = handle
        self.email = email
        self.role = role
        self.timeZone = timeZone
        self.createdAt = createdAt
    }

    public var isAdmin: Bool { role == .admin }
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }
}

/// A person's membership of a team.
public struct TeamMembership: Equatable, Sendable, Codable {
    public var teamSlug: String
    public var userID: UUID
    public var role: TeamRole

    public init(teamSlug: String, userID: UUID, role: TeamRole) {
        self.teamSlug = teamSlug
        self.userID = userID
        self.role = role
    }
}

/// A new account.
public struct UserInput: Equatable, Sendable {
    public var displayName: String?
    public var handle: String?
    public var email: String?
    public var role: UserRole?
    public var password: String?
    public var timeZone: String?

    public init(displayName: String?, handle: String? = nil, email: String?, role: UserRole? = nil, password: String? = nil, timeZone: String? = nil) {
        self.displayName = displayName
        self.handle = handle
        self.email = email
        self.role = role
        self.password = password
        self.timeZone = timeZone
    }

    public struct Valid: Sendable {
        public var displayName: String
        public var handle: String
        public var email: String
        public var role: UserRole
        public var password: String?
        public var timeZone: String
    }

    /// Validates; a password is optional (the person can be sent a sign-in link).
    public func validated() throws(ValidationError) -> Valid {
        var v = Validator()
        let email = v.requireText(email, field: "email", label: "Email", max: Limits.email).lowercased()
        if !email.isEmpty && !Self.looksLikeEmail(email) {
            v.add("email", "invalid", "\"\(email)\" is not an email address.")
        }
        var name = v.optionalText(displayName, field: "displayName", label: "Display name", max: Limits.name)
        if name.isEmpty { name = String(email.split(separator: "@").first ?? "") }
        var handle = (handle ?? "").trimmingCharacters(in: .whitespaces)
        if handle.hasPrefix("@") { handle.removeFirst() }
        if handle.isEmpty { handle = Slug.make(from: String(email.split(separator: "@").first ?? "")) }
        if !email.isEmpty && !Slug.isValid(handle) {
            v.add("handle", "invalid", "Handle \"\(handle)\" must be lowercase letters, digits and hyphens.")
        }
        if let p = password, !p.isEmpty { Self.checkPassword(p, into: &v) }
        let tz = (timeZone ?? "UTC").trimmingCharacters(in: .whitespaces)
        if TimeZone(identifier: tz) == nil {
            v.add("timeZone", "unknown", "Unknown time zone \"\(tz)\"; use an IANA name such as Europe/Berlin.")
        }
        try v.check()
        return Valid(displayName: name, handle: handle, email: email, role: role ?? .member, password: password?.isEmpty == true ? nil : password, timeZone: tz)
    }

    public static func checkPassword(_ p: String, into v: inout Validator, field: String = "password") {
        if p.count < Limits.minPassword {
            v.add(field, "too_short", "Password must be at least \(Limits.minPassword) characters.")
        } else if p.count > Limits.password {
            v.add(field, "too_long", "Password must be at most \(Limits.password) characters.")
        }
    }

    /// One rule for what counts as an email address, wherever one is entered.
    public static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !s.contains(where: { $0.isWhitespace })
    }
}
