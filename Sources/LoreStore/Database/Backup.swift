import FluentKit
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
// The one copy of SQLite in the process (see `SQLiteTimelineImport`), for
// the online backup API, which SQLiteNIO does not offer.
import VaporCSQLite

/// What a backup or a restore copied, and how it was checked.
public struct BackupReport: Sendable {
    public var path: String
    public var bytes: Int64
    /// Rows per table, as in the copy (and, for SQLite, as in the database
    /// at the moment of the copy: the backup fails when they differ).
    public var rows: [String: Int]
    public var migrations: [String]
    /// How the copy was checked, in a sentence.
    public var verification: String
}

/// Backups and restores of the database as a whole, in the database's own
/// format: a SQLite file (copied with SQLite's online backup API while the
/// server keeps serving) or a `pg_dump` archive. Moving between the two
/// databases is `OrganisationArchive`'s.
public enum LoreBackup {
    /// What a file is, from its first bytes.
    public enum FileKind: Sendable, Equatable {
        case sqlite, postgresDump, organisationArchive, unknown
    }

    public static func kind(ofFileAt path: String) -> FileKind {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unknown }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        if head.starts(with: Array("SQLite format 3\0".utf8)) { return .sqlite }
        if head.starts(with: Array("PGDMP".utf8)) { return .postgresDump }
        if String(decoding: head, as: UTF8.self).hasPrefix("{\"lore\":\"organisation\"") { return .organisationArchive }
        return .unknown
    }

    // MARK: SQLite

    /// Copies the SQLite database at `source` to `destination`, consistent
    /// while the server keeps writing: the copy is read in one read
    /// transaction (WAL lets writers go on), its rows are counted in that
    /// same transaction, written under a temporary name, checked
    /// (`PRAGMA integrity_check`, the same counts, the same migrations)
    /// and only then renamed into place.
    public static func backupSQLite(from source: String, to destination: String, replacing: Bool) async throws -> BackupReport {
        if FileManager.default.fileExists(atPath: destination), !replacing {
            throw StoreError.configuration("\(destination) already exists; choose another name or pass --force to replace it.")
        }
        let temporary = temporaryName(beside: destination)
        do {
            let report = try await onOwnThread {
                let src = try SQLiteHandle(path: source, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI)
                defer { src.close() }
                try src.execute("PRAGMA busy_timeout=60000")
                try src.execute("BEGIN")
                // The first read fixes the snapshot that the backup then copies.
                let counted = try src.rowCounts()
                let migrations = try src.migrations()
                let dst = try SQLiteHandle(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, creating: destination)
                defer { dst.close() }
                try dst.copy(from: src)
                try src.execute("COMMIT")
                // One self-contained file: no write-ahead log beside it (a
                // restored database is put back in WAL mode when Lore opens it).
                try dst.execute("PRAGMA journal_mode=DELETE")
                try dst.checkIntegrity()
                let copied = try dst.rowCounts()
                guard copied == counted else {
                    let differing = counted.keys.sorted().filter { counted[$0] != copied[$0] }
                    throw StoreError.configuration("The copy does not hold the rows the database held (\(differing.prefix(5).map { "\($0): \(counted[$0] ?? 0) vs \(copied[$0] ?? 0)" }.joined(separator: ", "))).")
                }
                guard try dst.migrations() == migrations else { throw StoreError.configuration("The copy's list of migrations differs from the database's.") }
                return BackupReport(path: destination, bytes: 0, rows: copied, migrations: migrations,
                                    verification: "integrity check ok; \(copied.count) tables hold the rows the database held at the moment of the copy")
            }
            return try finish(report, copy: temporary, as: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// A checked copy, flushed to disk, put in its place; the report with its size.
    static func finish(_ report: BackupReport, copy temporary: String, as destination: String) throws -> BackupReport {
        chmod(temporary, 0o600)
        try flushToDisk(temporary)
        try replace(destination, with: temporary)
        var done = report
        done.bytes = fileSize(destination)
        return done
    }

    /// Puts `temporary` in `path`'s place in one step (rename(2)): a reader
    /// sees the old file or the new one, and a crash leaves one of them.
    static func replace(_ path: String, with temporary: String) throws {
        guard rename(temporary, path) == 0 else {
            throw StoreError.configuration("Cannot move the finished copy to \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// What a SQLite backup holds, after checking it is whole and Lore's.
    public static func inspectSQLite(_ path: String) async throws -> BackupReport {
        try await onOwnThread {
            let file = try SQLiteHandle(path: path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)
            defer { file.close() }
            try file.checkIntegrity()
            let migrations = try file.migrations()
            try checkNotNewer(migrations)
            return BackupReport(path: path, bytes: fileSize(path), rows: try file.rowCounts(), migrations: migrations, verification: "integrity check ok")
        }
    }

    /// Restores a SQLite backup as the database file at `target`. The
    /// target must not hold data unless `replacing`; the server must not be
    /// running on it. The backup is checked first, copied beside the target
    /// and renamed over it (with its write-ahead log removed), so a failure
    /// leaves the target as it was. Migrating an older schema is the
    /// caller's next step (`LoreDatabase.migrate`).
    public static func restoreSQLite(from backup: String, to target: String, replacing: Bool) async throws -> BackupReport {
        let report = try await inspectSQLite(backup)
        if FileManager.default.fileExists(atPath: target), !replacing {
            let holding = try await onOwnThread { () -> [String] in
                let existing = try SQLiteHandle(path: target, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)
                defer { existing.close() }
                return try existing.rowCounts().filter { OrganisationArchive.isCarried($0.key) && !OrganisationArchive.seededByMigrations.contains($0.key) && $0.value > 0 }
                    .sorted { $0.value > $1.value }.map { "\($0.key): \($0.value)" }
            }
            if !holding.isEmpty {
                throw StoreError.configuration("\(target) already holds data (\(holding.prefix(4).joined(separator: ", "))\(holding.count > 4 ? ", …" : "")); restore into an empty data directory, or pass --force to replace it (stop the server first).")
            }
        }
        let directory = (target as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let temporary = temporaryName(beside: target)
        do {
            try await onOwnThread {
                let src = try SQLiteHandle(path: backup, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)
                defer { src.close() }
                let dst = try SQLiteHandle(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, creating: target)
                defer { dst.close() }
                try dst.copy(from: src)
                try dst.checkIntegrity()
            }
            try flushToDisk(temporary)
            if FileManager.default.fileExists(atPath: target) {
                // Nobody may have it open: a server writing to the replaced
                // file would lose every write without an error. Taking it
                // for ourselves also folds its write-ahead log in and
                // removes it, so no old log is applied to the new file.
                try await onOwnThread { try SQLiteHandle.takeOver(target) }
            }
            try replace(target, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        var restored = report
        restored.path = target
        restored.verification = "the backup passed its integrity check and was copied whole"
        return restored
    }

    /// Refuses a schema this Lore does not know: made by a newer version.
    static func checkNotNewer(_ migrations: [String]) throws {
        guard !migrations.isEmpty else { throw StoreError.configuration("This is not a Lore database (it has no migrations).") }
        let known = Set(LoreMigrations.all.map(\.name))
        if let newer = migrations.first(where: { !known.contains($0) }) {
            throw StoreError.configuration("This backup was made by a newer Lore (its schema has \(newer), which this version does not know); restore it with that version or a later one.")
        }
    }

    // MARK: PostgreSQL

    /// Runs `pg_dump` into `destination` (custom format, under a temporary
    /// name), from the snapshot in which Lore counts the rows, then lists
    /// the archive with `pg_restore --list` to check every table is in it.
    public static func backupPostgres(_ database: LoreDatabase, to destination: String, replacing: Bool) async throws -> BackupReport {
        guard case .postgres(let url, _) = database.location else { throw StoreError.configuration("Not a PostgreSQL database.") }
        let dump = try tool("pg_dump"), list = try tool("pg_restore")
        // Lore's schema only (the one its connections use), never the other
        // schemas of a shared database.
        let schema = try await database.store.currentSchema()
        if FileManager.default.fileExists(atPath: destination), !replacing {
            throw StoreError.configuration("\(destination) already exists; choose another name or pass --force to replace it.")
        }
        let temporary = temporaryName(beside: destination)
        let connection = try PostgresConnectionArguments(url: url)
        do {
            let report: BackupReport = try await database.store.transaction { store in
                let sql = try store.sqlDatabase()
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()?.decode(column: "id", as: String.self) ?? ""
                var rows: [String: Int] = [:]
                for table in try await store.archiveTables() {
                    rows[table.name] = try await store.rowCount(of: table.name)
                }
                let migrations = try await store.appliedMigrations()
                let arguments = ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)", "--file=\(temporary)", "--schema=\(schema)"]
                try await run(dump, arguments + connection.arguments, environment: connection.environment, doing: "pg_dump")
                let listing = try await run(list, ["--list", temporary], environment: [:], doing: "pg_restore --list")
                let missing = rows.keys.sorted().filter { !listing.contains("TABLE DATA \(schema) \($0) ") }
                guard missing.isEmpty else { throw StoreError.configuration("The dump lacks the data of \(missing.joined(separator: ", ")).") }
                return BackupReport(path: destination, bytes: 0, rows: rows, migrations: migrations,
                                    verification: "pg_restore lists the data of all \(rows.count) tables; row counts are those of the dump's snapshot")
            }
            return try finish(report, copy: temporary, as: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Migrations in a `pg_dump` archive, read with `pg_restore`.
    /// The schema a `pg_dump` archive of Lore's holds (the one with its
    /// migrations table).
    static func postgresDumpSchema(_ path: String) async throws -> String {
        let listing = try await run(try tool("pg_restore"), ["--list", path], environment: [:], doing: "pg_restore --list")
        for line in listing.split(separator: "\n") {
            let words = line.split(separator: " ")
            if let i = words.firstIndex(of: "TABLE"), i + 2 < words.count, words[i + 2] == "_fluent_migrations", i == 0 || words[i - 1] != "DATA" {
                return String(words[i + 1])
            }
        }
        throw StoreError.configuration("\(path) is a PostgreSQL dump but not of a Lore database (it has no _fluent_migrations table).")
    }

    static func postgresDumpMigrations(_ path: String, schema: String) async throws -> [String] {
        let text = try await run(try tool("pg_restore"), ["--data-only", "--schema=\(schema)", "--table=_fluent_migrations", "--file=-", path], environment: [:], doing: "pg_restore")
        var names: [String] = [], nameColumn: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("COPY "), let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") {
                nameColumn = line[line.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.firstIndex(of: "name")
                continue
            }
            if line == "\\." { nameColumn = nil; continue }
            if let c = nameColumn {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                if c < fields.count { names.append(String(fields[c])) }
            }
        }
        return names
    }

    /// Restores a `pg_dump` archive into the database at `url` (its schema
    /// `schema` for tests) in one transaction, so a failure leaves it as it
    /// was. A database with Lore's tables but no data is replaced; one that
    /// holds data only when `replacing`.
    public static func restorePostgres(from path: String, into database: LoreDatabase, replacing: Bool) async throws -> [String] {
        guard case .postgres(let url, _) = database.location else { throw StoreError.configuration("Not a PostgreSQL database.") }
        let restore = try tool("pg_restore")
        let store = database.store
        let dumped = try await postgresDumpSchema(path), schema = try await store.currentSchema()
        guard dumped == schema else {
            throw StoreError.configuration("The dump holds Lore's tables in schema \(dumped); this database keeps them in \(schema). Restore into a database whose search_path starts with \(dumped).")
        }
        let migrations = try await postgresDumpMigrations(path, schema: dumped)
        try checkNotNewer(migrations)
        let sql = try store.sqlDatabase()
        let hasTables = try await sql.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_fluent_migrations'").first()?.decode(column: "n", as: Int.self) ?? 0 > 0
        if hasTables {
            let holding = try await store.tablesHoldingData(try await store.archiveTables())
            if !holding.isEmpty && !replacing {
                throw StoreError.configuration("The database already holds data (\(holding.prefix(4).joined(separator: ", "))); restore into an empty database, or pass --force to replace it (stop the servers first).")
            }
            // Lore's own tables go first, all of them: a dump from an older
            // Lore lacks the newer tables, which would otherwise survive and
            // stop the migration that follows. With --force this drops the
            // old data before the restore; if the restore then fails, the
            // database is left empty and the backup file is untouched.
            try await store.dropLoreTables()
        }
        let connection = try PostgresConnectionArguments(url: url)
        let arguments = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--schema=\(dumped)"]
        try await run(restore, arguments + connection.arguments + [path], environment: connection.environment, doing: "pg_restore")
        return migrations
    }

    // MARK: Shared

    static func temporaryName(beside path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = "." + (path as NSString).lastPathComponent + ".partial-" + UUID().uuidString.prefix(8)
        return directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func flushToDisk(_ path: String) throws {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw StoreError.configuration("Cannot open \(path) to flush it.") }
        try handle.synchronize()
        try handle.close()
    }

    /// The blocking SQLite calls run on a thread of the pool, not on one of
    /// Swift's cooperative threads.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { try work() }
    }

    /// A program on the PATH, or a message that says what to install.
    static func tool(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw StoreError.configuration("\(name) is not on the PATH. It comes with PostgreSQL's client programs (Debian: apt-get install postgresql-client, of the server's major version or newer).")
    }

    /// Runs a program and returns its standard output; a failure carries its standard error.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String], doing: String) async throws -> String {
        try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Read both while it runs: a full pipe would stop it.
            let errors = NIOLockedValueBox(Data()), read = DispatchSemaphore(value: 0)
            Thread {
                let data = err.fileHandleForReading.readDataToEndOfFile()
                errors.withLockedValue { $0 = data }
                read.signal()
            }.start()
            let output = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            read.wait()
            guard process.terminationStatus == 0 else {
                let message = String(decoding: errors.withLockedValue { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw ToolFailure(message: "\(doing) failed (exit \(process.terminationStatus)): \(message)")
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}

extension LoreBackup {
    /// `pg_dump` or `pg_restore` failed: not the input's fault (exit 1).
    public struct ToolFailure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }
}

/// libpq's connection options from a Lore database URL, with the password
/// in the environment rather than on a command line that `ps` shows.
struct PostgresConnectionArguments {
    var arguments: [String]
    var environment: [String: String]

    init(url: String) throws {
        guard var parts = URLComponents(string: url), let host = parts.host else { throw StoreError.configuration("Invalid PostgreSQL URL.") }
        environment = [:]
        // URLComponents hands these over already percent-decoded.
        if let password = parts.password { environment["PGPASSWORD"] = password }
        parts.password = nil
        arguments = ["--host=\(host)"]
        if let port = parts.port { arguments.append("--port=\(port)") }
        if let user = parts.user { arguments.append("--username=\(user)") }
        let name = String(parts.path.drop { $0 == "/" })
        if !name.isEmpty { arguments.append("--dbname=\(name)") }
        if let mode = parts.queryItems?.first(where: { $0.name == "sslmode" || $0.name == "tlsmode" })?.value { environment["PGSSLMODE"] = mode }
        arguments.append("--no-password")
    }
}

/// A SQLite connection of its own, through the C library.
final class SQLiteHandle {
    private var db: OpaquePointer?

    /// - Parameter creating: for a new copy, the file it will become: the
    ///   copy holds every secret Lore keeps, so only its owner may read it,
    ///   and an error names the file the person asked for.
    init(path: String, flags: Int32, creating: String? = nil) throws {
        let opened = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard opened == SQLITE_OK else {
            let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
            close()
            throw StoreError.configuration("Cannot open \(creating.map { "a copy beside \($0)" } ?? path): \(message).")
        }
        if creating != nil { chmod(path, 0o600) }
    }

    /// Opens the database at `path` alone (exclusive locking, which waits
    /// for nobody and fails while another connection has the file open),
    /// folds its write-ahead log into it and closes it, which removes the
    /// log. Throws, saying so, when something else has it open.
    static func takeOver(_ path: String) throws {
        let file = try SQLiteHandle(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
        defer { file.close() }
        do {
            try file.execute("PRAGMA locking_mode=EXCLUSIVE")
            try file.execute("BEGIN EXCLUSIVE")
            try file.execute("COMMIT")
            try file.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            throw StoreError.configuration("\(path) is in use (is lore serve running on it?); stop it before restoring over it.")
        }
    }

    func close() {
        if let db { sqlite_nio_sqlite3_close_v2(db) }
        db = nil
    }

    private func failure(_ doing: String) -> StoreError {
        let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
        return StoreError.configuration("SQLite could not \(doing): \(message).")
    }

    func execute(_ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    /// Each row's columns as text.
    func rows(_ sql: String) throws -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("read (\(sql))") }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        var out: [[String?]] = []
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return out }
            guard step == SQLITE_ROW else { throw failure("read (\(sql))") }
            out.append((0..<sqlite_nio_sqlite3_column_count(statement)).map { i in
                sqlite_nio_sqlite3_column_text(statement, i).map { String(cString: $0) }
            })
        }
    }

    /// Rows of every ordinary table (the search index's virtual table is
    /// counted through the tables that hold it).
    func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name") {
            guard let name = row[0] else { continue }
            counts[name] = Int(try rows("SELECT count(*) FROM \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"").first?[0] ?? "0") ?? 0
        }
        return counts
    }

    func migrations() throws -> [String] {
        guard try !rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'").isEmpty else { return [] }
        return try rows("SELECT name FROM _fluent_migrations ORDER BY batch, name").compactMap { $0[0] }
    }

    func checkIntegrity() throws {
        let result = try rows("PRAGMA integrity_check").compactMap { $0[0] }
        guard result == ["ok"] else { throw StoreError.configuration("The copy failed SQLite's integrity check: \(result.prefix(3).joined(separator: "; ")).") }
    }

    /// Copies `source` into this database with the online backup API, in
    /// one step: within the source's read transaction when it has one.
    func copy(from source: SQLiteHandle) throws {
        guard let backup = sqlite_nio_sqlite3_backup_init(db, "main", source.db, "main") else { throw failure("start the backup") }
        var step: Int32
        repeat {
            step = sqlite_nio_sqlite3_backup_step(backup, -1)
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { usleep(10_000) }
        } while step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finished == SQLITE_OK else { throw failure("copy the database (step \(step))") }
    }
}
