import Foundation
import LoreCore
import Testing

@Suite("Reading what people type into search")
struct SearchQueryTests {
    @Test func wordsPhrasesPrefixesAndExclusions() throws {
        let q = try SearchQuery.parse("  \"connection pool\" replic* -staging ECONNRESET edge-03 ")
        #expect(q.include == [.phrase("connection pool"), .prefix("replic"), .word("ECONNRESET"), .word("edge-03")])
        #expect(q.exclude == [.word("staging")])
        #expect(q.text == "\"connection pool\" replic* ECONNRESET edge-03 -staging")
    }

    @Test func aQueryThatLeavesOutWhatItAsksForFindsNothing() throws {
        #expect(try SearchQuery.parse("queue -queue").findsNothing)
        #expect(try SearchQuery.parse("QUEUE -queue").findsNothing)
        #expect(try SearchQuery.parse("\"disk full\" -\"Disk  Full\"").findsNothing)
        #expect(try SearchQuery.parse("edge-03 -\"edge 03\"").findsNothing)
        // Different terms, a prefix, or text the databases fold their own way: ask them.
        #expect(try !SearchQuery.parse("queue -queues").findsNothing)
        #expect(try !SearchQuery.parse("queue -\"queue full\"").findsNothing)
        #expect(try !SearchQuery.parse("que* -que").findsNothing)
        #expect(try !SearchQuery.parse("ёлка -ёлка").findsNothing)
        #expect(try !SearchQuery.parse("queue").findsNothing)
    }

    @Test func tokensEngineersSearchForStayWhole() throws {
        #expect(try SearchQuery.parse("503").include == [.word("503")])
        #expect(try SearchQuery.parse("orders-db").include == [.word("orders-db")])
        #expect(try SearchQuery.parse("\"i/o   timeout\"").include == [.phrase("i/o timeout")])
        #expect(try SearchQuery.parse("10.0.4.7:5432").include == [.word("10.0.4.7:5432")])
        // Punctuation around a word is not part of it; a lone operator is nothing.
        #expect(try SearchQuery.parse("(edge-03), - *").include == [.word("edge-03")])
        #expect(try SearchQuery.parse("a-b -c-d").exclude == [.word("c-d")])
        #expect(try SearchQuery.parse("pool staging").markedWords == ["pool", "staging"])
    }

    @Test func badQueriesSayWhatAndWhere() {
        func message(_ q: String) -> String? {
            do { _ = try SearchQuery.parse(q); return nil } catch { return error.issues.first.map { "\($0.code): \($0.message)" } }
        }
        #expect(message("\"connection pool") == "unclosed_quote: The quote at character 1 is never closed: close it to search for a phrase, or remove it.")
        #expect(message("pool \"")?.hasPrefix("unclosed_quote: The quote at character 6") == true)
        #expect(message("- * \"\" ()")?.hasPrefix("nothing_to_search:") == true)
        #expect(message("   ")?.hasPrefix("required:") == true)
        #expect(message("-staging -canary") == "only_exclusions: Say what to look for as well as what to leave out: -staging -canary alone matches nothing.")
        #expect(message("r*")?.hasPrefix("short_prefix: \"r*\" at character 1") == true)
        #expect(message(String(repeating: "x", count: 10_000))?.hasPrefix("too_long: A search is at most 500 characters; this one has 10000.") == true)
        #expect(message((1...30).map { "w\($0)" }.joined(separator: " "))?.hasPrefix("too_many_terms:") == true)
    }

    @Test func theRequestNamesEachBadParameter() {
        do {
            _ = try SearchRequest.parse(["q": "pool", "kind": "ticket", "since": "yesterday", "page": "0", "colour": "red"])
            Issue.record("accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["kind", "since", "page", "colour"])
        }
        #expect(throws: ValidationError.self) { try SearchRequest.parse(["q": "pool", "since": "2026-06-01", "until": "2026-01-01"]) }
        let ok = try? SearchRequest.parse(["q": "pool", "kind": "follow_up", "since": "2026-01-01", "until": "2026-01-31", "severity": ""])
        #expect(ok?.filter.kind == .followUp)
        #expect(ok?.filter.severity == nil)
        #expect(ok?.filter.until == LoreTime.parseISO("2026-02-01T00:00:00Z"))
    }

    @Test func markedTextSplitsOnTheDatabasesMarkers() {
        let m = MarkedText(marked: "read \u{E000}ECONNRESET\u{E001} from <b>edge</b>")
        #expect(m.parts == [.init(text: "read ", marked: false), .init(text: "ECONNRESET", marked: true), .init(text: " from <b>edge</b>", marked: false)])
        #expect(m.plain == "read ECONNRESET from <b>edge</b>")
    }
}
