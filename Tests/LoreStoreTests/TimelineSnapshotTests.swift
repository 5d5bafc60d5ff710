import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// The incident page keeps a timeline it has read while the timeline's
/// revision stands (`LoreStore.timelineSnapshot`). What people rely on:
/// a change to the timeline shows on the next view whoever made it — this
/// process, another `lore serve` on the same database, an import, a
/// removal — and a write that failed leaves no trace.
@Suite struct TimelineSnapshotTests {
    func entry(_ incident: UUID, _ time: String, _ text: String, by user: User? = nil, source: TimelineSource = .manual, externalID: String? = nil) -> TimelineEntry {
        TimelineEntry(incidentID: incident, occurredAt: t(time), recordedAt: t(time), author: user?.displayName ?? "Lore", authorUserID: user?.id,
                      source: source, kind: .note, text: text, externalID: externalID)
    }

    @Test(arguments: Backend.available)
    func everyWriterMovesTheRevisionAndTheNextReadSeesIt(backend: Backend) async throws {
        try await withTestDatabase(backend) { db, store in
            let f = try await Fixture.make(store)
            let incident = try await store.createIncident(IncidentInput(title: "Ledger lag", severity: "SEV2", detectionSource: "monitoring alert"))
            let other = try await LoreDatabase.open(db.location)  // a second `lore serve` on the same database
            do {
                let empty = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(empty.revision == 0 && empty.entries.isEmpty && empty.removed.isEmpty)

                let startedAt = Date()
                try await store.addTimelineEntry(entry(incident.id, "2026-03-01T10:00:00Z", "Paged the ledger team", by: f.member))
                let first = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(first.revision > empty.revision)
                // A revision is a time in milliseconds (or one past the last), so an
                // older database restored under a running server never repeats one.
                #expect(first.revision >= Int64(startedAt.timeIntervalSince1970 * 1000) - 1000)
                #expect(first.isExact)
                #expect(first.entries.map(\.text) == ["Paged the ledger team"])
                // Read again with nothing changed: the same revision and entries.
                let again = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(again.revision == first.revision && again.entries == first.entries)

                // Another process adds an entry: this one's next read has it.
                let theirs = entry(incident.id, "2026-03-01T09:55:00Z", "Replica lag alert", by: f.admin)
                try await other.store.addTimelineEntry(theirs)
                let second = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(second.revision > first.revision)
                #expect(second.entries.map(\.text) == ["Replica lag alert", "Paged the ledger team"])

                // A removal and a restore elsewhere are seen too.
                let admin = try await other.store.viewer(for: f.admin)
                try await other.store.removeTimelineEntry(id: theirs.id, incidentID: incident.id, by: admin, now: t("2026-03-02T08:00:00Z"))
                let removed = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(removed.entries.map(\.text) == ["Paged the ledger team"])
                #expect(removed.removed.map(\.id) == [theirs.id] && removed.removed[0].removal?.byName == "Ada Admin")
                try await other.store.restoreTimelineEntry(id: theirs.id, incidentID: incident.id, by: admin)
                let restored = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(restored.revision > removed.revision && restored.entries.count == 2 && restored.removed.isEmpty)

                // An import in one transaction, and a streamed import (on
                // SQLite, a connection of its own that suspends the trigger
                // and bumps once at its commit).
                try await other.store.importTimeline([entry(incident.id, "2026-03-01T10:10:00Z", "Failed over", source: .slack, externalID: "s-1")])
                #expect(try await store.timelineSnapshot(incidentID: incident.id).entries.count == 3)
                let beforeStream = try await store.timelineSnapshot(incidentID: incident.id).revision
                try await other.store.importTimelineStream(incidentID: incident.id) { sink in
                    try await sink.add((0 ..< 30).map { n in self.entry(incident.id, "2026-03-01T11:\(String(format: "%02d", n)):00Z", "Message \(n)", source: .slack, externalID: "s-\(n + 100)") })
                }
                let streamed = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(streamed.revision > beforeStream && streamed.entries.count == 33)
                // The trigger is back after the streamed import: the next single entry moves the revision again.
                try await other.store.addTimelineEntry(entry(incident.id, "2026-03-01T12:00:00Z", "Closed the bridge", by: f.member))
                let after = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(after.revision > streamed.revision && after.entries.last?.text == "Closed the bridge")

                // An import that fails leaves neither entries nor a revision behind.
                let nowhere = entry(UUID(), "2026-03-01T13:00:00Z", "For an incident that does not exist")
                await #expect(throws: (any Error).self) {
                    try await store.importTimeline([entry(incident.id, "2026-03-01T12:30:00Z", "Half of a failed import", source: .slack, externalID: "s-999"), nowhere])
                }
                let unchanged = try await store.timelineSnapshot(incidentID: incident.id)
                #expect(unchanged.revision == after.revision && unchanged.entries.count == 34)
                #expect(!unchanged.entries.contains { $0.text == "Half of a failed import" })
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
        }
    }

    /// Revisions belong to one incident: a change to another incident's
    /// timeline leaves this one's alone.
    @Test func revisionsAreCountedPerIncident() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let a = try await store.createIncident(IncidentInput(title: "A", severity: "SEV3", detectionSource: "other"))
            let b = try await store.createIncident(IncidentInput(title: "B", severity: "SEV3", detectionSource: "other"))
            try await store.addTimelineEntry(entry(a.id, "2026-03-01T10:00:00Z", "A's entry"))
            let before = try await store.timelineSnapshot(incidentID: a.id)
            try await store.addTimelineEntry(entry(b.id, "2026-03-01T10:00:00Z", "B's entry"))
            let after = try await store.timelineSnapshot(incidentID: a.id)
            #expect(after.revision == before.revision && after.entries.map(\.text) == ["A's entry"])
            #expect(try await store.timelineSnapshot(incidentID: b.id).entries.map(\.text) == ["B's entry"])
        }
    }
}
