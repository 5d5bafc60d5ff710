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

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let config = LoreServerConfiguration(
            host: host ?? env["LORE_HOST"] ?? "127.0.0.1",
            port: port ?? env["LORE_PORT"].flatMap(Int.init) ?? 8080,
            secureCookies: secureCookies || env["LORE_SECURE_COOKIES"] == "1",
            publicURL: publicURL ?? env["LORE_PUBLIC_URL"])
        LoggingSetup.once()
        let logger = Logger(label: "lore")
        let location = try data.location
        let database: LoreDatabase
        do {
            database = try await LoreDatabase.open(location)
            try await database.migrate()
        } catch {
            throw CLIFailure(message: "cannot open \(location): \(String(reflecting: error))")
        }
        let store = database.store
        logger.info("Lore is using \(location)")
        if demo {
            if try await store.incidentCount() == 0 {
                let n = try await store.loadDemo(DemoData.generate(now: Date()))
                logger.info("Loaded demo data: \(n) incidents.")
            } else {
                logger.info("Demo data not loaded: the database already holds incidents.")
            }
        }
        try await FirstAdmin.ensure(
            store: store, email: adminEmail ?? env["LORE_ADMIN_EMAIL"], password: adminPassword ?? env["LORE_ADMIN_PASSWORD"],
            baseURL: config.baseURL)
        let app = try await buildApplication(database: database, configuration: config, logger: logger)
        print("Lore is listening on \(config.baseURL)")
        do {
            try await app.runService()
        } catch {
            await database.shutdown()
            throw CLIFailure(message: "server stopped: \(error)")
        }
        await database.shutdown()
    }
}

/// The way in for the first person.
enum FirstAdmin {
    /// When no account has a password or admin role yet, creates the first
    /// admin. Without a password, prints a one-time sign-in link (valid 24 h).
    static func ensure(store: LoreStore, email: String?, password: String?, baseURL: String) async throws {
        let users = try await store.users()
        guard !users.contains(where: \.isAdmin) else { return }
        let address = email ?? "admin@localhost.localdomain"
        let admin: User
        if let existing = try await store.user(email: address) {
            admin = try await store.updateUser(id: existing.id, displayName: nil, timeZone: nil, role: .admin)
        } else {
            admin = try await store.createUser(UserInput(displayName: "Admin", handle: "admin", email: address, role: .admin, password: password))
        }
        if password != nil {
            if users.contains(where: { $0.email == address }) { try await store.setPassword(userID: admin.id, password: password!) }
            print("Created the first admin account: \(admin.email) (sign in with the password you gave).")
        } else {
            let link = try await store.createSignInLink(userID: admin.id, lifetime: 24 * 3600)
            print("""

                Created the first admin account (\(admin.email)).
                Sign in once with this link (valid 24 hours), then set a password on your account page:

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
            print(pending.isEmpty ? "The schema is up to date." : "Applied: \(pending.joined(separator: ", "))")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty database with realistic demo data (about 30 incidents, 6 services, 3 teams).")
    @OptionGroup var data: DataOptions

    func run() async throws {
        try await data.withStore { store, _ in
            if try await store.incidentCount() > 0 {
                throw CLIFailure(message: "the database already holds incidents; demo data is only loaded into an empty one.", code: 1)
            }
            let n = try await store.loadDemo(DemoData.generate(now: Date()))
            print("Loaded \(n) demo incidents with timelines, reviews and follow-ups.")
        }
    }
}
