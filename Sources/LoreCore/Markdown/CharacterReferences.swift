extension Markdown {
    /// What surrounds a delimiter run, for CommonMark's flanking rules.
    /// Punctuation is Unicode's P and S categories; the start and end of the
    /// text count as whitespace.
    enum CharacterClass {
        case whitespace, punctuation, other

        static func before(_ s: [UInt8], _ index: Int) -> CharacterClass {
            guard index > 0 else { return .whitespace }
            var start = index - 1
            while start > 0, index - start < 4, s[start] & 0xC0 == 0x80 { start -= 1 }
            return of(s[start..<index])
        }

        static func after(_ s: [UInt8], _ index: Int) -> CharacterClass {
            guard index < s.count else { return .whitespace }
            var end = index + 1
            while end < s.count, end - index < 4, s[end] & 0xC0 == 0x80 { end += 1 }
            return of(s[index..<end])
        }

        private static func of(_ bytes: ArraySlice<UInt8>) -> CharacterClass {
            if bytes.count == 1, let b = bytes.first {
                if Byte.isWhitespace(b) { return .whitespace }
                return Byte.isPunctuation(b) ? .punctuation : .other
            }
            guard let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first else { return .other }
            switch scalar.properties.generalCategory {
            case .spaceSeparator: return .whitespace
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation,
                .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                return .punctuation
            default: return .other
            }
        }
    }
}

extension Markdown.Inlines {
    /// Backslash escapes and character references decoded: for link
    /// destinations, titles and code block info strings.
    static func unescape(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(where: { $0 == Byte.backslash || $0 == Byte.ampersand }) else { return Array(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            if b == Byte.backslash, i + 1 < text.endIndex, Byte.isPunctuation(text[i + 1]) {
                out.append(text[i + 1])
                i += 2
            } else if b == Byte.ampersand, let (decoded, end) = decodeEntity(text, at: i) {
                out.append(contentsOf: decoded)
                i = end
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// A character reference at `start` (`&amp;`, `&#35;`, `&#x22;`): its
    /// UTF-8 bytes and where it ends. Invalid code points become U+FFFD.
    static func decodeEntity<C: RandomAccessCollection>(_ s: C, at start: C.Index) -> ([UInt8], C.Index)?
    where C.Element == UInt8, C.Index == Int {
        var i = start + 1
        guard i < s.endIndex else { return nil }
        if s[i] == Byte.hash {
            i += 1
            var hex = false
            if i < s.endIndex, s[i] == UInt8(ascii: "x") || s[i] == UInt8(ascii: "X") {
                hex = true
                i += 1
            }
            let digitsStart = i
            var value: UInt32 = 0
            while i < s.endIndex, i - digitsStart < (hex ? 6 : 7), hex ? Byte.isHexDigit(s[i]) : Byte.isDigit(s[i]) {
                let b = s[i]
                let digit: UInt32 = Byte.isDigit(b) ? UInt32(b - 0x30) : UInt32(Byte.lowercased(b) - 0x61 + 10)
                value = value * (hex ? 16 : 10) + digit
                i += 1
            }
            guard i > digitsStart, i < s.endIndex, s[i] == Byte.semicolon else { return nil }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (Array(String(Character(scalar ?? "\u{FFFD}")).utf8), i + 1)
        }
        let nameStart = i
        while i < s.endIndex, i - nameStart <= Markdown.Entities.maxNameLength, Byte.isAlphanumeric(s[i]) { i += 1 }
        guard i > nameStart, i < s.endIndex, s[i] == Byte.semicolon else { return nil }
        let name = String(decoding: s[nameStart..<i], as: UTF8.self)
        guard let value = Markdown.Entities.table[name] else { return nil }
        return (value, i + 1)
    }
}

extension Markdown {
    /// Where every run of backticks starts, by length, so each code span finds
    /// its closing run without rescanning the rest of the text (which would be
    /// quadratic on "` `` ``` …").
    struct BacktickRuns {
        private var starts: [Int: [Int]] = [:]
        private var cursors: [Int: Int] = [:]

        init(_ s: [UInt8]) {
            var i = 0
            while i < s.count {
                guard s[i] == Byte.backtick else {
                    i += 1
                    continue
                }
                let start = i
                while i < s.count, s[i] == Byte.backtick { i += 1 }
                starts[i - start, default: []].append(start)
            }
        }

        /// The first run of exactly `length` backticks at or after `position`.
        /// Positions only grow, so each cursor only moves forward.
        mutating func next(length: Int, from position: Int) -> Int? {
            guard let list = starts[length] else { return nil }
            var cursor = cursors[length, default: 0]
            while cursor < list.count, list[cursor] < position { cursor += 1 }
            cursors[length] = cursor
            return cursor < list.count ? list[cursor] : nil
        }
    }
}
