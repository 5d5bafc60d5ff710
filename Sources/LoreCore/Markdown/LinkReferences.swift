extension Markdown {
    /// Where a link or image points, after escapes and entities are decoded
    /// (the URL is not yet checked or percent-encoded: see ``URLs``).
    struct LinkTarget {
        var destination: [UInt8]
        var title: [UInt8]
    }

    /// Link reference definitions (`[label]: /url "title"`) and the scanners
    /// that links and definitions share: label, destination and title.
    ///
    /// Every scanner stops at a fixed limit (999 bytes for a label, 32 open
    /// parentheses in a destination) or at the first character that cannot
    /// continue it, so a failed attempt never costs more than the text it
    /// could have consumed.
    struct LinkReferences {
        static let maxLabelLength = 999
        static let maxParenDepth = 32

        private(set) var definitions: [String: LinkTarget] = [:]

        var isEmpty: Bool { definitions.isEmpty }

        func target(forLabel label: ArraySlice<UInt8>) -> LinkTarget? {
            guard !definitions.isEmpty, let key = Self.normalizedLabel(label) else { return nil }
            return definitions[key]
        }

        /// Parses one definition at `start` of a paragraph's text; returns
        /// where it ends (after its line), or nil if there is none. The first
        /// definition of a label wins.
        mutating func parseDefinition(_ s: [UInt8], at start: Int) -> Int? {
            guard let labelEnd = Self.scanLabel(s, at: start), labelEnd < s.count, s[labelEnd] == Byte.colon else {
                return nil
            }
            var i = Self.skipSpaceAndOneNewline(s, from: labelEnd + 1)
            guard let destination = Self.scanDestination(s, at: i) else { return nil }
            i = destination.end
            let beforeTitle = i
            i = Self.skipSpaceAndOneNewline(s, from: i)
            var title: [UInt8] = []
            var end: Int?
            if i != beforeTitle, let scanned = Self.scanTitle(s, at: i) {
                if let lineEnd = Self.endOfLine(s, from: scanned.end) {
                    title = scanned.title
                    end = lineEnd
                }
            }
            if end == nil {
                // The title (if any) is not alone on its line: the definition
                // may still stand without it.
                end = Self.endOfLine(s, from: beforeTitle)
            }
            guard let end, let key = Self.normalizedLabel(s[(start + 1)..<(labelEnd - 1)]) else { return nil }
            if definitions[key] == nil {
                definitions[key] = LinkTarget(destination: destination.url, title: title)
            }
            return end
        }

        // MARK: Scanners

        /// `[label]` at `start`: returns the index after `]`. No unescaped
        /// brackets inside, at most 999 bytes.
        static func scanLabel(_ s: [UInt8], at start: Int) -> Int? {
            guard start < s.count, s[start] == Byte.openBracket else { return nil }
            var i = start + 1
            let limit = min(s.count, start + 1 + maxLabelLength + 1)
            while i < limit {
                switch s[i] {
                case Byte.backslash:
                    i += 2
                case Byte.openBracket:
                    return nil
                case Byte.closeBracket:
                    return i - start - 1 <= maxLabelLength ? i + 1 : nil
                default:
                    i += 1
                }
            }
            return nil
        }

        /// A link destination at `start`: `<…>` or a run without spaces and
        /// with balanced parentheses. Returns it with escapes and entities
        /// decoded.
        static func scanDestination(_ s: [UInt8], at start: Int) -> (url: [UInt8], end: Int)? {
            var i = start
            if i < s.count, s[i] == Byte.lessThan {
                i += 1
                while i < s.count {
                    switch s[i] {
                    case Byte.greaterThan:
                        return (Inlines.unescape(s[(start + 1)..<i]), i + 1)
                    case Byte.newline, Byte.lessThan:
                        return nil
                    case Byte.backslash where i + 1 < s.count && Byte.isPunctuation(s[i + 1]):
                        i += 2
                    default:
                        i += 1
                    }
                }
                return nil
            }
            var depth = 0
            while i < s.count {
                let b = s[i]
                if b == Byte.backslash, i + 1 < s.count, Byte.isPunctuation(s[i + 1]) {
                    i += 2
                } else if b == Byte.openParen {
                    depth += 1
                    if depth > maxParenDepth { return nil }
                    i += 1
                } else if b == Byte.closeParen {
                    if depth == 0 { break }
                    depth -= 1
                    i += 1
                } else if b <= Byte.space || b == 0x7F {
                    break
                } else {
                    i += 1
                }
            }
            guard depth == 0 else { return nil }
            if i == start, !(i < s.count && s[i] == Byte.closeParen) { return nil }
            return (Inlines.unescape(s[start..<i]), i)
        }

        /// A title in `"…"`, `'…'` or `(…)` at `start`.
        static func scanTitle(_ s: [UInt8], at start: Int) -> (title: [UInt8], end: Int)? {
            guard start < s.count else { return nil }
            let open = s[start]
            let close: UInt8
            switch open {
            case Byte.quote, Byte.apostrophe: close = open
            case Byte.openParen: close = Byte.closeParen
            default: return nil
            }
            var i = start + 1
            var previousNewline = false
            while i < s.count {
                let b = s[i]
                if b == Byte.backslash, i + 1 < s.count, Byte.isPunctuation(s[i + 1]) {
                    i += 2
                    previousNewline = false
                    continue
                }
                if b == close { return (Inlines.unescape(s[(start + 1)..<i]), i + 1) }
                if open == Byte.openParen, b == Byte.openParen { return nil }
                if b == Byte.newline {
                    if previousNewline { return nil }  // a title cannot hold a blank line
                    previousNewline = true
                } else if !Byte.isSpaceOrTab(b) {
                    previousNewline = false
                }
                i += 1
            }
            return nil
        }

        /// Spaces and tabs, at most one newline, spaces and tabs.
        static func skipSpaceAndOneNewline(_ s: [UInt8], from start: Int) -> Int {
            var i = start
            while i < s.count, Byte.isSpaceOrTab(s[i]) { i += 1 }
            if i < s.count, s[i] == Byte.newline {
                i += 1
                while i < s.count, Byte.isSpaceOrTab(s[i]) { i += 1 }
            }
            return i
        }

        /// If only spaces remain on the line, the index after its newline.
        static func endOfLine(_ s: [UInt8], from start: Int) -> Int? {
            var i = start
            while i < s.count, Byte.isSpaceOrTab(s[i]) { i += 1 }
            if i == s.count { return i }
            return s[i] == Byte.newline ? i + 1 : nil
        }

        /// The key a label is matched by: trimmed, inner whitespace collapsed
        /// to one space, Unicode case-folded (so `[ẞ]` matches `[SS]`). Nil
        /// for a blank label, which defines nothing.
        static func normalizedLabel(_ label: ArraySlice<UInt8>) -> String? {
            var collapsed: [UInt8] = []
            collapsed.reserveCapacity(label.count)
            var pendingSpace = false
            var isASCII = true
            for b in label {
                if Byte.isWhitespace(b) {
                    pendingSpace = !collapsed.isEmpty
                    continue
                }
                if pendingSpace {
                    collapsed.append(Byte.space)
                    pendingSpace = false
                }
                if b >= 0x80 { isASCII = false }
                collapsed.append(isASCII && b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
            }
            guard !collapsed.isEmpty else { return nil }
            let text = String(decoding: collapsed, as: UTF8.self)
            // Lower then upper case, as the reference implementation folds (ASCII
            // was upper-cased above, so both paths agree).
            return isASCII ? text : text.lowercased().uppercased()
        }
    }
}
