import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import SQLKit
import Testing

@Suite("Search ranks a bounded window of the newest matches")
struct SearchWindowStoreTests {
    /// Lore's BM25 over the window orders results exactly as FTS5's own
    /// `bm25()` orders every match, on texts of different lengths and
    /// mention counts, for single words and for two words together.
    @Test func theWindowIsRankedInFTS5sOwnOrder() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let c = try await Cast.make(store)
            let words = ["replica", "lag", "timeout", "ledger", "queue", "drain", "page", "oncall"]
            var rng = SystemRandomNumberGenerator()
            // Each word in some entries, not most: FTS5 floors the weight of a
            // word in more than half the documents.
            for n in 0 ..< 120 {
                let text = n % 2 == 0 ? "nothing of note \(n)"
                    : (0 ..< Int.random(in: 2 ... 30, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
                _ = try await store.addTimelineEntry(TimelineEntry(
                    incidentID: c.incident.id, occurredAt: t("2026-03-01T10:05:00Z").addingTimeInterval(Double(n)), recordedAt: t("2026-03-01T10:05:00Z"),
                    author: "ana", source: .slack, kind: .communication, text: text))
            }
            let sql = try #require(store.db as? any SQLDatabase)
            for q in ["replica", "lag", "timeout ledger", "queue drain", "oncall replica"] {
                let query = try SearchQuery.parse(q)
                var expected: [UUID] = []
                for row in try await sql.raw("SELECT d.doc_id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH \(bind: LoreStore.fts5(query)) AND d.kind = 'timeline' ORDER BY bm25(search_fts, 10.0, 1.0), d.id DESC").all() {
                    expected.append(try row.decode(column: "doc_id", as: UUID.self))
                }
                var found: [UUID] = []
                for page in 1 ... 4 {
                    let results = try await store.searchForOperator(SearchRequest(query: query, filter: SearchFilter(kind: .timeline), page: page))
                    found += results.hits.map(\.id)
                    if !results.hasMore { break }
                }
                #expect(expected.count > 5, "\(q)")
                #expect(found == expected, "\(q)")
            }
        }
    }

    /// More matches than the window: the newest are ranked, the result says
    /// so, and a narrower search (a date range) reaches the older ones.
    @Test(arguments: Backend.available)
    func olderMatchesAreReachedByNarrowing(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            var entries: [TimelineEntry] = []
            for n in 0 ..< 8 {
                entries.append(try await store.addTimelineEntry(TimelineEntry(
                    incidentID: c.incident.id, occurredAt: t("2026-03-01T10:05:00Z").addingTimeInterval(Double(n)), recordedAt: t("2026-03-01T10:05:00Z"),
                    author: "ana", source: .slack, kind: .communication, text: n == 0 ? "wallaby wallaby wallaby in the oldest entry" : "wallaby \(n)")).entry)
            }
            let request = SearchRequest(query: try SearchQuery.parse("wallaby"))
            let windowed = try await store.search(request, access: .everything, window: 5)
            #expect(windowed.rankedNewest == 5)
            #expect(Set(windowed.hits.map(\.id)) == Set(entries.suffix(5).map(\.id)))
            #expect(!windowed.hasMore)
            // Everything fits: the oldest, with three mentions, comes first.
            let whole = try await store.search(request, access: .everything, window: 8)
            #expect(whole.rankedNewest == nil)
            #expect(whole.hits.first?.id == entries[0].id && whole.hits.count == 8)
            // Past the matches examined for filters, the same: the newest three of the text.
            let examined = try await store.search(request, access: .everything, window: 5, examined: 3)
            #expect(examined.rankedNewest == 3 && Set(examined.hits.map(\.id)) == Set(entries.suffix(3).map(\.id)))
            // A filter narrows inside the window, before it is counted.
            let narrowed = try await store.search(SearchRequest(query: try SearchQuery.parse("wallaby oldest")), access: .everything, window: 5)
            #expect(narrowed.rankedNewest == nil && narrowed.hits.map(\.id) == [entries[0].id])
        }
    }

    /// FTS5 keeps its row count and token totals as SQLite varints.
    @Test func theIndexStatisticsAreReadAsFTS5WritesThem() {
        // A record read from a 2.2-million-document index.
        let block: [UInt8] = [0x81, 0x88, 0x9C, 0x38, 0xC6, 0xC7, 0x7B, 0x92, 0xF6, 0xF1, 0x45]
        #expect(LoreStore.fts5Varints(block) == [2_231_864, 1_156_091, 39_696_581])
        #expect(LoreStore.fts5Varints([0x05, 0x7F]) == [5, 127])
    }
}
