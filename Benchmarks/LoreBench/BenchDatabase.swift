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

/// A database a benchmark measures, and whether an earlier run already
/// loaded it.
struct BenchTarget {
    var name: String
    var database: LoreDatabase
    /// True when the database was kept by an earlier run and holds its data.
    var loaded: Bool
    var cleanup: () async -> Void
}

/// SQLite and, with `LORE_BENCH_POSTGRES_URL`, PostgreSQL. Loading a large
/// organisation takes minutes, so `<prefix>_SQLITE=/path/lore.sqlite` keeps
/// the SQLite database at that path and `<prefix>_POSTGRES_SCHEMA=name` keeps
/// a PostgreSQL schema; a later run finds them loaded and measures them
/// again. Without them each run loads into a fresh database and removes it.
func benchTargets(environmentPrefix prefix: String, freshName: String) async throws -> [BenchTarget] {
    let environment = ProcessInfo.processInfo.environment
    var targets: [BenchTarget] = []
    if let path = environment["\(prefix)_SQLITE"], !path.isEmpty {
        let database = try await LoreDatabase.open(.sqlite(path: path), logger: quietLogger())
        try await database.migrate()
        targets.append(BenchTarget(name: "SQLite", database: database, loaded: try await database.store.incidentCount() > 0,
                                   cleanup: { await database.shutdown() }))
    } else {
        let sqlite = try await freshBenchDatabase("lore-\(freshName)-bench")
        targets.append(BenchTarget(name: "SQLite", database: sqlite.database, loaded: false, cleanup: {
            await sqlite.database.shutdown()
            try? FileManager.default.removeItem(at: sqlite.dir)
        }))
    }
    if let schema = environment["\(prefix)_POSTGRES_SCHEMA"], !schema.isEmpty,
       let url = environment["LORE_BENCH_POSTGRES_URL"], !url.isEmpty {
        let admin = try await LoreDatabase.open(.postgres(url: url), logger: quietLogger())
        try? await admin.createSchema(schema)
        await admin.shutdown()
        let database = try await LoreDatabase.open(.postgres(url: url, schema: schema), logger: quietLogger())
        try await database.migrate()
        targets.append(BenchTarget(name: "PostgreSQL", database: database, loaded: try await database.store.incidentCount() > 0,
                                   cleanup: { await database.shutdown() }))
    } else if let postgres = try await postgresBenchTarget("bench_\(freshName)") {
        targets.append(BenchTarget(name: postgres.name, database: postgres.database, loaded: false, cleanup: postgres.cleanup))
    }
    return targets
}
