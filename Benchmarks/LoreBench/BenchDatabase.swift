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

/// A fresh, migrated PostgreSQL schema named `prefix` plus this process's id
/// when `LORE_BENCH_POSTGRES_URL` is set (nil, said once, when not); its
/// cleanup drops the schema.
func postgresBenchTarget(_ prefix: String) async throws -> (name: String, database: LoreDatabase, cleanup: () async -> Void)? {
    guard let url = ProcessInfo.processInfo.environment["LORE_BENCH_POSTGRES_URL"], !url.isEmpty else {
        say("(LORE_BENCH_POSTGRES_URL not set: SQLite only)")
        return nil
    }
    let schema = "\(prefix)_\(getpid())"
    let admin = try await LoreDatabase.open(.postgres(url: url), logger: quietLogger())
    try await admin.createSchema(schema)
    let database = try await LoreDatabase.open(.postgres(url: url, schema: schema), logger: quietLogger())
    try await database.migrate()
    return ("PostgreSQL", database, {
        await database.shutdown()
        try? await admin.dropSchema(schema)
        await admin.shutdown()
    })
}
