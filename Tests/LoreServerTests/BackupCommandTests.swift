import Foundation
import LoreCore
import LoreStore
import Testing

/// `lore backup`, `lore restore` and `lore move` as an operator runs them:
/// the built binary, data directories, the demo.
@Suite("lore backup, restore and move", .serialized)
struct BackupCommandTests {
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-ops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func incidents(in dataDir: String) async throws -> Int {
        let db = try await LoreDatabase.open(.sqlite(path: dataDir + "/lore.sqlite"))
        let n = try await db.store.incidentCount()
        await db.shutdown()
        return n
    }

    /// Back up the demo, restore it elsewhere, move it to PostgreSQL (or
    /// another SQLite file) and back, and be told no at each step where
    /// data would be lost.
    @Test(.enabled(if: LoreCLI.isBuilt))
    func backupRestoreAndMoveTheDemo() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let live = dir + "/live", copy = dir + "/backup.sqlite"
        #expect(try LoreCLI.run(["demo", "--data-dir", live]).status == 0)
        let demo = try await Self.incidents(in: live)

        let backup = try LoreCLI.run(["backup", copy, "--data-dir", live])
        #expect(backup.status == 0, "\(backup.err)")
        #expect(backup.out.contains("\(demo) incidents") && backup.out.contains("integrity check ok"))
        let again = try LoreCLI.run(["backup", copy, "--data-dir", live])
        #expect(again.status == 2 && again.err.contains("already exists"))

        let restored = try LoreCLI.run(["restore", copy, "--data-dir", dir + "/restored"])
        #expect(restored.status == 0, "\(restored.err)")
        #expect(try await Self.incidents(in: dir + "/restored") == demo)
        let over = try LoreCLI.run(["restore", copy, "--data-dir", live])
        #expect(over.status == 2 && over.err.contains("already holds data") && over.err.contains("--force"))
        let notABackup = dir + "/notes.txt"
        try "just some notes".write(toFile: notABackup, atomically: true, encoding: .utf8)
        let wrong = try LoreCLI.run(["restore", notABackup, "--data-dir", dir + "/other"])
        #expect(wrong.status == 2 && wrong.err.contains("not a Lore backup"))

        // To PostgreSQL (a database of its own) and back, when there is one.
        var created: String?
        var target = "sqlite://\(dir)/middle/lore.sqlite"
        if let url = ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"], !url.isEmpty, var parts = URLComponents(string: url) {
            let name = "lore_move_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            let admin = try await LoreDatabase.open(.postgres(url: url))
            try await admin.createDatabase(String(name))
            await admin.shutdown()
            created = String(name)
            parts.path = "/" + name
            target = parts.string!
        }
        let there = try LoreCLI.run(["move", "--to", target, "--data-dir", dir + "/restored"])
        #expect(there.status == 0, "\(there.err)")
        #expect(there.out.contains("every table's row count and content digest match"))
        let twice = try LoreCLI.run(["move", "--to", target, "--data-dir", dir + "/restored"])
        #expect(twice.status == 2 && twice.err.contains("already holds data"), "\(twice.err)")
        let source = target.hasPrefix("sqlite://") ? ["--data-dir", dir + "/middle"] : ["--database-url", target]
        let back = try LoreCLI.run(["move", "--to", "sqlite://\(dir)/back/lore.sqlite"] + source)
        #expect(back.status == 0, "\(back.err)")
        #expect(try await Self.incidents(in: dir + "/back") == demo)
        if let created, let url = ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"] {
            let admin = try await LoreDatabase.open(.postgres(url: url))
            try? await admin.dropDatabase(created)
            await admin.shutdown()
        }

        // An organisation archive that was cut short is refused with its line, and writes nothing.
        let archive = dir + "/org.jsonl"
        #expect(try LoreCLI.run(["export", "organisation", archive, "--data-dir", live]).status == 0)
        let lines = try String(contentsOfFile: archive, encoding: .utf8).split(separator: "\n")
        try lines.prefix(lines.count / 2).joined(separator: "\n").write(toFile: archive, atomically: true, encoding: .utf8)
        let cut = try LoreCLI.run(["import", "organisation", archive, "--data-dir", dir + "/fresh"])
        #expect(cut.status == 2 && cut.err.contains("line ") && cut.err.contains("incomplete"))
        #expect(try await Self.incidents(in: dir + "/fresh") == 0)
    }
}
