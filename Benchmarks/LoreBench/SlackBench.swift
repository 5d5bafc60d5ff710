import Foundation
import Logging
import LoreCore
import LoreImport
import LoreStore
import NIOCore
import NIOPosix
import VaporCSQLite

/// A generated Slack export of `messages` messages across 90 days, imported
/// into a fresh SQLite database the way `lore import slack` does it (day by
/// day, batched inserts, one transaction). Each run happens in a child
/// process so that its peak resident memory is its own.
///
/// Baseline, same rows, same run: the same messages, each inserted with one
/// plain prepared `INSERT` (prepared once, bound and stepped per row, the
/// SQLite C API) in one transaction, timing only the inserts and the commit —
/// what the rows cost to store at all.
func slackBench(messages: Int) async throws {
    let days = 90
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-bench-slack-\(messages)")
    let marker = dir.appendingPathComponent(".complete")
    if !FileManager.default.fileExists(atPath: marker.path) {
        try? FileManager.default.removeItem(at: dir)
        let start = nanos()
        let counts = try SlackExportGenerator.write(to: dir, channel: "incident-42", days: days, messagesPerDay: (messages + days - 1) / days, users: 300, seed: 42)
        _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
        print(String(format: "generated %d messages (%d MB) in %.1f s into %@", counts.messages, counts.bytes >> 20, Double(nanos() - start) / 1e9, dir.path))
    }
    let lore = try child(["slack-import", dir.path, "lore"])
    let unindexed = try child(["slack-import", dir.path, "lore-unindexed"])
    let baseline = try child(["slack-import", dir.path, "baseline"])
    let messages = lore["messages"] ?? 0, kept = lore["read"] ?? 0, seconds = lore["seconds"] ?? 1
    let checkpointed = lore["checkpointedSeconds"] ?? 1, inserts = baseline["insertSeconds"] ?? 1
    let baselineCheckpoint = baseline["checkpointSeconds"] ?? 0
    print("Slack export import into SQLite (\(Int(messages)) messages in \(days) day files, \(Int(kept)) kept, \(Int(lore["added"] ?? 0)) added):")
    print(String(format: "  lore import, to its commit: %.2f s = %.0f messages/s (%.0f kept messages/s), peak resident memory %.0f MB",
                 seconds, messages / seconds, kept / seconds, lore["peakMB"] ?? 0))
    print(String(format: "    until the write-ahead log is checkpointed into the database file (after the import returns): %.2f s = %.0f messages/s",
                 checkpointed, messages / checkpointed))
    print(String(format: "  baseline, one prepared INSERT bound and stepped per row (same rows, inserts and commit only): %.2f s = %.0f rows/s, peak %.0f MB; its checkpoint %.2f s",
                 inserts, (baseline["added"] ?? 0) / inserts, baseline["peakMB"] ?? 0, baselineCheckpoint))
    print(String(format: "  the whole import (reading, converting and writing) takes %.2f× the baseline's inserts alone", seconds / inserts))
    let plain = unindexed["seconds"] ?? 1
    print(String(format: "  the same import without the search index (its trigger dropped): %.2f s = %.0f messages/s; with it Lore keeps %.0f %% of that speed to its commit",
                 plain, messages / plain, 100 * plain / seconds))
    let indexed = lore["indexedSeconds"] ?? 0
    print(String(format: "  every message searchable (indexed behind the import, in batches): %.2f s after the start, %.1f s after the commit (%.0f messages/s indexed)",
                 indexed, indexed - seconds, (lore["added"] ?? 0) / max(0.001, indexed - seconds)))
}

/// Drops the trigger that indexes new timeline entries for search, through
/// a connection of its own: the import then writes what it wrote before
/// search existed, for the comparison.
func dropTimelineSearchIndexing(path: String) throws {
    var db: OpaquePointer?
    guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BenchFailure(message: "cannot open \(path)") }
    defer { sqlite_nio_sqlite3_close(db) }
    // No trigger, and no mark left for indexing behind the import.
    let statements = ["DROP TRIGGER search_index_timeline_entries_insert",
                      "CREATE TRIGGER bench_no_backlog AFTER INSERT ON search_backlog BEGIN DELETE FROM search_backlog WHERE incident_id = NEW.incident_id; END"]
    for sql in statements where sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) != SQLITE_OK {
        throw BenchFailure(message: "cannot turn search indexing off: \(sql)")
    }
}

/// Runs this benchmark binary again with `arguments`; its last line is JSON.
func child(_ arguments: [String]) throws -> [String: Double] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
          let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double] else {
        throw BenchFailure(message: "\(arguments.joined(separator: " ")) failed (exit \(p.terminationStatus))")
    }
    return json
}

/// The child: `slack-import DIR lore|baseline`.
func slackImportChild(_ args: [String]) async throws {
    guard args.count == 2 else { throw BenchFailure(message: "usage: slack-import DIR lore|lore-unindexed|baseline") }
    let (database, work, path) = try await freshBenchDatabase("lore-bench-slack-db")
    defer { try? FileManager.default.removeItem(at: work) }
    let store = database.store
    let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "monitoring alert"))
    let export = try SlackExport(path: args[0])
    let channel = try export.channel(named: "incident-42")
    let options = SlackReadOptions(workspaceURL: "https://acme.slack.com")
    let now = Date()
    var result: [String: Double] = [:]

    // The baseline is plain inserts, as before search existed.
    if args[1] != "lore" { try dropTimelineSearchIndexing(path: path) }
    if args[1] == "lore" || args[1] == "lore-unindexed" {
        let start = nanos()
        let (summary, added) = try await store.importTimelineStream(incidentID: incident.id) { sink in
            var added = 0
            let summary = try await export.readTimelineDays(channel: channel, options: options, incidentID: incident.id, now: now) { day in
                added += try await sink.add(day).added
            }
            return (summary, added)
        }
        result["seconds"] = Double(nanos() - start) / 1e9
        result["read"] = Double(summary.imported)
        result["messages"] = Double(summary.imported + summary.skipped.values.reduce(0, +))
        result["added"] = Double(added)
        // A large import is indexed for search after its commit (in the
        // background; `lore import slack` waits for it as this does).
        try await store.catchUpSearchIndex()
        result["indexedSeconds"] = Double(nanos() - start) / 1e9
        // The write-ahead log is copied into the database file after the
        // import returns; shutting down waits for that.
        await database.shutdown()
        result["checkpointedSeconds"] = Double(nanos() - start) / 1e9
    } else {
        await database.shutdown()
        let baseline = try PreparedInsertLoop(path: path)
        var insertNs: UInt64 = 0
        var added = 0
        // Read the same way but on this thread (the reading is not timed).
        let summary = try export.read(channel: channel, options: options) { day in
            let start = nanos()
            for m in day { added += baseline.insert(m, incidentID: incident.id, recordedAt: now) }
            insertNs += nanos() - start
        }
        var start = nanos()
        baseline.commit()
        insertNs += nanos() - start
        start = nanos()
        baseline.close()
        result["insertSeconds"] = Double(insertNs) / 1e9
        result["checkpointSeconds"] = Double(nanos() - start) / 1e9
        result["read"] = Double(summary.imported)
        result["added"] = Double(added)
    }
    result["peakMB"] = peakResidentMB()
    let json = try JSONSerialization.data(withJSONObject: result)
    print(String(decoding: json, as: UTF8.self))
}

/// VmHWM: the most resident memory this process has used.
func peakResidentMB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return (Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0) / 1024
    }
    return 0
}

/// The baseline: `INSERT` prepared once, bound and stepped per row, values as
/// Lore stores them (UUID text, seconds as REAL), one transaction; like the
/// import, the commit leaves the checkpoint for later.
final class PreparedInsertLoop {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?

    init(path: String) throws {
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            throw BenchFailure(message: "cannot open \(path)")
        }
        for sql in ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0", "BEGIN IMMEDIATE"] {
            guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchFailure(message: "\(sql) failed") }
        }
        let sql = "INSERT INTO timeline_entries (id, incident_id, occurred_at, recorded_at, author, author_user_id, source, kind, text, reflection, marker, external_id, source_url) VALUES (?, ?, ?, ?, ?, NULL, 'slack', 'communication', ?, NULL, NULL, ?, ?)"
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw BenchFailure(message: "prepare failed") }
    }

    func insert(_ m: SlackTimelineMessage, incidentID: UUID, recordedAt: Date) -> Int {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func text(_ i: Int32, _ s: String) { sqlite_nio_sqlite3_bind_text(statement, i, s, -1, transient) }
        text(1, UUID.timeOrdered().uuidString)
        text(2, incidentID.uuidString)
        sqlite_nio_sqlite3_bind_double(statement, 3, m.occurredAt.timeIntervalSince1970)
        sqlite_nio_sqlite3_bind_double(statement, 4, recordedAt.timeIntervalSince1970)
        text(5, m.author)
        text(6, m.text)
        text(7, m.externalID)
        if let link = m.link { text(8, link) } else { sqlite_nio_sqlite3_bind_null(statement, 8) }
        let done = sqlite_nio_sqlite3_step(statement) == SQLITE_DONE
        sqlite_nio_sqlite3_reset(statement)
        return done ? 1 : 0
    }

    func commit() {
        sqlite_nio_sqlite3_finalize(statement)
        sqlite_nio_sqlite3_exec(db, "COMMIT", nil, nil, nil)
    }

    /// The last connection to close copies the log into the database file.
    func close() {
        sqlite_nio_sqlite3_close(db)
    }
}
