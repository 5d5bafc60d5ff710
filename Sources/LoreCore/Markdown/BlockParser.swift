extension Markdown {
    /// A block of the document tree: a container (document, quote, list, item)
    /// or a leaf (paragraph, heading, rule, code, HTML, table).
    ///
    /// A class because the parser keeps a path of open blocks and appends to
    /// the deepest one line by line, as CommonMark's reference parser does.
    final class Block {
        enum Kind { case document, blockQuote, list, item, paragraph, heading, thematicBreak, codeBlock, htmlBlock, table }

        let kind: Kind
        weak var parent: Block?
        var children: [Block] = []
        var isOpen = true
        /// Nesting of quotes and list items around (and including) this block.
        var depth = 0
        var startLine: Int
        var endLine: Int
        /// Text of a leaf, lines joined by `\n` (for tables: the rows).
        var content: [UInt8] = []
        var list = ListData()
        var level = 0
        var fence = Fence()
        var htmlType = 0
        var table = TableLayout()
        var tight = true
        /// For the first paragraph of a task list item: `[x]` (true) or `[ ]`.
        var task: Bool?

        init(_ kind: Kind, line: Int) {
            self.kind = kind
            startLine = line
            endLine = line
        }

        var acceptsLines: Bool { kind == .paragraph || kind == .codeBlock || kind == .htmlBlock || kind == .table }

        func canContain(_ child: Kind) -> Bool {
            switch kind {
            case .document, .blockQuote, .item: return child != .item
            case .list: return child == .item
            default: return false
            }
        }
    }

    struct ListData {
        var ordered = false
        /// The bullet (`-`, `+`, `*`) or the delimiter after the number (`.`, `)`).
        var marker: UInt8 = 0
        var start = 1
        var markerOffset = 0
        var padding = 0
    }

    struct Fence {
        var isFenced = false
        var char: UInt8 = 0
        var length = 0
        var offset = 0
        var info: [UInt8] = []
    }

    /// Builds the block tree line by line (CommonMark's two-phase algorithm:
    /// blocks first, inline content later), then leaves the link reference
    /// definitions in `references` for the inline parser.
    struct BlockParser {
        /// Block quotes and list items nested deeper than this are text. Real
        /// reviews never come close; the cap keeps `>>>>…` or `- - - …` from
        /// building a tree the renderer would have to recurse through.
        static let maxDepth = 32
        static let codeIndent = 4

        let document = Block(.document, line: 0)
        var references = LinkReferences()
        private var tip: Block
        private var oldTip: Block
        private var lastMatchedContainer: Block
        private var line: [UInt8] = []
        private var lineNumber = 0
        private var offset = 0
        private var column = 0
        private var nextNonspace = 0
        private var nextNonspaceColumn = 0
        private var indent = 0
        private var indented = false
        private var blank = false
        private var partiallyConsumedTab = false
        private var allClosed = true
        /// Set when a line opened a fence or a table: it is not content.
        private var lineConsumed = false

        static func parse(_ text: String) -> (document: Block, references: LinkReferences) {
            var parser = BlockParser()
            let lines = Self.lines(of: text)
            for line in lines { parser.incorporate(line) }
            while true {
                let block = parser.tip
                parser.finalize(block, line: lines.count)
                if block === parser.document { break }
            }
            parser.resolveInlines()
            return (parser.document, parser.references)
        }

        private init() {
            tip = document
            oldTip = document
            lastMatchedContainer = document
        }

        /// Splits the text into lines: `\r\n`, `\r` and `\n` all end a line,
        /// NUL becomes U+FFFD, and a final line ending adds no empty line.
        static func lines(of text: String) -> [[UInt8]] {
            var lines: [[UInt8]] = []
            var current: [UInt8] = []
            var afterCR = false
            for byte in text.utf8 {
                if byte == Byte.newline && afterCR {
                    afterCR = false
                    continue
                }
                afterCR = byte == Byte.carriageReturn
                if byte == Byte.newline || byte == Byte.carriageReturn {
                    lines.append(current)
                    // A fresh array, not `removeAll(keepingCapacity:)`: the
                    // line just kept shares the buffer, so keeping capacity
                    // allocated the longest line's size again for every line
                    // after it (a 200 KB table header, then 300,000 rows).
                    current = []
                } else if byte == 0 {
                    current.append(contentsOf: [0xEF, 0xBF, 0xBD])
                } else {
                    current.append(byte)
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines
        }

        // MARK: Columns and offsets

        private func peek(_ index: Int) -> UInt8? { index < line.count ? line[index] : nil }

        private mutating func findNextNonspace() {
            var i = offset
            var columns = column
            while i < line.count {
                if line[i] == Byte.space {
                    i += 1
                    columns += 1
                } else if line[i] == Byte.tab {
                    i += 1
                    columns += 4 - columns % 4
                } else {
                    break
                }
            }
            blank = i == line.count
            nextNonspace = i
            nextNonspaceColumn = columns
            indent = columns - column
            indented = indent >= Self.codeIndent
        }

        /// Moves `count` characters (or, with `columns`, `count` columns: a tab
        /// may then be only partly consumed, as tab stops are 4 wide).
        private mutating func advanceOffset(_ count: Int, columns: Bool) {
            var count = count
            while count > 0, offset < line.count {
                if line[offset] == Byte.tab {
                    let toTab = 4 - column % 4
                    if columns {
                        partiallyConsumedTab = toTab > count
                        let advance = min(toTab, count)
                        column += advance
                        offset += partiallyConsumedTab ? 0 : 1
                        count -= advance
                    } else {
                        partiallyConsumedTab = false
                        column += toTab
                        offset += 1
                        count -= 1
                    }
                } else {
                    partiallyConsumedTab = false
                    offset += 1
                    column += 1
                    count -= 1
                }
            }
        }

        private mutating func advanceNextNonspace() {
            offset = nextNonspace
            column = nextNonspaceColumn
            partiallyConsumedTab = false
        }

        private var rest: ArraySlice<UInt8> { line[min(nextNonspace, line.count)...] }

        // MARK: Building the tree

        private mutating func addLine() {
            if partiallyConsumedTab {
                offset += 1
                tip.content.append(contentsOf: repeatElement(Byte.space, count: 4 - column % 4))
            }
            if offset < line.count { tip.content.append(contentsOf: line[offset...]) }
            tip.content.append(Byte.newline)
        }

        @discardableResult
        private mutating func addChild(_ kind: Block.Kind) -> Block {
            while !tip.canContain(kind) { finalize(tip, line: lineNumber - 1) }
            let block = Block(kind, line: lineNumber)
            block.parent = tip
            block.depth = tip.depth + (kind == .blockQuote || kind == .item ? 1 : 0)
            tip.children.append(block)
            tip = block
            return block
        }

        private mutating func closeUnmatchedBlocks() {
            guard !allClosed else { return }
            while oldTip !== lastMatchedContainer {
                guard let parent = oldTip.parent else { break }
                finalize(oldTip, line: lineNumber - 1)
                oldTip = parent
            }
            allClosed = true
        }

        private mutating func incorporate(_ text: [UInt8]) {
            line = text
            lineNumber += 1
            offset = 0
            column = 0
            blank = false
            partiallyConsumedTab = false
            var container = document
            oldTip = tip
            lineConsumed = false
            // Which open blocks does this line continue?
            while let last = container.children.last, last.isOpen {
                container = last
                findNextNonspace()
                switch continues(container) {
                case .matched: continue
                case .unmatched:
                    container = container.parent ?? document
                case .consumed: return
                }
                break
            }
            allClosed = container === oldTip
            lastMatchedContainer = container
            var matchedLeaf = container.kind != .paragraph && container.kind != .table && container.acceptsLines
            // Does it open new blocks?
            while !matchedLeaf {
                findNextNonspace()
                if !indented, let first = peek(nextNonspace), !Self.maybeSpecial(first) {
                    advanceNextNonspace()
                    break
                }
                guard let started = startBlock(in: container) else {
                    advanceNextNonspace()
                    break
                }
                container = tip
                if started == .leaf { matchedLeaf = true }
            }
            // The rest of the line is text: a lazy paragraph continuation, a
            // line of the open leaf, or the start of a paragraph.
            if !allClosed && !blank && tip.kind == .paragraph {
                addLine()
                return
            }
            closeUnmatchedBlocks()
            if lineConsumed {
                return
            } else if container.acceptsLines {
                addLine()
                if !blank { container.endLine = lineNumber }
                if container.kind == .htmlBlock, (1...5).contains(container.htmlType),
                    RawHTML.endsBlock(type: container.htmlType, line[min(offset, line.count)...])
                {
                    finalize(container, line: lineNumber)
                }
            } else if offset < line.count && !blank {
                addChild(.paragraph)
                advanceNextNonspace()
                addLine()
            }
        }

        private static func maybeSpecial(_ b: UInt8) -> Bool {
            switch b {
            case Byte.hash, Byte.backtick, Byte.tilde, Byte.star, Byte.plus, Byte.underscore, Byte.equals,
                Byte.lessThan, Byte.greaterThan, Byte.dash, Byte.pipe, Byte.colon:
                return true
            default: return Byte.isDigit(b)
            }
        }

        enum Continuation { case matched, unmatched, consumed }

        private mutating func continues(_ block: Block) -> Continuation {
            switch block.kind {
            case .document, .list: return .matched
            case .blockQuote:
                guard !indented, peek(nextNonspace) == Byte.greaterThan else { return .unmatched }
                advanceNextNonspace()
                advanceOffset(1, columns: false)
                if let b = peek(offset), Byte.isSpaceOrTab(b) { advanceOffset(1, columns: true) }
                return .matched
            case .item:
                if blank {
                    if block.children.isEmpty { return .unmatched }  // an item starts with at most one blank line
                    advanceNextNonspace()
                } else if indent >= block.list.markerOffset + block.list.padding {
                    advanceOffset(block.list.markerOffset + block.list.padding, columns: true)
                } else {
                    return .unmatched
                }
                return .matched
            case .heading, .thematicBreak: return .unmatched
            case .codeBlock:
                if block.fence.isFenced {
                    if indent <= 3, peek(nextNonspace) == block.fence.char {
                        var end = nextNonspace
                        while end < line.count, line[end] == block.fence.char { end += 1 }
                        if end - nextNonspace >= block.fence.length, line[end...].allSatisfy(Byte.isSpaceOrTab) {
                            block.endLine = lineNumber
                            finalize(block, line: lineNumber)
                            return .consumed
                        }
                    }
                    var strip = block.fence.offset
                    while strip > 0, let b = peek(offset), Byte.isSpaceOrTab(b) {
                        advanceOffset(1, columns: true)
                        strip -= 1
                    }
                } else if indent >= Self.codeIndent {
                    advanceOffset(Self.codeIndent, columns: true)
                } else if blank {
                    advanceNextNonspace()
                } else {
                    return .unmatched
                }
                return .matched
            case .htmlBlock:
                return blank && (block.htmlType == 6 || block.htmlType == 7) ? .unmatched : .matched
            case .paragraph:
                return blank ? .unmatched : .matched
            case .table:
                if blank { return .unmatched }
                return .matched
            }
        }

        enum Started { case container, leaf }

        /// Tries each kind of block start, in CommonMark's order.
        private mutating func startBlock(in container: Block) -> Started? {
            let nestable = container.depth < Self.maxDepth
            let first = peek(nextNonspace)
            if !indented, let first {
                if container.kind == .paragraph, container === tip, let started = startTable(container) {
                    return started
                }
                if first == Byte.greaterThan, nestable {
                    advanceNextNonspace()
                    advanceOffset(1, columns: false)
                    if let b = peek(offset), Byte.isSpaceOrTab(b) { advanceOffset(1, columns: true) }
                    closeUnmatchedBlocks()
                    addChild(.blockQuote)
                    return .container
                }
                if first == Byte.hash, let started = startATXHeading() { return started }
                if first == Byte.backtick || first == Byte.tilde, let started = startFence() { return started }
                if first == Byte.lessThan, let started = startHTMLBlock(in: container) { return started }
                if container.kind == .paragraph, first == Byte.equals || first == Byte.dash,
                    let started = startSetextHeading(container)
                {
                    return started
                }
                if first == Byte.star || first == Byte.dash || first == Byte.underscore, Self.isThematicBreak(rest) {
                    closeUnmatchedBlocks()
                    addChild(.thematicBreak)
                    advanceOffset(line.count - offset, columns: false)
                    return .leaf
                }
            }
            if (!indented || container.kind == .list), nestable, let started = startListItem(in: container) {
                return started
            }
            if indented, tip.kind != .paragraph, tip.kind != .table, !blank {
                advanceOffset(Self.codeIndent, columns: true)
                closeUnmatchedBlocks()
                addChild(.codeBlock)
                return .leaf
            }
            return nil
        }

        static func isThematicBreak(_ s: ArraySlice<UInt8>) -> Bool {
            guard let marker = s.first, marker == Byte.star || marker == Byte.dash || marker == Byte.underscore else {
                return false
            }
            var count = 0
            for b in s {
                if b == marker {
                    count += 1
                } else if !Byte.isSpaceOrTab(b) {
                    return false
                }
            }
            return count >= 3
        }

        private mutating func startATXHeading() -> Started? {
            let s = rest
            var end = s.startIndex
            while end < s.endIndex, s[end] == Byte.hash { end += 1 }
            let level = end - s.startIndex
            guard level <= 6, end == s.endIndex || Byte.isSpaceOrTab(s[end]) else { return nil }
            advanceNextNonspace()
            advanceOffset(level, columns: false)
            closeUnmatchedBlocks()
            let heading = addChild(.heading)
            heading.level = level
            var content = line[min(offset, line.count)...]
            while let b = content.first, Byte.isSpaceOrTab(b) { content = content.dropFirst() }
            while let b = content.last, Byte.isSpaceOrTab(b) { content = content.dropLast() }
            // An optional closing run of #s, after a space (or alone).
            var closing = content.endIndex
            while closing > content.startIndex, content[closing - 1] == Byte.hash { closing -= 1 }
            if closing == content.startIndex {
                content = content[closing..<closing]
            } else if closing < content.endIndex, Byte.isSpaceOrTab(content[closing - 1]) {
                content = content[..<closing]
                while let b = content.last, Byte.isSpaceOrTab(b) { content = content.dropLast() }
            }
            heading.content = Array(content)
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        private mutating func startFence() -> Started? {
            let s = rest
            guard let char = s.first else { return nil }
            var end = s.startIndex
            while end < s.endIndex, s[end] == char { end += 1 }
            let length = end - s.startIndex
            guard length >= 3 else { return nil }
            // "```a``` b" is inline code, not a fence.
            if char == Byte.backtick, s[end...].contains(Byte.backtick) { return nil }
            closeUnmatchedBlocks()
            let block = addChild(.codeBlock)
            block.fence.isFenced = true
            var info = s[end...]
            while let b = info.first, Byte.isWhitespace(b) { info = info.dropFirst() }
            while let b = info.last, Byte.isWhitespace(b) { info = info.dropLast() }
            block.fence = Fence(isFenced: true, char: char, length: length, offset: indent,
                                info: Inlines.unescape(info))
            lineConsumed = true
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        private mutating func startHTMLBlock(in container: Block) -> Started? {
            let s = rest
            guard let type = RawHTML.blockStart(s) else { return nil }
            let canInterrupt = container.kind != .paragraph && !(!allClosed && !blank && tip.kind == .paragraph)
            guard type < 7 || canInterrupt else { return nil }
            closeUnmatchedBlocks()
            // The indentation is part of the block's text, so offset stays.
            let block = addChild(.htmlBlock)
            block.htmlType = type
            return .leaf
        }

        private mutating func startSetextHeading(_ paragraph: Block) -> Started? {
            let s = rest
            guard let char = s.first else { return nil }
            var end = s.startIndex
            while end < s.endIndex, s[end] == char { end += 1 }
            guard s[end...].allSatisfy(Byte.isSpaceOrTab) else { return nil }
            closeUnmatchedBlocks()
            resolveReferences(in: paragraph)
            guard !paragraph.content.isEmpty else { return nil }
            paragraph.content.removeLast()  // its final newline
            let heading = Block(.heading, line: paragraph.startLine)
            heading.level = char == Byte.equals ? 1 : 2
            heading.content = paragraph.content
            heading.parent = paragraph.parent
            heading.depth = paragraph.depth
            heading.endLine = lineNumber
            if let parent = paragraph.parent { parent.children[parent.children.count - 1] = heading }
            tip = heading
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        private mutating func startListItem(in container: Block) -> Started? {
            guard indent < 4, let data = parseListMarker(in: container) else { return nil }
            closeUnmatchedBlocks()
            if tip.kind != .list || tip.list.ordered != data.ordered || tip.list.marker != data.marker {
                let list = addChild(.list)
                list.list = data
            }
            let item = addChild(.item)
            item.list = data
            return .container
        }

        private mutating func parseListMarker(in container: Block) -> ListData? {
            let s = rest
            guard let first = s.first else { return nil }
            var data = ListData()
            data.markerOffset = indent
            var length = 0
            if first == Byte.star || first == Byte.plus || first == Byte.dash {
                data.marker = first
                length = 1
            } else if Byte.isDigit(first) {
                var number = 0
                var end = s.startIndex
                while end < s.endIndex, Byte.isDigit(s[end]), end - s.startIndex < 10 {
                    number = number * 10 + Int(s[end] - 0x30)
                    end += 1
                }
                let digits = end - s.startIndex
                guard digits <= 9, end < s.endIndex, s[end] == Byte.dot || s[end] == Byte.closeParen else { return nil }
                // Only "1." may interrupt a paragraph, so "at 09:40\n2. x" stays one.
                guard container.kind != .paragraph || number == 1 else { return nil }
                data.ordered = true
                data.start = number
                data.marker = s[end]
                length = digits + 1
            } else {
                return nil
            }
            let after = nextNonspace + length
            if let next = peek(after), !Byte.isSpaceOrTab(next) { return nil }
            // An empty item cannot interrupt a paragraph.
            if container.kind == .paragraph, line[min(after, line.count)...].allSatisfy(Byte.isSpaceOrTab) { return nil }
            advanceNextNonspace()
            advanceOffset(length, columns: true)
            let spacesStartColumn = column
            let spacesStartOffset = offset
            repeat {
                advanceOffset(1, columns: true)
            } while column - spacesStartColumn < 5 && peek(offset).map(Byte.isSpaceOrTab) == true
            let blankItem = peek(offset) == nil
            let spaces = column - spacesStartColumn
            if spaces >= 5 || spaces < 1 || blankItem {
                data.padding = length + 1
                column = spacesStartColumn
                offset = spacesStartOffset
                partiallyConsumedTab = false
                if let b = peek(offset), Byte.isSpaceOrTab(b) { advanceOffset(1, columns: true) }
            } else {
                data.padding = length + spaces
            }
            return data
        }

        private mutating func startTable(_ paragraph: Block) -> Started? {
            guard let alignments = Tables.delimiterRow(rest) else { return nil }
            // The header is the paragraph's last line; earlier lines stay a paragraph.
            // Only that line is looked at (and copied) until the column counts
            // match: a paragraph of lines that each look like a delimiter row
            // under the one before (`|-|-` / `|-` …) gets here on every line,
            // and copying the whole paragraph each time would be quadratic.
            let content = paragraph.content
            let headerEnd = content.isEmpty ? 0 : content.count - 1  // before the final newline
            let headerStart = (content[..<headerEnd].lastIndex(of: Byte.newline).map { $0 + 1 }) ?? 0
            guard Tables.cells(content[headerStart..<headerEnd]).count == alignments.count else { return nil }
            let header = Array(content[headerStart..<headerEnd])
            closeUnmatchedBlocks()
            if headerStart > 0 {
                paragraph.content = Array(content[..<headerStart])
                finalize(paragraph, line: lineNumber - 2)
            } else {
                paragraph.isOpen = false
                if let parent = paragraph.parent, parent.children.last === paragraph { parent.children.removeLast() }
            }
            tip = paragraph.parent ?? document
            let table = addChild(.table)
            table.startLine = lineNumber - 1
            table.table = TableLayout(alignments: alignments, header: header)
            lineConsumed = true
            advanceOffset(line.count - offset, columns: false)
            return .leaf
        }

        // MARK: Finishing blocks

        private mutating func finalize(_ block: Block, line: Int) {
            let above = block.parent
            block.isOpen = false
            switch block.kind {
            case .paragraph:
                block.endLine = max(block.endLine, line)
                resolveReferences(in: block)
                if block.content.isEmpty, let parent = block.parent, parent.children.last === block {
                    parent.children.removeLast()
                }
            case .codeBlock:
                if block.fence.isFenced {
                    block.endLine = max(block.endLine, line)
                } else {
                    // Trailing blank lines are not part of indented code.
                    var end = block.content.count
                    while end > 0 {
                        var start = end - 1
                        while start > 0, block.content[start - 1] != Byte.newline { start -= 1 }
                        guard block.content[start..<(end - 1)].allSatisfy({ $0 == Byte.space }) else { break }
                        end = start
                    }
                    block.content.removeSubrange(end...)
                }
            case .item:
                if let last = block.children.last { block.endLine = last.endLine } else { block.endLine = block.startLine }
            case .list:
                block.tight = Self.isTight(block)
                if let last = block.children.last { block.endLine = last.endLine }
            case .blockQuote, .heading, .thematicBreak, .htmlBlock, .document:
                block.endLine = max(block.endLine, line)
            case .table:
                break
            }
            tip = above ?? document
        }

        /// A list is loose if a blank line separates two items or two blocks
        /// directly inside an item.
        private static func isTight(_ list: Block) -> Bool {
            func gapAfter(_ blocks: [Block], _ index: Int) -> Bool {
                index + 1 < blocks.count && blocks[index + 1].startLine > blocks[index].endLine + 1
            }
            for (i, item) in list.children.enumerated() {
                if gapAfter(list.children, i) { return false }
                for j in item.children.indices where gapAfter(item.children, j) { return false }
            }
            return true
        }

        /// Takes link reference definitions off the start of a paragraph.
        private mutating func resolveReferences(in paragraph: Block) {
            guard paragraph.content.first == Byte.openBracket else { return }
            var position = 0
            while position < paragraph.content.count, paragraph.content[position] == Byte.openBracket,
                let end = references.parseDefinition(paragraph.content, at: position)
            {
                position = end
            }
            if position > 0 {
                paragraph.content.removeSubrange(0..<position)
                if paragraph.content.allSatisfy(Byte.isWhitespace) { paragraph.content = [] }
            }
        }

        /// Marks task list items, now that every paragraph is final.
        private func resolveInlines() {
            var stack = [document]
            while let block = stack.popLast() {
                if block.kind == .item, let first = block.children.first, first.kind == .paragraph {
                    first.task = Tables.taskMarker(&first.content)
                }
                stack.append(contentsOf: block.children)
            }
        }
    }
}
