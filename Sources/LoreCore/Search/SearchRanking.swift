import Foundation

/// How the search index splits text into tokens: runs of letters and digits,
/// lower-cased, accents removed (FTS5's `unicode61 remove_diacritics 2`).
/// Ranking and "seen before" read text the way the index does.
public enum IndexedText {
    public static func tokens(_ text: String) -> [String] {
        // Most text is ASCII: lower-casing its bytes is the whole fold, and
        // Foundation's folding costs tens of microseconds a call (ranking
        // reads hundreds of documents a search).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [String] = [], word: [UInt8] = []
            for b in text.utf8 {
                switch b {
                case 0x30 ... 0x39, 0x61 ... 0x7A: word.append(b)
                case 0x41 ... 0x5A: word.append(b | 0x20)
                default:
                    if !word.isEmpty { out.append(String(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
                }
            }
            if !word.isEmpty { out.append(String(decoding: word, as: UTF8.self)) }
            return out
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}

/// Okapi BM25, the ranking FTS5's `bm25()` computes, for a bounded window
/// of matches. FTS5 counts every document holding each term before it scores
/// one row (the inverse document frequency), which costs as much as the term
/// is common: ~20 ms for a word in 400,000 chat messages, on every search.
/// The store hands this the index's own statistics instead (document count,
/// average length, each term's document count, all kept by the index) and
/// the text of the newest matches; the scores are FTS5's formula with its
/// constants, the title weighing ten times the body.
public struct SearchRanking: Sendable {
    /// FTS5's constants.
    static let k1 = 1.2, b = 0.75
    /// A title word counts this many times a body word.
    public static let titleWeight = 10.0

    /// What the index knows of all its documents.
    public struct Statistics: Sendable, Equatable {
        public var documents: Int
        /// Tokens in all documents, every indexed column together.
        public var tokens: Int

        public init(documents: Int, tokens: Int) {
            self.documents = documents
            self.tokens = tokens
        }

        var averageLength: Double { documents > 0 ? max(1, Double(tokens) / Double(documents)) : 1 }
    }

    /// One term of the query as the index's tokens; the last is a prefix
    /// for `replic*`.
    struct Phrase {
        var tokens: [String]
        var prefix: Bool
        var idf: Double
    }

    let phrases: [Phrase]
    let averageLength: Double

    /// The tokens of each included term whose document count the store
    /// looks up: every token but a prefix (`prefixes` are looked up by range).
    public static func countedTokens(_ query: SearchQuery) -> [String] {
        Array(Set(query.include.flatMap { term -> [String] in
            let t = IndexedText.tokens(term.text)
            if case .prefix = term { return Array(t.dropLast()) }
            return t
        }))
    }

    /// The word each prefix term starts (`replic` of `replic*`), whose
    /// documents the store counts by range.
    public static func countedPrefixes(_ query: SearchQuery) -> [String] {
        query.include.compactMap { term in
            if case .prefix(let text) = term { return IndexedText.tokens(text).last }
            return nil
        }
    }

    /// `documentsWith[token]` is how many documents hold `token`; a phrase's
    /// count is that of its rarest word (at least as many documents hold each
    /// word as hold the phrase), a prefix's is `documentsWithPrefix[text]`.
    public init(query: SearchQuery, statistics: Statistics, documentsWith: [String: Int], documentsWithPrefix: [String: Int] = [:]) {
        let n = Double(statistics.documents)
        averageLength = statistics.averageLength
        phrases = query.include.compactMap { term in
            let tokens = IndexedText.tokens(term.text)
            guard !tokens.isEmpty else { return nil }
            var prefix = false, counts: [Int] = []
            if case .prefix = term {
                prefix = true
                counts = tokens.dropLast().map { documentsWith[$0] ?? 0 }
                counts.append(documentsWithPrefix[tokens.last!] ?? statistics.documents)
            } else {
                counts = tokens.map { documentsWith[$0] ?? 0 }
            }
            let hits = Double(counts.min() ?? 0)
            // FTS5's floor: a term in more than half the documents still counts a little.
            let idf = max(1e-6, log((n - hits + 0.5) / (hits + 0.5)))
            return Phrase(tokens: tokens, prefix: prefix, idf: idf)
        }
    }

    /// The score of one document: higher is better (FTS5 returns its negative).
    /// `otherTokens` are its tokens in columns not searched (SQLite indexes
    /// the kind), which FTS5 counts in a document's length.
    public func score(title: String, body: String, otherTokens: Int = 0) -> Double {
        let titleTokens = IndexedText.tokens(title), bodyTokens = IndexedText.tokens(body)
        let length = Double(titleTokens.count + bodyTokens.count + otherTokens)
        var score = 0.0
        for p in phrases {
            let frequency = Self.titleWeight * Double(Self.occurrences(of: p, in: titleTokens)) + Double(Self.occurrences(of: p, in: bodyTokens))
            score += p.idf * (frequency * (Self.k1 + 1)) / (frequency + Self.k1 * (1 - Self.b + Self.b * length / averageLength))
        }
        return score
    }

    /// The passage of `text` with the most matching words, at most `words`
    /// words long, the matches marked and "…" where it was cut: what FTS5's
    /// `snippet()` gives, made from the text the window already read (asking
    /// the index again costs a prefix query its whole merge per result).
    public func snippet(_ text: String, words: Int = 24) -> MarkedText {
        // Each token of the text with where it is, folded as the index folds it.
        var spans: [(range: Range<String.Index>, token: String)] = []
        var start: String.Index?
        var i = text.startIndex
        while i <= text.endIndex {
            let inWord = i < text.endIndex && (text[i].isLetter || text[i].isNumber)
            if inWord, start == nil { start = i }
            if !inWord, let s = start {
                if let t = IndexedText.tokens(String(text[s ..< i])).first { spans.append((s ..< i, t)) }
                start = nil
            }
            if i == text.endIndex { break }
            i = text.index(after: i)
        }
        guard !spans.isEmpty else { return MarkedText(parts: []) }
        let tokens = spans.map(\.token)
        var marked = [Bool](repeating: false, count: tokens.count)
        for p in phrases where tokens.count >= p.tokens.count {
            for at in 0 ... tokens.count - p.tokens.count where Self.matches(p, tokens, at: at) {
                for k in at ..< at + p.tokens.count { marked[k] = true }
            }
        }
        // The window with the most marked words; the earliest among equals.
        let width = min(words, tokens.count)
        var best = 0, bestCount = -1, count = marked.prefix(width).filter { $0 }.count
        for from in 0 ... tokens.count - width {
            if from > 0 { count += (marked[from + width - 1] ? 1 : 0) - (marked[from - 1] ? 1 : 0) }
            if count > bestCount { (best, bestCount) = (from, count) }
        }
        var parts: [MarkedText.Part] = []
        func add(_ t: Substring, _ m: Bool) {
            guard !t.isEmpty else { return }
            if let last = parts.last, last.marked == m { parts[parts.count - 1] = .init(text: last.text + t, marked: m) } else { parts.append(.init(text: String(t), marked: m)) }
        }
        if best > 0 { add("…", false) }
        var cursor = spans[best].range.lowerBound
        for k in best ..< best + width {
            // Between two marked words ("I/O Timeout") the gap is marked too.
            add(text[cursor ..< spans[k].range.lowerBound], k > best && marked[k - 1] && marked[k])
            add(text[spans[k].range], marked[k])
            cursor = spans[k].range.upperBound
        }
        if best + width < spans.count { add("…", false) } else { add(text[cursor...], false) }
        return MarkedText(parts: parts)
    }

    static func matches(_ phrase: Phrase, _ tokens: [String], at start: Int) -> Bool {
        for k in 0 ..< phrase.tokens.count {
            let word = tokens[start + k], wanted = phrase.tokens[k]
            if phrase.prefix && k == phrase.tokens.count - 1 ? !word.hasPrefix(wanted) : word != wanted { return false }
        }
        return true
    }

    static func occurrences(of phrase: Phrase, in tokens: [String]) -> Int {
        guard !phrase.tokens.isEmpty, tokens.count >= phrase.tokens.count else { return 0 }
        return (0 ... tokens.count - phrase.tokens.count).filter { matches(phrase, tokens, at: $0) }.count
    }
}
