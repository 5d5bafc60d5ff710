import FluentKit
import Foundation
import LoreCore

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
        let admins = Set(try await UserRow.query(on: db).filter(\.$role == UserRole.admin.rawValue).all().filter { $0.passwordHash != nil }.map(\.email))
        let s = try proposed.validated(breakGlassIsAdmin: { admins.contains($0) })
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

    /// The account for someone the provider vouched for: found by email, or
    /// created (a member, or an admin when the admin claim says so) if the
    /// settings allow. With an admin claim set, the provider decides who is
    /// an admin at every sign-in, except for the break-glass account.
    public func signOn(_ identity: SignOnIdentity, settings: SingleSignOnSettings, address: String, now: Date = Date()) async throws -> User {
        if let existing = try await user(email: identity.email) {
            guard let isAdmin = identity.isAdmin, existing.email != settings.breakGlassEmail else { return existing }
            let role: UserRole? = isAdmin ? (existing.role == .admin ? nil : .admin) : (existing.role == .admin ? .member : nil)
            guard let role else { return existing }
            return try await updateUser(id: existing.id, displayName: nil, timeZone: nil, role: role,
                                        by: AuditActor(userID: nil, name: "identity provider (\(settings.adminClaim))", address: address))
        }
        guard settings.createAccounts else { throw SingleSignOnRefusal.noAccount(identity.email) }
        let local = String(identity.email.split(separator: "@").first ?? "")
        var handle = Slug.make(from: local)
        if handle.isEmpty { handle = "person" }
        var candidate = handle, n = 1
        while try await UserRow.query(on: db).filter(\.$handle == candidate).count() > 0 {
            n += 1
            candidate = "\(handle)-\(n)"
        }
        let user = try await createUser(UserInput(displayName: identity.name.map { String($0.prefix(Limits.name)) }, handle: candidate, email: identity.email,
                                                  role: identity.isAdmin == true ? .admin : .member), now: now)
        try await recordAudit(AuditEvent(at: now, actorID: user.id, actorName: user.displayName, action: .accountCreated, subjectType: "user",
                                         subjectID: user.id.uuidString, detail: "first sign-in through \(settings.issuer)", address: address))
        return user
    }
}
