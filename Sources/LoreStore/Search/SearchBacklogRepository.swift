import FluentKit
import Foundation
import LoreCore
import SQLKit

// Indexing behind a large SQLite import (see `CreateSearchBacklog`).

extension LoreStore {
    /// Imports of up to this many entries are indexed in their own transaction;
    /// larger ones index behind themselves (about 20,000–30,000 entries a second).
    public static let searchIndexInlineLimit = 20_000
    /// Rowids indexed per transaction while catching up: a short hold on the
    /// write lock, so the server's own writes wait well under a second.
    static let searchCatchUpBatch = 10_000

    /// Indexes the timeline entries written after the mark of `incident`'s
    /// import (its cursor; up to rowid `upTo` when given) that are not
    /// removed and not yet indexed, whichever incident they belong to: an
    /// import's entries may name other incidents (the benchmark's did, and
    /// 1.6 million of them were never indexed when only the marked
    /// incident's were looked for). The server's own writes meanwhile were
    /// indexed by the trigger and are skipped.
    static func searchCatchUpStatement(incident: UUID, upTo: Int?) -> String {
        let s = CreateSearchBacklog.timeline
        let values = "'\(s.kind)', e.id, e.incident_id, NULL, \(s.title), \(s.body.replacingOccurrences(of: "NEW.", with: "e."))"
        return "INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body) SELECT \(values) FROM search_backlog b JOIN timeline_entries e ON e.rowid > b.cursor"
            + " WHERE b.incident_id = '\(incident.uuidString)'" + (upTo.map { " AND e.rowid <= \($0)" } ?? "")
            + " AND e.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.kind = '\(s.kind)' AND d.doc_id = CAST(e.id AS TEXT))"
    }

    /// Indexes every marked incident's entries, a batch per transaction,
    /// until no mark is left. Safe to run in two places at once (each batch
    /// re-reads the cursor under the write lock). Does nothing on PostgreSQL.
    public func catchUpSearchIndex() async throws {
        guard sqliteFile != nil else { return }
        while true {
            let finished: Bool = try await transaction { store in
                let sql = try store.sqlDatabase()
                guard let mark = try await sql.raw("SELECT incident_id, cursor FROM search_backlog ORDER BY incident_id LIMIT 1").first() else { return true }
                guard let incident = UUID(uuidString: try mark.decode(column: "incident_id", as: String.self)) else {
                    try await sql.raw("DELETE FROM search_backlog WHERE incident_id = \(bind: try mark.decode(column: "incident_id", as: String.self))").run()
                    return false
                }
                let cursor = try mark.decode(column: "cursor", as: Int.self)
                let top = try await sql.raw("SELECT coalesce(max(rowid), 0) AS top FROM timeline_entries").first()?.decode(column: "top", as: Int.self) ?? 0
                let upTo = min(cursor + Self.searchCatchUpBatch, top)
                try await sql.raw(SQLQueryString(Self.searchCatchUpStatement(incident: incident, upTo: upTo))).run()
                if upTo >= top {
                    try await sql.raw("DELETE FROM search_backlog WHERE incident_id = \(bind: incident.uuidString)").run()
                } else {
                    try await sql.raw("UPDATE search_backlog SET cursor = \(bind: upTo) WHERE incident_id = \(bind: incident.uuidString)").run()
                }
                return false
            }
            if finished { return }
        }
    }

    /// Incidents whose imported timelines are still being indexed, and how far.
    public func searchBacklog() async throws -> [SearchIndexing] {
        guard sqliteFile != nil else { return [] }
        let sql = try sqlDatabase()
        var out: [SearchIndexing] = []
        for row in try await sql.raw("SELECT b.after_rowid, b.cursor, i.number, (SELECT coalesce(max(rowid), 0) FROM timeline_entries) AS top FROM search_backlog b JOIN incidents i ON i.id = b.incident_id ORDER BY i.number").all() {
            let after = try row.decode(column: "after_rowid", as: Int.self), cursor = try row.decode(column: "cursor", as: Int.self)
            let top = try row.decode(column: "top", as: Int.self)
            let percent = top > after ? Int(Double(cursor - after) / Double(top - after) * 100) : 0
            out.append(SearchIndexing(incidentKey: Incident.key(for: try row.decode(column: "number", as: Int.self)), percent: min(99, max(0, percent))))
        }
        return out
    }
}
