extension Markdown {
    /// Recognises raw HTML the way CommonMark does, so that it delimits the
    /// same blocks and spans; the renderer then writes it out as escaped text.
    /// (Nothing here decides what reaches the page as markup.)
    enum RawHTML {
        /// Positions from which a terminator is known to be missing, so
        /// repeated `<!--`, `<?` or `<a x="` without an end fail at once
        /// instead of rescanning the rest of the text each time.
        struct Memo {
            var missingFrom: [String: Int] = [:]

            /// The index just after the first `terminator` at or after `start`.
            mutating func find(_ terminator: [UInt8], in s: [UInt8], from start: Int) -> Int? {
                let key = String(decoding: terminator, as: UTF8.self)
                if let missing = missingFrom[key], start >= missing { return nil }
                var i = start
                let last = s.count - terminator.count
                while i <= last {
                    if s[i] == terminator[0], s[i..<(i + terminator.count)].elementsEqual(terminator) {
                        return i + terminator.count
                    }
                    i += 1
                }
                missingFrom[key] = start
                return nil
            }
        }

        /// An inline tag, comment, processing instruction, declaration or
        /// CDATA section at `start`: the index after it.
        static func inlineTag(_ s: [UInt8], at start: Int, memo: inout Memo) -> Int? {
            var i = start + 1
            guard i < s.count else { return nil }
            switch s[i] {
            case Byte.bang:
                i += 1
                if hasPrefix(s, i, "--") {
                    if hasPrefix(s, i + 2, ">") { return i + 3 }
                    if hasPrefix(s, i + 2, "->") { return i + 4 }
                    return memo.find(Array("-->".utf8), in: s, from: i + 2)
                }
                if hasPrefix(s, i, "[CDATA[") { return memo.find(Array("]]>".utf8), in: s, from: i + 7) }
                if i < s.count, Byte.isLetter(s[i]) { return memo.find([Byte.greaterThan], in: s, from: i) }
                return nil
            case Byte.question:
                return memo.find(Array("?>".utf8), in: s, from: i + 1)
            case Byte.slash:
                i += 1
                guard let nameEnd = tagName(s, i) else { return nil }
                i = skipWhitespace(s, nameEnd)
                return i < s.count && s[i] == Byte.greaterThan ? i + 1 : nil
            default:
                guard let nameEnd = tagName(s, i) else { return nil }
                i = nameEnd
                while true {
                    let afterSpace = skipWhitespace(s, i)
                    guard afterSpace < s.count else { return nil }
                    if s[afterSpace] == Byte.greaterThan { return afterSpace + 1 }
                    if s[afterSpace] == Byte.slash {
                        return afterSpace + 1 < s.count && s[afterSpace + 1] == Byte.greaterThan ? afterSpace + 2 : nil
                    }
                    guard afterSpace > i, let attributeEnd = attribute(s, afterSpace, memo: &memo) else { return nil }
                    i = attributeEnd
                }
            }
        }

        private static func hasPrefix(_ s: [UInt8], _ i: Int, _ prefix: String) -> Bool {
            i + prefix.utf8.count <= s.count && s[i..<(i + prefix.utf8.count)].elementsEqual(prefix.utf8)
        }

        private static func tagName(_ s: [UInt8], _ start: Int) -> Int? {
            guard start < s.count, Byte.isLetter(s[start]) else { return nil }
            var i = start + 1
            while i < s.count, Byte.isAlphanumeric(s[i]) || s[i] == Byte.dash { i += 1 }
            return i
        }

        /// Spaces, tabs and at most one line ending.
        private static func skipWhitespace(_ s: [UInt8], _ start: Int) -> Int {
            var i = start
            var newlines = 0
            while i < s.count, Byte.isWhitespace(s[i]) {
                if s[i] == Byte.newline {
                    newlines += 1
                    if newlines > 1 { break }
                }
                i += 1
            }
            return i
        }

        private static func attribute(_ s: [UInt8], _ start: Int, memo: inout Memo) -> Int? {
            guard start < s.count, Byte.isLetter(s[start]) || s[start] == Byte.underscore || s[start] == Byte.colon else {
                return nil
            }
            var i = start + 1
            while i < s.count, Byte.isAlphanumeric(s[i]) || "_.:-".utf8.contains(s[i]) { i += 1 }
            let nameEnd = i
            i = skipWhitespace(s, i)
            guard i < s.count, s[i] == Byte.equals else { return nameEnd }
            i = skipWhitespace(s, i + 1)
            guard i < s.count else { return nil }
            let b = s[i]
            if b == Byte.quote || b == Byte.apostrophe {
                return memo.find([b], in: s, from: i + 1)
            }
            let valueStart = i
            while i < s.count, s[i] > Byte.space, !"\"'=<>`".utf8.contains(s[i]) { i += 1 }
            return i > valueStart ? i : nil
        }

        // MARK: HTML blocks

        private static let blockNames: Set<String> = [
            "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
            "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
            "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
            "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol",
            "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot",
            "th", "thead", "title", "tr", "track", "ul",
        ]
        private static let rawTextNames: Set<String> = ["script", "pre", "textarea", "style"]

        /// Which of CommonMark's seven kinds of HTML block `line` (from its
        /// first non-space character) starts, if any.
        static func blockStart(_ line: ArraySlice<UInt8>) -> Int? {
            let s = Array(line)
            guard s.first == Byte.lessThan, s.count > 1 else { return nil }
            if hasPrefix(s, 1, "!--") { return 2 }
            if hasPrefix(s, 1, "?") { return 3 }
            if hasPrefix(s, 1, "![CDATA[") { return 5 }
            if s[1] == Byte.bang, s.count > 2, Byte.isLetter(s[2]) { return 4 }
            let closing = s[1] == Byte.slash
            let nameStart = closing ? 2 : 1
            var nameEnd = nameStart
            while nameEnd < s.count, Byte.isAlphanumeric(s[nameEnd]) { nameEnd += 1 }
            let name = String(decoding: s[nameStart..<nameEnd].map(Byte.lowercased), as: UTF8.self)
            let next = nameEnd < s.count ? s[nameEnd] : nil
            if !closing, rawTextNames.contains(name), next == nil || next == Byte.greaterThan || Byte.isWhitespace(next!) {
                return 1
            }
            if blockNames.contains(name) {
                if next == nil || next == Byte.greaterThan || Byte.isWhitespace(next!) { return 6 }
                if next == Byte.slash, nameEnd + 1 < s.count, s[nameEnd + 1] == Byte.greaterThan { return 6 }
            }
            if !rawTextNames.contains(name) || closing {
                var memo = Memo()
                if let end = inlineTag(s, at: 0, memo: &memo), !s[..<end].contains(Byte.newline),
                    s[end...].allSatisfy(Byte.isWhitespace)
                {
                    return 7
                }
            }
            return nil
        }

        /// Whether `line` holds the end condition of an HTML block of `type` 1–5.
        static func endsBlock(type: Int, _ line: ArraySlice<UInt8>) -> Bool {
            let lower = line.map(Byte.lowercased)
            func contains(_ needle: String) -> Bool {
                let n = Array(needle.utf8)
                guard lower.count >= n.count else { return false }
                for i in 0...(lower.count - n.count) where lower[i] == n[0] && lower[i..<(i + n.count)].elementsEqual(n) {
                    return true
                }
                return false
            }
            switch type {
            case 1: return contains("</script>") || contains("</pre>") || contains("</textarea>") || contains("</style>")
            case 2: return contains("-->")
            case 3: return contains("?>")
            case 4: return contains(">")
            case 5: return contains("]]>")
            default: return false
            }
        }
    }
}
