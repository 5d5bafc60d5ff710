import ArgumentParser
import Foundation
import Logging
import LoreCore
import LoreStore

// Backups, restores and moves between databases: what keeps years of
// incident history safe (see "Operating Lore" in the README).

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a file while the server keeps serving, and verify the copy.",
        discussion: """
            SQLite: a copy made with SQLite's online backup API in one read transaction, written under a temporary name, \
            checked (integrity check, every table's row count against the database's at that moment, the migrations) \
            and renamed into place. PostgreSQL: pg_dump's custom format (pg_dump must be on the PATH), from the snapshot \
            in which the rows are counted, checked with pg_restore --list. Restore either with `lore restore FILE`.
            """)
    @OptionGroup var data: DataOptions
    @Argument(help: "The file to write.") var file: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func run() async throws {
        let report: BackupReport
        switch try data.location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw CLIFailure(message: "there is no database at \(path) to back up.", code: 1) }
            report = try await storeFailure { try await LoreBackup.backupSQLite(from: path, to: file, replacing: force) }
        case .postgres:
            report = try await data.withStore(migrate: false) { _, db in try await LoreBackup.backupPostgres(db, to: file, replacing: force) }
        }
        say("Backed up to \(report.path) (\(Self.size(report.bytes))): \(Self.describe(report.rows)).")
        say("Verified: \(report.verification).")
    }

    static func size(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)
    }

    /// The tables a person recognises, then how many tables in all.
    static func describe(_ rows: [String: Int]) -> String {
        let named = [("incidents", "incidents"), ("timeline_entries", "timeline entries"), ("reviews", "reviews"), ("follow_ups", "follow-ups"), ("users", "people")]
        var parts = named.compactMap { table, label in rows[table].map { "\($0) \(label)" } }
        parts.append("\(rows.count) tables")
        return parts.joined(separator: ", ")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup (or an organisation archive) into an empty data directory or database.",
        discussion: """
            Reads what `lore backup` wrote (a SQLite file or a pg_dump archive) or what `lore export organisation` wrote. \
            The backup is checked before anything changes; a schema older than this Lore is migrated afterwards, a newer \
            one is refused. A target that holds data is refused unless --force; stop the server before restoring over it.
            """)
    @OptionGroup var data: DataOptions
    @Argument(help: "The backup file.") var file: String
    @Flag(help: "Replace a database that already holds data.") var force = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIFailure(message: "there is no file \(file).", code: 2) }
        let location = try data.location
        switch (LoreBackup.kind(ofFileAt: file), location) {
        case (.organisationArchive, _):
            let summary = try await data.withStore { store, _ in try await importArchive(file, into: store, replacing: force, from: (file as NSString).lastPathComponent) }
            say("Restored \(summary.rows) rows in \(summary.tables.count) tables from \(file) into \(location); every table's row count and content digest match the archive.")
            return
        case (.sqlite, .sqlite(let path)):
            let report = try await storeFailure { try await LoreBackup.restoreSQLite(from: file, to: path, replacing: force) }
            say("Restored \(file) to \(path): \(BackupCommand.describe(report.rows)); \(report.verification).")
        case (.postgresDump, .postgres):
            try await data.withStore(migrate: false) { _, db in
                _ = try await storeFailure { try await LoreBackup.restorePostgres(from: file, into: db, replacing: force) }
            }
            say("Restored \(file) into \(location).")
        case (.sqlite, .postgres):
            throw CLIFailure(message: "\(file) is a SQLite backup and the target is PostgreSQL. Restore it into a data directory (--data-dir), then `lore move --to postgres://…`.", code: 2)
        case (.postgresDump, .sqlite):
            throw CLIFailure(message: "\(file) is a PostgreSQL dump and the target is SQLite. Restore it into PostgreSQL (--database-url), then `lore move --to sqlite:///path/lore.sqlite`.", code: 2)
        case (.unknown, _):
            throw CLIFailure(message: "\(file) is not a Lore backup: neither a SQLite database, a pg_dump custom-format archive nor an organisation archive.", code: 2)
        }
        // An older schema is brought up to date, as `lore serve` would.
        try await data.withStore(migrate: false) { store, db in
            let pending = try await db.pendingMigrations()
            try await db.migrate()
            try await store.recordAudit(AuditActor.commandLine.event(.databaseRestored, subjectType: "organisation", subjectID: "", detail: (file as NSString).lastPathComponent))
            if !pending.isEmpty { say("The backup's schema was older; applied: \(pending.joined(separator: ", ")).") }
        }
    }
}

struct MoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Copy everything to another database (SQLite to PostgreSQL or back), verified table by table.",
        discussion: """
            Exports the organisation from the current database (--data-dir or --database-url) in one consistent read, \
            imports it into the target in one transaction, and compares every table's row count and a digest of its \
            content in a form neither database owns before committing. An interrupted or failed move leaves the target \
            empty. The search index is rebuilt in the target as the rows arrive. Stop the servers (or accept that what \
            is written during the move stays behind), then point them at the target.
            """)
    @OptionGroup var data: DataOptions
    @Option(help: ArgumentHelp("The target: postgres://user:pass@host:port/db or sqlite:///path/lore.sqlite.", valueName: "url")) var to: String
    @Flag(help: "Replace everything in a target that already holds data.") var force = false

    /// The same database, however its path was written (`./data/lore.sqlite`, an absolute path, a link).
    static func same(_ a: DatabaseLocation, _ b: DatabaseLocation) -> Bool {
        guard case .sqlite(let p) = a, case .sqlite(let q) = b else { return a == b }
        func canonical(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return canonical(p) == canonical(q)
    }

    func run() async throws {
        let source = try data.location
        let target: DatabaseLocation
        do { target = try DatabaseLocation.resolve(databaseURL: to, dataDirectory: ".") } catch let e as StoreError { throw CLIFailure(message: e.description, code: 2) }
        guard !Self.same(target, source) else { throw CLIFailure(message: "the target is the database being moved.", code: 2) }
        // A directory only this user may enter: the archive holds every secret Lore keeps.
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("lore-move-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let archive = (directory as NSString).appendingPathComponent("organisation.jsonl")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let exported = try await data.withStore { store, _ in try await storeFailure { try await store.exportOrganisation(to: archive) } }
        let imported = try await DataOptions.withStore(at: target) { store, _ in try await importArchive(archive, into: store, replacing: force, from: "\(source)") }
        guard imported.tables == exported.tables else { throw CLIFailure(message: "the target's tables differ from the source's after the move.", code: 1) }
        for t in imported.tables where t.rows > 0 { say("  \(t.table): \(t.rows)") }
        say("Moved \(imported.rows) rows in \(imported.tables.count) tables from \(source) to \(target); every table's row count and content digest match.")
    }
}

extension ExportCommand {
    struct Organisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "organisation",
            abstract: "Write everything Lore holds to one JSON Lines file that either database reads back (`lore import organisation`).",
            discussion: "One consistent read while the server keeps serving; written under a temporary name and renamed when complete. Each table ends with its row count and a digest of its content, which the import checks.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The file to write (readable by its owner only: it holds every secret Lore keeps).") var file: String
        @Flag(help: "Replace the file if it exists.") var force = false

        func run() async throws {
            let summary = try await data.withStore { store, _ in try await storeFailure { try await store.exportOrganisation(to: file, replacing: force) } }
            say("Exported \(summary.rows) rows in \(summary.tables.count) tables to \(file).")
        }
    }
}

extension Import {
    struct Organisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "organisation",
            abstract: "Read an organisation archive into an empty database, in one transaction, verified before it commits.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The archive (from `lore export organisation`).") var file: String
        @Flag(help: "Replace everything in a database that already holds data.") var force = false

        func run() async throws {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIFailure(message: "there is no file \(file).", code: 2) }
            let summary = try await data.withStore { store, _ in try await importArchive(file, into: store, replacing: force, from: (file as NSString).lastPathComponent) }
            say("Imported \(summary.rows) rows in \(summary.tables.count) tables from \(file); every table's row count and content digest match the archive.")
        }
    }
}

/// Reads an organisation archive into `store` and records it in the audit log.
func importArchive(_ path: String, into store: LoreStore, replacing: Bool, from origin: String) async throws -> OrganisationArchive.Summary {
    let summary = try await storeFailure { try await store.importOrganisation(from: path, replacing: replacing) }
    try await store.recordAudit(AuditActor.commandLine.event(.organisationImported, subjectType: "organisation", subjectID: "", detail: "\(summary.rows) rows from \(origin)"))
    return summary
}

/// An archive or backup that cannot be used is the input's fault (exit 2),
/// with the store's own message.
func storeFailure<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as OrganisationArchive.Failure {
        throw CLIFailure(message: e.description, code: 2)
    } catch let e as StoreError {
        throw CLIFailure(message: e.description, code: 2)
    } catch let e as LoreBackup.ToolFailure {
        throw CLIFailure(message: e.description, code: 1)
    }
}
