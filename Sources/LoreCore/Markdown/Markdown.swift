import Foundation

/// Renders user-written Markdown to HTML that is safe to put on a page.
///
/// Everything in an incident review (timeline notes, root-cause write-ups,
/// follow-up descriptions) is typed by one person and read by others. Lore must
/// never let that text become markup: a `<script>` pasted from a log line, an
/// `<img onerror=…>`, or a `javascript:` link has to show up as the characters
/// that were typed, never run in a colleague's browser.
///
/// The syntax is CommonMark 0.31.2 with GitHub's extensions (tables,
/// strikethrough, task lists, bare URL autolinks), so text pasted from GitHub or
/// another tool renders the way its author saw it. The differences are
/// deliberate:
///
/// - Raw HTML is never passed through. HTML blocks and inline tags are
///   recognised (so they delimit the same blocks and spans as in CommonMark) but
///   written out as escaped text. Every byte of user text leaves through
///   ``HTMLOutput``'s escaping of `& < > " '`; the only tags in the output are
///   the fixed ones this renderer writes.
/// - Links and images are an allowlist, not a blocklist: `http:`, `https:`,
///   `mailto:` or a relative URL (a path, `#fragment` or `?query`, with no
///   scheme). The check runs on the URL as a browser would see it (entities and
///   percent-escapes decoded, control characters and whitespace removed), so
///   `java&#115;cript:` or `java\tscript:` cannot slip through. A refused link
///   shows its text; a refused image shows its alt text.
/// - Attribute values are escaped too, quotes included, so a URL, title or
///   language name cannot end its attribute and start another.
/// - Headings are shifted down two levels (`#` → `<h3>`, capped at `<h6>`)
///   because pages already use `<h1>` and `<h2>`; links get
///   `rel="nofollow noopener"`; every line break inside a paragraph is a `<br>`,
///   as in GitHub comments, because reviews are often pasted chat and logs.
/// - Block quotes and lists nest at most ``BlockParser/maxDepth`` deep; deeper
///   markers are text. Every scan is bounded or memoised, so rendering time
///   grows linearly with the input whatever it contains.
public enum Markdown {
    /// Renders `text` as HTML. Safe for any input: see ``Markdown``.
    public static func html(_ text: String) -> String {
        let parsed = BlockParser.parse(text)
        var out = HTMLOutput(capacity: text.utf8.count + text.utf8.count / 4)
        out.render(parsed.document, references: parsed.references, inputLength: text.utf8.count)
        return out.string
    }

    /// HTML-escapes `& < > " '` (used everywhere user text reaches a page).
    ///
    /// Escaping all five makes the result safe both as element content and
    /// inside a quoted attribute value, with either quote character.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: HTMLOutput.needsEscaping) else { return text }
        var out = HTMLOutput()
        out.appendEscaped(Array(text.utf8)[...])
        return out.string
    }
}

extension Markdown {
    /// ASCII bytes the syntax is made of. All are below 0x80, so they never
    /// occur inside a multi-byte UTF-8 character: cutting the text at any of
    /// them keeps every character whole.
    enum Byte {
        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
        static let space: UInt8 = 0x20
        static let bang: UInt8 = 0x21
        static let quote: UInt8 = 0x22
        static let hash: UInt8 = 0x23
        static let ampersand: UInt8 = 0x26
        static let apostrophe: UInt8 = 0x27
        static let openParen: UInt8 = 0x28
        static let closeParen: UInt8 = 0x29
        static let star: UInt8 = 0x2A
        static let plus: UInt8 = 0x2B
        static let dash: UInt8 = 0x2D
        static let dot: UInt8 = 0x2E
        static let slash: UInt8 = 0x2F
        static let colon: UInt8 = 0x3A
        static let semicolon: UInt8 = 0x3B
        static let lessThan: UInt8 = 0x3C
        static let equals: UInt8 = 0x3D
        static let greaterThan: UInt8 = 0x3E
        static let question: UInt8 = 0x3F
        static let at: UInt8 = 0x40
        static let openBracket: UInt8 = 0x5B
        static let backslash: UInt8 = 0x5C
        static let closeBracket: UInt8 = 0x5D
        static let underscore: UInt8 = 0x5F
        static let backtick: UInt8 = 0x60
        static let pipe: UInt8 = 0x7C
        static let tilde: UInt8 = 0x7E

        static func isSpaceOrTab(_ b: UInt8) -> Bool { b == space || b == tab }

        /// CommonMark's "whitespace character" (line endings are `\n` by now).
        static func isWhitespace(_ b: UInt8) -> Bool {
            b == space || b == tab || b == newline || b == carriageReturn || b == 0x0B || b == 0x0C
        }

        static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        static func isHexDigit(_ b: UInt8) -> Bool {
            isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
        }

        static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

        static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }

        /// ASCII punctuation: what a backslash can escape.
        static func isPunctuation(_ b: UInt8) -> Bool {
            (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60)
                || (b >= 0x7B && b <= 0x7E)
        }

        static func lowercased(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

        /// Whether `bytes` starts with `prefix`, ignoring ASCII case.
        static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
            var index = bytes.startIndex
            for expected in prefix.utf8 {
                guard index < bytes.endIndex, lowercased(bytes[index]) == expected else { return false }
                index += 1
            }
            return true
        }
    }
}
