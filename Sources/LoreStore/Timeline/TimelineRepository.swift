import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// An incident's timeline in time order; entries at the same moment in the
    /// order they were written.
    public func timeline(incidentID: UUID) async throws -> [TimelineEntry] {
        try await TimelineEntryRow.query(on: db).filter(\.$incidentID == incidentID)
            .sort(\.$occurredAt).sort(\.$recordedAt).all().map(Self.entry)
    }

    /// Adds an entry. An entry whose source and external id are already
    /// stored is not added again; the stored one is returned with
    /// `created == false`, so that imports and retried API calls are safe.
    public func addTimelineEntry(_ e: TimelineEntry) async throws -> (entry: TimelineEntry, created: Bool) {
        if let ext = e.externalID,
           let existing = try await TimelineEntryRow.query(on: db).filter(\.$source == e.source.rawValue).filter(\.$externalID == ext).first() {
            return (Self.entry(existing), false)
        }
        guard try await IncidentRow.find(e.incidentID, on: db) != nil else { throw StoreError.notFound("Incident") }
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

    /// Removes an entry of the given incident. False when there was none.
    @discardableResult
    public func deleteTimelineEntry(id: UUID, incidentID: UUID) async throws -> Bool {
        guard let row = try await TimelineEntryRow.query(on: db).filter(\.$id == id).filter(\.$incidentID == incidentID).first() else { return false }
        try await row.delete(on: db)
        return true
    }

    static func entry(_ r: TimelineEntryRow) -> TimelineEntry {
        TimelineEntry(
            id: r.id!, incidentID: r.incidentID, occurredAt: r.occurredAt.ms, recordedAt: r.recordedAt.ms, author: r.author,
            authorUserID: r.authorUserID, source: TimelineSource(rawValue: r.source) ?? .manual,
            kind: TimelineKind(rawValue: r.kind) ?? .note, text: r.text, reflection: r.reflection,
            marker: r.marker.flatMap(TimelineMarker.init(rawValue:)), externalID: r.externalID
        )
    }
}
