import Foundation
import LoreCore
import Testing

@Suite("Ranking a window of matches with BM25")
struct SearchRankingTests {
    /// An index of 10,000 documents of 20 tokens on average, where "timeout"
    /// is everywhere and "ECONNRESET" rare.
    let statistics = SearchRanking.Statistics(documents: 10_000, tokens: 200_000)
    let counts = ["timeout": 6_000, "econnreset": 40, "connection": 900, "pool": 700, "replica": 300, "edge": 500, "03": 800]

    func ranking(_ q: String, prefixes: [String: Int] = [:]) throws -> SearchRanking {
        SearchRanking(query: try SearchQuery.parse(q), statistics: statistics, documentsWith: counts, documentsWithPrefix: prefixes)
    }

    @Test func theTitleWeighsMoreThanTheBody() throws {
        let r = try ranking("replica")
        #expect(r.score(title: "Replica lag", body: "ledger was slow") > r.score(title: "Ledger lag", body: "replica was slow"))
    }

    @Test func moreMentionsRankHigherButSaturateAndLongTextsWeighLess() throws {
        let r = try ranking("replica")
        let once = r.score(title: "", body: "the replica fell behind")
        let twice = r.score(title: "", body: "the replica fell behind the other replica")
        let long = r.score(title: "", body: "the replica fell behind " + String(repeating: "while we waited for the queue to drain ", count: 20))
        #expect(twice > once)
        #expect(once > long)
        // BM25 saturates: the tenth mention adds far less than the second.
        let ten = r.score(title: "", body: Array(repeating: "replica", count: 10).joined(separator: " "))
        let nine = r.score(title: "", body: Array(repeating: "replica", count: 9).joined(separator: " "))
        #expect(ten - nine < (twice - once) / 2)
        #expect(r.score(title: "", body: "nothing of it here") == 0)
    }

    /// Every result holds every term; the rare one decides which matters.
    @Test func aRareTermCountsMoreThanACommonOne() throws {
        let r = try ranking("timeout ECONNRESET")
        let rareTwice = r.score(title: "", body: "timeout ECONNRESET ECONNRESET while reading")
        let commonTwice = r.score(title: "", body: "timeout timeout ECONNRESET while reading")
        #expect(rareTwice > commonTwice)
    }

    @Test func phrasesCountOnlyNextToEachOtherAndPrefixesStartWords() throws {
        let phrase = try ranking("\"connection pool\"")
        #expect(phrase.score(title: "", body: "pool of connection handlers") == 0)
        #expect(phrase.score(title: "", body: "the connection pool was full") > 0)
        // A host name is the phrase of its parts, as the index splits it.
        let host = try ranking("edge-03")
        #expect(host.score(title: "", body: "edge 7 and 03") == 0)
        #expect(host.score(title: "", body: "EDGE-03 dropped") > 0)
        let prefix = try ranking("replic*", prefixes: ["replic": 350])
        #expect(prefix.score(title: "", body: "replication stopped") > 0)
        #expect(prefix.score(title: "", body: "a prereplica step") == 0)
    }

    /// The snippet is the passage with the matches, in the text's own
    /// spelling, cut with "…" where the text goes on.
    @Test func theSnippetShowsThePassageWithTheMatches() throws {
        let r = try ranking("\"i/o timeout\" edge-03")
        let short = r.snippet("dial tcp: I/O Timeout on EDGE-03, retrying")
        #expect(short.plain == "dial tcp: I/O Timeout on EDGE-03, retrying")
        #expect(short.parts.filter(\.marked).map(\.text) == ["I/O Timeout", "EDGE-03"])
        let filler = Array(repeating: "nothing happened here", count: 20).joined(separator: " ")
        let long = r.snippet(filler + " then an i/o timeout hit edge-03 hard " + filler, words: 12)
        #expect(long.plain.hasPrefix("…") && long.plain.hasSuffix("…"))
        #expect(long.parts.filter(\.marked).map(\.text) == ["i/o timeout", "edge-03"])
        #expect(long.plain.split(separator: " ").count <= 14)
        #expect(r.snippet("").parts.isEmpty)
        #expect(r.snippet("no match at all").parts.allSatisfy { !$0.marked })
    }

    @Test func textIsSplitAsTheIndexSplitsIt() {
        #expect(IndexedText.tokens("Café-Zürich: i/o TIMEOUT on edge-03!") == ["cafe", "zurich", "i", "o", "timeout", "on", "edge", "03"])
        #expect(IndexedText.tokens("ASCII only: I/O TIMEOUT on Edge-03_x!") == ["ascii", "only", "i", "o", "timeout", "on", "edge", "03", "x"])
        #expect(SearchRanking.countedTokens(try! SearchQuery.parse("\"i/o timeout\" edge-03 replic*")).sorted() == ["03", "edge", "i", "o", "timeout"])
        #expect(SearchRanking.countedPrefixes(try! SearchQuery.parse("\"i/o timeout\" edge-03 replic*")) == ["replic"])
    }
}
