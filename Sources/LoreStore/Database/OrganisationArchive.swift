import Crypto
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import SQLiteNIO
import SQLKit

/// The whole organisation as one JSON Lines file that either database reads
/// back: how a team that started on SQLite moves to PostgreSQL (and back),
/// and a copy of everything that does not depend on the database's own file
/// format.
///
/// Every table Lore keeps is carried, row by row, in a form neither
/// database owns: UUIDs in lower case, times as whole microseconds since
/// 1970 (what PostgreSQL keeps; SQLite's seconds are rounded to it), JSON
/// and arrays as JSON, flags as numbers. Only what can be rebuilt is left
/// out: the search index, which the target rebuilds in time order once the
/// rows are in, and the list of migrations, which the target keeps itself.
///
/// ```
/// {"lore":"organisation","version":1,"migrations":["001_foundation",…]}
/// {"table":"incidents","columns":[{"name":"id","kind":"uuid"},…]}
/// ["0f8fad5b-…","Checkout down",1796437020461000,…]      one line per row
/// {"end":"incidents","rows":387,"digest":"…"}
/// …every table, parents before the tables that refer to them…
/// {"end_of_archive":true,"tables":40}
/// ```
///
/// Each table's digest is a SHA-256 over its rows' canonical forms, sorted,
/// so it does not depend on the order either database returns rows in; an
/// import recomputes it from what the target holds before it commits.
public enum OrganisationArchive {
    public static let version = 1

    /// What a column holds, whatever each database calls it.
    public enum Kind: String, Codable, Sendable {
        case uuid, text, integer, boolean, time, json
    }

    public struct Column: Codable, Equatable, Sendable {
        public var name: String
        public var kind: Kind
    }

    /// One table as exported or as verified after an import.
    public struct TableSummary: Codable, Equatable, Sendable {
        public var table: String
        public var rows: Int
        public var digest: String
    }

    /// What an export wrote or an import read and verified.
    public struct Summary: Sendable {
        public var tables: [TableSummary]
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// Why an archive was not read; nothing is written to the target then.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case unreadable(line: Int, String)
        case schema(String)
        case notEmpty([String])
        case verification(String)

        public var description: String {
            switch self {
            case .unreadable(let line, let message): "line \(line): \(message)"
            case .schema(let message): message
            case .notEmpty(let tables):
                "the target already holds data (\(tables.prefix(4).joined(separator: ", "))\(tables.count > 4 ? ", …" : "")); Lore moves only into an empty database. Use --force to replace everything in it."
            case .verification(let message): "verification failed: \(message); nothing was written."
            }
        }
    }

    /// Tables that are not carried: the search index is derived from the
    /// rest (the target rebuilds it after the rows, with its triggers
    /// suspended meanwhile), timelines' revisions are counted by the target's
    /// own triggers (`CreateTimelineRevisions`), and the migrations are the
    /// target's own.
    static func isCarried(_ table: String) -> Bool {
        !(table.hasPrefix("search_") || table.hasPrefix("sqlite_") || table.hasPrefix("_fluent") || table == "timeline_revisions")
    }

    /// Rows that the migrations write into every new database (the incident
    /// counter, the server's secrets): the archive's replace them, and they
    /// do not make a database count as holding data.
    static let seededByMigrations: Set<String> = ["incident_counter", "server_secrets"]

    /// A value in the archive's neutral form.
    enum Value: Equatable {
        case null
        case text(String)
        case integer(Int64)
        case boolean(Bool)
        /// Microseconds since 1970.
        case time(Int64)
        /// Canonical JSON text: keys sorted, no spaces.
        case json(String)

        /// The form the digest is taken over. A flag and a number are the
        /// same there (SQLite keeps flags as 0 and 1) and a UUID is text.
        func canonical(into out: inout String) {
            switch self {
            case .null: out += "n;"
            case .text(let s): out += "s\(s.utf8.count):"; out += s; out += ";"
            case .integer(let i): out += "i\(i);"
            case .boolean(let b): out += b ? "i1;" : "i0;"
            case .time(let t): out += "t\(t);"
            case .json(let j): out += "j\(j.utf8.count):"; out += j; out += ";"
            }
        }

        func json(into out: inout String) {
            switch self {
            case .null: out += "null"
            case .text(let s): OrganisationArchive.appendJSONString(s, to: &out)
            case .integer(let i), .time(let i): out += String(i)
            case .boolean(let b): out += b ? "true" : "false"
            case .json(let j): out += j
            }
        }
    }

    /// Sorted row digests, combined: a digest that does not depend on row order.
    struct TableDigest {
        private var rows: [SHA256.Digest] = []
        var count: Int { rows.count }

        mutating func add(_ values: [Value]) {
            var text = ""
            for v in values { v.canonical(into: &text) }
            rows.append(SHA256.hash(data: Data(text.utf8)))
        }

        func finish() -> String {
            var all = SHA256()
            for d in rows.map({ Data($0) }).sorted(by: { $0.lexicographicallyPrecedes($1) }) { all.update(data: d) }
            return Secrets.hex(all.finalize())
        }
    }

    /// An identifier as both databases quote it. Names come from the
    /// database's own catalogue, never from the archive.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func appendJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func canonicalJSON(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    static func canonicalJSON(text: String) throws -> String {
        try canonicalJSON(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }
}

// MARK: - The schema as each database describes it

extension OrganisationArchive {
    /// A carried table of the open database, with its columns in order.
    struct Table {
        var name: String
        var columns: [Column]
        /// PostgreSQL's element type for array columns (`text`, `int8`).
        var arrayElements: [String: String] = [:]
    }

    static func kind(sqliteType declared: String, table: String, column: String) throws -> Kind {
        switch declared.uppercased() {
        case "UUID": return .uuid
        case "TEXT": return .text
        // Fluent keeps times as seconds in a REAL column, and Lore has no
        // other REAL column (a test compares every column's kind with
        // PostgreSQL's, so a new one cannot slip through as a time).
        case "REAL": return .time
        case "INTEGER", "BIGINT", "INT": return .integer
        case "JSON": return .json
        case "BOOLEAN": return .boolean
        default: throw Failure.schema("\(table).\(column) is declared \(declared), which an organisation archive does not carry.")
        }
    }

    static func kind(postgresType dataType: String, table: String, column: String) throws -> Kind {
        switch dataType {
        case "uuid": return .uuid
        case "text", "character varying": return .text
        case "timestamp with time zone", "timestamp without time zone": return .time
        case "bigint", "integer", "smallint": return .integer
        case "boolean": return .boolean
        case "ARRAY", "jsonb", "json": return .json
        default: throw Failure.schema("\(table).\(column) has type \(dataType), which an organisation archive does not carry.")
        }
    }
}

extension LoreStore {
    var isSQLite: Bool { db is any SQLiteDatabase }

    /// The carried tables, parents before the tables whose foreign keys
    /// point at them (so rows can be inserted in this order).
    func archiveTables() async throws -> [OrganisationArchive.Table] {
        let sql = try sqlDatabase()
        var tables: [String: OrganisationArchive.Table] = [:]
        var parents: [String: Set<String>] = [:]
        if isSQLite {
            let names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) }
            for name in names where OrganisationArchive.isCarried(name) {
                var columns: [OrganisationArchive.Column] = []
                for row in try await sql.raw("PRAGMA table_info(\(ident: name))").all() {
                    let column = try row.decode(column: "name", as: String.self)
                    columns.append(.init(name: column, kind: try OrganisationArchive.kind(sqliteType: try row.decode(column: "type", as: String.self), table: name, column: column)))
                }
                tables[name] = .init(name: name, columns: columns)
                parents[name] = Set(try await sql.raw("PRAGMA foreign_key_list(\(ident: name))").all().map { try $0.decode(column: "table", as: String.self) })
            }
        } else {
            for row in try await sql.raw("""
                SELECT c.table_name, c.column_name, c.data_type, c.udt_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position
                """).all() {
                let name = try row.decode(column: "table_name", as: String.self)
                guard OrganisationArchive.isCarried(name) else { continue }
                let column = try row.decode(column: "column_name", as: String.self), type = try row.decode(column: "data_type", as: String.self)
                var table = tables[name] ?? .init(name: name, columns: [])
                table.columns.append(.init(name: column, kind: try OrganisationArchive.kind(postgresType: type, table: name, column: column)))
                if type == "ARRAY" { table.arrayElements[column] = String(try row.decode(column: "udt_name", as: String.self).dropFirst()) }
                tables[name] = table
            }
            for row in try await sql.raw("""
                SELECT cl.relname AS child, pl.relname AS parent FROM pg_constraint k
                JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                JOIN pg_class pl ON pl.oid = k.confrelid
                WHERE k.contype = 'f' AND n.nspname = current_schema()
                """).all() {
                parents[try row.decode(column: "child", as: String.self), default: []].insert(try row.decode(column: "parent", as: String.self))
            }
        }
        // Depth-first, in name order, so the order is the same on both databases.
        var ordered: [OrganisationArchive.Table] = [], placed: Set<String> = [], visiting: Set<String> = []
        func place(_ name: String) throws {
            guard !placed.contains(name), let table = tables[name] else { return }
            guard visiting.insert(name).inserted else { throw OrganisationArchive.Failure.schema("The foreign keys of \(name) form a cycle.") }
            for parent in (parents[name] ?? []).sorted() where parent != name { try place(parent) }
            placed.insert(name)
            ordered.append(table)
        }
        for name in tables.keys.sorted() { try place(name) }
        return ordered
    }

    func rowCount(of table: String) async throws -> Int {
        try await sqlDatabase().raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The tables among `tables` that hold rows beyond what the migrations
    /// write into every new database, as "table: rows", largest first.
    func tablesHoldingData(_ tables: [OrganisationArchive.Table]) async throws -> [String] {
        var holding: [(String, Int)] = []
        for t in tables where !OrganisationArchive.seededByMigrations.contains(t.name) {
            let n = try await rowCount(of: t.name)
            if n > 0 { holding.append((t.name, n)) }
        }
        return holding.sorted { $0.1 > $1.1 }.map { "\($0.0): \($0.1)" }
    }

    /// PostgreSQL: the schema Lore's tables are in (the first of the search path).
    func currentSchema() async throws -> String {
        guard let schema = try await sqlDatabase().raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String?.self) else {
            throw StoreError.configuration("None of the schemas in this database's search_path exists; create it first.")
        }
        return schema
    }

    /// PostgreSQL: drops every table and search function of Lore's in the
    /// current schema, in one transaction (before a restore over them).
    func dropLoreTables() async throws {
        try await transaction { store in
            let sql = try store.sqlDatabase()
            let names = try await sql.raw("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
                .map { try $0.decode(column: "t", as: String.self) }
            let known = Set(try await store.archiveTables().map(\.name)).union(["_fluent_migrations", "search_documents", "timeline_revisions"])
            for name in names where known.contains(name) { try await sql.raw("DROP TABLE IF EXISTS \(ident: name) CASCADE").run() }
            for s in CreateSearchIndex.sources(postgres: true) { try await sql.raw("DROP FUNCTION IF EXISTS \(ident: "search_index_\(s.table)")() CASCADE").run() }
            try await sql.raw("DROP FUNCTION IF EXISTS timeline_revision_bump() CASCADE").run()
        }
    }

    /// Names of the migrations applied to this database, in order.
    func appliedMigrations() async throws -> [String] {
        try await sqlDatabase().raw("SELECT name FROM _fluent_migrations ORDER BY batch, name").all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Reads every row of `table` in the neutral form.
    func archiveRows(_ table: OrganisationArchive.Table, _ body: @escaping @Sendable ([OrganisationArchive.Value]) throws -> Void) async throws {
        let sqlite = isSQLite
        let selects = table.columns.enumerated().map { i, c -> String in
            let q = OrganisationArchive.quoted(c.name)
            if sqlite { return "\(q) AS c\(i)" }
            switch c.kind {
            case .time: return "(extract(epoch FROM \(q)) * 1000000)::bigint::text AS c\(i)"
            case .json: return "to_jsonb(\(q))::text AS c\(i)"
            default: return "\(q)::text AS c\(i)"
            }
        }
        let columns = table.columns
        let text = "SELECT \(selects.joined(separator: ", ")) FROM \(OrganisationArchive.quoted(table.name))"
        let query = SQLQueryString(text)
        try await streamRows(query) { row in
            var values: [OrganisationArchive.Value] = []
            values.reserveCapacity(columns.count)
            for (i, column) in columns.enumerated() {
                let name = "c\(i)"
                if sqlite {
                    values.append(try OrganisationArchive.value(sqlite: row.sqliteCell(name), kind: column.kind, at: "\(table.name).\(column.name)"))
                } else {
                    values.append(try OrganisationArchive.value(text: row.optionalString(name), kind: column.kind, at: "\(table.name).\(column.name)"))
                }
            }
            try body(values)
        }
    }
}

extension OrganisationArchive {
    static func value(sqlite cell: SQLiteData?, kind: Kind, at place: String) throws -> Value {
        func wrong() -> Failure { .schema("\(place) holds \(cell.map(String.init(describing:)) ?? "nothing"), which is not a \(kind.rawValue).") }
        guard let cell, cell != .null else { return .null }
        switch (kind, cell) {
        case (.uuid, .text(let s)): return .text(s.lowercased())
        case (.text, .text(let s)): return .text(s)
        case (.integer, .integer(let i)), (.boolean, .integer(let i)): return .integer(Int64(i))
        case (.integer, .float(let d)): return .integer(Int64(d))
        case (.time, .float(let d)): return .time(Int64((d * 1_000_000).rounded()))
        case (.time, .integer(let i)): return .time(Int64(i) * 1_000_000)
        case (.json, .text(let s)):
            do { return .json(try canonicalJSON(text: s)) } catch { throw wrong() }
        default: throw wrong()
        }
    }

    static func value(text: String?, kind: Kind, at place: String) throws -> Value {
        guard let text else { return .null }
        switch kind {
        case .uuid: return .text(text.lowercased())
        case .text: return .text(text)
        case .integer:
            guard let i = Int64(text) else { throw Failure.schema("\(place) holds \"\(text)\", which is not a whole number.") }
            return .integer(i)
        case .boolean: return .boolean(text == "true")
        case .time:
            guard let t = Int64(text) else { throw Failure.schema("\(place) holds \"\(text)\", which is not a time.") }
            return .time(t)
        case .json: return .json(try canonicalJSON(text: text))
        }
    }

    /// A value of an archive line, read as its header says.
    static func value(json: Any, kind: Kind) -> Value? {
        if json is NSNull { return .null }
        switch kind {
        case .uuid:
            guard let s = json as? String, UUID(uuidString: s) != nil else { return nil }
            return .text(s.lowercased())
        case .text:
            guard let s = json as? String else { return nil }
            return .text(s)
        case .integer, .time, .boolean:
            // Foundation reads `true` and `1` alike as a number; the header's
            // kind says which was meant.
            guard let n = json as? NSNumber, !(json is String) else { return nil }
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9.2e18 else { return nil }
            switch kind {
            case .time: return .time(n.int64Value)
            case .boolean: return .boolean(n.int64Value != 0)
            default: return .integer(n.int64Value)
            }
        case .json:
            return (try? canonicalJSON(json)).map { .json($0) }
        }
    }
}

extension StreamedRow {
    /// The driver's own value of a column on SQLite.
    func sqliteCell(_ column: String) -> SQLiteData? {
        if case .sqlite(let row) = storage { return row.column(column) }
        return nil
    }
}

// MARK: - Export

extension LoreStore {
    /// Writes the whole organisation to `path` as an archive: to a
    /// temporary name beside it, renamed once complete. All tables are read
    /// in one transaction, so the copy is consistent while the server keeps
    /// serving.
    ///
    /// The archive holds every secret Lore keeps (signing secrets, password
    /// and token hashes), so it is readable by its owner only.
    public func exportOrganisation(to path: String, replacing: Bool = false) async throws -> OrganisationArchive.Summary {
        if FileManager.default.fileExists(atPath: path), !replacing {
            throw StoreError.configuration("\(path) already exists; choose another name or pass --force to replace it.")
        }
        let temporary = LoreBackup.temporaryName(beside: path)
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw StoreError.configuration("Cannot write \(path) (nor a file beside it).")
        }
        let output = ArchiveWriter(handle)
        do {
            let summary = try await transaction { store in
                if !store.isSQLite {
                    // One snapshot for every table (PostgreSQL otherwise takes one per statement).
                    try await store.sqlDatabase().raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                }
                let migrations = try await store.appliedMigrations()
                var header = "{\"lore\":\"organisation\",\"version\":\(OrganisationArchive.version),\"migrations\":["
                for (i, m) in migrations.enumerated() { if i > 0 { header += "," }; OrganisationArchive.appendJSONString(m, to: &header) }
                try output.write(header + "]}")
                var tables: [OrganisationArchive.TableSummary] = []
                for table in try await store.archiveTables() {
                    let columns = try JSONEncoder().encode(table.columns)
                    var start = "{\"table\":"
                    OrganisationArchive.appendJSONString(table.name, to: &start)
                    try output.write(start + ",\"columns\":" + String(decoding: columns, as: UTF8.self) + "}")
                    let digest = NIOLockedValueBox(OrganisationArchive.TableDigest())
                    try await store.archiveRows(table) { values in
                        var line = "["
                        for (i, v) in values.enumerated() { if i > 0 { line += "," }; v.json(into: &line) }
                        try output.write(line + "]")
                        digest.withLockedValue { $0.add(values) }
                    }
                    let done = digest.withLockedValue { OrganisationArchive.TableSummary(table: table.name, rows: $0.count, digest: $0.finish()) }
                    try output.write("{\"end\":\"\(done.table)\",\"rows\":\(done.rows),\"digest\":\"\(done.digest)\"}")
                    tables.append(done)
                }
                try output.write("{\"end_of_archive\":true,\"tables\":\(tables.count)}")
                return OrganisationArchive.Summary(tables: tables)
            }
            try output.close()
            try LoreBackup.replace(path, with: temporary)
            return summary
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

/// Lines to a file, a megabyte at a time.
final class ArchiveWriter: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer = Data()
    private let lock = NIOLock()

    init(_ handle: FileHandle) { self.handle = handle }

    func write(_ line: String) throws {
        try lock.withLock {
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    func close() throws {
        try lock.withLock {
            if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
            buffer.removeAll()
            try handle.synchronize()
            try handle.close()
        }
    }
}

/// Lines of a file, read a megabyte at a time.
struct ArchiveLines {
    private let handle: FileHandle
    private var buffer = Data()
    private var start = 0
    private var finished = false
    private(set) var number = 0

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.configuration("Cannot read \(path).") }
        self.handle = handle
    }

    /// The next line without its newline, or nil at the end of the file.
    mutating func next() throws -> Data? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                number += 1
                return Data(line)
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                number += 1
                return Data(line)
            }
            buffer.removeSubrange(0..<start)
            start = 0
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                buffer.append(chunk)
            } else {
                finished = true
            }
        }
    }

    func close() { try? handle.close() }
}

// MARK: - Import

extension LoreStore {
    /// Reads an archive into this (migrated) database in one transaction:
    /// every table's rows are inserted, then counted and digested again and
    /// compared with the archive's own figures before anything is committed.
    /// An archive that does not read, does not match this schema or does not
    /// verify leaves the database as it was. Refuses a database that already
    /// holds data unless `replacing`, which deletes everything in it first
    /// (in the same transaction).
    public func importOrganisation(from path: String, replacing: Bool = false) async throws -> OrganisationArchive.Summary {
        var lines = try ArchiveLines(path: path)
        defer { lines.close() }
        guard let first = try lines.next() else { throw OrganisationArchive.Failure.unreadable(line: 1, "the file is empty; an organisation archive starts with {\"lore\":\"organisation\",…}.") }
        guard let header = try? JSONSerialization.jsonObject(with: first) as? [String: Any], header["lore"] as? String == "organisation" else {
            throw OrganisationArchive.Failure.unreadable(line: 1, "not an organisation archive (made by `lore export organisation`).")
        }
        guard (header["version"] as? Int) == OrganisationArchive.version else {
            throw OrganisationArchive.Failure.unreadable(line: 1, "archive version \(header["version"] ?? "?") is not one this Lore reads (\(OrganisationArchive.version)).")
        }
        let archived = header["migrations"] as? [String] ?? []
        let applied = try await appliedMigrations()
        let known = Set(LoreMigrations.all.map(\.name))
        if let newer = archived.first(where: { !known.contains($0) }) {
            throw OrganisationArchive.Failure.schema("The archive was made by a newer Lore (its schema has \(newer)); upgrade this Lore first.")
        }
        if Set(archived) != Set(applied) {
            let missing = applied.filter { !archived.contains($0) }
            throw OrganisationArchive.Failure.schema("The archive was made by an older Lore (its schema lacks \(missing.joined(separator: ", "))); run `lore migrate` on the source with this version and export again.")
        }
        let source = UnsafeTransfer(lines)
        return try await transaction { store in
            var lines = source.value
            let tables = try await store.archiveTables()
            let sql = try store.sqlDatabase()
            if !replacing {
                let holding = try await store.tablesHoldingData(tables)
                if !holding.isEmpty { throw OrganisationArchive.Failure.notEmpty(holding) }
            }
            for t in tables.reversed() { try await sql.raw("DELETE FROM \(ident: t.name)").run() }
            let triggers = try await store.suspendSearchIndexing()

            let byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
            var read: [OrganisationArchive.TableSummary] = []
            var seen: Set<String> = []
            var ended = false
            while let data = try lines.next() {
                let n = lines.number
                guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "not JSON.")
                }
                if let end = object as? [String: Any], end["end_of_archive"] as? Bool == true {
                    ended = true
                    break
                }
                guard let start = object as? [String: Any], let name = start["table"] as? String, let columnList = start["columns"] else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "expected a table's first line, {\"table\":…,\"columns\":[…]}.")
                }
                guard let target = byName[name] else {
                    throw OrganisationArchive.Failure.schema("line \(n): this database has no table \(name).")
                }
                guard seen.insert(name).inserted else { throw OrganisationArchive.Failure.unreadable(line: n, "table \(name) appears twice.") }
                let columns = try JSONDecoder().decode([OrganisationArchive.Column].self, from: JSONSerialization.data(withJSONObject: columnList))
                if Set(columns.map(\.name)) != Set(target.columns.map(\.name)) {
                    throw OrganisationArchive.Failure.schema("line \(n): the columns of \(name) differ from this database's (archive: \(columns.map(\.name).joined(separator: ", ")); here: \(target.columns.map(\.name).joined(separator: ", "))).")
                }
                let firstLine = lines.number + 1
                do {
                    read.append(try await store.insertArchiveRows(into: target, columns: columns, from: &lines))
                } catch let e as OrganisationArchive.Failure {
                    throw e
                } catch {
                    // A duplicate row, a row whose parent is missing, a value
                    // the target refuses: say which table and where.
                    throw OrganisationArchive.Failure.unreadable(line: firstLine, "the rows of \(name) (from this line to line \(lines.number)) were refused by the database: \(String(reflecting: error))")
                }
            }
            guard ended else { throw OrganisationArchive.Failure.unreadable(line: lines.number, "the archive ends before its last line ({\"end_of_archive\":true,…}); it is incomplete.") }
            let missing = tables.map(\.name).filter { !seen.contains($0) }
            guard missing.isEmpty else { throw OrganisationArchive.Failure.schema("The archive has no rows for \(missing.joined(separator: ", ")).") }

            try await store.rebuildSearchIndex(resuming: triggers)

            // Read back what was written, in the archive's column order.
            for expected in read {
                let target = byName[expected.table]!
                let digest = NIOLockedValueBox(OrganisationArchive.TableDigest())
                try await store.archiveRows(target) { values in digest.withLockedValue { $0.add(values) } }
                let found = digest.withLockedValue { OrganisationArchive.TableSummary(table: expected.table, rows: $0.count, digest: $0.finish()) }
                guard found == expected else {
                    throw OrganisationArchive.Failure.verification("\(expected.table) holds \(found.rows) rows (digest \(found.digest.prefix(12))) after the import; the archive has \(expected.rows) (digest \(expected.digest.prefix(12)))")
                }
            }
            return OrganisationArchive.Summary(tables: read)
        }
    }

    /// Inserts one table's rows, up to its end line; returns the archive's
    /// figures for it after checking that the lines read agree with them.
    func insertArchiveRows(into table: OrganisationArchive.Table, columns: [OrganisationArchive.Column], from lines: inout ArchiveLines) async throws -> OrganisationArchive.TableSummary {
        // Rows go in the order of this database's columns, so the digest
        // (taken in that order on read-back) compares like with like.
        let archivedPosition = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
        let order = table.columns.map { archivedPosition[$0.name]! }
        let kinds = columns.map(\.kind)
        let perRow = table.columns.count + table.arrayElements.count
        let batchSize = max(1, min(500, 30_000 / max(1, perRow)))
        var batch: [[OrganisationArchive.Value]] = []
        var digest = OrganisationArchive.TableDigest()
        while let data = try lines.next() {
            let n = lines.number
            guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                throw OrganisationArchive.Failure.unreadable(line: n, "not JSON.")
            }
            if let end = object as? [String: Any] {
                guard end["end"] as? String == table.name, let rows = end["rows"] as? Int, let expected = end["digest"] as? String else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "expected a row of \(table.name) or its end line, {\"end\":\"\(table.name)\",\"rows\":…,\"digest\":…}.")
                }
                if !batch.isEmpty { try await insertArchiveBatch(batch, into: table) }
                let summary = OrganisationArchive.TableSummary(table: table.name, rows: rows, digest: expected)
                guard digest.count == rows else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "\(table.name) ends after \(digest.count) rows but says it has \(rows).")
                }
                // The rows as read from the archive must match the digest the
                // export wrote: a line altered since points at the archive,
                // not at the database.
                guard digest.finish() == expected else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "the rows of \(table.name) do not match its digest; the archive was altered or damaged after it was written.")
                }
                return summary
            }
            guard let cells = object as? [Any] else { throw OrganisationArchive.Failure.unreadable(line: n, "expected a row of \(table.name) (a JSON array).") }
            guard cells.count == columns.count else {
                throw OrganisationArchive.Failure.unreadable(line: n, "a row of \(table.name) has \(cells.count) values; its columns are \(columns.count).")
            }
            var values: [OrganisationArchive.Value] = []
            values.reserveCapacity(order.count)
            for i in order {
                guard let v = OrganisationArchive.value(json: cells[i], kind: kinds[i]) else {
                    throw OrganisationArchive.Failure.unreadable(line: n, "\(table.name).\(columns[i].name) (value \(i + 1)) is not a \(kinds[i].rawValue).")
                }
                values.append(v)
            }
            digest.add(values)
            batch.append(values)
            if batch.count == batchSize {
                try await insertArchiveBatch(batch, into: table)
                batch.removeAll(keepingCapacity: true)
            }
        }
        throw OrganisationArchive.Failure.unreadable(line: lines.number, "the archive ends inside \(table.name); it is incomplete.")
    }

    func insertArchiveBatch(_ rows: [[OrganisationArchive.Value]], into table: OrganisationArchive.Table) async throws {
        let sqlite = isSQLite
        let insert = "INSERT INTO \(OrganisationArchive.quoted(table.name)) (\(table.columns.map { OrganisationArchive.quoted($0.name) }.joined(separator: ", "))) VALUES "
        var q = SQLQueryString(insert)
        for (r, row) in rows.enumerated() {
            q.appendLiteral(r == 0 ? "(" : ", (")
            for (i, column) in table.columns.enumerated() {
                if i > 0 { q.appendLiteral(", ") }
                let value = row[i]
                if value == .null {
                    q.appendLiteral("NULL")
                } else if sqlite {
                    q.appendInterpolation(bind: OrganisationArchive.sqliteBind(value, kind: column.kind))
                } else {
                    let text = OrganisationArchive.postgresText(value, kind: column.kind)
                    switch column.kind {
                    case .uuid: q.appendInterpolation(bind: text); q.appendLiteral("::uuid")
                    case .text: q.appendInterpolation(bind: text); q.appendLiteral("::text")
                    case .integer: q.appendInterpolation(bind: text); q.appendLiteral("::bigint")
                    case .boolean: q.appendInterpolation(bind: text); q.appendLiteral("::boolean")
                    case .time:
                        q.appendLiteral("(TIMESTAMPTZ 'epoch' + ")
                        q.appendInterpolation(bind: text)
                        q.appendLiteral("::bigint * INTERVAL '1 microsecond')")
                    case .json:
                        if let element = table.arrayElements[column.name] {
                            q.appendLiteral("ARRAY(SELECT jsonb_array_elements_text(")
                            q.appendInterpolation(bind: text)
                            q.appendLiteral("::jsonb))::\(element)[]")
                        } else {
                            q.appendInterpolation(bind: text)
                            q.appendLiteral("::jsonb")
                        }
                    }
                }
            }
            q.appendLiteral(")")
        }
        try await sqlDatabase().raw(q).run()
    }
}

extension OrganisationArchive {
    /// As Fluent writes each kind into SQLite: UUIDs in upper case, times
    /// as seconds, flags as 0 and 1, JSON as text.
    static func sqliteBind(_ value: Value, kind: Kind) -> any Encodable & Sendable {
        switch (value, kind) {
        case (.text(let s), .uuid): return s.uppercased()
        case (.text(let s), _): return s
        case (.integer(let i), _): return Int(i)
        case (.boolean(let b), _): return b ? 1 : 0
        case (.time(let t), _): return Double(t) / 1_000_000
        case (.json(let j), _): return j
        case (.null, _): return String?.none
        }
    }

    /// The text PostgreSQL casts to the column's type.
    static func postgresText(_ value: Value, kind: Kind) -> String {
        switch value {
        case .text(let s): return s
        case .integer(let i): return kind == .boolean ? (i != 0 ? "true" : "false") : String(i)
        case .boolean(let b): return kind == .boolean ? (b ? "true" : "false") : (b ? "1" : "0")
        case .time(let t): return String(t)
        case .json(let j): return j
        case .null: return ""
        }
    }
}

/// Hands a value that is only used by one task at a time into a `@Sendable` closure.
struct UnsafeTransfer<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
