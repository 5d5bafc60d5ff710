extension Markdown {
    /// Writes the parsed document as HTML.
    ///
    /// This is the only place markup is made. User text can only get in
    /// through `appendEscaped` (all five of `& < > " '`), URLs only after
    /// ``URLs/isAllowed(_:)`` and percent-encoding, and the tags and
    /// attributes are the fixed ones written here, so nothing a user types can
    /// open a tag or add an attribute.
    struct HTMLOutput {
        private(set) var bytes: [UInt8] = []
        private var references = LinkReferences()
        /// Bytes of destination and title that reference links may still copy
        /// (cmark's limit: the input's length, at least 100 KB). Without it a
        /// long definition used by thousands of `[x]` grows the output with
        /// their product.
        private var referenceBudget = 0
        /// Empty cells that may still be added to pad short table rows (one
        /// per input byte). Without it a wide header over thousands of
        /// one-cell rows writes rows × columns cells.
        private var paddingBudget = 0

        init(capacity: Int = 0) {
            bytes.reserveCapacity(capacity)
        }

        var string: String { String(decoding: bytes, as: UTF8.self) }

        static func needsEscaping(_ byte: UInt8) -> Bool {
            byte == Byte.ampersand || byte == Byte.lessThan || byte == Byte.greaterThan
                || byte == Byte.quote || byte == Byte.apostrophe
        }

        /// Appends fixed markup. Never pass user text here.
        private mutating func append(_ markup: String) {
            bytes.append(contentsOf: markup.utf8)
        }

        /// Appends user text, escaped; with `lineBreaks`, newlines become `<br>`.
        mutating func appendEscaped<C: Collection>(_ text: C, lineBreaks: Bool = false) where C.Element == UInt8 {
            for b in text {
                switch b {
                case Byte.ampersand: append("&amp;")
                case Byte.lessThan: append("&lt;")
                case Byte.greaterThan: append("&gt;")
                case Byte.quote: append("&quot;")
                case Byte.apostrophe: append("&#39;")
                case Byte.newline where lineBreaks: append("<br>\n")
                default: bytes.append(b)
                }
            }
        }

        /// A line ending, unless the output already ends with one.
        private mutating func newline() {
            if let last = bytes.last, last != Byte.newline { bytes.append(Byte.newline) }
        }

        // MARK: Blocks

        /// `inputLength`, the Markdown's size in bytes, sets the budgets that
        /// keep the output proportional to it.
        mutating func render(_ document: Block, references: LinkReferences, inputLength: Int) {
            self.references = references
            referenceBudget = max(inputLength, 100_000)
            paddingBudget = inputLength
            render(document, tight: false)
            if bytes.last == Byte.newline { bytes.removeLast() }
        }

        /// Depth is bounded by ``BlockParser/maxDepth``, so this recursion is too.
        private mutating func render(_ block: Block, tight: Bool) {
            switch block.kind {
            case .document:
                for child in block.children { render(child, tight: false) }
            case .paragraph:
                if !tight {
                    newline()
                    append("<p>")
                }
                if let checked = block.task {
                    append(checked ? "<input type=\"checkbox\" checked disabled> " : "<input type=\"checkbox\" disabled> ")
                }
                renderInlines(block.content[...])
                if !tight {
                    append("</p>")
                    newline()
                }
            case .heading:
                // Pages own <h1> and <h2>: user headings start at <h3>.
                let level = min(block.level + 2, 6)
                newline()
                append("<h\(level)>")
                renderInlines(block.content[...])
                append("</h\(level)>")
                newline()
            case .thematicBreak:
                newline()
                append("<hr>")
                newline()
            case .codeBlock:
                newline()
                append("<pre><code")
                let language = block.fence.info.prefix { !Byte.isWhitespace($0) }
                if !language.isEmpty {
                    append(" class=\"language-")
                    appendEscaped(language)
                    append("\"")
                }
                append(">")
                appendEscaped(block.content)
                append("</code></pre>")
                newline()
            case .htmlBlock:
                // Raw HTML is shown as the text it is, line for line, like a paragraph.
                var text = block.content[...]
                while text.last == Byte.newline { text = text.dropLast() }
                if tight {
                    appendEscaped(text, lineBreaks: true)
                } else {
                    newline()
                    append("<p>")
                    appendEscaped(text, lineBreaks: true)
                    append("</p>")
                    newline()
                }
            case .blockQuote:
                newline()
                append("<blockquote>")
                newline()
                for child in block.children { render(child, tight: false) }
                newline()
                append("</blockquote>")
                newline()
            case .list:
                newline()
                if !block.list.ordered {
                    append("<ul>")
                } else if block.list.start != 1 {
                    append("<ol start=\"\(block.list.start)\">")
                } else {
                    append("<ol>")
                }
                newline()
                for item in block.children { render(item, tight: block.tight) }
                newline()
                append(block.list.ordered ? "</ol>" : "</ul>")
                newline()
            case .item:
                append("<li>")
                for child in block.children { render(child, tight: tight) }
                append("</li>")
                newline()
            case .table:
                renderTable(block)
            }
        }

        private mutating func renderTable(_ block: Block) {
            let layout = block.table
            newline()
            append("<table>\n<thead>\n")
            renderRow(layout.header[...], cell: "th", layout.alignments)
            append("</thead>\n")
            var rows = block.content.split(separator: Byte.newline, omittingEmptySubsequences: true)
            rows.removeAll { $0.allSatisfy(Byte.isWhitespace) }
            if !rows.isEmpty {
                append("<tbody>\n")
                for row in rows { renderRow(row, cell: "td", layout.alignments) }
                append("</tbody>\n")
            }
            append("</table>")
            newline()
        }

        /// One row; missing cells are empty (as on GitHub), extra cells are
        /// dropped. Once the padding budget is spent, a short row keeps only
        /// the cells it has, so every cell written stands for input bytes.
        private mutating func renderRow(_ line: ArraySlice<UInt8>, cell: String, _ alignments: [TableLayout.Alignment]) {
            let cells = Tables.cells(line)
            var columns = alignments.count
            let missing = columns - cells.count
            if missing > 0 {
                if missing <= paddingBudget {
                    paddingBudget -= missing
                } else {
                    paddingBudget = 0
                    columns = cells.count
                }
            }
            append("<tr>\n")
            for (column, alignment) in alignments.prefix(columns).enumerated() {
                switch alignment {
                case .none: append("<\(cell)>")
                case .left: append("<\(cell) align=\"left\">")
                case .center: append("<\(cell) align=\"center\">")
                case .right: append("<\(cell) align=\"right\">")
                }
                if column < cells.count { renderInlines(cells[column][...]) }
                append("</\(cell)>\n")
            }
            append("</tr>\n")
        }

        // MARK: Inlines

        private mutating func renderInlines(_ text: ArraySlice<UInt8>) {
            let inlines = Inlines.parse(text, references: references, referenceBudget: &referenceBudget)
            // An explicit stack: emphasis can nest as deep as the text is long.
            var stack: [(node: Int, closing: Bool)] = []
            var linkDepth = 0
            var child = inlines.nodes[0].firstChild
            while true {
                if child == -1 {
                    guard let (node, _) = stack.popLast() else { break }
                    let n = inlines.nodes[node]
                    switch n.kind {
                    case .emphasis: append("</em>")
                    case .strong: append("</strong>")
                    case .strikethrough: append("</del>")
                    case .link:
                        linkDepth -= 1
                        if linkDepth == 0, URLs.isAllowed(inlines.targets[n.start].destination) { append("</a>") }
                    default: break
                    }
                    child = n.next
                    continue
                }
                let n = inlines.nodes[child]
                var descend = false
                switch n.kind {
                case .root: break
                case .text, .bracket:
                    appendEscaped(inlines.store[n.start..<(n.start + n.length)])
                case .rawHTML:
                    // Shown as typed, its line breaks like any other in the paragraph.
                    appendEscaped(inlines.store[n.start..<(n.start + n.length)], lineBreaks: true)
                case .delimiter:
                    for _ in 0..<n.length { bytes.append(UInt8(n.start)) }
                case .softBreak, .hardBreak:
                    append("<br>\n")
                case .code:
                    append("<code>")
                    appendEscaped(inlines.store[n.start..<(n.start + n.length)])
                    append("</code>")
                case .emphasis:
                    append("<em>")
                    descend = true
                case .strong:
                    append("<strong>")
                    descend = true
                case .strikethrough:
                    append("<del>")
                    descend = true
                case .link:
                    let target = inlines.targets[n.start]
                    // No links inside links: an inner one keeps only its text.
                    if linkDepth == 0, URLs.isAllowed(target.destination) {
                        appendLinkOpening(target)
                    }
                    linkDepth += 1
                    descend = true
                case .image:
                    let target = inlines.targets[n.start]
                    if URLs.isAllowed(target.destination) {
                        append("<img src=\"")
                        appendEscaped(URLs.encoded(target.destination))
                        append("\" alt=\"")
                        appendEscaped(Self.plainText(inlines, under: child))
                        append("\"")
                        if !target.title.isEmpty {
                            append(" title=\"")
                            appendEscaped(target.title)
                            append("\"")
                        }
                        append(">")
                    } else {
                        appendEscaped(Self.plainText(inlines, under: child))
                    }
                }
                if descend, n.firstChild != -1 {
                    stack.append((child, false))
                    child = n.firstChild
                } else {
                    if descend {
                        stack.append((child, false))
                        child = -1
                    } else {
                        child = n.next
                    }
                }
            }
        }

        private mutating func appendLinkOpening(_ target: LinkTarget) {
            append("<a href=\"")
            appendEscaped(URLs.encoded(target.destination))
            append("\"")
            if !target.title.isEmpty {
                append(" title=\"")
                appendEscaped(target.title)
                append("\"")
            }
            // User content: search engines should not credit it, and a new
            // window must not get a handle on this one.
            append(" rel=\"nofollow noopener\">")
        }

        /// The text of an image's description, for its `alt`: markup dropped.
        private static func plainText(_ inlines: Inlines, under root: Int) -> [UInt8] {
            var out: [UInt8] = []
            var stack: [Int] = []
            var child = inlines.nodes[root].firstChild
            while true {
                if child == -1 {
                    guard let parent = stack.popLast() else { break }
                    child = inlines.nodes[parent].next
                    continue
                }
                let n = inlines.nodes[child]
                switch n.kind {
                case .text, .bracket, .rawHTML, .code:
                    out.append(contentsOf: inlines.store[n.start..<(n.start + n.length)])
                case .delimiter:
                    for _ in 0..<n.length { out.append(UInt8(n.start)) }
                case .softBreak, .hardBreak:
                    out.append(Byte.newline)
                default: break
                }
                if n.firstChild != -1 {
                    stack.append(child)
                    child = n.firstChild
                } else {
                    child = n.next
                }
            }
            return out
        }
    }
}
