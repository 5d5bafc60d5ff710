import FluentKit
import Foundation
import NIOConcurrencyHelpers
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLiteNIO
import SQLKit

/// A result row read column by column, for the queries that read tens of
/// thousands of rows (Insights over a large organisation). On SQLite the
/// driver's own values are read directly (UUIDs as text, times as seconds,
/// as Fluent stores them); SQLKit's generic `decode(column:as:)` goes
/// through `Decodable` for each value and costs several times more per
/// row. On PostgreSQL each cell is decoded as its own type by PostgresNIO
/// (SQLKit's row tries a dynamic cast and `Decodable` per value).
struct StreamedRow {
    enum Storage {
        case sqlite(SQLiteRow)
        /// With where each column is, worked out once per query.
        case postgres(PostgresRandomAccessRow, ColumnPositions)
        case sql(any SQLRow)
    }

    /// The cell, or nil when it is NULL: one lookup of the name, then by
    /// position (the row's own lookup by name hashes it twice).
    private func cell(_ row: PostgresRandomAccessRow, _ columns: ColumnPositions, _ column: String) throws -> PostgresCell? {
        guard let i = columns.positions[column], i < row.count else { throw Unreadable(column: column) }
        let cell = row[i]
        return cell.bytes == nil ? nil : cell
    }

    /// Where each column of a query's rows is.
    final class ColumnPositions: Sendable {
        let positions: [String: Int]
        init(_ row: PostgresRandomAccessRow) {
            positions = Dictionary(row.enumerated().map { ($1.columnName, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let storage: Storage

    struct Unreadable: Error, CustomStringConvertible {
        var column: String
        var description: String { "Column \(column) could not be read." }
    }

    func uuid(_ column: String) throws -> UUID {
        switch storage {
        case .sqlite(let row):
            if case .text(let s) = row.column(column), let id = Self.uuid(s) { return id }
            throw Unreadable(column: column)
        case .postgres(let row, let columns):
            guard let c = try cell(row, columns, column) else { throw Unreadable(column: column) }
            return try c.decode(UUID.self)
        case .sql(let row):
            return try row.decode(column: column, as: UUID.self)
        }
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        switch storage {
        case .sqlite(let row):
            if case .null = row.column(column) { return nil }
            return try uuid(column)
        case .postgres(let row, let columns):
            return try cell(row, columns, column)?.decode(UUID.self)
        case .sql(let row):
            return try row.decode(column: column, as: UUID?.self)
        }
    }

    func int(_ column: String) throws -> Int {
        switch storage {
        case .sqlite(let row):
            switch row.column(column) {
            case .integer(let i): return i
            case .float(let d): return Int(d)
            default: throw Unreadable(column: column)
            }
        case .postgres(let row, let columns):
            guard let c = try cell(row, columns, column) else { throw Unreadable(column: column) }
            return try c.decode(Int.self)
        case .sql(let row):
            return try row.decode(column: column, as: Int.self)
        }
    }

    func optionalInt(_ column: String) throws -> Int? {
        switch storage {
        case .sqlite(let row):
            if case .null = row.column(column) { return nil }
            return try int(column)
        case .postgres(let row, let columns):
            return try cell(row, columns, column)?.decode(Int.self)
        case .sql(let row):
            return try row.decode(column: column, as: Int?.self)
        }
    }

    func string(_ column: String) throws -> String {
        switch storage {
        case .sqlite(let row):
            if case .text(let s) = row.column(column) { return s }
            throw Unreadable(column: column)
        case .postgres(let row, let columns):
            guard let c = try cell(row, columns, column) else { throw Unreadable(column: column) }
            return try c.decode(String.self)
        case .sql(let row):
            return try row.decode(column: column, as: String.self)
        }
    }

    func optionalString(_ column: String) throws -> String? {
        switch storage {
        case .sqlite(let row):
            switch row.column(column) {
            case .null, nil: return nil
            case .text(let s): return s
            default: throw Unreadable(column: column)
            }
        case .postgres(let row, let columns):
            return try cell(row, columns, column)?.decode(String.self)
        case .sql(let row):
            return try row.decode(column: column, as: String?.self)
        }
    }

    /// A list of words: JSON text in SQLite (as Fluent stores an array
    /// there), an array in PostgreSQL.
    func strings(_ column: String) throws -> [String] { try list(column) }

    /// A list of numbers, stored as `strings` are.
    func ints(_ column: String) throws -> [Int] { try list(column) }

    private func list<Element: Decodable & PostgresArrayDecodable>(_ column: String) throws -> [Element] where Element._DecodableType == Element {
        switch storage {
        case .sqlite(let row):
            // JSON as text, or as a blob (as older versions of the driver wrote it).
            let json: Data
            switch row.column(column) {
            case .text(let s):
                if s == "[]" { return [] }
                json = Data(s.utf8)
            case .blob(let b): json = Data(b.readableBytesView)
            default: throw Unreadable(column: column)
            }
            guard let list = try? JSONDecoder().decode([Element].self, from: json) else { throw Unreadable(column: column) }
            return list
        case .postgres(let row, let columns):
            guard let c = try cell(row, columns, column) else { throw Unreadable(column: column) }
            return try c.decode([Element].self)
        case .sql(let row):
            return try row.decode(column: column, as: [Element].self)
        }
    }

    /// A flag: an integer in SQLite (as Fluent stores a Bool), a boolean in PostgreSQL.
    func bool(_ column: String) throws -> Bool {
        switch storage {
        case .sqlite(let row):
            switch row.column(column) {
            case .integer(let i): return i != 0
            case .text(let t): return t == "1" || t.lowercased() == "true"
            default: throw Unreadable(column: column)
            }
        case .postgres(let row, let columns):
            guard let c = try cell(row, columns, column) else { throw Unreadable(column: column) }
            return try c.decode(Bool.self)
        case .sql(let row):
            return try row.decode(column: column, as: Bool.self)
        }
    }

    func date(_ column: String) throws -> Date? {
        switch storage {
        case .sqlite(let row):
            switch row.column(column) {
            case .null, nil: return nil
            case .float(let d): return Date(timeIntervalSince1970: d)
            case .integer(let i): return Date(timeIntervalSince1970: Double(i))
            default: throw Unreadable(column: column)
            }
        case .postgres(let row, let columns):
            return try cell(row, columns, column)?.decode(Date.self)
        case .sql(let row):
            return try row.decode(column: column, as: Date?.self)
        }
    }
}

extension StreamedRow {
    /// A UUID from its 36-character text, as Fluent stores it in SQLite.
    /// Foundation's `UUID(uuidString:)` goes through `sscanf` on Linux, which
    /// was the largest single cost of reading a year of incidents.
    static func uuid(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { b -> UUID? in
            guard b.count == 36, b[8] == 0x2D, b[13] == 0x2D, b[18] == 0x2D, b[23] == 0x2D else { return nil }
            var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &id) { out -> Bool in
                var n = 0, i = 0
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 { i += 1; continue }
                    guard let high = hexValue(b[i]), let low = hexValue(b[i + 1]) else { return false }
                    out[n] = high << 4 | low
                    n += 1
                    i += 2
                }
                return true
            }
            return parsed ? UUID(uuid: id) : nil
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30 ... 0x39: c - 0x30
        case 0x41 ... 0x46: c - 0x41 + 10
        case 0x61 ... 0x66: c - 0x61 + 10
        default: nil
        }
    }
}

extension LoreStore {
    /// The `id` column of every row `query` selects, in its order.
    func ids(_ query: SQLQueryString) async throws -> [UUID] {
        let read = NIOLockedValueBox<[UUID]>([])
        try await streamRows(query) { row in
            let id = try row.uuid("id")
            read.withLockedValue { $0.append(id) }
        }
        return read.withLockedValue { $0 }
    }

    /// Runs `query`, calling `body` with each row as the driver hands it
    /// over; nothing is kept. The first error `body` throws ends the call.
    func streamRows(_ query: SQLQueryString, _ body: @escaping @Sendable (StreamedRow) throws -> Void) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Lore needs an SQL database.") }
        // Logged as SQLKit logs the queries that go through it, so that
        // counting a page's queries counts these too.
        func log(_ text: String) {
            sql.logger.log(level: LoreDatabase.queryLogLevel, LoreDatabase.queryLogMessage, metadata: ["sql": .string(text)])
        }
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        if let sqlite = db as? any SQLiteDatabase {
            var serializer = SQLSerializer(database: sql)
            query.serialize(to: &serializer)
            let encoder = SQLiteDataEncoder()
            let binds = try serializer.binds.map { try encoder.encode($0) }
            // The connection's own async query hands each row over on the
            // thread that steps the statement. The database's (Fluent's)
            // `query(_:_:logger:_:)` instead submits one event-loop task and
            // one future per row, which cost more than reading the rows:
            // half the time of a year's Insights report.
            let text = serializer.sql
            log(text)
            try await sqlite.withConnection { connection in
                try await connection.query(text, binds) { row in
                    guard failure.withLockedValue({ $0 == nil }) else { return }
                    do { try body(StreamedRow(storage: .sqlite(row))) } catch { failure.withLockedValue { $0 = error } }
                }
            }
        } else if let postgres = db as? any PostgresDatabase {
            var serializer = SQLSerializer(database: sql)
            query.serialize(to: &serializer)
            var bindings = PostgresBindings()
            for value in serializer.binds {
                switch value {
                case let v as Date: bindings.append(v)
                case let v as String: bindings.append(v)
                case let v as UUID: bindings.append(v)
                case let v as Int: bindings.append(v)
                default: throw StoreError.configuration("A streamed query cannot bind a \(type(of: value)).")
                }
            }
            // Rows are handed over on the event loop as they arrive (the
            // async row sequence hopped threads and waited on back-pressure
            // for each batch: a third of a year's Insights report idled).
            let text = serializer.sql, binds = bindings, logger = postgres.logger
            log(text)
            let columns = NIOLockedValueBox<StreamedRow.ColumnPositions?>(nil)
            try await postgres.withConnection { connection in
                connection.query(PostgresQuery(unsafeSQL: text, binds: binds), logger: logger) { row in
                    let cells = row.makeRandomAccess()
                    let positions = columns.withLockedValue { known in
                        if let known { return known }
                        let found = StreamedRow.ColumnPositions(cells)
                        known = found
                        return found
                    }
                    try body(StreamedRow(storage: .postgres(cells, positions)))
                }.map { _ in }
            }.get()
        } else {
            try await sql.raw(query).run { row in
                guard failure.withLockedValue({ $0 == nil }) else { return }
                do { try body(StreamedRow(storage: .sql(row))) } catch { failure.withLockedValue { $0 = error } }
            }
        }
        if let e = failure.withLockedValue({ $0 }) { throw e }
    }
}
