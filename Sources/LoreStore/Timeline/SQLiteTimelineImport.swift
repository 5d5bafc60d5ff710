import Foundation
import LoreCore
import NIOPosix
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
/// storing. Meanwhile the server's connection keeps reading (WAL lets readers
/// proceed); a write of the server's waits for the import's commit, and reads
/// queued behind that write wait with it.
///
/// Every call runs on the import's own thread (`thread`), one at a time: the
/// connection is opened without SQLite's mutex, and a write of the server's
/// waiting for the lock must not hold the thread the import needs.
final class SQLiteTimelineImport: @unchecked Sendable {
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private var connection: OpaquePointer?
    private var insert: OpaquePointer?
    private var committed = false
    /// The first failed bind of the row being bound.
    private var bindFailure = SQLITE_OK
    /// Reused for the text of UUIDs, so that binding one allocates nothing.
    private var uuidText = [UInt8](repeating: 0, count: 36)
    /// The incident imported into, whose search indexing may run behind (`CreateSearchBacklog`).
    private var incidentID = UUID()
    /// Entries added so far.
    private var addedTotal = 0
    /// Whether this import placed the incident's mark. An earlier mark
    /// (a large import still being indexed) covers this import's entries
    /// too, and indexing from it inside this commit would index that whole
    /// backlog while holding the write lock.
    private var markedHere = false

    /// Opens the database file on the import's thread, sets it up as
    /// `LoreDatabase` does its own connection, and takes the write lock
    /// (`BEGIN IMMEDIATE`).
    static func begin(path: String, incidentID: UUID) async throws -> SQLiteTimelineImport {
        let sqlite = SQLiteTimelineImport()
        sqlite.incidentID = incidentID
        do {
            try await sqlite.run { try sqlite.open(path: path) }
        } catch {
            await sqlite.run { sqlite.close() }
            try? await sqlite.thread.shutdownGracefully()
            throw error
        }
        return sqlite
    }

    private init() { thread.start() }

    /// Runs `work` on the import's thread.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await thread.runIfActive { try work() }
    }

    func run(_ work: @escaping @Sendable () -> Void) async {
        _ = try? await thread.runIfActive { work() }
    }

    /// Copies what the import wrote into the database file, closes the
    /// connection and stops the thread (see `checkpointAndClose`).
    func finish() async {
        await run { self.checkpointAndClose() }
        try? await thread.shutdownGracefully()
    }

    /// Rolls back (unless committed), closes and stops the thread.
    func abandon() async {
        await run { self.close() }
        try? await thread.shutdownGracefully()
    }

    private func open(path: String) throws {
        var handle: OpaquePointer?
        // As SQLiteNIO opens the server's connection (URI file names
        // included), but without the mutex: one thread uses this one.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        connection = handle
        guard opened == SQLITE_OK else {
            let message = failure("open \(path)")
            close()
            throw message
        }
        // Foreign keys as Fluent enables them; the rest as on every Lore
        // connection (`LoreDatabase.sqliteConnectionSettings`).
        try execute("PRAGMA foreign_keys = ON")
        for setting in LoreDatabase.sqliteConnectionSettings { try execute(setting) }
        // The commit leaves the new pages in the write-ahead log; copying them
        // into the database file (hundreds of MB after a large import, mostly
        // waiting for the disk) is done by `checkpointAndClose` once the
        // import has returned, not inside its commit.
        try execute("PRAGMA wal_autocheckpoint = 0")
        try execute("BEGIN IMMEDIATE")
        // Index behind the import (see `CreateSearchBacklog`): mark the
        // incident and take the insert trigger away until `commit` puts it
        // back. A mark already there (a large import still being indexed)
        // keeps its place.
        try execute("INSERT OR IGNORE INTO search_backlog (incident_id, after_rowid, cursor) SELECT '\(incidentID.uuidString)', coalesce(max(rowid), 0), coalesce(max(rowid), 0) FROM timeline_entries")
        markedHere = sqlite_nio_sqlite3_changes(connection) == 1
        try execute("DROP TRIGGER IF EXISTS search_index_timeline_entries_insert")
        // Likewise the revision's trigger: one bump at the commit instead of one per row.
        try execute("DROP TRIGGER IF EXISTS timeline_revision_insert")
        let columns = TimelineImportSink.columns
        let sql = "INSERT INTO \(TimelineEntryRow.schema) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ")
            + ") ON CONFLICT (source, external_id) DO NOTHING"
        guard sqlite_nio_sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &insert, nil) == SQLITE_OK else {
            throw failure("prepare the timeline insert")
        }
    }


    /// Inserts entries; returns how many were new (the rest were already there).
    func add(_ entries: [TimelineEntry]) throws -> Int {
        var added = 0
        for e in entries {
            // Values as Fluent's SQLite driver stores them: UUIDs as upper-case
            // text, dates as floating-point seconds since 1970.
            bind(1, uuid: e.id)
            bind(2, uuid: e.incidentID)
            checked(sqlite_nio_sqlite3_bind_double(insert, 3, e.occurredAt.ms.timeIntervalSince1970))
            checked(sqlite_nio_sqlite3_bind_double(insert, 4, e.recordedAt.ms.timeIntervalSince1970))
            bind(5, text: e.author)
            bind(6, uuid: e.authorUserID)
            bind(7, text: e.source.rawValue)
            bind(8, text: e.kind.rawValue)
            bind(9, text: e.text)
            bind(10, text: e.reflection)
            bind(11, text: e.marker?.rawValue)
            bind(12, text: e.externalID)
            bind(13, text: e.sourceURL)
            // A bind that failed would leave the previous row's value bound.
            guard bindFailure == SQLITE_OK else {
                defer { bindFailure = SQLITE_OK }
                throw failure("bind the timeline entry \(e.externalID ?? e.id.uuidString)", code: bindFailure)
            }
            let stepped = sqlite_nio_sqlite3_step(insert)
            sqlite_nio_sqlite3_reset(insert)
            guard stepped == SQLITE_DONE else { throw failure("insert the timeline entry \(e.externalID ?? e.id.uuidString)", code: stepped) }
            added += Int(sqlite_nio_sqlite3_changes(connection))
        }
        addedTotal += added
        return added
    }

    /// Commits the import; without it, `close` rolls everything back. Up to
    /// `LoreStore.searchIndexInlineLimit` entries are indexed first, in the
    /// same transaction; returns true when indexing was left to run behind.
    func commit() throws -> Bool {
        let behind = addedTotal > LoreStore.searchIndexInlineLimit || !markedHere
        if !behind {
            try execute(LoreStore.searchCatchUpStatement(incident: incidentID, upTo: nil))
            try execute("DELETE FROM search_backlog WHERE incident_id = '\(incidentID.uuidString)'")
        }
        try execute(CreateSearchBacklog.insertTrigger)
        try execute(CreateTimelineRevisions.sqliteBump(incident: "'\(incidentID.uuidString)'"))
        try execute(CreateTimelineRevisions.sqliteInsertTrigger)
        try execute("COMMIT")
        committed = true
        return behind
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
        guard var text else { checked(sqlite_nio_sqlite3_bind_null(insert, index)); return }
        // `withUTF8` hands over the string's own bytes; passing the String
        // itself would copy it into a C string first.
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let start = chars.baseAddress {
                    checked(sqlite_nio_sqlite3_bind_text64(insert, index, start, UInt64(chars.count), sqliteTransient, UInt8(SQLITE_UTF8)))
                } else {
                    checked(sqlite_nio_sqlite3_bind_text64(insert, index, "", 0, sqliteTransient, UInt8(SQLITE_UTF8)))
                }
            }
        }
    }

    /// A UUID as Foundation's `uuidString` writes it (upper-case, with
    /// dashes), without making a `String`.
    private func bind(_ index: Int32, uuid: UUID?) {
        guard let uuid else { checked(sqlite_nio_sqlite3_bind_null(insert, index)); return }
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
                checked(out.withMemoryRebound(to: CChar.self) { chars in
                    sqlite_nio_sqlite3_bind_text64(insert, index, chars.baseAddress, 36, sqliteTransient, UInt8(SQLITE_UTF8))
                })
            }
        }
    }

    private func checked(_ code: Int32) {
        if code != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = code }
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

    /// Runs `work` without making the caller wait.
    func inBackground(_ work: @escaping @Sendable () async -> Void) {
        // Registered under the lock before the task can finish and remove itself.
        lock.withLock {
            let id = nextID
            nextID += 1
            running[id] = Task.detached {
                await work()
                self.lock.withLock { _ = self.running.removeValue(forKey: id) }
            }
        }
    }

    func finishBackgroundWork() async {
        let tasks = lock.withLock { Array(running.values) }
        for task in tasks { await task.value }
    }
}
