import FluentKit
import Foundation
import HummingbirdBcrypt
import LoreCore
import NIOConcurrencyHelpers
import SQLKit

/// A signed-in browser session.
public struct SessionInfo: Sendable {
    public var id: UUID
    public var user: User
    public var csrfToken: String
    public var expiresAt: Date
}

/// A browser session as its owner sees it on the account page.
public struct SessionSummary: Sendable, Equatable {
    public var id: UUID
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var expiresAt: Date
    /// The address it was started from.
    public var address: String?
}

/// An API token as listed (never with its secret).
public struct APIToken: Sendable, Codable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var name: String
    /// The first characters of the token, to recognise it in a list.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

extension LoreStore {
    // MARK: Users

    public func userCount() async throws -> Int { try await UserRow.query(on: db).count() }

    /// True when some admin can sign in with a password. Until then, `lore
    /// serve` prints a one-time link on each start so there is always a way in.
    public func hasAdminWithPassword() async throws -> Bool {
        try await UserRow.query(on: db).filter(\.$role == UserRole.admin.rawValue).filter(\.$passwordHash != nil).count() > 0
    }

    /// Everyone, by name: for the people admin page, the API's list and the
    /// names the wording checker knows. Pages that show a few people read
    /// them with `users(ids:)` or `pickablePeople(teams:limit:)` instead, so
    /// that they do not grow with the organisation.
    public func users() async throws -> [User] {
        try await readUsers("FROM users u ORDER BY u.display_name, u.id")
    }

    /// The people with these ids (unknown ids are left out), by name.
    public func users(ids: some Collection<UUID>) async throws -> [User] {
        var found: [User] = []
        for batch in Self.parameterBatches(Array(Set(ids))) {
            found += try await readUsers("FROM users u WHERE u.id IN (\(binds: batch)) ORDER BY u.display_name, u.id")
        }
        return found.sorted { ($0.displayName, $0.id.uuidString) < ($1.displayName, $1.id.uuidString) }
    }

    /// The people a form offers to choose from: everyone while the
    /// organisation has at most `limit` people (`everyone` is true);
    /// otherwise the people in `chosen` and up to `limit` members of
    /// `teams`, and the form asks for anyone else by handle or email. One
    /// statement, whatever the organisation's size.
    public func pickablePeople(teams: [String], chosen: some Collection<UUID>, limit: Int) async throws -> (people: [User], everyone: Bool) {
        let chosen = Array(Set(chosen))
        var wanted: SQLQueryString = "(SELECT COUNT(*) FROM users) <= \(bind: limit)"
        if !teams.isEmpty { wanted += " OR u.id IN (SELECT m.user_id FROM team_memberships m WHERE m.team_slug IN (\(binds: teams)))" }
        // (No constant term when nothing is chosen: "ORDER BY 0" names a column.)
        var first: SQLQueryString = ""
        if !chosen.isEmpty {
            wanted += " OR u.id IN (\(binds: chosen))"
            first = "CASE WHEN u.id IN (\(binds: chosen)) THEN 0 ELSE 1 END, "
        }
        let everyone = NIOLockedValueBox(false)
        let people = NIOLockedValueBox<[User]>([])
        try await streamRows("""
            SELECT \(unsafeRaw: Self.userColumns), (SELECT COUNT(*) FROM users) AS people FROM users u WHERE \(wanted)
            ORDER BY \(first)u.display_name, u.id LIMIT \(bind: limit + chosen.count)
            """) { row in
            let user = try Self.user(row)
            let count = try row.int("people")
            people.withLockedValue { $0.append(user) }
            everyone.withLockedValue { $0 = count <= limit }
        }
        let found = people.withLockedValue { $0 }.sorted { ($0.displayName, $0.id.uuidString) < ($1.displayName, $1.id.uuidString) }
        return (found, everyone.withLockedValue { $0 })
    }

    /// The people these handles (with or without their "@") or emails name,
    /// in any case, by what named them; names that are no one's are left
    /// out. One statement for all of them; handles and emails are stored in
    /// lowercase, so their indexes answer.
    public func users(handlesOrEmails names: [String]) async throws -> [String: User] {
        func key(_ name: String) -> String {
            var k = name.trimmingCharacters(in: .whitespaces).lowercased()
            if k.hasPrefix("@") { k.removeFirst() }
            return k
        }
        let keys = Array(Set(names.map(key).filter { !$0.isEmpty }))
        if keys.isEmpty { return [:] }
        var found: [String: User] = [:]
        for batch in Self.parameterBatches(keys) {
            for u in try await readUsers("FROM users u WHERE u.handle IN (\(binds: batch)) OR u.email IN (\(binds: batch))") {
                found[u.handle] = u
                found[u.email] = u
            }
        }
        var out: [String: User] = [:]
        for name in names { if let u = found[key(name)] { out[name] = u } }
        return out
    }

    /// People read with named columns: decoding them through Fluent's
    /// reflection was half of a review page's time with 2,000 people.
    private func readUsers(_ rest: SQLQueryString) async throws -> [User] {
        let found = NIOLockedValueBox<[User]>([])
        try await streamRows("SELECT \(unsafeRaw: Self.userColumns) \(rest)") { row in
            let user = try Self.user(row)
            found.withLockedValue { $0.append(user) }
        }
        return found.withLockedValue { $0 }
    }

    private static func user(_ row: StreamedRow) throws -> User {
        User(id: try row.uuid("user_id"), displayName: try row.string("display_name"), handle: try row.string("handle"),
             email: try row.string("email"), role: UserRole(rawValue: try row.string("role")) ?? .member,
             timeZone: try row.string("time_zone"), createdAt: try row.date("user_created_at").ms ?? .distantPast)
    }

    public func user(id: UUID) async throws -> User? {
        try await readUsers("FROM users u WHERE u.id = \(bind: id)").first
    }

    public func user(email: String) async throws -> User? {
        try await readUsers("FROM users u WHERE u.email = \(bind: email.lowercased().trimmingCharacters(in: .whitespaces))").first
    }

    public func userIDs() async throws -> Set<UUID> {
        Set(try await UserRow.query(on: db).all().compactMap(\.id))
    }

    /// Creates an account. A password is optional: without one, the person
    /// signs in through a one-time link.
    @discardableResult
    public func createUser(_ input: UserInput, now: Date = Date()) async throws -> User {
        let v = try input.validated()
        let cost = passwordCost
        let hash: String? = if let p = v.password { try await Self.hashingPassword { Bcrypt.hash(p, cost: cost) } } else { nil }
        let user = try await transaction { store in
            if try await UserRow.query(on: store.db).filter(\.$email == v.email).count() > 0 {
                throw ValidationError(field: "email", code: "taken", message: "An account with the email \(v.email) already exists.")
            }
            if try await UserRow.query(on: store.db).filter(\.$handle == v.handle).count() > 0 {
                throw ValidationError(field: "handle", code: "taken", message: "The handle \"\(v.handle)\" is taken.")
            }
            let row = UserRow()
            row.email = v.email
            row.handle = v.handle
            row.displayName = v.displayName
            row.role = v.role.rawValue
            row.passwordHash = hash
            row.timeZone = v.timeZone
            row.createdAt = now.ms
            try await row.create(on: store.db)
            return Self.user(row)
        }
        peopleChanges.bump()
        return user
    }

    /// Changes display name, time zone or role.
    @discardableResult
    public func updateUser(id: UUID, displayName: String?, timeZone: String?, role: UserRole? = nil, by actor: AuditActor = .commandLine) async throws -> User {
        guard let row = try await UserRow.find(id, on: db) else { throw StoreError.notFound("User") }
        if let role, role.rawValue != row.role {
            try await recordAudit(actor.event(.roleChanged, subjectType: "user", subjectID: id.uuidString, from: row.role, to: role.rawValue, detail: row.displayName))
        }
        var v = Validator()
        if let d = displayName { row.displayName = v.requireText(d, field: "displayName", label: "Display name", max: Limits.name) }
        if let tz = timeZone {
            if TimeZone(identifier: tz) == nil { v.add("timeZone", "unknown", "Unknown time zone \"\(tz)\"; use an IANA name such as Europe/Berlin.") }
            row.timeZone = tz
        }
        if let role { row.role = role.rawValue }
        try v.check()
        try await row.update(on: db)
        peopleChanges.bump()
        return Self.user(row)
    }

    /// Returns the user when the email and password match. Takes the same
    /// time whether or not the account exists, so it cannot be used to probe
    /// for accounts.
    public func authenticate(email: String, password: String) async throws -> User? {
        let row = try await UserRow.query(on: db).filter(\.$email == email.lowercased().trimmingCharacters(in: .whitespaces)).first()
        let hash = row?.passwordHash ?? Self.dummyHash
        let ok = try await Self.hashingPassword { Bcrypt.verify(password, hash: hash) }
        guard ok, let row, row.passwordHash != nil else { return nil }
        return Self.user(row)
    }

    /// A real hash of a random secret, verified against when the account does
    /// not exist so that both paths cost the same.
    private static let dummyHash = Bcrypt.hash(Secrets.generate(), cost: 12)

    public func setPassword(userID: UUID, password: String) async throws {
        var v = Validator()
        UserInput.checkPassword(password, into: &v)
        try v.check()
        guard let row = try await UserRow.find(userID, on: db) else { throw StoreError.notFound("User") }
        let cost = passwordCost
        row.passwordHash = try await Self.hashingPassword { Bcrypt.hash(password, cost: cost) }
        try await transaction { store in
            try await row.update(on: store.db)
            // A new password ends every other session.
            try await SessionRow.query(on: store.db).filter(\.$userID == userID).delete()
            try await store.auditAccount(.passwordChanged, userID: userID, now: Date(), detail: "every session ended")
        }
    }

    // MARK: Team membership

    public func setMembership(teamSlug: String, userID: UUID, role: TeamRole?, by actor: AuditActor = .commandLine) async throws {
        try await transaction { store in
            guard try await TeamRow.query(on: store.db).filter(\.$slug == teamSlug).count() > 0 else {
                throw ValidationError(field: "team", code: "unknown", message: "Unknown team \"\(teamSlug)\".")
            }
            guard try await UserRow.find(userID, on: store.db) != nil else { throw StoreError.notFound("User") }
            let existing = try await MembershipRow.query(on: store.db).filter(\.$teamSlug == teamSlug).filter(\.$userID == userID).first()
            if existing?.role != role?.rawValue {
                try await store.recordAudit(actor.event(
                    .membershipChanged, subjectType: "user", subjectID: userID.uuidString, from: existing?.role ?? "not a member", to: role?.rawValue ?? "not a member",
                    detail: "team \(teamSlug)"))
            }
            if let role {
                let row = existing ?? MembershipRow()
                row.teamSlug = teamSlug
                row.userID = userID
                row.role = role.rawValue
                try await row.save(on: store.db)
            } else if let existing {
                try await existing.delete(on: store.db)
            }
        }
    }

    public func memberships(userID: UUID? = nil) async throws -> [TeamMembership] {
        var q = MembershipRow.query(on: db)
        if let userID { q = q.filter(\.$userID == userID) }
        return try await q.all().map { TeamMembership(teamSlug: $0.teamSlug, userID: $0.userID, role: TeamRole(rawValue: $0.role) ?? .member) }
    }

    // MARK: Sessions

    /// Starts a session; returns the secret for the cookie.
    public func createSession(userID: UUID, lifetime: TimeInterval, address: String? = nil, now: Date = Date()) async throws -> (token: String, session: SessionInfo) {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("User") }
        let token = Secrets.generate()
        let row = SessionRow()
        row.tokenHash = Secrets.digest(token)
        row.userID = userID
        row.csrfToken = Secrets.generate()
        row.createdAt = now.ms
        row.expiresAt = now.addingTimeInterval(lifetime).ms
        row.lastUsedAt = now.ms
        row.address = address
        try await row.create(on: db)
        return (token, SessionInfo(id: row.id!, user: user, csrfToken: row.csrfToken, expiresAt: row.expiresAt))
    }

    /// A person's sessions that have not expired, most recently used first.
    public func sessions(userID: UUID, now: Date = Date()) async throws -> [SessionSummary] {
        try await SessionRow.query(on: db).filter(\.$userID == userID).filter(\.$expiresAt > now).all()
            .map { SessionSummary(id: $0.id!, createdAt: $0.createdAt.ms, lastUsedAt: $0.lastUsedAt.ms, expiresAt: $0.expiresAt.ms, address: $0.address) }
            .sorted { ($0.lastUsedAt ?? $0.createdAt) > ($1.lastUsedAt ?? $1.createdAt) }
    }

    /// Ends one of a person's sessions (only their own: another's id is not found).
    public func endSession(id: UUID, userID: UUID, now: Date = Date()) async throws {
        try await transaction { store in
            guard let row = try await SessionRow.query(on: store.db).filter(\.$id == id).filter(\.$userID == userID).first() else {
                throw StoreError.notFound("Session")
            }
            try await row.delete(on: store.db)
            try await store.auditAccount(.sessionEnded, userID: userID, now: now, detail: "started \(LoreTime.iso(row.createdAt))\(row.address.map { " from \($0)" } ?? "")")
        }
    }

    public func session(token: String, now: Date = Date()) async throws -> SessionInfo? {
        guard let found = try await credential("""
            SELECT s.id AS credential_id, s.expires_at, s.last_used_at, s.csrf_token, \(unsafeRaw: Self.userColumns)
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: Secrets.digest(token))
            """) else { return nil }
        guard let expiresAt = found.expiresAt, expiresAt > now else {
            try await SessionRow.query(on: db).filter(\.$id == found.id).delete()
            return nil
        }
        if Self.recordsUse(since: found.lastUsedAt, now: now) {
            try? await SessionRow.query(on: db).filter(\.$id == found.id).set(\.$lastUsedAt, to: now.ms).update()
        }
        guard let csrf = found.csrfToken, !csrf.isEmpty else { return nil }
        return SessionInfo(id: found.id, user: found.user, csrfToken: csrf, expiresAt: expiresAt)
    }

    public func deleteSession(token: String) async throws {
        try await SessionRow.query(on: db).filter(\.$tokenHash == Secrets.digest(token)).delete()
    }

    // MARK: API tokens

    /// Creates a token. The secret is returned once and never stored.
    public func createAPIToken(userID: UUID, name: String, now: Date = Date()) async throws -> (secret: String, token: APIToken) {
        var v = Validator()
        let name = v.requireText(name, field: "name", label: "Token name", max: Limits.name)
        try v.check()
        guard try await UserRow.find(userID, on: db) != nil else { throw StoreError.notFound("User") }
        let secret = Secrets.generate(prefix: "lore_")
        let row = APITokenRow()
        row.userID = userID
        row.name = name
        row.tokenHash = Secrets.digest(secret)
        row.prefix = String(secret.prefix(12))
        row.createdAt = now.ms
        try await row.create(on: db)
        try await auditAccount(.tokenCreated, userID: userID, now: now, detail: "\(name) (\(row.prefix)…)")
        return (secret, Self.apiToken(row))
    }

    /// Account changes are recorded against the account's owner; when no
    /// signed-in person asked (the command line), the row says so.
    func auditAccount(_ action: AuditAction, userID: UUID, byOwner: Bool = true, now: Date, detail: String? = nil) async throws {
        let owner = try await user(id: userID)
        try await recordAudit(AuditEvent(
            at: now, actorID: byOwner ? userID : nil, actorName: byOwner ? owner?.displayName ?? "" : "command line or an admin",
            action: action, subjectType: "user", subjectID: userID.uuidString, detail: detail))
    }

    public func apiTokens(userID: UUID? = nil) async throws -> [APIToken] {
        var q = APITokenRow.query(on: db)
        if let userID { q = q.filter(\.$userID == userID) }
        return try await q.sort(\.$createdAt).all().map(Self.apiToken)
    }

    /// The user a bearer token belongs to, if it is valid and not revoked.
    public func user(apiToken secret: String, now: Date = Date()) async throws -> User? {
        guard let found = try await credential("""
            SELECT t.id AS credential_id, t.last_used_at, NULL AS expires_at, NULL AS csrf_token, \(unsafeRaw: Self.userColumns)
            FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = \(bind: Secrets.digest(secret)) AND t.revoked_at IS NULL
            """) else { return nil }
        if Self.recordsUse(since: found.lastUsedAt, now: now) {
            try? await APITokenRow.query(on: db).filter(\.$id == found.id).set(\.$lastUsedAt, to: now.ms).update()
        }
        return found.user
    }

    /// Whether to write down that a session or token was used: at most once
    /// a minute, so that reads do not become writes.
    private static func recordsUse(since lastUsedAt: Date?, now: Date) -> Bool {
        lastUsedAt.map { now.timeIntervalSince($0) > 60 } ?? true
    }

    /// A session or token with its person, read in one statement with named
    /// columns (a token has no expiry or form token of its own). Every
    /// signed-in request starts here; reading the two rows through Fluent's
    /// reflection was a third of a small API request's time.
    private func credential(_ query: SQLQueryString) async throws -> Credential? {
        let found = NIOLockedValueBox<Credential?>(nil)
        try await streamRows(query) { row in
            let user = try Self.user(row)
            let credential = Credential(
                id: try row.uuid("credential_id"), user: user, lastUsedAt: try row.date("last_used_at"),
                expiresAt: try row.date("expires_at"), csrfToken: try row.optionalString("csrf_token"))
            found.withLockedValue { $0 = credential }
        }
        return found.withLockedValue { $0 }
    }

    private struct Credential: Sendable {
        var id: UUID
        var user: User
        var lastUsedAt: Date?
        var expiresAt: Date?
        var csrfToken: String?
    }

    private static let userColumns = "u.id AS user_id, u.display_name, u.handle, u.email, u.role, u.time_zone, u.created_at AS user_created_at"

    /// Revokes a token by id or by its listed prefix; returns it.
    @discardableResult
    public func revokeAPIToken(_ idOrPrefix: String, userID: UUID? = nil, now: Date = Date()) async throws -> APIToken {
        var q = APITokenRow.query(on: db)
        if let id = UUID(uuidString: idOrPrefix) { q = q.filter(\.$id == id) } else { q = q.filter(\.$prefix == idOrPrefix) }
        if let userID { q = q.filter(\.$userID == userID) }
        let rows = try await q.all()
        guard rows.count == 1, let row = rows.first else {
            if rows.count > 1 { throw ValidationError(field: "token", code: "ambiguous", message: "More than one token matches \"\(idOrPrefix)\"; use its id.") }
            throw StoreError.notFound("API token \"\(idOrPrefix)\"")
        }
        if row.revokedAt == nil {
            row.revokedAt = now.ms
            try await row.update(on: db)
            try await auditAccount(.tokenRevoked, userID: row.userID, byOwner: userID != nil, now: now, detail: "\(row.name) (\(row.prefix)…)")
        }
        return Self.apiToken(row)
    }

    // MARK: One-time sign-in links

    /// A link secret that signs the user in once, within `lifetime`.
    public func createSignInLink(userID: UUID, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        let secret = Secrets.generate()
        let row = SignInLinkRow()
        row.userID = userID
        row.tokenHash = Secrets.digest(secret)
        row.expiresAt = now.addingTimeInterval(lifetime).ms
        try await row.create(on: db)
        return secret
    }

    /// Uses up a sign-in link. Nil when unknown, used or expired.
    public func redeemSignInLink(_ secret: String, now: Date = Date()) async throws -> User? {
        try await transaction { store in
            guard let row = try await SignInLinkRow.query(on: store.db).filter(\.$tokenHash == Secrets.digest(secret)).first(),
                  row.usedAt == nil, row.expiresAt > now else { return nil }
            row.usedAt = now.ms
            try await row.update(on: store.db)
            return try await store.user(id: row.userID)
        }
    }

    static func user(_ r: UserRow) -> User {
        User(id: r.id!, displayName: r.displayName, handle: r.handle, email: r.email, role: UserRole(rawValue: r.role) ?? .member, timeZone: r.timeZone, createdAt: r.createdAt.ms)
    }

    static func apiToken(_ r: APITokenRow) -> APIToken {
        APIToken(id: r.id!, userID: r.userID, name: r.name, prefix: r.prefix, createdAt: r.createdAt.ms, lastUsedAt: r.lastUsedAt.ms, revokedAt: r.revokedAt.ms)
    }
}
