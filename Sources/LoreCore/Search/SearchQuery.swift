import Foundation

/// What a person typed into the search box, read into terms the store can
/// hand to either database's full-text search without a syntax of its own.
///
/// The syntax is what engineers already type: words, `"a phrase"`, a
/// prefix `replic*`, and `-staging` to leave something out. Tokens people
/// search for when paged stay whole: an error code (`503`, `ECONNRESET`), a
/// host or service name (`edge-03`, `orders-db`), a quoted log fragment
/// (`"i/o timeout"`). A word with punctuation inside is matched as the
/// phrase of its parts, as each database splits it in the indexed text, so
/// `edge-03` finds "edge-03" and not every "edge" and every "03".
///
/// Every term is passed to the database as data (a quoted FTS5 string, a
/// bound `phraseto_tsquery` argument), never as query syntax, so no input
/// produces a database syntax error.
public struct SearchQuery: Equatable, Sendable {
    /// One thing to look for (or leave out).
    public enum Term: Equatable, Sendable {
        /// A word, or a token with punctuation inside (matched as the phrase of its parts).
        case word(String)
        /// Words in this order, next to each other.
        case phrase(String)
        /// Words starting with this; the text before `*`.
        case prefix(String)

        public var text: String {
            switch self {
            case .word(let t), .phrase(let t), .prefix(let t): t
            }
        }
    }

    public var include: [Term]
    public var exclude: [Term]

    /// Longer than this is not a search but a pasted document.
    public static let maxLength = 500
    /// More terms than this would all have to match at once: nothing would.
    public static let maxTerms = 24
    /// A prefix needs this many letters or digits: `r*` matches everything.
    public static let minPrefixLength = 2

    public init(include: [Term], exclude: [Term] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// True when the query leaves out something it asks for (`queue -queue`,
    /// `"disk full" -"disk full"`): nothing can match, so no database needs
    /// to read every document holding the term to say so.
    ///
    /// ASCII only, and a prefix never counts: the databases split and fold
    /// other text in their own ways ("ё" and "е", PostgreSQL's compound
    /// words), so only where Lore's tokens are theirs is the answer certain.
    public var findsNothing: Bool {
        let excluded = Set(exclude.filter { $0.text.allSatisfy(\.isASCII) }.map { IndexedText.tokens($0.text) })
        guard !excluded.isEmpty else { return false }
        return include.contains { term in
            if case .prefix = term { return false }
            return term.text.allSatisfy(\.isASCII) && excluded.contains(IndexedText.tokens(term.text))
        }
    }

    /// Reads `text` (field `q`). Problems name what is wrong and where.
    public static func parse(_ text: String) throws(ValidationError) -> SearchQuery {
        // Control characters (a NUL ends a C string) are spaces here, and the
        // databases' match markers are nothing: neither is anything to find.
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            CharacterSet.controlCharacters.contains($0) ? " " : $0
        }.filter { $0 != "\u{E000}" && $0 != "\u{E001}" }))
        let trimmed = cleaned.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > maxLength {
            throw ValidationError(field: "q", code: "too_long",
                                  message: "A search is at most \(maxLength) characters; this one has \(trimmed.count). Search for the words that matter most.")
        }
        if trimmed.isEmpty {
            throw ValidationError(field: "q", code: "required", message: "Type what to search for: a word, a \"phrase\", a prefix* or an error code.")
        }
        var include: [Term] = [], exclude: [Term] = []
        let characters = Array(trimmed)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            // A leading "-" leaves the next term out; a "-" alone is nothing.
            var negated = false
            if c == "-", i + 1 < characters.count, !characters[i + 1].isWhitespace {
                negated = true
                i += 1
            }
            let term: Term?
            if characters[i] == "\"" {
                let opened = i
                guard let close = characters[(i + 1)...].firstIndex(of: "\"") else {
                    throw ValidationError(field: "q", code: "unclosed_quote",
                                          message: "The quote at character \(opened + 1) is never closed: close it to search for a phrase, or remove it.")
                }
                let inside = String(characters[(i + 1) ..< close]).trimmingCharacters(in: .whitespaces)
                i = close + 1
                term = hasWordCharacters(inside) ? .phrase(collapseSpaces(inside)) : nil
            } else {
                var end = i
                while end < characters.count, !characters[end].isWhitespace, characters[end] != "\"" { end += 1 }
                let token = String(characters[i ..< end])
                i = end
                term = try read(token, at: i - token.count + 1)
            }
            guard let term else { continue }
            if negated { exclude.append(term) } else { include.append(term) }
        }
        if include.isEmpty {
            if exclude.isEmpty {
                throw ValidationError(field: "q", code: "nothing_to_search",
                                      message: "There is nothing to search for in \"\(trimmed)\": type a word, a \"phrase\", a prefix* or an error code.")
            }
            throw ValidationError(field: "q", code: "only_exclusions",
                                  message: "Say what to look for as well as what to leave out: \(exclude.map { "-\($0.text)" }.joined(separator: " ")) alone matches nothing.")
        }
        if include.count + exclude.count > maxTerms {
            throw ValidationError(field: "q", code: "too_many_terms",
                                  message: "A search has at most \(maxTerms) terms; this one has \(include.count + exclude.count). Every term must match, so fewer find more.")
        }
        return SearchQuery(include: include, exclude: exclude)
    }

    /// One unquoted token: a prefix when it ends in `*`, else a word;
    /// nil when it holds no letter or digit (a stray operator).
    static func read(_ token: String, at position: Int) throws(ValidationError) -> Term? {
        var body = Substring(token)
        var isPrefix = false
        while body.hasSuffix("*") {
            body = body.dropLast()
            isPrefix = true
        }
        // Punctuation around a word is not part of it: "(edge-03)," is edge-03.
        let trimmed = String(body).trimmingCharacters(in: CharacterSet.alphanumerics.inverted)
        guard hasWordCharacters(trimmed) else { return nil }
        if isPrefix {
            let letters = trimmed.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count
            if letters < minPrefixLength {
                throw ValidationError(field: "q", code: "short_prefix",
                                      message: "\"\(token)\" at character \(position): a prefix needs at least \(minPrefixLength) letters or digits before the *.")
            }
            return .prefix(trimmed)
        }
        return .word(trimmed)
    }

    static func hasWordCharacters(_ s: String) -> Bool {
        s.unicodeScalars.contains { CharacterSet.alphanumerics.contains($0) }
    }

    static func collapseSpaces(_ s: String) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The words to mark in a result's title: every included term's letters
    /// and digits, lowercased (what the databases' tokenizers compare).
    public var markedWords: [String] {
        include.flatMap { term in
            term.text.lowercased().components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }
        }
    }

    /// The query as it could be typed again.
    public var text: String {
        func typed(_ t: Term) -> String {
            switch t {
            case .word(let w): w
            case .phrase(let p): "\"\(p)\""
            case .prefix(let p): p + "*"
            }
        }
        return (include.map(typed) + exclude.map { "-" + typed($0) }).joined(separator: " ")
    }
}

/// The kinds of thing a search finds.
public enum SearchKind: String, CaseIterable, Codable, Sendable {
    case incident
    case timeline
    case review
    case finding
    case followUp = "follow_up"

    public var label: String {
        switch self {
        case .incident: "Incident"
        case .timeline: "Timeline entry"
        case .review: "Review"
        case .finding: "Finding"
        case .followUp: "Follow-up"
        }
    }
}
