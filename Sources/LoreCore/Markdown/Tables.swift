extension Markdown {
    /// A GitHub table's shape: the header line and each column's alignment.
    /// The body rows are the table block's lines.
    struct TableLayout {
        enum Alignment { case none, left, center, right }

        var alignments: [Alignment] = []
        var header: [UInt8] = []
    }

    /// GitHub's extensions that need a look at the text of a block: pipe
    /// tables and task list markers.
    enum Tables {
        /// The delimiter row under a table header (`| :-- | --: |`): the
        /// alignment of each column, or nil if `line` is not one. It needs a
        /// pipe, so a lone `---` stays a setext underline or a rule.
        static func delimiterRow(_ line: ArraySlice<UInt8>) -> [TableLayout.Alignment]? {
            guard line.contains(Byte.pipe) else { return nil }
            var alignments: [TableLayout.Alignment] = []
            for cell in cells(line) {
                var cell = cell[...]
                let left = cell.first == Byte.colon
                if left { cell = cell.dropFirst() }
                let right = cell.last == Byte.colon
                if right { cell = cell.dropLast() }
                guard !cell.isEmpty, cell.allSatisfy({ $0 == Byte.dash }) else { return nil }
                alignments.append(left && right ? .center : left ? .left : right ? .right : .none)
            }
            return alignments.isEmpty ? nil : alignments
        }

        /// A row's cells: split at unescaped pipes, the outer pipes dropped,
        /// each cell trimmed and `\|` turned into `|` (so a pipe can appear in
        /// a cell, even inside code).
        static func cells(_ line: ArraySlice<UInt8>) -> [[UInt8]] {
            var row = line
            while let b = row.first, Byte.isWhitespace(b) { row = row.dropFirst() }
            while let b = row.last, Byte.isWhitespace(b) { row = row.dropLast() }
            if row.first == Byte.pipe { row = row.dropFirst() }
            if row.last == Byte.pipe, row.count < 2 || row[row.endIndex - 2] != Byte.backslash { row = row.dropLast() }
            var cells: [[UInt8]] = []
            var current: [UInt8] = []
            var i = row.startIndex
            var sawAnything = false
            while i < row.endIndex {
                let b = row[i]
                sawAnything = true
                if b == Byte.backslash, i + 1 < row.endIndex, row[i + 1] == Byte.pipe {
                    current.append(Byte.pipe)
                    i += 2
                    continue
                }
                if b == Byte.pipe {
                    cells.append(trimmed(current))
                    current.removeAll(keepingCapacity: true)
                } else {
                    current.append(b)
                }
                i += 1
            }
            if sawAnything || !line.isEmpty { cells.append(trimmed(current)) }
            return cells
        }

        private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
            var slice = bytes[...]
            while let b = slice.first, Byte.isWhitespace(b) { slice = slice.dropFirst() }
            while let b = slice.last, Byte.isWhitespace(b) { slice = slice.dropLast() }
            return Array(slice)
        }

        /// `[ ] ` or `[x] ` at the start of a list item's first paragraph: takes
        /// it off and returns whether it was checked.
        static func taskMarker(_ content: inout [UInt8]) -> Bool? {
            guard content.count >= 4, content[0] == Byte.openBracket, content[2] == Byte.closeBracket,
                Byte.isSpaceOrTab(content[3])
            else { return nil }
            let mark = content[1]
            guard mark == Byte.space || mark == UInt8(ascii: "x") || mark == UInt8(ascii: "X") else { return nil }
            var start = 4
            while start < content.count, Byte.isSpaceOrTab(content[start]) { start += 1 }
            guard start < content.count, content[start] != Byte.newline else { return nil }
            content.removeSubrange(0..<start)
            return mark != Byte.space
        }
    }
}
