import Foundation
import Logging
import LoreCore
import LoreImport
import LoreStore
import NIOCore
import NIOPosix
import SQLiteNIO

/// A generated Slack export of `messages` messages across 90 days, imported
/// into a fresh SQLite database the way `lore import slack` does it (day by
/// day, batched inserts, one transaction). Each run happens in a child
/// process so that its peak resident memory is its own.
///
/// Baseline, same rows, same run: the messages read the same way, each
/// inserted with a plain prepared `INSERT` in one transaction through
/// SQLiteNIO, timing only the inserts — what the rows cost to store at all.
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
    let baseline = try child(["slack-import", dir.path, "baseline"])
    let read = lore["read"] ?? 0, seconds = lore["seconds"] ?? 1, inserts = baseline["insertSeconds"] ?? 1
    print("Slack export import into SQLite (\(Int(read)) messages read, \(Int(lore["added"] ?? 0)) added, \(days) day files):")
    print(String(format: "  lore import: %.2f s = %.0f messages/s, peak resident memory %.0f MB", seconds, read / seconds, lore["peakMB"] ?? 0))
    print(String(format: "  baseline, a prepared INSERT per row (same rows, inserts only): %.2f s = %.0f rows/s, peak %.0f MB",
                 inserts, (baseline["added"] ?? 0) / inserts, baseline["peakMB"] ?? 0))
    print(String(format: "  the whole import (reading, converting and writing) takes %.2f× the baseline's inserts alone", seconds / inserts))
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
    guard args.count == 2 else { throw BenchFailure(message: "usage: slack-import DIR lore|baseline") }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("lore-bench-slack-db-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let path = work.appendingPathComponent("lore.sqlite").path
    var quiet = Logger(label: "lore.bench")
    quiet.logLevel = .critical
    let database = try await LoreDatabase.open(.sqlite(path: path), logger: quiet)
    try await database.migrate()
    let store = database.store
    let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "monitoring alert"))
    let export = try SlackExport(path: args[0])
    let channel = try export.channel(named: "incident-42")
    let options = SlackReadOptions(workspaceURL: "https://acme.slack.com")
    let now = Date()
    var result: [String: Double] = [:]

    if args[1] == "lore" {
        let start = nanos()
        let (summary, added) = try await store.importTimelineStream(incidentID: incident.id) { sink in
            var added = 0
            let summary = try await export.readDays(channel: channel, options: options) { day in
                added += try await sink.add(day.map { $0.entry(incidentID: incident.id, now: now) }).added
            }
            return (summary, added)
        }
        result["seconds"] = Double(nanos() - start) / 1e9
        result["read"] = Double(summary.imported)
        result["added"] = Double(added)
        await database.shutdown()
    } else {
        await database.shutdown()
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, on: MultiThreadedEventLoopGroup.singleton.any())
        _ = try await connection.query("BEGIN")
        let sql = "INSERT INTO timeline_entries (id, incident_id, occurred_at, recorded_at, author, author_user_id, source, kind, text, reflection, marker, external_id, source_url) VALUES (?, ?, ?, ?, ?, NULL, 'slack', 'communication', ?, NULL, NULL, ?, ?)"
        func uuid(_ u: UUID) -> SQLiteData {
            withUnsafeBytes(of: u.uuid) { .blob(ByteBuffer(bytes: $0)) }
        }
        var insertNs: UInt64 = 0
        var added = 0
        let summary = try await export.readDays(channel: channel, options: options) { day in
            let start = nanos()
            for m in day {
                _ = try await connection.query(sql, [
                    uuid(UUID()), uuid(incident.id), .float(m.occurredAt.timeIntervalSince1970), .float(now.timeIntervalSince1970),
                    .text(m.author), .text(m.text), .text(m.externalID), m.link.map(SQLiteData.text) ?? .null,
                ])
                added += 1
            }
            insertNs += nanos() - start
        }
        _ = try await connection.query("COMMIT")
        try await connection.close()
        try await threads.shutdownGracefully()
        result["insertSeconds"] = Double(insertNs) / 1e9
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
