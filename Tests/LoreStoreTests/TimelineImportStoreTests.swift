import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// `importTimelineStream`, the path every Slack import takes: on SQLite a
/// connection of its own with one prepared INSERT, on PostgreSQL a transaction
/// of the pool's. Both must store exactly what Fluent would, once.
@Suite("Streamed timeline imports in the store")
struct TimelineStreamImportStoreTests {
    /// Every field, set and unset, the way a real import varies them.
    static func entries(incidentID: UUID, adminID: UUID) -> [TimelineEntry] {
        (0 ..< 1_250).map { n -> TimelineEntry in
            let occurredAt = Date(timeIntervalSince1970: 1_780_000_000.1234 + Double(n) * 7.0005)
            let author: String = n % 3 == 0 ? "Ada Lovelace" : "Grace \(n)"
            let userID: UUID? = n % 5 == 0 ? adminID : nil
            let source: TimelineSource = n % 2 == 0 ? .slack : .csv
            let kind: TimelineKind = n % 4 == 0 ? .decision : .communication
            let text: String = n == 7 ? "" : "Message \(n): <b>&amp; “quoted” ✓"
            let reflection: String? = n % 6 == 0 ? "It looked like the cache" : nil
            let marker: TimelineMarker? = n % 9 == 0 ? .keyMoment : nil
            let link: String? = n % 2 == 0 ? "https://acme.slack.com/archives/C042/p\(n)" : nil
            return TimelineEntry(
                incidentID: incidentID, occurredAt: occurredAt, recordedAt: Date(timeIntervalSince1970: 1_790_000_000.9876), author: author,
                authorUserID: userID, source: source, kind: kind, text: text, reflection: reflection, marker: marker,
                externalID: "C042:\(1_780_000_000 + n).000100", sourceURL: link
            )
        }
    }

    /// The test catalog, an incident, and its entries to import.
    static func incidentAndEntries(_ store: LoreStore) async throws -> (Incident, [TimelineEntry]) {
        let f = try await Fixture.make(store)
        let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "other"))
        return (incident, entries(incidentID: incident.id, adminID: f.admin.id))
    }

    @Test(arguments: Backend.available)
    func storesEveryFieldAsWrittenAndOnlyOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let (incident, entries) = try await Self.incidentAndEntries(store)
            let counts = try await store.importTimelineStream(incidentID: incident.id) { sink in
                // In pieces, as days arrive; the second piece overlaps the first.
                let a = try await sink.add(Array(entries[..<700]))
                let b = try await sink.add(Array(entries[600...]))
                return [a.added, a.alreadyPresent, b.added, b.alreadyPresent]
            }
            #expect(counts == [700, 0, 550, 100])
            let stored = try await store.timeline(incidentID: incident.id)
            #expect(stored.count == entries.count)
            let expected = entries.map { e -> TimelineEntry in
                var e = e
                e.occurredAt = LoreTime.milliseconds(e.occurredAt)
                e.recordedAt = LoreTime.milliseconds(e.recordedAt)
                return e
            }
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) }) == Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) }))

            // A second import of the same rows adds nothing (a row first added
            // by hand is the next test's case).
            // (New ids, same sources and external ids.)
            let reread = Self.entries(incidentID: incident.id, adminID: try #require(entries[0].authorUserID))
            let again = try await store.importTimelineStream(incidentID: incident.id) { sink in try await sink.add(reread) }
            #expect(again.added == 0 && again.alreadyPresent == entries.count)
            #expect(try await store.timeline(incidentID: incident.id).count == entries.count)
        }
    }

    @Test(arguments: Backend.available)
    func nothingIsVisibleBeforeTheEndAndAFailureLeavesNothing(backend: Backend) async throws {
        struct ReaderFailed: Error {}
        try await withTestDatabase(backend) { _, store in
            let (incident, entries) = try await Self.incidentAndEntries(store)
            await #expect(throws: ReaderFailed.self) {
                try await store.importTimelineStream(incidentID: incident.id) { sink in
                    try await sink.add(Array(entries[..<500]))
                    // The server keeps reading meanwhile, and sees none of it yet.
                    #expect(try await store.timeline(incidentID: incident.id).isEmpty)
                    throw ReaderFailed()
                }
            }
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)
            // The import's lock is gone: the server writes again at once.
            try await store.addTimelineEntry(entries[0])
            let counts = try await store.importTimelineStream(incidentID: incident.id) { sink in try await sink.add(entries) }
            #expect(counts.added == entries.count - 1)
        }
    }

    @Test(arguments: Backend.available)
    func anEntryForAnotherIncidentThatDoesNotExistFailsTheWholeImport(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let (incident, all) = try await Self.incidentAndEntries(store)
            var withOrphan = all
            withOrphan[900].incidentID = UUID()
            let entries = withOrphan
            await #expect(throws: (any Error).self) {
                try await store.importTimelineStream(incidentID: incident.id) { sink in try await sink.add(entries) }
            }
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)
            await #expect(throws: StoreError.self) {
                try await store.importTimelineStream(incidentID: UUID()) { sink in try await sink.add(entries) }
            }
        }
    }

    /// The checkpoint runs after the import returns; shutting down waits for
    /// it. With another connection still open (a server beside the command),
    /// the log stays, so the pages being in the database file itself shows
    /// that the checkpoint ran before shutdown returned.
    @Test func sqliteShutdownWaitsForTheCheckpoint() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lore.sqlite").path
        let db = try await LoreDatabase.open(.sqlite(path: path))
        try await db.migrate()
        let server = try await LoreDatabase.open(.sqlite(path: path))
        let store = db.store
        let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "other"))
        let entries = (0 ..< 20_000).map { n in
            TimelineEntry(incidentID: incident.id, occurredAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(n)), recordedAt: Date(),
                          author: "Ada", source: .slack, kind: .communication, text: String(repeating: "x", count: 200), externalID: "C1:\(n)")
        }
        func fileSize(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p)[.size]) as? Int) ?? 0 }
        let before = fileSize(path)
        let counts = try await store.importTimelineStream(incidentID: incident.id) { sink in try await sink.add(entries) }
        #expect(counts.added == entries.count)
        // Committed: every connection sees the rows at once.
        #expect(try await server.store.timeline(incidentID: incident.id).count == entries.count)
        await db.shutdown()
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(fileSize(path) > before + 20_000 * 200)
        #expect(try await server.store.timeline(incidentID: incident.id).map(\.id) == entries.map(\.id))
        await server.shutdown()
    }
}
