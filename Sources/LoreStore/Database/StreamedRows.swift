import FluentKit
import Foundation
import NIOConcurrencyHelpers
import FluentSQLiteDriver
import SQLiteNIO
import SQLKit

/// A result row read column by column, for the queries that read tens of
/// thousands of rows (Insights over a large organisation). On SQLite the
/// driver's own values are read directly (UUIDs as text, times as seconds,
/// as Fluent stores them); SQLKit's generic `decode(column:as:)` goes
/// through `Decodable` for each value and costs several times more per
/// row. On PostgreSQL the row is read through SQLKit.
struct StreamedRow {
    enum Storage {
        case sqlite(SQLiteRow)
        case sql(any SQLRow)
    }

    let storage: Storage

    struct Unreadable: Error, CustomStringConvertible {
        var column: String
        var description: String { "Column \(column) could not be read." }
    }

    func uuid(_ column: String) throws -> UUID {
        switch storage {
        case .sqlite(let row):
            if case .text(let s) = row.column(column), let id = UUID(uuidString: s) { return id }
            throw Unreadable(column: column)
        case .sql(let row):
            return try row.decode(column: column, as: UUID.self)
        }
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        switch storage {
        case .sqlite(let row):
            if case .null = row.column(column) { return nil }
            return try uuid(column)
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
        case .sql(let row):
            return try row.decode(column: column, as: Int.self)
        }
    }

    func string(_ column: String) throws -> String {
        switch storage {
        case .sqlite(let row):
            if case .text(let s) = row.column(column) { return s }
            throw Unreadable(column: column)
        case .sql(let row):
            return try row.decode(column: column, as: String.self)
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
        case .sql(let row):
            return try row.decode(column: column, as: Date?.self)
        }
    }
}

extension LoreStore {
    /// Runs `query`, calling `body` with each row as the driver hands it
    /// over; nothing is kept. The first error `body` throws ends the call.
    func streamRows(_ query: SQLQueryString, _ body: @escaping @Sendable (StreamedRow) throws -> Void) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Lore needs an SQL database.") }
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        if let sqlite = db as? any SQLiteDatabase {
            var serializer = SQLSerializer(database: sql)
            query.serialize(to: &serializer)
            let encoder = SQLiteDataEncoder()
            let binds = try serializer.binds.map { try encoder.encode($0) }
            try await sqlite.query(serializer.sql, binds) { row in
                guard failure.withLockedValue({ $0 == nil }) else { return }
                do { try body(StreamedRow(storage: .sqlite(row))) } catch { failure.withLockedValue { $0 = error } }
            }
        } else {
            try await sql.raw(query).run { row in
                guard failure.withLockedValue({ $0 == nil }) else { return }
                do { try body(StreamedRow(storage: .sql(row))) } catch { failure.withLockedValue { $0 = error } }
            }
        }
        if let e = failure.withLockedValue({ $0 }) { throw e }
    }
}
