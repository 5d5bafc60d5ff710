import Foundation
import LoreCore
// The SQLite library that SQLiteNIO compiles in. Importing it directly (it is a
// target of sqlite-nio, not a product) gives the one copy of SQLite that the
// rest of Lore uses: two copies in one process would each keep their own POSIX
// file locks on the same file and could corrupt it.
import VaporCSQLite

/// A streamed timeline import into SQLite, on a connection of its own, through
/// one `INSERT … ON CONFLICT (source, external_id) DO NOTHING` prepared once
/// and reused for every row, in one write transaction.
///
/// Why not through Fluent's connection: SQLiteNIO compiles every statement
/// anew and does not hand out its connection, so the cheapest form it allows
/// is a multi-row `INSERT` compiled per batch, and SQLite then spends about as
/// long compiling each row as storing it; a million-message Slack export took
/// most of a minute. A prepared statement bound row by row costs only the
/// storing. The second connection also leaves the server's connection free
/// for reading while a large import runs (WAL lets readers proceed).
///
/// Used one call at a time (the import's task), never concurrently.
final class SQLiteTimelineImport: @unchecked Sendable {
    private var connection: OpaquePointer?
    private var insert: OpaquePointer?
    private var committed = false
    /// Reused for the text of UUIDs, so that binding one allocates nothing.
    private var uuidText = [UInt8](repeating: 0, count: 36)

    /// How long to wait for the server's own writes to finish before taking
    /// the write lock; the same patience the connection pool has.
    static let busyTimeoutMilliseconds: Int32 = 60_000

    /// Opens the database file, sets it up as `LoreDatabase` does its own
    /// connection, and takes the write lock (`BEGIN IMMEDIATE`).
    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        connection = handle
        guard opened == SQLITE_OK else {
            let message = failure("open \(path)")
            close()
            throw message
        }
        sqlite_nio_sqlite3_busy_timeout(connection, Self.busyTimeoutMilliseconds)
        // Foreign keys as Fluent enables them; NORMAL syncs as the server's
        // connection does under WAL (see `LoreDatabase.open`).
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA journal_size_limit = \(LoreDatabase.walSizeLimit)")
        // The commit leaves the new pages in the write-ahead log; copying them
        // into the database file (hundreds of MB after a large import, mostly
        // waiting for the disk) is done by `checkpointAndClose` once the
        // import has returned, not inside its commit.
        try execute("PRAGMA wal_autocheckpoint = 0")
        try execute("BEGIN IMMEDIATE")
        let columns = TimelineImportSink.columns
        let sql = "INSERT INTO \(TimelineEntryRow.schema) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ")
            + ") ON CONFLICT (source, external_id) DO NOTHING"
        guard sqlite_nio_sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &insert, nil) == SQLITE_OK else {
            throw failure("prepare the timeline insert")
        }
    }

    deinit { close() }

    /// Inserts entries; returns how many were new (the rest were already there).
    func add(_ entries: [TimelineEntry]) throws -> Int {
        var added = 0
        for e in entries {
            // Values as Fluent's SQLite driver stores them: UUIDs as upper-case
            // text, dates as floating-point seconds since 1970.
            bind(1, uuid: e.id)
            bind(2, uuid: e.incidentID)
            sqlite_nio_sqlite3_bind_double(insert, 3, e.occurredAt.ms.timeIntervalSince1970)
            sqlite_nio_sqlite3_bind_double(insert, 4, e.recordedAt.ms.timeIntervalSince1970)
            bind(5, text: e.author)
            bind(6, uuid: e.authorUserID)
            bind(7, text: e.source.rawValue)
            bind(8, text: e.kind.rawValue)
            bind(9, text: e.text)
            bind(10, text: e.reflection)
            bind(11, text: e.marker?.rawValue)
            bind(12, text: e.externalID)
            bind(13, text: e.sourceURL)
            let stepped = sqlite_nio_sqlite3_step(insert)
            sqlite_nio_sqlite3_reset(insert)
            guard stepped == SQLITE_DONE else { throw failure("insert the timeline entry \(e.externalID ?? e.id.uuidString)", code: stepped) }
            added += Int(sqlite_nio_sqlite3_changes(connection))
        }
        return added
    }

    /// Commits the import; without it, `close` rolls everything back.
    func commit() throws {
        try execute("COMMIT")
        committed = true
    }

    /// Copies what the import wrote from the write-ahead log into the
    /// database file, then closes. `PASSIVE`: the server's readers and
    /// writers carry on meanwhile; a page they hold back is copied by a later
    /// checkpoint.
    func checkpointAndClose() {
        if committed { sqlite_nio_sqlite3_exec(connection, "PRAGMA wal_checkpoint(PASSIVE)", nil, nil, nil) }
        close()
    }

    /// Rolls back unless committed, and closes the connection.
    func close() {
        if let insert { sqlite_nio_sqlite3_finalize(insert) }
        insert = nil
        guard let connection else { return }
        if !committed, sqlite_nio_sqlite3_get_autocommit(connection) == 0 {
            sqlite_nio_sqlite3_exec(connection, "ROLLBACK", nil, nil, nil)
        }
        sqlite_nio_sqlite3_close(connection)
        self.connection = nil
    }

    private func execute(_ sql: String) throws {
        let result = sqlite_nio_sqlite3_exec(connection, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw failure(sql, code: result) }
    }

    private func bind(_ index: Int32, text: String?) {
        guard var text else { sqlite_nio_sqlite3_bind_null(insert, index); return }
        // `withUTF8` hands over the string's own bytes; passing the String
        // itself would copy it into a C string first.
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let start = chars.baseAddress {
                    _ = sqlite_nio_sqlite3_bind_text64(insert, index, start, UInt64(chars.count), sqliteTransient, UInt8(SQLITE_UTF8))
                } else {
                    _ = sqlite_nio_sqlite3_bind_text64(insert, index, "", 0, sqliteTransient, UInt8(SQLITE_UTF8))
                }
            }
        }
    }

    /// A UUID as Foundation's `uuidString` writes it (upper-case, with
    /// dashes), without making a `String`.
    private func bind(_ index: Int32, uuid: UUID?) {
        guard let uuid else { sqlite_nio_sqlite3_bind_null(insert, index); return }
        let digits: StaticString = "0123456789ABCDEF"
        withUnsafeBytes(of: uuid.uuid) { bytes in
            uuidText.withUnsafeMutableBufferPointer { out in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = digits.utf8Start[Int(byte >> 4)]
                    out[o + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    o += 2
                }
                _ = out.withMemoryRebound(to: CChar.self) { chars in
                    sqlite_nio_sqlite3_bind_text64(insert, index, chars.baseAddress, 36, sqliteTransient, UInt8(SQLITE_UTF8))
                }
            }
        }
    }

    private func failure(_ doing: String, code: Int32? = nil) -> StoreError {
        let message = connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
        return StoreError.configuration("SQLite could not \(doing): \(message)\(code.map { " (code \($0))" } ?? "").")
    }
}

/// SQLite's `SQLITE_TRANSIENT` (copy the value at bind time), a macro Swift
/// cannot import.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The SQLite database file, and the work on it that goes on after the call
/// that caused it has returned (the checkpoint after a large import).
/// `LoreDatabase.shutdown` waits for that work, so a command that imports
/// and exits leaves a tidy file.
final class SQLiteFile: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var running: [Int: Task<Void, Never>] = [:]
    private var nextID = 0

    init(path: String) { self.path = path }

    /// Runs `work` on the thread pool without making the caller wait.
    func inBackground(_ work: @escaping @Sendable () -> Void) {
        // Registered under the lock before the task can finish and remove itself.
        lock.withLock {
            let id = nextID
            nextID += 1
            running[id] = Task.detached {
                try? await LoreStore.offload(work)
                self.lock.withLock { _ = self.running.removeValue(forKey: id) }
            }
        }
    }

    func finishBackgroundWork() async {
        let tasks = lock.withLock { Array(running.values) }
        for task in tasks { await task.value }
    }
}
