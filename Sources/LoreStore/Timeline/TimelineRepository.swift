import FluentKit
import Foundation
import NIOConcurrencyHelpers
import LoreCore
import SQLKit

extension LoreStore {
    /// An incident's timeline in time order; entries at the same moment in the
    /// order they were written.
    /// Removed entries are left out (see `removedTimeline`).
    public func timeline(incidentID: UUID) async throws -> [TimelineEntry] {
        try await timelineSnapshot(incidentID: incidentID).entries
    }

    /// The incident's removed entries, most recently removed first, so they
    /// can be looked at and put back.
    public func removedTimeline(incidentID: UUID) async throws -> [TimelineEntry] {
        try await timelineSnapshot(incidentID: incidentID).removed
    }

    /// The incident's timeline, its removed entries and the revision they
    /// are at (see `CreateTimelineRevisions`). Kept by this process while the
    /// revision stands, so that the incident page of a long incident, viewed
    /// again and again during its review, reads one number instead of
    /// hundreds of entries; any writer, in this process or another, moves
    /// the revision.
    ///
    /// Read with named columns and no model: decoding each row into a Fluent
    /// model (by reflection, with its timestamps) cost more than the query.
    public func timelineSnapshot(incidentID: UUID) async throws -> TimelineSnapshot {
        let revision = try await timelineRevision(incidentID: incidentID)
        if let known = timelineSnapshots?.snapshot(incidentID: incidentID, revision: revision) { return known }
        let entries = NIOLockedValueBox<(kept: [TimelineEntry], removed: [TimelineEntry])>(([], []))
        try await streamRows("""
            SELECT id, occurred_at, recorded_at, author, author_user_id, source, kind, text, reflection, marker, external_id, source_url,
                   removed_at, removed_by, removed_by_name
            FROM timeline_entries WHERE incident_id = \(bind: incidentID) ORDER BY occurred_at, recorded_at
            """) { row in
            let removal = try row.date("removed_at").map { TimelineRemoval(at: $0.ms, byUserID: try row.optionalUUID("removed_by"), byName: try row.optionalString("removed_by_name") ?? "") }
            let e = TimelineEntry(
                id: try row.uuid("id"), incidentID: incidentID, occurredAt: (try row.date("occurred_at") ?? .distantPast).ms,
                recordedAt: (try row.date("recorded_at") ?? .distantPast).ms, author: try row.string("author"),
                authorUserID: try row.optionalUUID("author_user_id"), source: TimelineSource(rawValue: try row.string("source")) ?? .manual,
                kind: TimelineKind(rawValue: try row.string("kind")) ?? .note, text: try row.string("text"), reflection: try row.optionalString("reflection"),
                marker: try row.optionalString("marker").flatMap(TimelineMarker.init(rawValue:)), externalID: try row.optionalString("external_id"),
                sourceURL: try row.optionalString("source_url"), removal: removal)
            entries.withLockedValue { if removal == nil { $0.kept.append(e) } else { $0.removed.append(e) } }
        }
        let read = entries.withLockedValue { $0 }
        // Exact only when no write landed between the two readings of the
        // revision: only then is what was read kept under it. (Inside a
        // transaction, whose writes may yet roll back, nothing is kept.)
        let exact = timelineSnapshots != nil ? try await timelineRevision(incidentID: incidentID) == revision : false
        let snapshot = TimelineSnapshot(
            incidentID: incidentID, revision: revision, entries: read.kept,
            removed: read.removed.sorted { ($0.removal?.at ?? .distantPast) > ($1.removal?.at ?? .distantPast) }, isExact: exact)
        timelineSnapshots?.remember(snapshot)
        return snapshot
    }

    /// The incident's timeline revision: 0 until its first entry.
    func timelineRevision(incidentID: UUID) async throws -> Int64 {
        let revision = NIOLockedValueBox<Int64>(0)
        try await streamRows("SELECT revision FROM timeline_revisions WHERE incident_id = \(bind: incidentID)") { row in
            let read = Int64(try row.int("revision"))
            revision.withLockedValue { $0 = read }
        }
        return revision.withLockedValue { $0 }
    }

    /// Adds an entry. An entry whose source and external id are already
    /// stored is not added again; the stored one is returned with
    /// `created == false`, so that imports and retried API calls are safe.
    @discardableResult
    public func addTimelineEntry(_ e: TimelineEntry) async throws -> (entry: TimelineEntry, created: Bool) {
        if let ext = e.externalID,
           let existing = try await TimelineEntryRow.query(on: db).filter(\.$source == e.source.rawValue).filter(\.$externalID == ext).first() {
            return (Self.entry(existing), false)
        }
        guard try await IncidentRow.find(e.incidentID, on: db) != nil else { throw StoreError.notFound("Incident") }
        let row = Self.row(e)
        do {
            try await row.create(on: db)
        } catch {
            // Lost a race with the same delivery: return the winner's entry.
            if let dbError = error as? any DatabaseError, dbError.isConstraintFailure, let ext = e.externalID,
               let existing = try await TimelineEntryRow.query(on: db).filter(\.$source == e.source.rawValue).filter(\.$externalID == ext).first() {
                return (Self.entry(existing), false)
            }
            throw error
        }
        return (Self.entry(row), true)
    }

    /// Adds imported entries in one transaction: all of them or none. Entries
    /// already present (same source and external id) are counted, not added.
    @discardableResult
    public func importTimeline(_ entries: [TimelineEntry]) async throws -> (added: Int, alreadyPresent: Int) {
        try await transaction { store in
            var added = 0, present = 0
            for e in entries {
                if try await store.addTimelineEntry(e).created { added += 1 } else { present += 1 }
            }
            return (added, present)
        }
    }

    /// Removes an entry of the given incident, leaving a tombstone (who,
    /// when) that `restoreTimelineEntry` undoes. Throws not found when the
    /// incident has no such entry (or it is already removed), forbidden when
    /// `TimelineEntryRemovalRule` does not allow the actor.
    @discardableResult
    public func removeTimelineEntry(id: UUID, incidentID: UUID, by actor: Viewer, now: Date = Date()) async throws -> TimelineEntry {
        try await changeRemoval(id: id, incidentID: incidentID, remove: true, by: actor, now: now)
    }

    /// Puts a removed entry back.
    @discardableResult
    public func restoreTimelineEntry(id: UUID, incidentID: UUID, by actor: Viewer, now: Date = Date()) async throws -> TimelineEntry {
        try await changeRemoval(id: id, incidentID: incidentID, remove: false, by: actor, now: now)
    }

    func changeRemoval(id: UUID, incidentID: UUID, remove: Bool, by actor: Viewer, now: Date) async throws -> TimelineEntry {
        try await transaction { store in
            guard let row = try await TimelineEntryRow.query(on: store.db).filter(\.$id == id).filter(\.$incidentID == incidentID).first(),
                  (row.removedAt == nil) == remove else { throw StoreError.notFound("Timeline entry") }
            let facilitates = try await store.reviews(incidentID: incidentID, viewer: actor).contains { ReviewAccess.isFacilitator($0, viewer: actor) }
            guard TimelineEntryRemovalRule.canRemove(Self.entry(row), viewer: actor, facilitatesAReviewOfTheIncident: facilitates) else {
                throw StoreError.forbidden("Only the entry's author, a facilitator of one of this incident's reviews or an admin can \(remove ? "remove" : "restore") this entry.")
            }
            let name = try await store.user(id: actor.userID)?.displayName ?? ""
            row.removedAt = remove ? now.ms : nil
            row.removedBy = remove ? actor.userID : nil
            row.removedByName = remove ? name : nil
            try await row.update(on: store.db)
            try await store.recordAudit(AuditEvent(
                at: now, actorID: actor.userID, actorName: name, action: remove ? .timelineEntryRemoved : .timelineEntryRestored,
                subjectType: "timeline_entry", subjectID: id.uuidString, detail: String(row.text.prefix(200))))
            return Self.entry(row)
        }
    }

    static func row(_ e: TimelineEntry) -> TimelineEntryRow {
        let row = TimelineEntryRow()
        row.id = e.id
        row.incidentID = e.incidentID
        row.occurredAt = e.occurredAt.ms
        row.recordedAt = e.recordedAt.ms
        row.author = e.author
        row.authorUserID = e.authorUserID
        row.source = e.source.rawValue
        row.kind = e.kind.rawValue
        row.text = e.text
        row.reflection = e.reflection
        row.marker = e.marker?.rawValue
        row.externalID = e.externalID
        row.sourceURL = e.sourceURL
        return row
    }

    static func entry(_ r: TimelineEntryRow) -> TimelineEntry {
        TimelineEntry(
            id: r.id!, incidentID: r.incidentID, occurredAt: r.occurredAt.ms, recordedAt: r.recordedAt.ms, author: r.author,
            authorUserID: r.authorUserID, source: TimelineSource(rawValue: r.source) ?? .manual,
            kind: TimelineKind(rawValue: r.kind) ?? .note, text: r.text, reflection: r.reflection,
            marker: r.marker.flatMap(TimelineMarker.init(rawValue:)), externalID: r.externalID, sourceURL: r.sourceURL,
            removal: r.removedAt.map { TimelineRemoval(at: $0.ms, byUserID: r.removedBy, byName: r.removedByName ?? "") }
        )
    }
}

/// Hands a streamed import's entries to the database in batches, inside the
/// import's one transaction (see `LoreStore.importTimelineStream`). Entries
/// already imported (same source and external id) are skipped by the
/// database's own unique index, so a second import adds nothing.
public struct TimelineImportSink: Sendable {
    enum Target: Sendable {
        /// Inside a transaction of the store's own connection: multi-row
        /// `INSERT … ON CONFLICT DO NOTHING RETURNING id` through SQLKit.
        case store(LoreStore)
        /// A streamed import on SQLite, on a connection of its own.
        case sqlite(SQLiteTimelineImport)
    }

    let target: Target

    init(store: LoreStore) { target = .store(store) }
    init(sqlite: SQLiteTimelineImport) { target = .sqlite(sqlite) }

    /// The columns written, in the order of the values below.
    static let columns = [
        "id", "incident_id", "occurred_at", "recorded_at", "author", "author_user_id", "source", "kind", "text",
        "reflection", "marker", "external_id", "source_url",
    ]
    /// Rows per statement: 13 values each, under SQLite's 32,766 bound values.
    static let rowsPerStatement = 400

    /// Adds entries; returns how many were new and how many were already there.
    @discardableResult
    public func add(_ entries: [TimelineEntry]) async throws -> (added: Int, alreadyPresent: Int) {
        let added: Int
        switch target {
        case .store(let store): added = try await Self.insert(entries, into: store)
        case .sqlite(let sqlite): added = try await sqlite.run { try sqlite.add(entries) }
        }
        return (added, entries.count - added)
    }

    static func insert(_ entries: [TimelineEntry], into store: LoreStore) async throws -> Int {
        guard let sql = store.db as? any SQLDatabase else { throw StoreError.configuration("Streamed imports need an SQL database.") }
        var added = 0
        var start = 0
        while start < entries.count {
            let chunk = entries[start ..< min(start + Self.rowsPerStatement, entries.count)]
            start += chunk.count
            var insert = sql.insert(into: TimelineEntryRow.schema).columns(columns)
            for e in chunk {
                insert = insert.values([
                    SQLBind(e.id), SQLBind(e.incidentID), SQLBind(e.occurredAt.ms), SQLBind(e.recordedAt.ms), SQLBind(e.author),
                    SQLBind(e.authorUserID), SQLBind(e.source.rawValue), SQLBind(e.kind.rawValue), SQLBind(e.text),
                    SQLBind(e.reflection), SQLBind(e.marker?.rawValue), SQLBind(e.externalID), SQLBind(e.sourceURL),
                ] as [any SQLExpression])
            }
            added += try await insert.ignoringConflicts(with: ["source", "external_id"]).returning("id").all().count
        }
        return added
    }
}

extension LoreStore {
    /// Runs a streamed import in one transaction: `body` reads its source a
    /// piece at a time and hands each piece to the sink, so memory stays
    /// bounded by the piece, and a failure anywhere leaves nothing written.
    ///
    /// On SQLite (outside any other transaction) the import has a connection
    /// of its own (`SQLiteTimelineImport`); the server's writes wait for it.
    @discardableResult
    public func importTimelineStream<T: Sendable>(incidentID: UUID, _ body: @escaping @Sendable (TimelineImportSink) async throws -> T) async throws -> T {
        guard try await IncidentRow.find(incidentID, on: db) != nil else { throw StoreError.notFound("Incident") }
        guard let sqliteFile else {
            let postgres = isPostgres
            return try await transaction { store in
                guard postgres else { return try await body(TimelineImportSink(store: store)) }
                // One revision bump at the end, not a row lock held from the first batch on.
                let sql = try store.sqlDatabase(), setting = CreateTimelineRevisions.postgresDeferral
                try await sql.raw("SELECT set_config(\(bind: setting), 'on', true)").run()
                let result = try await body(TimelineImportSink(store: store))
                try await sql.raw("SELECT set_config(\(bind: setting), 'off', true)").run()
                let imported = "(SELECT '\(incidentID.uuidString)'::uuid AS incident_id) AS imported"
                try await sql.raw(SQLQueryString(CreateTimelineRevisions.postgresBump(imported))).run()
                return result
            }
        }
        let sqlite = try await SQLiteTimelineImport.begin(path: sqliteFile.path, incidentID: incidentID)
        do {
            let result = try await body(TimelineImportSink(sqlite: sqlite))
            let behind = try await sqlite.run { try sqlite.commit() }
            sqliteFile.inBackground {
                await sqlite.finish()
                if behind { try? await self.catchUpSearchIndex() }
            }
            return result
        } catch {
            await sqlite.abandon()
            throw error
        }
    }
}
