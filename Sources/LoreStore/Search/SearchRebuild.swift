import FluentKit
import Foundation
import SQLKit

// Rebuilding the search index after a whole organisation arrives at once
// (`importOrganisation`). Search reads document ids as time order (the
// newest-matches window, "seen before"), so documents written table by
// table, as an import writes them, would put every incident before every
// timeline entry. The insert triggers are off while the rows arrive, and the
// index is then written once, in the order things happened.

extension LoreStore {
    /// What `rebuildSearchIndex(resuming:)` needs to put the triggers back.
    struct SuspendedIndexing {
        /// SQLite: each dropped trigger's statement.
        var sqliteTriggers: [String] = []
    }

    /// Takes the search index's insert triggers away, inside the caller's
    /// transaction (PostgreSQL: disabled; SQLite: dropped, to be created
    /// again from their own statements).
    func suspendSearchIndexing() async throws -> SuspendedIndexing {
        let sql = try sqlDatabase()
        var suspended = SuspendedIndexing()
        if isSQLite {
            for row in try await sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_index_%_insert'").all() {
                suspended.sqliteTriggers.append(try row.decode(column: "sql", as: String.self))
                try await sql.raw("DROP TRIGGER \(ident: try row.decode(column: "name", as: String.self))").run()
            }
        } else {
            for s in CreateSearchIndex.sources(postgres: true) {
                try await sql.raw("ALTER TABLE \(ident: s.table) DISABLE TRIGGER \(ident: "search_index_\(s.table)")").run()
            }
        }
        return suspended
    }

    /// Writes the whole index again, every document in the order its record
    /// was created, and puts the triggers back.
    func rebuildSearchIndex(resuming suspended: SuspendedIndexing) async throws {
        let sql = try sqlDatabase()
        let postgres = !isSQLite
        let happened = ["incidents": "NEW.created_at", "timeline_entries": "NEW.recorded_at", "reviews": "NEW.created_at",
                        "findings": "NEW.created_at", "follow_ups": "NEW.created_at"]
        let parts = try CreateSearchIndex.sources(postgres: postgres).map { s -> String in
            guard let time = happened[s.table] else { throw StoreError.configuration("The search index has a source (\(s.table)) with no time to order it by.") }
            let reviewID = s.reviewID == "NULL" && postgres ? "NULL::uuid" : s.reviewID
            return "SELECT '\(s.kind)' AS kind, NEW.id AS doc_id, \(s.incidentID) AS incident_id, \(reviewID) AS review_id, \(s.title) AS title, \(s.body) AS body, \(time) AS happened FROM \(s.table) AS NEW"
                + (s.skip.map { " WHERE NOT (\($0))" } ?? "")
        }
        try await sql.raw("DELETE FROM search_documents").run()
        try await sql.raw(SQLQueryString("INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body) SELECT kind, doc_id, incident_id, review_id, title, body FROM ("
            + parts.joined(separator: " UNION ALL ") + ") AS docs ORDER BY happened")).run()
        if isSQLite {
            // Nothing of an import is left for the catch-up to index.
            try await sql.raw("DELETE FROM search_backlog").run()
            for statement in suspended.sqliteTriggers { try await sql.raw(SQLQueryString(statement)).run() }
        } else {
            for s in CreateSearchIndex.sources(postgres: true) {
                try await sql.raw("ALTER TABLE \(ident: s.table) ENABLE TRIGGER \(ident: "search_index_\(s.table)")").run()
            }
        }
    }
}
