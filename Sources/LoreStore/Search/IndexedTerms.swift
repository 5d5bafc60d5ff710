import Foundation
import LoreCore
import SQLKit

// FTS5 answers a prefix (`chec*`) by first merging the whole list of every
// word the prefix starts, position by position, before it yields one row:
// for a prefix of words in a fifth of two million documents that is about
// 80 ms, whatever the LIMIT. Written as the words themselves
// (`"check" OR "checkout"`) the same query is read lazily, newest first, and
// stops once the window is full. The words are read from the index's own
// leaf pages (FTS5's on-disk format, documented in fts5_index.c): only the
// pages where a word in the prefix's range begins, never the lists of
// documents. `fts5vocab` would read every list.

extension LoreStore {
    /// Past this many words a prefix is left to FTS5 (correct, slower): an
    /// OR of hundreds of words costs as much as the merge it replaces.
    static let prefixWordsExpanded = 200

    /// The indexed words that start with `prefix` (already folded like the
    /// index), at most `limit`; nil when there are more.
    func indexedWords(startingWith prefix: String, on sql: any SQLDatabase, limit: Int = prefixWordsExpanded) async throws -> [String]? {
        // Keys carry the index's own first byte: "0" for the main index.
        let low = Data([UInt8(ascii: "0")] + Array(prefix.utf8)), high = low + [0xFF]
        // Each segment's leaf where `low` would be, and every later leaf whose
        // first word is not past the range (`pgno` holds the page number
        // shifted left by one; the low bit flags a doclist index). One
        // statement, so one snapshot: a merge committed between two reads
        // would leave pages listed that no longer exist. Each later leaf
        // begins with a word of the range, so past a few times `limit` of
        // them there are too many words.
        let leaves: SQLQueryString = "SELECT (segid << 37) + (pgno >> 1) AS id FROM (SELECT segid, max(term) AS term, pgno FROM search_fts_idx WHERE term <= \(bind: low) GROUP BY segid)"
            + " UNION SELECT (segid << 37) + (pgno >> 1) FROM search_fts_idx WHERE term > \(bind: low) AND term <= \(bind: high)"
        let pageLimit = 4 * limit
        let blocks = try await sql.raw("SELECT block FROM search_fts_data WHERE id IN (" + leaves + ") LIMIT \(literal: pageLimit + 1)").all()
        if blocks.count > pageLimit { return nil }
        // By bytes: two spellings Swift holds equal (composed and decomposed)
        // are two words to the index.
        var words = Set<[UInt8]>()
        for row in blocks {
            for term in Self.fts5LeafTerms([UInt8](try row.decode(column: "block", as: Data.self))) where term.starts(with: low) {
                words.insert(Array(term.dropFirst()))
                if words.count > limit { return nil }
            }
        }
        return words.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    /// The terms that begin on one FTS5 leaf page, in order: the page's
    /// footer holds each term's offset (delta-coded); the first is written
    /// whole (length, bytes), each later one as the bytes it shares with the
    /// one before, then its own. Malformed bytes end the list, never a read
    /// past the page.
    static func fts5LeafTerms(_ page: [UInt8]) -> [[UInt8]] {
        guard page.count >= 4 else { return [] }
        let footer = Int(page[2]) << 8 | Int(page[3])
        guard footer >= 4, footer <= page.count else { return [] }
        var terms: [[UInt8]] = [], term: [UInt8] = [], at = footer, offset = 0
        while at < page.count {
            // Every value is checked against the page before any arithmetic.
            let delta = fts5Varint(page, at: &at)
            guard delta < UInt64(footer) else { break }
            offset += Int(delta)
            guard offset >= 4, offset < footer else { break }
            var p = offset, shared: UInt64 = 0
            if !terms.isEmpty { shared = fts5Varint(page, at: &p) }
            let length = fts5Varint(page, at: &p)
            guard shared <= UInt64(term.count), length <= UInt64(footer), p <= footer - Int(length) else { break }
            let (kept, new) = (Int(shared), Int(length))
            term = Array(term.prefix(kept)) + page[p ..< p + new]
            terms.append(term)
        }
        return terms
    }

    /// One of SQLite's variable-length integers at `at`, which moves past it.
    static func fts5Varint(_ bytes: [UInt8], at: inout Int) -> UInt64 {
        var value: UInt64 = 0, n = 0
        while at < bytes.count {
            let b = bytes[at]
            at += 1
            n += 1
            if n == 9 { return (value << 8) | UInt64(b) }
            value = (value << 7) | UInt64(b & 0x7f)
            if b & 0x80 == 0 { break }
        }
        return value
    }

    /// SQLite's variable-length integers, as FTS5 writes its records.
    static func fts5Varints(_ bytes: [UInt8]) -> [UInt64] {
        var out: [UInt64] = [], at = 0
        while at < bytes.count { out.append(fts5Varint(bytes, at: &at)) }
        return out
    }
}
