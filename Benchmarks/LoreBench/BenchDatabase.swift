import Foundation
import Logging
import LoreStore

/// A logger that keeps the benchmarks' output to their figures.
func quietLogger() -> Logger {
    var logger = Logger(label: "lore.bench")
    logger.logLevel = .critical
    return logger
}

/// A fresh, migrated SQLite database in a temporary folder named `name` plus
/// this process's id; the caller removes `dir` when done.
func freshBenchDatabase(_ name: String) async throws -> (database: LoreDatabase, dir: URL, path: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("lore.sqlite").path
    let database = try await LoreDatabase.open(.sqlite(path: path), logger: quietLogger())
    try await database.migrate()
    return (database, dir, path)
}
