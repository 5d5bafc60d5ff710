import FluentKit
import Foundation
import LoreCore
import SQLKit

/// Single sign-on as saved by an admin, with the client secret kept apart
/// from what pages show.
public struct SavedSingleSignOn: Sendable, Equatable {
    public var settings: SingleSignOnSettings
    public var clientSecret: String?
}

extension LoreStore {
    public func singleSignOn() async throws -> SavedSingleSignOn {
        guard let row = try await SettingsRow.query(on: db).first() else { return SavedSingleSignOn(settings: SingleSignOnSettings(), clientSecret: nil) }
        let settings = row.singleSignOn.flatMap { try? JSONDecoder().decode(SingleSignOnSettings.self, from: Data($0.utf8)) } ?? SingleSignOnSettings()
        return SavedSingleSignOn(settings: settings, clientSecret: row.oidcClientSecret)
    }

    /// Validates and saves; `clientSecret` nil keeps the one saved, "" removes it.
    @discardableResult
    public func saveSingleSignOn(_ proposed: SingleSignOnSettings, clientSecret: String?, by actor: AuditActor = .commandLine) async throws -> SingleSignOnSettings {
        let candidates = try await breakGlassCandidates()
        let s = try proposed.validated(breakGlassIsAdmin: { candidates.contains($0) })
        let before = try await singleSignOn()
        let secret = clientSecret.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if s.enabled, (secret ?? before.clientSecret ?? "").isEmpty {
            throw ValidationError(field: "clientSecret", code: "required", message: "The client secret the provider gave Lore is required.")
        }
        try await transaction { store in
            let row = try await SettingsRow.query(on: store.db).first() ?? Self.defaultSettingsRow()
            row.singleSignOn = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
            if let secret { row.oidcClientSecret = secret.isEmpty ? nil : secret }
            try await row.save(on: store.db)
            // What changed, never the secret itself.
            var changes: [String] = []
            if before.settings != s { changes.append(s.enabled ? "single sign-on set up with \(s.issuer)" : "single sign-on switched off") }
            if let secret, secret != before.clientSecret ?? "" { changes.append("client secret changed") }
            if !s.passwordsForEveryone { changes.append("passwords only for \(s.breakGlassEmail)") }
            if !changes.isEmpty {
                try await store.recordAudit(actor.event(.settingsChanged, subjectType: "settings", detail: changes.joined(separator: "; ")))
            }
        }
        return s
    }

    static func defaultSettingsRow() -> SettingsRow {
        let d = OrganisationSettings.default, row = SettingsRow()
        row.organisationName = d.organisationName
        row.practiceName = d.practiceName
        row.reviewWindowHours = d.reviewWindowHours
        row.severities = d.severities
        row.detectionSources = d.detectionSources
        return row
    }

    /// Admins' addresses that may be the break-glass account: an admin with a
    /// password, the way in when the provider is down.
    public func breakGlassCandidates() async throws -> Set<String> {
        Set(try await UserRow.query(on: db).filter(\.$role == UserRole.admin.rawValue).filter(\.$passwordHash != nil).all().map(\.email))
    }

    /// The account for someone the provider vouched for.
    ///
    /// Found by who they are at the provider (issuer and subject) once
    /// linked. Before that, by address: a member's account is linked at its
    /// first sign-in through the provider; an admin's only when the admin
    /// claim vouches for the person, or by its owner signed in (`linkTo`),
    /// since an address alone must not hand over an admin; an account already linked to another subject is refused (the
    /// address has moved on). Otherwise an account is created if the
    /// settings allow. With an admin claim set, the provider decides at each
    /// sign-in who is an admin, but never demotes the last one, and a
    /// demotion ends the person's sessions.
    public func signOn(_ identity: SignOnIdentity, settings: SingleSignOnSettings, linkTo: UUID? = nil, address: String, now: Date = Date()) async throws -> User {
        if settings.isBreakGlass(identity.email) { throw SingleSignOnRefusal.breakGlassAccount(identity.email) }
        let linked = try await linkedUser(issuer: identity.issuer, subject: identity.subject)
        var user: User
        if let linked, let found = try await self.user(id: linked) {
            if let linkTo, linkTo != found.id { throw SingleSignOnRefusal.linkedToAnotherPerson(identity.email) }
            user = found
        } else if let linkTo, let me = try await self.user(id: linkTo) {
            if settings.isBreakGlass(me.email) { throw SingleSignOnRefusal.breakGlassAccount(me.email) }
            try await link(identity, to: me.id, now: now)
            user = me
        } else if let existing = try await self.user(email: identity.email) {
            if try await isLinkedToProvider(userID: existing.id, issuer: identity.issuer) {
                throw SingleSignOnRefusal.linkedToAnotherPerson(identity.email)
            }
            // An admin's account goes by its address only when the provider
            // itself says the person is an admin (the admin claim).
            if existing.isAdmin, identity.isAdmin != true { throw SingleSignOnRefusal.linkRequired(identity.email) }
            try await link(identity, to: existing.id, now: now)
            user = existing
        } else {
            guard settings.createAccounts else { throw SingleSignOnRefusal.noAccount(identity.email) }
            user = try await createSignedOnUser(identity, settings: settings, address: address, now: now)
        }
        // On every path: the provider's word never opens the break-glass
        // account, whatever address the provider has for the person.
        if settings.isBreakGlass(user.email) { throw SingleSignOnRefusal.breakGlassAccount(user.email) }
        if let isAdmin = identity.isAdmin {
            user = try await applyAdminClaim(isAdmin, to: user, settings: settings, address: address)
        }
        return user
    }

    func link(_ identity: SignOnIdentity, to userID: UUID, now: Date) async throws {
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded())
        do {
            try await sqlDatabase().raw("""
                INSERT INTO user_identities (issuer, subject, user_id, linked_at) VALUES (\(bind: identity.issuer), \(bind: identity.subject), \(bind: userID), \(bind: at))
                """).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two first sign-ins of one person at once: the other linked it.
            guard try await linkedUser(issuer: identity.issuer, subject: identity.subject) == userID else {
                throw SingleSignOnRefusal.linkedToAnotherPerson(identity.email)
            }
        }
    }

    func linkedUser(issuer: String, subject: String) async throws -> UUID? {
        try await sqlDatabase().raw("SELECT user_id FROM user_identities WHERE issuer = \(bind: issuer) AND subject = \(bind: subject)")
            .first()?.decode(column: "user_id", as: UUID.self)
    }

    /// Whether the account is linked to someone at this provider.
    public func isLinkedToProvider(userID: UUID, issuer: String) async throws -> Bool {
        try await sqlDatabase().raw("SELECT 1 AS one FROM user_identities WHERE user_id = \(bind: userID) AND issuer = \(bind: issuer)").first() != nil
    }


    private func createSignedOnUser(_ identity: SignOnIdentity, settings: SingleSignOnSettings, address: String, now: Date) async throws -> User {
        // A handle from the address, made unique with a number, within the
        // length a handle may have.
        let local = String(identity.email.split(separator: "@").first ?? "")
        var base = String(Slug.make(from: local).prefix(Limits.slug - 4)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if base.isEmpty { base = "person" }
        var candidate = base, n = 1
        while try await UserRow.query(on: db).filter(\.$handle == candidate).count() > 0 {
            n += 1
            candidate = "\(base)-\(n)"
        }
        let user: User
        do {
            user = try await createUser(UserInput(displayName: identity.name.map { String($0.prefix(Limits.name)) }, handle: candidate, email: identity.email,
                                                  role: identity.isAdmin == true ? .admin : .member), now: now)
        } catch let e as ValidationError where e.issues.contains(where: { $0.code == "taken" }) {
            // Two first sign-ins at once: the other one created it.
            guard let made = try await self.user(email: identity.email) else { throw e }
            return made
        }
        try await link(identity, to: user.id, now: now)
        try await recordAudit(AuditEvent(at: now, actorID: user.id, actorName: user.displayName, action: .accountCreated, subjectType: "user",
                                         subjectID: user.id.uuidString, detail: "first sign-in through \(settings.issuer)", address: address))
        return user
    }

    private func applyAdminClaim(_ isAdmin: Bool, to user: User, settings: SingleSignOnSettings, address: String) async throws -> User {
        let actor = AuditActor(userID: nil, name: "identity provider (\(settings.adminClaim))", address: address)
        if isAdmin, user.role != .admin {
            return try await updateUser(id: user.id, displayName: nil, timeZone: nil, role: .admin, by: actor)
        }
        guard !isAdmin, user.role == .admin else { return user }
        // A claim set up wrong must not lock everyone out.
        let admins = try await UserRow.query(on: db).filter(\.$role == UserRole.admin.rawValue).count()
        guard admins > 1 else { return user }
        let demoted = try await updateUser(id: user.id, displayName: nil, timeZone: nil, role: .member, by: actor)
        // Sessions started as an admin end with the role.
        try await SessionRow.query(on: db).filter(\.$userID == user.id).delete()
        return demoted
    }
}
