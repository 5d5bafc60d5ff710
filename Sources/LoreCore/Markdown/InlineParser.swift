extension Markdown {
    /// The inline content of one paragraph, heading or table cell, parsed
    /// into a small tree kept in arrays (no per-node allocation).
    ///
    /// One left-to-right pass, as in CommonMark's reference parser: text,
    /// code spans, autolinks and escaped raw HTML become nodes at once; runs of
    /// `*`, `_` and `~` and the brackets of links wait on two stacks until a
    /// closer shows what they are. Wrapping a run of siblings into an emphasis
    /// or link node only relinks its two ends, and every scan is bounded or
    /// memoised, so the pass is linear in the text however it is arranged.
    struct Inlines {
        enum Kind: UInt8 { case root, text, bracket, delimiter, softBreak, hardBreak, code, rawHTML, emphasis, strong, strikethrough, link, image }

        struct Node {
            var kind: Kind
            /// Text: a range of `store`. Delimiter: `start` is the character,
            /// `length` how many are left. Link and image: `start` indexes `targets`.
            var start = 0
            var length = 0
            var next = -1
            var previous = -1
            var firstChild = -1
            var lastChild = -1
        }

        struct Delimiter {
            let node: Int
            let char: UInt8
            var count: Int
            let originalCount: Int
            let canOpen: Bool
            let canClose: Bool
            var previous: Int
            var next = -1
        }

        struct Bracket {
            let node: Int
            let previousDelimiter: Int
            /// Where the label starts in the source (after `[`).
            let labelStart: Int
            let isImage: Bool
            var isActive = true
            var bracketAfter = false
        }

        var nodes: [Node] = [Node(kind: .root)]
        var store: [UInt8] = []
        var targets: [LinkTarget] = []
        let s: [UInt8]
        let references: LinkReferences
        /// Bytes of destination and title that reference links may still copy
        /// into the output, shared by the whole document (see
        /// ``HTMLOutput/referenceBudget``). At or below zero, references are text.
        var referenceBudget: Int
        var position = 0
        var textStart = 0
        var rootLast = -1
        var delimiters: [Delimiter] = []
        var lastDelimiter = -1
        var brackets: [Bracket] = []
        /// `[` openers below this stack index are inactive (a link closed after
        /// them, and links cannot contain links). Images stay active.
        var linkFloor = 0
        var backticks: BacktickRuns
        var rawHTML = RawHTML.Memo()
        /// The last index of each title closer (`"`, `'`, `)`; -1 if absent),
        /// found once per parse on the first title: a title opened at or after
        /// its closer's last occurrence cannot close, so it is refused without
        /// scanning. (A `(` title stops at the next `(`, so without this every
        /// `[a](b (` in a row would scan on to the end: quadratic.)
        var lastTitleCloser: (quote: Int, apostrophe: Int, paren: Int)?

        /// Parses `text`; reference links spend `referenceBudget`, and what is
        /// left is handed back for the document's next block.
        static func parse(_ text: ArraySlice<UInt8>, references: LinkReferences, referenceBudget: inout Int) -> Inlines {
            var inlines = Inlines(trimmed(text), references: references, referenceBudget: referenceBudget)
            inlines.run()
            referenceBudget = inlines.referenceBudget
            return inlines
        }

        private init(_ s: [UInt8], references: LinkReferences, referenceBudget: Int) {
            self.s = s
            self.references = references
            self.referenceBudget = referenceBudget
            backticks = BacktickRuns(s)
        }

        private static func trimmed(_ text: ArraySlice<UInt8>) -> [UInt8] {
            var text = text
            while let b = text.first, Byte.isWhitespace(b) { text = text.dropFirst() }
            while let b = text.last, Byte.isWhitespace(b) { text = text.dropLast() }
            return Array(text)
        }

        // MARK: Building nodes

        mutating func append(_ node: Node) -> Int {
            var node = node
            let index = nodes.count
            node.previous = rootLast
            nodes.append(node)
            if rootLast != -1 { nodes[rootLast].next = index } else { nodes[0].firstChild = index }
            rootLast = index
            nodes[0].lastChild = index
            return index
        }

        /// Appends decoded text, merging with a text node just before it.
        mutating func appendText<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            guard !bytes.isEmpty else { return }
            if rootLast != -1, nodes[rootLast].kind == .text,
                nodes[rootLast].start + nodes[rootLast].length == store.count
            {
                store.append(contentsOf: bytes)
                nodes[rootLast].length += bytes.count
                return
            }
            let start = store.count
            store.append(contentsOf: bytes)
            _ = append(Node(kind: .text, start: start, length: bytes.count))
        }

        mutating func flushText(to end: Int) {
            if end > textStart { appendText(s[textStart..<end]) }
            textStart = end
        }

        /// Makes the siblings from `first` to the last root node the children
        /// of `parent`, which must be the node just before `first`.
        mutating func adoptTail(into parent: Int) {
            let first = nodes[parent].next
            guard first != -1 else { return }
            nodes[parent].firstChild = first
            nodes[parent].lastChild = rootLast
            nodes[first].previous = -1
            nodes[parent].next = -1
            rootLast = parent
            nodes[0].lastChild = parent
        }

        // MARK: The pass

        private mutating func run() {
            while position < s.count {
                let b = s[position]
                switch b {
                case Byte.newline: handleNewline()
                case Byte.backslash: handleBackslash()
                case Byte.backtick: handleBackticks()
                case Byte.star, Byte.underscore, Byte.tilde: handleDelimiters(b)
                case Byte.openBracket:
                    flushText(to: position)
                    openBracket(image: false, length: 1)
                case Byte.bang where position + 1 < s.count && s[position + 1] == Byte.openBracket:
                    flushText(to: position)
                    openBracket(image: true, length: 2)
                case Byte.closeBracket: handleCloseBracket()
                case Byte.lessThan: handleLessThan()
                case Byte.ampersand: handleEntity()
                case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "w"), UInt8(ascii: "W"): handleBareURL()
                case Byte.at: handleBareEmail()
                default: position += 1
                }
            }
            flushText(to: s.count)
            processEmphasis(above: -1)
        }

        private mutating func handleNewline() {
            // Spaces before the newline: two or more make a hard break.
            var end = position
            while end > textStart, s[end - 1] == Byte.space { end -= 1 }
            let hard = position - end >= 2
            flushText(to: end)
            _ = append(Node(kind: hard ? .hardBreak : .softBreak))
            position += 1
            while position < s.count, Byte.isSpaceOrTab(s[position]) { position += 1 }
            textStart = position
        }

        private mutating func handleBackslash() {
            flushText(to: position)
            let next = position + 1 < s.count ? s[position + 1] : nil
            if next == Byte.newline {
                _ = append(Node(kind: .hardBreak))
                position += 2
                while position < s.count, Byte.isSpaceOrTab(s[position]) { position += 1 }
            } else if let next, Byte.isPunctuation(next) {
                appendText(CollectionOfOne(next))
                position += 2
            } else {
                appendText(CollectionOfOne(Byte.backslash))
                position += 1
            }
            textStart = position
        }

        private mutating func handleBackticks() {
            var end = position
            while end < s.count, s[end] == Byte.backtick { end += 1 }
            let length = end - position
            guard let close = backticks.next(length: length, from: end) else {
                position = end  // no closing run: the backticks are text
                return
            }
            flushText(to: position)
            // Line endings become spaces; one space is stripped from each side
            // when both have one and the content is not all spaces.
            var content = s[end..<close].map { $0 == Byte.newline ? Byte.space : $0 }
            if content.count >= 2, content.first == Byte.space, content.last == Byte.space,
                content.contains(where: { $0 != Byte.space })
            {
                content.removeFirst()
                content.removeLast()
            }
            let start = store.count
            store.append(contentsOf: content)
            _ = append(Node(kind: .code, start: start, length: content.count))
            position = close + length
            textStart = position
        }

        private mutating func handleLessThan() {
            if let link = URLs.angleAutolink(s, at: position) {
                flushText(to: position)
                appendLink(destination: link.href, text: s[(position + 1)..<(link.end - 1)])
                position = link.end
                textStart = position
            } else if let end = RawHTML.inlineTag(s, at: position, memo: &rawHTML) {
                flushText(to: position)
                let start = store.count
                store.append(contentsOf: s[position..<end])
                _ = append(Node(kind: .rawHTML, start: start, length: end - position))
                position = end
                textStart = position
            } else {
                position += 1
            }
        }

        private mutating func appendLink(destination: [UInt8], text: ArraySlice<UInt8>) {
            targets.append(LinkTarget(destination: destination, title: []))
            let link = append(Node(kind: .link, start: targets.count - 1))
            let start = store.count
            store.append(contentsOf: text)
            let child = nodes.count
            nodes.append(Node(kind: .text, start: start, length: text.count))
            nodes[link].firstChild = child
            nodes[link].lastChild = child
        }

        private mutating func handleEntity() {
            guard let (decoded, end) = Self.decodeEntity(s, at: position) else {
                position += 1
                return
            }
            flushText(to: position)
            appendText(decoded)
            position = end
            textStart = position
        }

        /// GitHub's extended autolinks: `www.` and `http(s)://` at a word start.
        private mutating func handleBareURL() {
            guard let link = URLs.bareURL(s, at: position, stopAtBracket: !brackets.isEmpty) else {
                position += 1
                return
            }
            flushText(to: position)
            appendLink(destination: link.href, text: s[position..<link.end])
            position = link.end
            textStart = position
        }

        /// GitHub's extended email autolinks: `name@example.com` in plain text.
        private mutating func handleBareEmail() {
            guard let link = URLs.bareEmail(s, at: position, notBefore: textStart) else {
                position += 1
                return
            }
            flushText(to: link.start)
            appendLink(destination: Array("mailto:".utf8) + s[link.start..<link.end], text: s[link.start..<link.end])
            position = link.end
            textStart = position
        }
    }
}
