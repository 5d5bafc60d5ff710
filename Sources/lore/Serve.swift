import ArgumentParser
import Foundation
import Hummingbird
import Logging
import LoreCore
import LoreServer
import LoreStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web application and JSON API.",
        discussion: "On first start with an empty database, creates an admin account and prints a one-time sign-in link (or uses --admin-email/--admin-password).")

    @OptionGroup var data: DataOptions

    @Option(help: "Address to listen on (env LORE_HOST).") var host: String?
    @Option(help: "Port to listen on (env LORE_PORT).") var port: Int?
    @Flag(help: "Fill an empty database with realistic demo incidents first.") var demo = false
    @Option(help: "Email of the first admin, created when there are no accounts (env LORE_ADMIN_EMAIL).") var adminEmail: String?
    @Option(help: "Password of the first admin; without it a one-time sign-in link is printed (env LORE_ADMIN_PASSWORD).") var adminPassword: String?
    @Flag(help: "Mark session cookies Secure (serve Lore over HTTPS; env LORE_SECURE_COOKIES=1).") var secureCookies = false
    @Option(help: "The URL people use to reach Lore, for printed links (env LORE_PUBLIC_URL).") var publicURL: String?
    @Flag(help: "Do not send reminders or take checkpoints in this process (env LORE_NO_BACKGROUND_WORK=1).") var noBackgroundWork = false
    @Option(help: "Seconds between looks for due reminders and checkpoints (env LORE_WORK_INTERVAL, default 5).") var workInterval: Int?
    @Option(help: "The organisation's language rules file (env LORE_LANGUAGE_RULES); see docs/language-rules.md.") var languageRules: String?
    @Option(help: "The organisation's audience rules file for customer summaries, same shape as the language rules (env LORE_AUDIENCE_RULES).") var audienceRules: String?
    @Option(help: "Days the audit log keeps its rows, 7 to 3650 (env LORE_AUDIT_RETENTION_DAYS, default 400).") var auditRetentionDays: Int?
    @Option(help: "Single sign-on: the OpenID provider's issuer URL (env LORE_OIDC_ISSUER). Set here, it wins over Settings; the client secret comes from LORE_OIDC_CLIENT_SECRET only.") var oidcIssuer: String?
    @Option(help: "Single sign-on: Lore's client id at the provider (env LORE_OIDC_CLIENT_ID).") var oidcClientId: String?
    @Option(help: "Single sign-on: scopes, space-separated (env LORE_OIDC_SCOPES, default \"openid email profile\").") var oidcScopes: String?
    @Option(help: "Single sign-on: the claim with the email address (env LORE_OIDC_EMAIL_CLAIM, default email).") var oidcEmailClaim: String?
    @Option(help: "Single sign-on: a claim whose values make admins, as claim=value1,value2 (env LORE_OIDC_ADMINS).") var oidcAdmins: String?
    @Option(help: "Single sign-on: allowed email domains, comma-separated (env LORE_OIDC_DOMAINS).") var oidcDomains: String?
    @Flag(help: "Single sign-on: do not create accounts at first sign-in (env LORE_OIDC_NO_NEW_ACCOUNTS=1).") var oidcNoNewAccounts = false
    @Flag(help: "Single sign-on: the provider vouches for every address it sends (it never sends email_verified, or the email claim is another one such as upn; env LORE_OIDC_TRUST_EMAILS=1).") var oidcTrustEmails = false
    @Option(help: "Single sign-on: switch password sign-in off except for this admin's email (env LORE_OIDC_BREAK_GLASS).") var oidcBreakGlass: String?

    func validate() throws {
        if let w = workInterval, !(1...3600).contains(w) { throw ValidationError("--work-interval must be between 1 and 3600 seconds.") }
        if let d = auditRetentionDays ?? ProcessInfo.processInfo.environment["LORE_AUDIT_RETENTION_DAYS"].flatMap(Int.init), !AuditRetention.daysRange.contains(d) {
            throw ValidationError("--audit-retention-days must be between \(AuditRetention.daysRange.lowerBound) and \(AuditRetention.daysRange.upperBound).")
        }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var config = LoreServerConfiguration(
            host: host ?? env["LORE_HOST"] ?? "127.0.0.1",
            port: port ?? env["LORE_PORT"].flatMap(Int.init) ?? 8080,
            secureCookies: secureCookies || env["LORE_SECURE_COOKIES"] == "1",
            publicURL: publicURL ?? env["LORE_PUBLIC_URL"],
            backgroundWork: !noBackgroundWork && env["LORE_NO_BACKGROUND_WORK"] != "1",
            workInterval: .seconds(workInterval ?? env["LORE_WORK_INTERVAL"].flatMap(Int.init) ?? 5))
        config.languageRulesFile = languageRules ?? env["LORE_LANGUAGE_RULES"]
        config.audienceRulesFile = audienceRules ?? env["LORE_AUDIENCE_RULES"]
        config.auditRetentionDays = auditRetentionDays ?? env["LORE_AUDIT_RETENTION_DAYS"].flatMap(Int.init) ?? AuditRetention.defaultDays
        // From the environment only: a flag's value shows in the process list.
        config.metricsToken = env["LORE_METRICS_TOKEN"]
        LoggingSetup.once()
        let logger = Logger(label: "lore")
        let location = try data.location
        let database: LoreDatabase
        do {
            database = try await LoreDatabase.open(location)
        } catch {
            throw CLIFailure(message: "cannot open \(location): \(String(reflecting: error))")
        }
        do {
            try await database.migrate()
        } catch {
            await database.shutdown()
            throw CLIFailure(message: "cannot open \(location): \(String(reflecting: error))")
        }
        // Whatever fails from here on, the pools are closed before exiting
        // (left for deinit, a debug build crashes instead of saying why).
        do {
            try await serve(database: database, config: config, env: env, logger: logger)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    private func serve(database: LoreDatabase, config initial: LoreServerConfiguration, env: [String: String], logger: Logger) async throws {
        var config = initial
        let store = database.store
        logger.info("Lore is using \(database.location)")
        // The way in comes first, so that demo people (who have no passwords)
        // never stand in for it.
        try await FirstAdmin.ensure(
            store: store, email: adminEmail ?? env["LORE_ADMIN_EMAIL"], password: adminPassword ?? env["LORE_ADMIN_PASSWORD"],
            baseURL: config.baseURL)
        // After the first admin exists: it may be the break-glass account.
        if let issuer = oidcIssuer ?? env["LORE_OIDC_ISSUER"], !issuer.isEmpty {
            config.singleSignOn = try await singleSignOn(issuer: issuer, env: env, store: store)
            config.singleSignOnClientSecret = env["LORE_OIDC_CLIENT_SECRET"]
        }
        if demo {
            if try await store.incidentCount() == 0 {
                let n = try await store.loadDemo(DemoData.generate(now: Date()))
                logger.info("Loaded demo data: \(n) incidents.")
            } else {
                logger.info("Demo data not loaded: the database already holds incidents.")
            }
        }
        let app = try await buildApplication(database: database, configuration: config, logger: logger)
        say("Lore is listening on \(config.baseURL)")
        do {
            try await app.runService()
        } catch {
            throw CLIFailure(message: "server stopped: \(error)")
        }
    }
}

extension Serve {
    /// Single sign-on from flags and the environment, checked as Settings
    /// checks what an admin saves.
    func singleSignOn(issuer: String, env: [String: String], store: LoreStore) async throws -> SingleSignOnSettings {
        var s = SingleSignOnSettings()
        s.enabled = true
        s.issuer = issuer
        s.clientID = oidcClientId ?? env["LORE_OIDC_CLIENT_ID"] ?? ""
        if let scopes = oidcScopes ?? env["LORE_OIDC_SCOPES"] { s.scopes = [scopes] }
        if let claim = oidcEmailClaim ?? env["LORE_OIDC_EMAIL_CLAIM"] { s.emailClaim = claim }
        if let admins = oidcAdmins ?? env["LORE_OIDC_ADMINS"], !admins.isEmpty {
            let parts = admins.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw CLIFailure(message: "LORE_OIDC_ADMINS / --oidc-admins must be claim=value1,value2; got \"\(admins)\".") }
            s.adminClaim = String(parts[0])
            s.adminValues = parts[1].split(separator: ",").map(String.init)
        }
        if let domains = oidcDomains ?? env["LORE_OIDC_DOMAINS"] { s.allowedDomains = [domains] }
        s.createAccounts = !(oidcNoNewAccounts || Self.isOn(env["LORE_OIDC_NO_NEW_ACCOUNTS"]))
        s.trustEmailsWithoutVerifiedClaim = oidcTrustEmails || Self.isOn(env["LORE_OIDC_TRUST_EMAILS"])
        if let breakGlass = oidcBreakGlass ?? env["LORE_OIDC_BREAK_GLASS"], !breakGlass.isEmpty {
            s.passwordsForEveryone = false
            s.breakGlassEmail = breakGlass
        }
        guard !(env["LORE_OIDC_CLIENT_SECRET"] ?? "").isEmpty else {
            throw CLIFailure(message: "single sign-on needs the client secret in LORE_OIDC_CLIENT_SECRET (never a flag: flags show in the process list).")
        }
        let candidates = try await store.breakGlassCandidates()
        do {
            return try s.validated(breakGlassIsAdmin: { candidates.contains($0) })
        } catch {
            // Named as they are set here, not as the Settings form's fields.
            let names = ["issuer": "LORE_OIDC_ISSUER", "clientID": "LORE_OIDC_CLIENT_ID", "allowedDomains": "LORE_OIDC_DOMAINS",
                         "breakGlassEmail": "LORE_OIDC_BREAK_GLASS", "adminValues": "LORE_OIDC_ADMINS"]
            throw CLIFailure(message: "single sign-on: " + error.issues.map { "\(names[$0.field] ?? $0.field): \($0.message)" }.joined(separator: "; "))
        }
    }

    static func isOn(_ value: String?) -> Bool { ["1", "true", "yes", "on"].contains((value ?? "").lowercased()) }
}

/// The way in for the first person.
enum FirstAdmin {
    /// Until some admin has a password, makes sure the first admin exists
    /// and prints a fresh one-time sign-in link (valid 24 h) on every start;
    /// with `--admin-password`, sets that password instead.
    static func ensure(store: LoreStore, email: String?, password: String?, baseURL: String) async throws {
        guard try await !store.hasAdminWithPassword() else { return }
        let address = (email ?? "admin@localhost.localdomain").lowercased()
        var admin: User
        if let existing = try await store.user(email: address) {
            admin = existing
            if !admin.isAdmin { admin = try await store.updateUser(id: admin.id, displayName: nil, timeZone: nil, role: .admin) }
        } else {
            admin = try await store.createUser(UserInput(displayName: "Admin", handle: "admin", email: address, role: .admin))
            say("Created the first admin account: \(admin.email)")
        }
        if let password {
            try await store.setPassword(userID: admin.id, password: password)
            say("Sign in as \(admin.email) with the password you gave.")
        } else {
            let link = try await store.createSignInLink(userID: admin.id, lifetime: 24 * 3600)
            say("""

                No admin has a password yet. Sign in as \(admin.email) once with this link
                (valid 24 hours), then set a password on your account page:

                    \(baseURL)/signin/link/\(link)

                """)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")
    @OptionGroup var data: DataOptions

    func run() async throws {
        try await data.withStore(migrate: false) { _, db in
            let pending = try await db.pendingMigrations()
            try await db.migrate()
            say(pending.isEmpty ? "The schema is up to date." : "Applied: \(pending.joined(separator: ", "))")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty database with realistic demo data: two years of about 360 incidents (30 of them in depth), 6 services, 3 teams.")
    @OptionGroup var data: DataOptions

    func run() async throws {
        try await data.withStore { store, _ in
            if try await store.incidentCount() > 0 {
                throw CLIFailure(message: "the database already holds incidents; demo data is only loaded into an empty one.", code: 1)
            }
            let n = try await store.loadDemo(DemoData.generate(now: Date()))
            say("Loaded \(n) demo incidents with timelines, reviews and follow-ups.")
        }
    }
}
