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
            for q in ["replica", "lag", "timeout ledger", "queue drain", "oncall replica", "repl*", "la*", "timeout le*"] {
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
            // Past the matches examined for a filter on the incident, the
            // same: the newest three of the text. Without one, nothing is
            // examined past the window.
            let filtered = SearchRequest(query: request.query, filter: SearchFilter(since: t("2020-01-01T00:00:00Z")))
            let examined = try await store.search(filtered, access: .everything, window: 5, examined: 3)
            #expect(examined.rankedNewest == 3 && Set(examined.hits.map(\.id)) == Set(entries.suffix(3).map(\.id)))
            let unfiltered = try await store.search(request, access: .everything, window: 5, examined: 3)
            #expect(unfiltered.rankedNewest == 5)
            // Leaving out what is asked for finds nothing, at once.
            for q in ["wallaby -wallaby", "wallaby -wallaby*", "\"wallaby 3\" -wallaby-3"] {
                #expect(try await store.search(SearchRequest(query: try SearchQuery.parse(q)), access: .everything).hits.isEmpty, "\(q)")
            }
            #expect(try await store.search(SearchRequest(query: try SearchQuery.parse("wallab* -wallab")), access: .everything).hits.count == 8)
            // PostgreSQL reads the newest documents by key, then the older
            // ones through the text index: the same results either way.
            for keyScan: Int64 in [0, 1, 2, 3, 4, 1_000] {
                let split = try await store.search(request, access: .everything, window: 5, keyScan: keyScan)
                #expect(split.rankedNewest == 5 && Set(split.hits.map(\.id)) == Set(entries.suffix(5).map(\.id)), "\(keyScan)")
                let all = try await store.search(request, access: .everything, window: 8, keyScan: keyScan)
                #expect(all.rankedNewest == nil && all.hits.first?.id == entries[0].id && all.hits.count == 8, "\(keyScan)")
                let older = try await store.search(filtered, access: .everything, window: 5, examined: 3, keyScan: keyScan)
                #expect(older.rankedNewest == 3 && Set(older.hits.map(\.id)) == Set(entries.suffix(3).map(\.id)), "\(keyScan)")
            }
            // A filter narrows inside the window, before it is counted.
            let narrowed = try await store.search(SearchRequest(query: try SearchQuery.parse("wallaby oldest")), access: .everything, window: 5)
            #expect(narrowed.rankedNewest == nil && narrowed.hits.map(\.id) == [entries[0].id])
        }
    }

    /// A prefix is searched as the words it starts, read from the index's
    /// leaf pages: exactly the words FTS5's own vocabulary lists, across
    /// several segments (one per transaction), after removals, and with
    /// enough words to fill many pages; the results are those of FTS5's
    /// own prefix query.
    @Test func prefixesAreTheWordsTheIndexHolds() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let c = try await Cast.make(store)
            var rng = SplitMix64(seed: 5)
            let letters = Array("abcdefghijklmnopqrstuvwxyzé")
            func word() -> String { String((0 ..< 2 + Int(rng.next() % 9)).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }) }
            var added: [TimelineEntry] = []
            for batch in 0 ..< 6 {
                var entries: [TimelineEntry] = []
                for n in 0 ..< 150 {
                    entries.append(TimelineEntry(
                        incidentID: c.incident.id, occurredAt: t("2026-03-01T10:05:00Z").addingTimeInterval(Double(batch * 1000 + n)), recordedAt: t("2026-03-01T10:05:00Z"),
                        author: "ana", source: .slack, kind: .communication, text: (0 ..< 12).map { _ in word() }.joined(separator: " ") + " edge-\(n % 40)" + (n % 10 == 0 ? " ещё ёлка" : n % 10 == 1 ? " еще елка" : "")))
                }
                _ = try await store.importTimeline(entries)
                added += entries
            }
            let admin = try await c.viewer(store, c.f.admin)
            for e in added.prefix(100) { _ = try await store.removeTimelineEntry(id: e.id, incidentID: c.incident.id, by: admin) }
            let sql = try #require(store.db as? any SQLDatabase)
            let pages = try await sql.raw("SELECT count(DISTINCT segid) AS s, count(*) AS p FROM search_fts_idx").first()
            #expect(try pages?.decode(column: "s", as: Int.self) ?? 0 > 1 && pages?.decode(column: "p", as: Int.self) ?? 0 > 10)
            for prefix in ["a", "b", "ed", "edg", "zq", "é", "q", "kind", "x"] {
                let fromVocabulary = try await sql.raw("SELECT term FROM search_vocab WHERE term >= \(bind: prefix) AND term < \(bind: prefix + "\u{10FFFF}")").all()
                    .map { try $0.decode(column: "term", as: String.self) }
                let words = try await store.indexedWords(startingWith: prefix, on: sql, limit: 100_000)
                #expect(Set(words ?? []).isSuperset(of: fromVocabulary), "\(prefix)")
                // The pages may still list words whose every document was
                // removed (until segments merge): they find nothing.
                for extra in Set(words ?? []).subtracting(fromVocabulary) {
                    let n = try await sql.raw("SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH \(bind: LoreStore.fts5Quoted(extra))").first()?.decode(column: "n", as: Int.self)
                    #expect(n == 0, "\(extra)")
                }
            }
            #expect(try await store.indexedWords(startingWith: "a", on: sql, limit: 5) == nil)
            // Another alphabet is left to FTS5's own prefix (Lore folds "ё", FTS5 keeps it).
            for q in ["ab*", "edge-1*", "ed*", "zz*", "ba* -ca*", "ещ*", "ёл*", "ел*"] {
                let query = try SearchQuery.parse(q)
                let native = try await sql.raw("SELECT d.doc_id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH \(bind: LoreStore.fts5(query))").all()
                    .map { try $0.decode(column: "doc_id", as: UUID.self) }
                var found: [UUID] = []
                for page in 1 ... 100 {
                    let results = try await store.search(SearchRequest(query: query, page: page), access: .everything, window: 2_000)
                    found += results.hits.map(\.id)
                    if !results.hasMore { break }
                }
                #expect(Set(found) == Set(native) && found.count == native.count, "\(q)")
            }
        }
    }

    /// How many documents hold a term: counted when few do, estimated from
    /// how far back the newest reach when many do.
    @Test func termCountsAreExactWhenFewAndCloseWhenMany() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let c = try await Cast.make(store)
            var entries: [TimelineEntry] = []
            for n in 0 ..< 600 {
                entries.append(TimelineEntry(
                    incidentID: c.incident.id, occurredAt: t("2026-03-01T10:05:00Z").addingTimeInterval(Double(n)), recordedAt: t("2026-03-01T10:05:00Z"),
                    author: "ana", source: .slack, kind: .communication, text: (n % 3 == 0 ? "wombat " : "") + (n % 50 == 0 ? "quokka " : "") + "entry \(n)"))
            }
            _ = try await store.importTimeline(entries)
            let sql = try #require(store.db as? any SQLDatabase)
            let newest = try await sql.raw("SELECT max(id) AS id FROM search_documents").first()?.decode(column: "id", as: Int64.self) ?? 0
            let documents = try await sql.raw("SELECT count(*) AS n FROM search_documents").first()?.decode(column: "n", as: Int.self) ?? 0
            #expect(try await LoreStore.documentsMatching("\"quokka\"", documents: documents, newest: newest, on: sql, sample: 50) == 12)
            let wombats = try await LoreStore.documentsMatching("\"wombat\"", documents: documents, newest: newest, on: sql, sample: 50)
            #expect(abs(wombats - 200) <= 40, "\(wombats)")
        }
    }

    /// A leaf page's terms as FTS5 writes them, and nothing read past a
    /// malformed page.
    @Test func leafPagesAreReadAsFTS5WritesThem() {
        // Header (no rowid first; footer at 16), "0abc" whole, then "0abd"
        // sharing three bytes, then the footer: offsets 4 and 4 + 7.
        var page: [UInt8] = [0, 0, 0, 16, 4] + Array("0abc".utf8) + [0x02, 0x00] + [3, 1] + Array("d".utf8) + [0x02, 0x00]
        page += [4, 7]
        #expect(LoreStore.fts5LeafTerms(page) == [Array("0abc".utf8), Array("0abd".utf8)])
        var rng = SplitMix64(seed: 9)
        for _ in 0 ..< 2_000 {
            let bytes = (0 ..< Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = LoreStore.fts5LeafTerms(bytes)
        }
        #expect(LoreStore.fts5LeafTerms([0, 0, 0xFF, 0xFF, 1]).isEmpty)
        // Nine-byte varints (the largest values) as offsets and lengths.
        let huge: [UInt8] = Array(repeating: 0xFF, count: 9)
        #expect(LoreStore.fts5LeafTerms([0, 0, 0, 6, 4, 1] + huge).isEmpty)
        #expect(LoreStore.fts5LeafTerms([0, 0, 0, 14] + huge + [0, 4]).isEmpty)
    }

    /// PostgreSQL compiles no query: JIT added 30–60 ms to searches that
    /// run in under 10.
    @Test(arguments: Backend.available.filter { $0 != .sqlite })
    func postgresConnectionsDoNotCompileQueries(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let sql = try #require(store.db as? any SQLDatabase)
            #expect(try await sql.raw("SHOW jit").first()?.decode(column: "jit", as: String.self) == "off")
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
