import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// Where Lore's data lives.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// One SQLite file (WAL mode).
    case sqlite(path: String)
    /// A PostgreSQL URL; `schema` puts every table in that schema (tests use
    /// one schema each so they can run in parallel and be dropped after).
    case postgres(url: String, schema: String? = nil)

    /// `--database-url` wins; otherwise `lore.sqlite` in the data directory.
    public static func resolve(databaseURL: String?, dataDirectory: String) throws -> DatabaseLocation {
        if let url = databaseURL?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
            if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
            throw StoreError.configuration("Unsupported database URL \"\(url)\": use postgres://user:password@host:port/database or sqlite:///path/to/file.sqlite.")
        }
        return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("lore.sqlite"))
    }

    public var description: String {
        switch self {
        case .sqlite(let path):
            return "SQLite at \(path)"
        case .postgres(let url, _):
            // Never print the password.
            if var c = URLComponents(string: url) { c.password = c.password == nil ? nil : "***"; return "PostgreSQL at \(c.string ?? "?")" }
            return "PostgreSQL"
        }
    }
}

/// Problems with the database that are not about one record.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case configuration(String)
    case notFound(String)
    case conflict(field: String, message: String)
    /// The person may see the record but not change it.
    case forbidden(String)

    public var description: String {
        switch self {
        case .configuration(let m): m
        case .notFound(let what): "\(what) not found."
        case .conflict(_, let m): m
        case .forbidden(let m): m
        }
    }
}

/// An open database: the connection pools, migrations and the repositories.
///
/// SQLite gets one connection on one event loop, so writes never contend for
/// the file lock; PostgreSQL gets a small pool per event loop.
public final class LoreDatabase: Sendable {
    let databases: Databases
    let database: any Database
    /// The driver behind `database`, whose connection pools `poolState()` reads.
    let driver: (any DatabaseDriver)?
    public let location: DatabaseLocation
    let sqliteFile: SQLiteFile?
    /// Shared by every store over this database (see `TermCounts`).
    let termCounts = TermCounts()
    /// Likewise (see `LoreStore.settings()`).
    let settingsCache = SettingsCache()
    let peopleChanges = PeopleChanges()
    let incidentCounts = IncidentCounts()
    let catalogCache = CatalogCache()
    let timelineSnapshots = TimelineSnapshots()
    /// Set on every SQLite connection Lore opens: the server's and a large
    /// import's (`SQLiteTimelineImport`).
    static let sqliteConnectionSettings = [
        // An import writes on a connection of its own for some seconds; the
        // other waits for its write lock as long as a request waits for the pool.
        "PRAGMA busy_timeout=60000",
        // After a large import the log has grown to hundreds of MB; once
        // checkpointed, the next write starts it over and cuts it back to
        // 64 MB instead of keeping the file that big.
        "PRAGMA journal_size_limit=\(64 << 20)",
        // With WAL, NORMAL syncs at checkpoints rather than at every commit:
        // a crash of Lore loses nothing, a power cut may lose the last
        // moments' commits, never the file's consistency. Without it every
        // webhook delivery would wait for a disk flush.
        "PRAGMA synchronous=NORMAL",
        // 64 MiB of pages kept by SQLite itself (the default is 2 MiB): a
        // year of incidents for Insights, or the search index's hot pages,
        // read from the operating system's cache through a system call per
        // page otherwise (a tenth of Insights' time at 100,000 incidents).
        "PRAGMA cache_size=-65536",
    ]
    let logger: Logger
    /// Every statement Lore sends is logged at this level as "Executing
    /// query" with its SQL (`LORE_LOG_LEVEL=debug` shows them): how the
    /// queries of one page are counted, by a person and by the query-budget
    /// tests.
    public static let queryLogLevel: Logger.Level = .debug
    public static let queryLogMessage: Logger.Message = "Executing query"

    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "lore.db")) async throws -> LoreDatabase {
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        let driver = NIOLockedValueBox<(any DatabaseDriver)?>(nil)
        switch location {
        case .sqlite(let path):
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    throw StoreError.configuration("Cannot create data directory \(dir): \(error.localizedDescription)")
                }
            }
            // Every request queues for the one connection; under a burst (many
            // webhook deliveries at once) the queue, not the work, is long, so
            // waiting for a turn may take longer than the pool's default 10 s.
            databases.use(
                ObservedPoolConfiguration(.sqlite(.file(path), connectionPoolTimeout: .seconds(60), sqlLogLevel: LoreDatabase.queryLogLevel), driver: driver),
                as: .sqlite)
        case .postgres(let url, let schema):
            var config: SQLPostgresConfiguration
            do {
                config = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError.configuration("Invalid PostgreSQL URL: \(error)")
            }
            if let schema { config.searchPath = [schema] }
            // No JIT compilation: it pays off for long analytic queries, while
            // Lore's are short ones over large tables, whose estimated cost
            // crosses the threshold; measured, it added 30–60 ms to a search
            // that runs in 9.
            config.coreConfiguration.options.additionalStartupParameters.append(("jit", "off"))
            // So that monitoring can tell Lore's connections from others'
            // (`LoreStore.databaseConnections`).
            config.coreConfiguration.options.additionalStartupParameters.append(("application_name", "lore"))
            // A burst (two dozen PagerDuty deliveries of one new incident, each
            // waiting on the others' locks) can queue for the pool longer than
            // 30 s on a loaded machine; the same minute as SQLite's.
            databases.use(
                ObservedPoolConfiguration(
                    .postgres(configuration: config, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(60), sqlLogLevel: LoreDatabase.queryLogLevel),
                    driver: driver),
                as: .psql)
        }
        guard let db = databases.database(logger: logger, on: group.next()) else {
            throw StoreError.configuration("Database could not be configured.")
        }
        let lore = LoreDatabase(databases: databases, database: db, driver: driver.withLockedValue { $0 }, location: location, logger: logger)
        if case .sqlite = location {
            do {
                // 8 KB pages for a new file (an existing one keeps its own):
                // timeline rows with their UUID text keys are a few hundred
                // bytes, and larger pages mean fewer splits and fewer pages
                // to log; a million-message import ran ~8 % faster.
                try await lore.sql.raw("PRAGMA page_size=8192").run()
                // WAL lets readers proceed while a write is in progress and
                // survives crashes without a rollback journal.
                try await lore.sql.raw("PRAGMA journal_mode=WAL").run()
                for setting in Self.sqliteConnectionSettings {
                    try await lore.sql.raw(SQLQueryString(setting)).run()
                }
            } catch {
                await databases.shutdownAsync()
                throw StoreError.configuration("Cannot open SQLite database at \(location): \(error)")
            }
        }
        return lore
    }

    init(databases: Databases, database: any Database, driver: (any DatabaseDriver)?, location: DatabaseLocation, logger: Logger) {
        self.databases = databases
        self.database = database
        self.driver = driver
        self.location = location
        if case .sqlite(let path) = location { sqliteFile = SQLiteFile(path: path) } else { sqliteFile = nil }
        self.logger = logger
    }

    var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Brings the schema up to date. Safe to run on every start.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(LoreMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: database.eventLoop)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Names of migrations not yet applied.
    public func pendingMigrations() async throws -> [String] {
        let migrations = Migrations()
        migrations.add(LoreMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: database.eventLoop)
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    /// This server's connection pools now; nil if they cannot be read (see
    /// `ConnectionPoolReader`).
    public func poolState() async -> ConnectionPoolState? {
        guard let driver else { return nil }
        return await ConnectionPoolReader.state(of: driver, on: database.eventLoop)
    }

    /// True when a trivial query succeeds.
    public func ping() async -> Bool {
        do {
            try await sql.raw("SELECT 1").run()
            return true
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await sqliteFile?.finishBackgroundWork()
        await databases.shutdownAsync()
    }

    /// The repositories, over this database.
    public var store: LoreStore {
        LoreStore(db: database, sqliteFile: sqliteFile, termCounts: termCounts, settingsCache: settingsCache, peopleChanges: peopleChanges,
                  incidentCounts: incidentCounts, catalogCache: catalogCache, timelineSnapshots: timelineSnapshots)
    }
}

/// Plain SQL helpers shared by migrations and reports.
enum LoreSQL {
    static func run(_ db: any Database, _ statements: [String]) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for s in statements { try await sql.raw(SQLQueryString(s)).run() }
    }
}

extension LoreDatabase {
    /// Creates a PostgreSQL schema (tests give each test its own).
    public func createSchema(_ name: String) async throws {
        try Self.checkSchemaName(name)
        try await sql.raw(SQLQueryString("CREATE SCHEMA \(unsafeRaw: name)")).run()
    }

    /// Drops a PostgreSQL schema and everything in it.
    public func dropSchema(_ name: String) async throws {
        try Self.checkSchemaName(name)
        try await sql.raw(SQLQueryString("DROP SCHEMA IF EXISTS \(unsafeRaw: name) CASCADE")).run()
    }

    /// Creates a PostgreSQL database (tests of `lore move` and `lore restore`).
    public func createDatabase(_ name: String) async throws {
        try Self.checkSchemaName(name)
        try await sql.raw(SQLQueryString("CREATE DATABASE \(unsafeRaw: name)")).run()
    }

    /// Drops a PostgreSQL database, ending its sessions.
    public func dropDatabase(_ name: String) async throws {
        try Self.checkSchemaName(name)
        try await sql.raw(SQLQueryString("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")).run()
    }

    static func checkSchemaName(_ name: String) throws {
        guard !name.isEmpty, name.count < 60, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw StoreError.configuration("Invalid schema name \"\(name)\".")
        }
    }
}

extension LoreDatabase {
    /// The stored API token digests, for tests that check no secret is kept.
    public func storedTokenHashes() async throws -> [String] {
        try await APITokenRow.query(on: database).all().map(\.tokenHash)
    }
}
