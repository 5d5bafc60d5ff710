import Foundation

/// Renders user-written Markdown to HTML that is safe to put on a page.
///
/// Everything in an incident review (timeline notes, root-cause write-ups,
/// follow-up descriptions) is typed by one person and read by others. Lore must
/// never let that text become markup: a `<script>` pasted from a log line, an
/// `<img onerror=…>`, or a `javascript:` link has to show up as the characters
/// that were typed, never run in a colleague's browser.
///
/// So this renderer is deliberately small and closed:
///
/// - Raw HTML is never passed through. Every byte of user text leaves this file
///   through the same escaping as ``escape(_:)``; the only tags in the output
///   are the fixed ones written here.
/// - Links are an allowlist, not a blocklist: only `http://`, `https://` and
///   `mailto:` URLs, or paths on this site (`/…`, `#…`). Everything else
///   (`javascript:` in any spelling, `data:`, `vbscript:`, a scheme hidden behind
///   whitespace or control characters) stays plain text. Character references
///   are never decoded, so `java&#115;cript:` neither passes the check nor turns
///   into `javascript:` in the browser: its `&` is escaped like any other.
/// - Attribute values are escaped too, quotes included, so a URL or a title
///   cannot end its attribute and start another (`" onclick="…`).
/// - It reads UTF-8 bytes left to right with bounded look-ahead, and nesting of
///   quotes and lists is capped, so no input can crash it, recurse without end,
///   or take quadratic time.
///
/// Supported: paragraphs (a single newline becomes `<br>`), ATX headings (shifted
/// down two levels, `#` → `<h3>`, because pages already use `<h1>` and `<h2>`),
/// `-`/`*`/`+` and `1.` lists, `>` quotes, fenced code blocks, `---` rules,
/// `` `code` ``, `**strong**`, `*em*`/`_em_`, `[label](url "title")`,
/// `<https://…>` / `<name@host>` autolinks and bare `http(s)://` URLs.
/// Everything else (raw HTML, reference links, tables, setext headings, images)
/// is shown as the text it is; `![alt](url)` shows as `!` and a link.
public enum Markdown {
    /// Renders `text` as HTML. Safe for any input: see ``Markdown``.
    public static func html(_ text: String) -> String {
        var out = HTMLBuffer(capacity: text.utf8.count + text.utf8.count / 4)
        Blocks.render(Source.lines(of: text), depth: 0, tight: false, into: &out)
        return out.string
    }

    /// HTML-escapes `& < > " '` (used everywhere user text reaches a page).
    ///
    /// Escaping all five makes the result safe both as element content and
    /// inside a quoted attribute value, with either quote character.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: HTMLBuffer.needsEscaping) else { return text }
        var out = HTMLBuffer()
        out.appendEscaped(Array(text.utf8))
        return out.string
    }
}

// MARK: - Output

extension Markdown {
    /// The HTML being written. User text can only get in through
    /// `appendEscaped`; `append` is for the fixed markup of this file.
    fileprivate struct HTMLBuffer {
        private(set) var bytes: [UInt8] = []

        init(capacity: Int = 0) {
            bytes.reserveCapacity(capacity)
        }

        var string: String { String(decoding: bytes, as: UTF8.self) }

        static func needsEscaping(_ byte: UInt8) -> Bool {
            byte == Byte.ampersand || byte == Byte.lessThan || byte == Byte.greaterThan
                || byte == Byte.quote || byte == Byte.apostrophe
        }

        /// Appends fixed markup. Never pass user text here.
        mutating func append(_ markup: String) {
            bytes.append(contentsOf: markup.utf8)
        }

        mutating func appendByte(_ byte: UInt8) {
            bytes.append(byte)
        }

        /// Appends user text, escaped. With `lineBreaks`, newlines become `<br>`.
        mutating func appendEscaped(_ text: ArraySlice<UInt8>, lineBreaks: Bool = false) {
            // Copy runs of ordinary bytes in one go; only the five special
            // characters (and newlines, if asked) are replaced.
            var runStart = text.startIndex
            for index in text.indices {
                let replacement: String
                switch text[index] {
                case Byte.ampersand: replacement = "&amp;"
                case Byte.lessThan: replacement = "&lt;"
                case Byte.greaterThan: replacement = "&gt;"
                case Byte.quote: replacement = "&quot;"
                case Byte.apostrophe: replacement = "&#39;"
                case Byte.newline where lineBreaks: replacement = "<br>\n"
                default: continue
                }
                bytes.append(contentsOf: text[runStart..<index])
                append(replacement)
                runStart = index + 1
            }
            bytes.append(contentsOf: text[runStart...])
        }

        mutating func appendEscaped(_ text: [UInt8], lineBreaks: Bool = false) {
            appendEscaped(text[...], lineBreaks: lineBreaks)
        }

        /// Opens a link. Callers must have checked `href` with `Links.isAllowed`.
        mutating func appendLinkOpening(href: [UInt8], title: [UInt8]?) {
            append("<a href=\"")
            appendEscaped(href)
            append("\"")
            if let title {
                append(" title=\"")
                appendEscaped(title)
                append("\"")
            }
            // User content: search engines should not credit it, and a new
            // window must not get a handle on this one.
            append(" rel=\"nofollow noopener\">")
        }
    }
}

// MARK: - Bytes and lines

extension Markdown {
    /// ASCII bytes the syntax is made of. All of them are below 0x80, so they
    /// can never be part of a multi-byte UTF-8 character: cutting the text at
    /// any of them keeps every character whole.
    fileprivate enum Byte {
        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
        static let space: UInt8 = 0x20
        static let quote: UInt8 = 0x22  // "
        static let hash: UInt8 = 0x23  // #
        static let ampersand: UInt8 = 0x26  // &
        static let apostrophe: UInt8 = 0x27  // '
        static let openParen: UInt8 = 0x28
        static let closeParen: UInt8 = 0x29
        static let star: UInt8 = 0x2A
        static let plus: UInt8 = 0x2B
        static let dash: UInt8 = 0x2D
        static let dot: UInt8 = 0x2E
        static let slash: UInt8 = 0x2F
        static let lessThan: UInt8 = 0x3C
        static let greaterThan: UInt8 = 0x3E
        static let at: UInt8 = 0x40
        static let openBracket: UInt8 = 0x5B
        static let backslash: UInt8 = 0x5C
        static let closeBracket: UInt8 = 0x5D
        static let underscore: UInt8 = 0x5F
        static let backtick: UInt8 = 0x60
        static let tilde: UInt8 = 0x7E
        static let delete: UInt8 = 0x7F

        static func isSpaceOrTab(_ b: UInt8) -> Bool { b == space || b == tab }

        static func isWhitespace(_ b: UInt8) -> Bool {
            b == space || b == tab || b == newline || b == carriageReturn || b == 0x0B || b == 0x0C
        }

        /// Space and the C0/DEL control characters: never allowed inside a URL.
        static func isSpaceOrControl(_ b: UInt8) -> Bool { b <= space || b == delete }

        static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

        static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }

        static func isPunctuation(_ b: UInt8) -> Bool {
            (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60)
                || (b >= 0x7B && b <= 0x7E)
        }

        static func lowercased(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
    }

    /// One line of input, without its newline: a view into the normalised text.
    fileprivate typealias Line = ArraySlice<UInt8>

    fileprivate enum Source {
        /// Splits `text` into lines after normalising it: `\r\n` and `\r` become
        /// `\n`, NUL becomes U+FFFD, and tabs in leading indentation become
        /// spaces (tab stops of 4) so indentation can be counted in bytes.
        static func lines(of text: String) -> [Line] {
            var bytes = Array(text.utf8)
            let needsNormalising = bytes.contains {
                $0 == Byte.carriageReturn || $0 == 0 || $0 == Byte.tab
            }
            if needsNormalising {
                bytes = normalised(text)
            }
            var lines: [Line] = []
            var start = 0
            for index in bytes.indices where bytes[index] == Byte.newline {
                lines.append(bytes[start..<index])
                start = index + 1
            }
            lines.append(bytes[start..<bytes.endIndex])
            return lines
        }

        private static func normalised(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var inIndentation = true
            var column = 0
            var afterCarriageReturn = false
            for byte in text.utf8 {
                if byte == Byte.newline && afterCarriageReturn {
                    afterCarriageReturn = false
                    continue
                }
                afterCarriageReturn = byte == Byte.carriageReturn
                switch byte {
                case Byte.newline, Byte.carriageReturn:
                    bytes.append(Byte.newline)
                    inIndentation = true
                    column = 0
                case 0:
                    bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inIndentation = false
                case Byte.tab where inIndentation:
                    let width = 4 - column % 4
                    bytes.append(contentsOf: repeatElement(Byte.space, count: width))
                    column += width
                case Byte.space where inIndentation:
                    bytes.append(byte)
                    column += 1
                default:
                    bytes.append(byte)
                    inIndentation = false
                }
            }
            return bytes
        }

        static func indent(of line: Line) -> Int {
            var count = 0
            for byte in line {
                guard Byte.isSpaceOrTab(byte) else { break }
                count += 1
            }
            return count
        }

        static func isBlank(_ line: Line) -> Bool {
            line.allSatisfy(Byte.isSpaceOrTab)
        }

        static func trimmed(_ line: Line) -> Line {
            var start = line.startIndex
            var end = line.endIndex
            while start < end, Byte.isWhitespace(line[start]) { start += 1 }
            while end > start, Byte.isWhitespace(line[end - 1]) { end -= 1 }
            return line[start..<end]
        }

        static func dropIndent(_ line: Line, upTo limit: Int) -> Line {
            var start = line.startIndex
            while start < line.endIndex, start - line.startIndex < limit, Byte.isSpaceOrTab(line[start]) {
                start += 1
            }
            return line[start...]
        }
    }
}

// MARK: - Blocks

extension Markdown {
    /// Block structure: paragraphs, headings, rules, fences, quotes and lists.
    fileprivate enum Blocks {
        /// Quotes and lists nested deeper than this are shown as text. Real
        /// reviews never come close; the cap means `>>>>…` or `- - - x`
        /// cannot recurse without end or multiply the work.
        static let maxDepth = 12

        struct Fence {
            let marker: UInt8
            let length: Int
            let indent: Int
            let language: [UInt8]?
        }

        struct ListMarker {
            let ordered: Bool
            /// The bullet (`-`, `*`, `+`) or the ordered delimiter (`.`, `)`).
            let delimiter: UInt8
            let start: Int
            /// Bytes from the start of the line to the item's content.
            let contentOffset: Int
            let isEmpty: Bool
        }

        /// Renders `lines` as a sequence of blocks. In a `tight` list item,
        /// paragraphs are written without `<p>`.
        static func render(_ lines: [Line], depth: Int, tight: Bool, into out: inout HTMLBuffer) {
            let containers = depth < maxDepth
            var wroteBlock = false
            func beginBlock() {
                if wroteBlock { out.appendByte(Byte.newline) }
                wroteBlock = true
            }

            var i = 0
            while i < lines.count {
                let line = lines[i]
                if Source.isBlank(line) {
                    i += 1
                    continue
                }
                if Source.indent(of: line) <= 3 {
                    if let fence = fenceOpening(line) {
                        beginBlock()
                        i = renderFence(fence, lines, from: i + 1, into: &out)
                        continue
                    }
                    if let heading = heading(line) {
                        beginBlock()
                        out.append("<h\(heading.level)>")
                        Inline.render(Array(heading.content), into: &out)
                        out.append("</h\(heading.level)>")
                        i += 1
                        continue
                    }
                    if isThematicBreak(line) {
                        beginBlock()
                        out.append("<hr>")
                        i += 1
                        continue
                    }
                    if containers, quoteContent(line) != nil {
                        beginBlock()
                        i = renderQuote(lines, from: i, depth: depth, into: &out)
                        continue
                    }
                    if containers, let marker = listMarker(line) {
                        beginBlock()
                        i = renderList(lines, from: i, marker: marker, depth: depth, into: &out)
                        continue
                    }
                }

                // A paragraph runs until a blank line or another block's start.
                beginBlock()
                var text = Array(Source.trimmed(line))
                i += 1
                while i < lines.count, !Source.isBlank(lines[i]),
                    !interruptsParagraph(lines[i], containers: containers)
                {
                    text.append(Byte.newline)
                    text.append(contentsOf: Source.trimmed(lines[i]))
                    i += 1
                }
                if !tight { out.append("<p>") }
                Inline.render(text, into: &out)
                if !tight { out.append("</p>") }
            }
        }

        // MARK: Fenced code

        static func fenceOpening(_ line: Line) -> Fence? {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return nil }
            let start = line.startIndex + indent
            guard start < line.endIndex, line[start] == Byte.backtick || line[start] == Byte.tilde else {
                return nil
            }
            let marker = line[start]
            var end = start
            while end < line.endIndex, line[end] == marker { end += 1 }
            guard end - start >= 3 else { return nil }
            let info = Source.trimmed(line[end...])
            // "```a``` b" is inline code in a paragraph, not a fence.
            if marker == Byte.backtick, info.contains(Byte.backtick) { return nil }
            let word = info.prefix { !Byte.isSpaceOrTab($0) }
            // The language becomes a class name; only plain names are kept.
            let isPlainName = word.allSatisfy {
                Byte.isAlphanumeric($0) || $0 == Byte.dash || $0 == Byte.underscore || $0 == Byte.plus
                    || $0 == Byte.dot || $0 == Byte.hash
            }
            let language = !word.isEmpty && isPlainName ? Array(word) : nil
            return Fence(marker: marker, length: end - start, indent: indent, language: language)
        }

        static func isFenceClosing(_ line: Line, for fence: Fence) -> Bool {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return false }
            let start = line.startIndex + indent
            var end = start
            while end < line.endIndex, line[end] == fence.marker { end += 1 }
            return end - start >= fence.length && Source.isBlank(line[end...])
        }

        /// Writes a code block; an unclosed fence runs to the end of its
        /// container. Returns the index of the first line after it.
        static func renderFence(_ fence: Fence, _ lines: [Line], from start: Int, into out: inout HTMLBuffer) -> Int {
            out.append("<pre><code")
            if let language = fence.language {
                out.append(" class=\"language-")
                out.appendEscaped(language)
                out.append("\"")
            }
            out.append(">")
            var i = start
            while i < lines.count {
                let line = lines[i]
                i += 1
                if isFenceClosing(line, for: fence) { break }
                out.appendEscaped(Source.dropIndent(line, upTo: fence.indent))
                out.appendByte(Byte.newline)
            }
            out.append("</code></pre>")
            return i
        }

        // MARK: Headings and rules

        static func heading(_ line: Line) -> (level: Int, content: Line)? {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return nil }
            let start = line.startIndex + indent
            var end = start
            while end < line.endIndex, line[end] == Byte.hash, end - start < 7 { end += 1 }
            let hashes = end - start
            guard (1...6).contains(hashes), end == line.endIndex || Byte.isSpaceOrTab(line[end]) else {
                return nil
            }
            var content = Source.trimmed(line[end...])
            // An optional closing run of #s: "## Impact ##".
            var closing = content.endIndex
            while closing > content.startIndex, content[closing - 1] == Byte.hash { closing -= 1 }
            if closing == content.startIndex {
                content = content[closing..<closing]
            } else if Byte.isSpaceOrTab(content[closing - 1]) {
                content = Source.trimmed(content[..<closing])
            }
            // Pages own <h1> and <h2>: user headings start at <h3>.
            return (min(hashes + 2, 6), content)
        }

        static func isThematicBreak(_ line: Line) -> Bool {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return false }
            let start = line.startIndex + indent
            guard start < line.endIndex else { return false }
            let marker = line[start]
            guard marker == Byte.dash || marker == Byte.star || marker == Byte.underscore else { return false }
            var count = 0
            for byte in line[start...] {
                if byte == marker {
                    count += 1
                } else if !Byte.isSpaceOrTab(byte) {
                    return false
                }
            }
            return count >= 3
        }

        // MARK: Quotes

        /// The line without its `>` marker, if it has one.
        static func quoteContent(_ line: Line) -> Line? {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return nil }
            var start = line.startIndex + indent
            guard start < line.endIndex, line[start] == Byte.greaterThan else { return nil }
            start += 1
            if start < line.endIndex, Byte.isSpaceOrTab(line[start]) { start += 1 }
            return line[start...]
        }

        static func renderQuote(_ lines: [Line], from start: Int, depth: Int, into out: inout HTMLBuffer) -> Int {
            var inner: [Line] = []
            var i = start
            while i < lines.count {
                let line = lines[i]
                if let content = quoteContent(line) {
                    inner.append(content)
                } else if !Source.isBlank(line), let last = inner.last, !Source.isBlank(last),
                    !interruptsParagraph(line, containers: true)
                {
                    inner.append(line)  // a lazy continuation of the quoted paragraph
                } else {
                    break
                }
                i += 1
            }
            out.append("<blockquote>\n")
            render(inner, depth: depth + 1, tight: false, into: &out)
            out.append("\n</blockquote>")
            return i
        }

        // MARK: Lists

        static func listMarker(_ line: Line) -> ListMarker? {
            let indent = Source.indent(of: line)
            guard indent <= 3 else { return nil }
            let start = line.startIndex + indent
            guard start < line.endIndex else { return nil }
            var ordered = false
            var number = 1
            let delimiter: UInt8
            var end: Int
            let first = line[start]
            if first == Byte.dash || first == Byte.star || first == Byte.plus {
                delimiter = first
                end = start + 1
            } else if Byte.isDigit(first) {
                end = start
                number = 0
                // At most 9 digits, so the number always fits.
                while end < line.endIndex, Byte.isDigit(line[end]), end - start < 9 {
                    number = number * 10 + Int(line[end] - 0x30)
                    end += 1
                }
                guard end < line.endIndex, line[end] == Byte.dot || line[end] == Byte.closeParen else {
                    return nil
                }
                ordered = true
                delimiter = line[end]
                end += 1
            } else {
                return nil
            }
            let markerEnd = end - line.startIndex
            guard end < line.endIndex else {
                return ListMarker(ordered: ordered, delimiter: delimiter, start: number,
                                  contentOffset: markerEnd + 1, isEmpty: true)
            }
            guard Byte.isSpaceOrTab(line[end]) else { return nil }
            var spaces = 0
            while end < line.endIndex, Byte.isSpaceOrTab(line[end]) {
                spaces += 1
                end += 1
            }
            let isEmpty = end == line.endIndex
            let offset = isEmpty || spaces > 4 ? markerEnd + 1 : markerEnd + spaces
            return ListMarker(ordered: ordered, delimiter: delimiter, start: number,
                              contentOffset: offset, isEmpty: isEmpty)
        }

        static func firstLine(of line: Line, after marker: ListMarker) -> Line {
            let start = min(line.startIndex + marker.contentOffset, line.endIndex)
            return line[start...]
        }

        /// Writes a list: items of the same kind, each with its indented (or
        /// lazily continued) lines. Blank lines between items or blocks make the
        /// list loose, so its paragraphs keep their `<p>`.
        static func renderList(_ lines: [Line], from start: Int, marker first: ListMarker, depth: Int,
                               into out: inout HTMLBuffer) -> Int {
            var items: [[Line]] = []
            var current = [firstLine(of: lines[start], after: first)]
            var contentOffset = first.contentOffset
            var loose = false
            var afterBlank = false
            var i = start + 1
            while i < lines.count {
                let line = lines[i]
                if Source.isBlank(line) {
                    current.append(line)
                    afterBlank = true
                    i += 1
                    continue
                }
                let indent = Source.indent(of: line)
                if indent >= contentOffset {
                    if afterBlank { loose = true }
                    current.append(Source.dropIndent(line, upTo: contentOffset))
                } else if indent <= 3, !isThematicBreak(line), let marker = listMarker(line),
                    marker.ordered == first.ordered, marker.delimiter == first.delimiter
                {
                    if afterBlank { loose = true }
                    items.append(current)
                    current = [firstLine(of: line, after: marker)]
                    contentOffset = marker.contentOffset
                } else if !afterBlank, let last = current.last, !Source.isBlank(last),
                    !interruptsParagraph(line, containers: true)
                {
                    current.append(line)  // a lazy continuation of the item's paragraph
                } else {
                    break
                }
                afterBlank = false
                i += 1
            }
            items.append(current)

            if !first.ordered {
                out.append("<ul>\n")
            } else if first.start != 1 {
                out.append("<ol start=\"\(first.start)\">\n")
            } else {
                out.append("<ol>\n")
            }
            for item in items {
                out.append("<li>")
                render(item, depth: depth + 1, tight: !loose, into: &out)
                out.append("</li>\n")
            }
            out.append(first.ordered ? "</ol>" : "</ul>")
            return i
        }

        /// Whether `line` starts a block that ends the paragraph before it.
        /// As in CommonMark, an ordered list only interrupts when it starts at 1,
        /// so "at 09:40\n2. attempt failed" stays one paragraph.
        static func interruptsParagraph(_ line: Line, containers: Bool) -> Bool {
            guard Source.indent(of: line) <= 3 else { return false }
            if fenceOpening(line) != nil || heading(line) != nil || isThematicBreak(line) { return true }
            guard containers else { return false }
            if quoteContent(line) != nil { return true }
            if let marker = listMarker(line), !marker.isEmpty, !marker.ordered || marker.start == 1 {
                return true
            }
            return false
        }
    }
}

// MARK: - Links

extension Markdown {
    fileprivate enum Links {
        /// Whether `href` may become a link: an `http(s)://` or `mailto:` URL,
        /// or a path on this site. This is an allowlist, so nothing has to
        /// recognise `javascript:` in its many disguises; it simply isn't here.
        /// Whitespace and control characters are refused anywhere, because
        /// browsers strip them ("java\tscript:" is javascript:).
        static func isAllowed(_ href: [UInt8]) -> Bool {
            guard let first = href.first, !href.contains(where: Byte.isSpaceOrControl) else { return false }
            // "//host" and "/\host" leave the site; a single leading slash stays.
            if first == Byte.slash {
                return href.count == 1 || (href[1] != Byte.slash && href[1] != UInt8(ascii: "\\"))
            }
            if first == Byte.hash { return true }
            return hasAllowedScheme(href[...])
        }

        static func hasAllowedScheme(_ url: ArraySlice<UInt8>) -> Bool {
            hasPrefix(url, "http://") || hasPrefix(url, "https://") || hasPrefix(url, "mailto:")
        }

        /// Case-insensitive: `HTTPS://` is fine.
        static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
            var index = bytes.startIndex
            for expected in prefix.utf8 {
                guard index < bytes.endIndex, Byte.lowercased(bytes[index]) == expected else { return false }
                index += 1
            }
            return true
        }

        /// A plain `local@domain` address, for `<name@example.com>` autolinks.
        static func isEmailAddress(_ bytes: ArraySlice<UInt8>) -> Bool {
            guard let at = bytes.firstIndex(of: Byte.at) else { return false }
            let local = bytes[..<at]
            let domain = bytes[(at + 1)...]
            let localSymbols = Array(".!#$%&'*+/=?^_`{|}~-".utf8)
            return !local.isEmpty && !domain.isEmpty
                && domain.first != Byte.dot && domain.last != Byte.dot
                && local.allSatisfy { Byte.isAlphanumeric($0) || localSymbols.contains($0) }
                && domain.allSatisfy { Byte.isAlphanumeric($0) || $0 == Byte.dash || $0 == Byte.dot }
        }
    }
}

// MARK: - Inline

extension Markdown {
    /// Inline syntax within one paragraph or heading.
    ///
    /// One left-to-right pass turns the text into tokens (text, code, links,
    /// runs of `*`/`_`); emphasis is then matched with CommonMark's delimiter
    /// algorithm, which only records which tags each run opens or closes, so
    /// the output is always properly nested. Every look-ahead is bounded (by
    /// the next `<`, `]` or whitespace, or by a precomputed index), which keeps
    /// the whole pass linear however the markers are arranged.
    fileprivate struct Inline {
        enum Token {
            case text(Range<Int>)
            case code(Range<Int>)
            /// `<https://…>`, `<name@host>` or a bare URL: `autolinks[index]`
            /// is the href. (Kept out of the token so tokens stay plain values.)
            case autolink(Int, label: Range<Int>)
            case delimiter(Int)
            /// A `[`: a link if `links[index]` gets filled in, else literal.
            case linkOpen(Int)
            case linkClose
        }

        struct DelimiterRun {
            let char: UInt8
            let length: Int
            var remaining: Int
            let canOpen: Bool
            let canClose: Bool
            /// Neighbours in the list of runs still waiting for a partner.
            var previous = -1
            var next = -1
            /// Tags this run opens / closes, innermost first (`true` = strong).
            var opens: [Bool] = []
            var closes: [Bool] = []
        }

        struct Bracket {
            let link: Int
            /// `runs.count` when the `[` was seen: the runs inside the label.
            let runBottom: Int
        }

        struct LinkTarget {
            let href: [UInt8]
            let title: [UInt8]?
        }

        static func render(_ text: [UInt8], into out: inout HTMLBuffer) {
            var inline = Inline(s: text)
            inline.parse()
            inline.write(into: &out)
        }

        let s: [UInt8]
        var tokens: [Token] = []
        var runs: [DelimiterRun] = []
        /// Last run in the waiting list, or -1.
        var tail = -1
        var brackets: [Bracket] = []
        /// Brackets below this stack index are inactive: a link has closed
        /// inside them, and links cannot contain links.
        var activeFloor = 0
        var links: [LinkTarget?] = []
        var autolinks: [[UInt8]] = []

        init(s: [UInt8]) {
            self.s = s
        }

        // MARK: Tokenising

        mutating func parse() {
            var backticks = BacktickRuns(s)
            var i = 0
            var textStart = 0
            while i < s.count {
                switch s[i] {
                case Byte.backslash where i + 1 < s.count && Byte.isPunctuation(s[i + 1]):
                    // "\*" and friends: the next character is just text.
                    flushText(from: textStart, to: i)
                    tokens.append(.text(i + 1..<i + 2))
                    i += 2
                    textStart = i
                case Byte.backslash where i + 1 < s.count && s[i + 1] == Byte.newline:
                    // A backslash line break; every newline is a <br> already.
                    flushText(from: textStart, to: i)
                    i += 1
                    textStart = i
                case Byte.backtick:
                    var end = i
                    while end < s.count, s[end] == Byte.backtick { end += 1 }
                    let length = end - i
                    if let close = backticks.next(length: length, from: end) {
                        flushText(from: textStart, to: i)
                        tokens.append(.code(end..<close))
                        i = close + length
                        textStart = i
                    } else {
                        i = end  // no closing run: the backticks are text
                    }
                case Byte.lessThan:
                    // Either an autolink, or a "<" shown as "&lt;": raw HTML
                    // never gets through.
                    if let link = autolink(at: i) {
                        flushText(from: textStart, to: i)
                        tokens.append(.autolink(autolinks.count, label: link.label))
                        autolinks.append(link.href)
                        i = link.end
                        textStart = i
                    } else {
                        i += 1
                    }
                case Byte.star, Byte.underscore:
                    let char = s[i]
                    var end = i
                    while end < s.count, s[end] == char { end += 1 }
                    flushText(from: textStart, to: i)
                    addDelimiterRun(char, i..<end)
                    i = end
                    textStart = i
                case Byte.openBracket:
                    flushText(from: textStart, to: i)
                    brackets.append(Bracket(link: links.count, runBottom: runs.count))
                    tokens.append(.linkOpen(links.count))
                    links.append(nil)
                    i += 1
                    textStart = i
                case Byte.closeBracket:
                    flushText(from: textStart, to: i)
                    if let end = closeBracket(at: i) {
                        i = end
                        textStart = i
                    } else {
                        textStart = i  // the "]" is text
                        i += 1
                    }
                case UInt8(ascii: "h"), UInt8(ascii: "H"):
                    if let url = bareURL(at: i) {
                        flushText(from: textStart, to: i)
                        tokens.append(.autolink(autolinks.count, label: url))
                        autolinks.append(Array(s[url]))
                        i = url.upperBound
                        textStart = i
                    } else {
                        i += 1
                    }
                default:
                    i += 1
                }
            }
            flushText(from: textStart, to: s.count)
            processEmphasis(above: 0)
        }

        mutating func flushText(from start: Int, to end: Int) {
            if end > start { tokens.append(.text(start..<end)) }
        }

        /// `<https://…>`, `<mailto:…>` or `<name@host>`. The scan stops at the
        /// first space, `<` or `>`, so no "<" is looked at twice.
        func autolink(at start: Int) -> (href: [UInt8], label: Range<Int>, end: Int)? {
            var end = start + 1
            while end < s.count, s[end] != Byte.greaterThan, s[end] != Byte.lessThan,
                !Byte.isSpaceOrControl(s[end])
            {
                end += 1
            }
            guard end < s.count, s[end] == Byte.greaterThan, end > start + 1 else { return nil }
            let body = s[(start + 1)..<end]
            if Links.hasAllowedScheme(body) {
                return (Array(body), (start + 1)..<end, end + 1)
            }
            if Links.isEmailAddress(body) {
                return (Array("mailto:".utf8) + body, (start + 1)..<end, end + 1)
            }
            return nil
        }

        /// A bare `http(s)://…` URL at a word start. Trailing punctuation that
        /// is more likely prose than URL ("see https://a.com/x.") is left out,
        /// as is a ")" without its "(".
        func bareURL(at start: Int) -> Range<Int>? {
            guard start == 0 || !Byte.isAlphanumeric(s[start - 1]) else { return nil }
            let schemeLength: Int
            if Links.hasPrefix(s[start...], "https://") {
                schemeLength = 8
            } else if Links.hasPrefix(s[start...], "http://") {
                schemeLength = 7
            } else {
                return nil
            }
            var end = start + schemeLength
            var opens = 0
            var closes = 0
            while end < s.count {
                let byte = s[end]
                if Byte.isSpaceOrControl(byte) || byte == Byte.lessThan || byte == Byte.greaterThan
                    || byte == Byte.quote || byte == Byte.backtick || byte == Byte.closeBracket
                {
                    break
                }
                if byte == Byte.openParen { opens += 1 }
                if byte == Byte.closeParen { closes += 1 }
                end += 1
            }
            let trailing = Array(".,:;!?*_~'".utf8)
            while end > start + schemeLength {
                let last = s[end - 1]
                if trailing.contains(last) {
                    end -= 1
                } else if last == Byte.closeParen, closes > opens {
                    closes -= 1
                    end -= 1
                } else {
                    break
                }
            }
            return end > start + schemeLength ? start..<end : nil
        }

        /// Handles a `]`. Returns where to continue if it completed a link (or
        /// a well-formed link with a refused URL, which is then shown exactly
        /// as typed); nil if the `]` is plain text.
        mutating func closeBracket(at index: Int) -> Int? {
            guard let opener = brackets.popLast() else { return nil }
            let wasActive = brackets.count >= activeFloor
            activeFloor = min(activeFloor, brackets.count)
            guard wasActive, let destination = linkDestination(from: index + 1) else { return nil }
            guard Links.isAllowed(destination.href) else {
                tokens.append(.text(index..<destination.end))
                return destination.end
            }
            processEmphasis(above: opener.runBottom)
            links[opener.link] = LinkTarget(href: destination.href, title: destination.title)
            tokens.append(.linkClose)
            activeFloor = brackets.count
            return destination.end
        }

        /// `(url)`, `(<url>)` or `(url "title")` starting at `start`. Scanning
        /// gives up at the next `]`, so each byte is looked at by at most one
        /// attempt.
        func linkDestination(from start: Int) -> (href: [UInt8], title: [UInt8]?, end: Int)? {
            guard start < s.count, s[start] == Byte.openParen else { return nil }
            var i = start + 1
            skipWhitespace(&i)
            var href: [UInt8] = []
            if i < s.count, s[i] == Byte.lessThan {
                i += 1
                while i < s.count, s[i] != Byte.greaterThan {
                    let byte = s[i]
                    if byte == Byte.newline || byte == Byte.lessThan || byte == Byte.closeBracket { return nil }
                    if byte == Byte.backslash, i + 1 < s.count, Byte.isPunctuation(s[i + 1]) {
                        href.append(s[i + 1])
                        i += 2
                        continue
                    }
                    href.append(byte)
                    i += 1
                }
                guard i < s.count else { return nil }
                i += 1
            } else {
                var depth = 0
                while i < s.count {
                    let byte = s[i]
                    if Byte.isSpaceOrControl(byte) { break }
                    if byte == Byte.closeBracket { return nil }
                    if byte == Byte.openParen {
                        depth += 1
                    } else if byte == Byte.closeParen {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    if byte == Byte.backslash, i + 1 < s.count, Byte.isPunctuation(s[i + 1]) {
                        href.append(s[i + 1])
                        i += 2
                        continue
                    }
                    href.append(byte)
                    i += 1
                }
                guard depth == 0 else { return nil }
            }
            let afterHref = i
            skipWhitespace(&i)
            var title: [UInt8]?
            if i > afterHref, i < s.count,
                s[i] == Byte.quote || s[i] == Byte.apostrophe || s[i] == Byte.openParen
            {
                let close = s[i] == Byte.openParen ? Byte.closeParen : s[i]
                var text: [UInt8] = []
                i += 1
                while i < s.count, s[i] != close {
                    if s[i] == Byte.closeBracket { return nil }
                    if s[i] == Byte.backslash, i + 1 < s.count, Byte.isPunctuation(s[i + 1]) {
                        text.append(s[i + 1])
                        i += 2
                        continue
                    }
                    text.append(s[i])
                    i += 1
                }
                guard i < s.count else { return nil }
                i += 1
                title = text
                skipWhitespace(&i)
            }
            guard i < s.count, s[i] == Byte.closeParen else { return nil }
            return (href, title, i + 1)
        }

        func skipWhitespace(_ i: inout Int) {
            while i < s.count, Byte.isWhitespace(s[i]) { i += 1 }
        }

        // MARK: Emphasis

        /// Records a run of `*` or `_`, with CommonMark's flanking rules deciding
        /// whether it may open or close. (`_` inside a word does neither, so
        /// `snake_case_names` stay as typed.)
        mutating func addDelimiterRun(_ char: UInt8, _ range: Range<Int>) {
            let before = range.lowerBound > 0 ? s[range.lowerBound - 1] : Byte.newline
            let after = range.upperBound < s.count ? s[range.upperBound] : Byte.newline
            let spaceBefore = Byte.isWhitespace(before)
            let spaceAfter = Byte.isWhitespace(after)
            let punctuationBefore = Byte.isPunctuation(before)
            let punctuationAfter = Byte.isPunctuation(after)
            let leftFlanking = !spaceAfter && (!punctuationAfter || spaceBefore || punctuationBefore)
            let rightFlanking = !spaceBefore && (!punctuationBefore || spaceAfter || punctuationAfter)
            let canOpen: Bool
            let canClose: Bool
            if char == Byte.star {
                canOpen = leftFlanking
                canClose = rightFlanking
            } else {
                canOpen = leftFlanking && (!rightFlanking || punctuationBefore)
                canClose = rightFlanking && (!leftFlanking || punctuationAfter)
            }
            let index = runs.count
            runs.append(DelimiterRun(char: char, length: range.count, remaining: range.count,
                                     canOpen: canOpen, canClose: canClose))
            tokens.append(.delimiter(index))
            if canOpen || canClose {
                runs[index].previous = tail
                if tail != -1 { runs[tail].next = index }
                tail = index
            }
        }

        mutating func unlink(_ index: Int) {
            let previous = runs[index].previous
            let next = runs[index].next
            if previous != -1 { runs[previous].next = next }
            if next != -1 { runs[next].previous = previous }
            if tail == index { tail = previous }
        }

        /// Pairs up the waiting runs with index `>= bottom` (CommonMark's
        /// "process emphasis"), then drops them from the waiting list.
        /// `openersBottom` remembers, per kind of closer, how far down a search
        /// already failed, so no run is walked past more than a few times.
        mutating func processEmphasis(above bottom: Int) {
            guard tail >= bottom else { return }  // nothing waiting
            var closer = -1
            var node = tail
            while node >= bottom {
                closer = node
                node = runs[node].previous
            }
            var openersBottom = [Int](repeating: bottom - 1, count: 12)
            while closer != -1 {
                let current = runs[closer]
                guard current.canClose else {
                    closer = current.next
                    continue
                }
                let key = (current.char == Byte.star ? 0 : 6) + (current.length % 3) * 2 + (current.canOpen ? 1 : 0)
                var opener = current.previous
                var found = -1
                while opener > openersBottom[key] {
                    let candidate = runs[opener]
                    if candidate.char == current.char, candidate.canOpen {
                        // CommonMark's "rule of 3", so "*a**b*" pairs sensibly.
                        let eitherWay = candidate.canClose || current.canOpen
                        let sum = candidate.length + current.length
                        let bothMultiples = candidate.length % 3 == 0 && current.length % 3 == 0
                        if !(eitherWay && sum % 3 == 0 && !bothMultiples) {
                            found = opener
                            break
                        }
                    }
                    opener = candidate.previous
                }
                if found != -1 {
                    let strong = runs[found].remaining >= 2 && current.remaining >= 2
                    let used = strong ? 2 : 1
                    runs[found].remaining -= used
                    runs[closer].remaining -= used
                    runs[found].opens.append(strong)
                    runs[closer].closes.append(strong)
                    // Runs between the pair can no longer match anything.
                    runs[found].next = closer
                    runs[closer].previous = found
                    if runs[found].remaining == 0 { unlink(found) }
                    if runs[closer].remaining == 0 {
                        let next = runs[closer].next
                        unlink(closer)
                        closer = next
                    }
                } else {
                    openersBottom[key] = closer - 1
                    let next = current.next
                    if !current.canOpen { unlink(closer) }
                    closer = next
                }
            }
            var last = tail
            while last >= bottom { last = runs[last].previous }
            tail = last
            if last != -1 { runs[last].next = -1 }
        }

        // MARK: Writing

        func write(into out: inout HTMLBuffer) {
            var insideLink = false
            for token in tokens {
                switch token {
                case .text(let range):
                    out.appendEscaped(s[range], lineBreaks: true)
                case .code(let range):
                    out.append("<code>")
                    out.appendEscaped(codeContent(range))
                    out.append("</code>")
                case .autolink(let index, let label):
                    if insideLink {
                        out.appendEscaped(s[label])  // no links inside links
                    } else {
                        out.appendLinkOpening(href: autolinks[index], title: nil)
                        out.appendEscaped(s[label])
                        out.append("</a>")
                    }
                case .delimiter(let index):
                    let run = runs[index]
                    for strong in run.closes { out.append(strong ? "</strong>" : "</em>") }
                    for _ in 0..<run.remaining { out.appendByte(run.char) }
                    for strong in run.opens.reversed() { out.append(strong ? "<strong>" : "<em>") }
                case .linkOpen(let index):
                    if let target = links[index] {
                        out.appendLinkOpening(href: target.href, title: target.title)
                        insideLink = true
                    } else {
                        out.appendByte(Byte.openBracket)
                    }
                case .linkClose:
                    out.append("</a>")
                    insideLink = false
                }
            }
        }

        /// Code span content: newlines become spaces, and one space is trimmed
        /// from each side when both are present (so "`` `x` ``" shows "`x`").
        func codeContent(_ range: Range<Int>) -> [UInt8] {
            var bytes = s[range].map { $0 == Byte.newline ? Byte.space : $0 }
            if bytes.count >= 2, bytes.first == Byte.space, bytes.last == Byte.space,
                bytes.contains(where: { $0 != Byte.space })
            {
                bytes.removeFirst()
                bytes.removeLast()
            }
            return bytes
        }
    }

    /// Where every run of backticks starts, by length, so that each code span
    /// finds its closing run without rescanning the rest of the text (which
    /// would be quadratic on "` `` ``` …").
    fileprivate struct BacktickRuns {
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

        /// The start of the first run of exactly `length` backticks at or after
        /// `position`. Positions only grow, so each cursor only moves forward.
        mutating func next(length: Int, from position: Int) -> Int? {
            guard let list = starts[length] else { return nil }
            var cursor = cursors[length, default: 0]
            while cursor < list.count, list[cursor] < position { cursor += 1 }
            cursors[length] = cursor
            return cursor < list.count ? list[cursor] : nil
        }
    }
}
