import Foundation

/// The low-level JSON text rules (RFC 8259) that both hand-written JSON
/// readers share: whitespace, the byte order mark, string scanning and
/// unescaping, numbers, literals, and the line and column of an offset.
///
/// The readers themselves stay separate on purpose: `PagerDutyJSON` builds a
/// token tree so errors can name a JSON path, `SlackDayFileScanner` streams a
/// day file without building anything. Each keeps its own error messages;
/// this type only says what the bytes are and where a problem starts.
///
/// Everything works on bytes already in memory and makes no strings except
/// in `string(_:escaped:)` and `position(of:in:)`. The scanning functions
/// are `@inline(__always)`: they sit in the Slack scanner's hot loop, whose
/// speed was measured with them inlined.
enum JSONText {
    // MARK: Bytes

    /// Space, tab, line feed or carriage return: JSON's whitespace.
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    @inline(__always)
    static func isHexDigit(_ b: UInt8) -> Bool {
        hexValue(b) != nil
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The four hex digits at `i` (of a `\uXXXX`), or nil when they are not
    /// four hex digits.
    static func hex4(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        guard i >= 0, i + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            guard let d = hexValue(p[k]) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// 3 when the bytes start with a UTF-8 byte order mark (tolerated before
    /// a document), else 0.
    static func byteOrderMarkLength(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    /// The first offset from `i` on that is not whitespace (or the end).
    @inline(__always)
    static func skipWhitespace(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var i = i
        while i < p.count, isWhitespace(p[i]) { i += 1 }
        return i
    }

    // MARK: Strings

    /// How a string that starts at a `"` ends.
    enum StringScan {
        /// `end` is the offset of the closing quote; `escaped` tells whether
        /// the contents have backslash escapes to decode.
        case closed(end: Int, escaped: Bool)
        /// A backslash followed by something that is not an escape; `at` the backslash.
        case invalidEscape(at: Int)
        /// `\u` not followed by four hex digits (the input may end first); `at` the backslash.
        case invalidUnicodeEscape(at: Int)
        /// A control character (below U+0020), which must be escaped; `at` it.
        case controlCharacter(at: Int)
        /// The input ends before the closing quote.
        case unterminated
    }

    /// Checks the string whose contents start at `i` (one past the opening
    /// `"`) and finds its closing quote, without decoding it.
    @inline(__always)
    static func scanString(_ buffer: UnsafeBufferPointer<UInt8>, from i: Int) -> StringScan {
        guard let p = buffer.baseAddress else { return .unterminated }
        let end = buffer.count
        var i = i
        var escaped = false
        while i < end {
            // Eight bytes at a time while none is a quote, a backslash or a
            // control character: most of a string is plain text.
            while i + 8 <= end {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = v ^ (ones &* 0x22)
                let backslash = v ^ (ones &* 0x5C)
                let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((v &- ones &* 0x20) & ~v)) & highs
                if special != 0 {
                    // The lowest flagged byte is exact (only bytes above a real match can be flagged wrongly).
                    i += special.littleEndian.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < end else { break }
            let b = p[i]
            if b == UInt8(ascii: "\"") { return .closed(end: i, escaped: escaped) }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < end else { break }
                switch p[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= end, isHexDigit(p[i + 2]), isHexDigit(p[i + 3]), isHexDigit(p[i + 4]), isHexDigit(p[i + 5]) else {
                        return .invalidUnicodeEscape(at: i)
                    }
                    i += 6
                default:
                    return .invalidEscape(at: i)
                }
                continue
            }
            if b < 0x20 { return .controlCharacter(at: i) }
            i += 1
        }
        return .unterminated
    }

    /// The contents of a string checked by `scanString`, as a `String`.
    /// Invalid UTF-8 is replaced, not rejected.
    static func string(_ s: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
        escaped ? String(decoding: unescape(s), as: UTF8.self) : String(decoding: s, as: UTF8.self)
    }

    /// The contents of a string with its escapes decoded.
    static func unescape(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        appendUnescaped(s, to: &out)
        return out
    }

    /// Appends the contents of a string with its escapes decoded. A `\u`
    /// escape that is not a valid scalar (a lone or reversed surrogate)
    /// becomes U+FFFD; malformed input does not trap.
    static func appendUnescaped(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = 0
        while i < s.count {
            let b = s[i]
            guard b == UInt8(ascii: "\\"), i + 1 < s.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(s, at: i) ?? 0xFFFD
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A surrogate pair: \uD83D\uDE00.
                    if i + 1 < s.count, s[i] == UInt8(ascii: "\\"), s[i + 1] == UInt8(ascii: "u"), let low = hex4(s, at: i + 2),
                       (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    // MARK: Numbers and literals

    enum NumberScan {
        /// `end` is one past the number's last byte.
        case number(end: Int)
        /// A digit was required `at` this offset (which may be the end).
        case missingDigit(at: Int)
    }

    /// Checks the number at `i` (a `-` or a digit): `-`? then `0` or digits
    /// not starting with 0, then `.` digits?, then `e`/`E`, `+`/`-`?, digits?.
    /// After a leading `0` it stops: `01` is the number `0` followed by `1`,
    /// which the caller rejects as it sees fit.
    @inline(__always)
    static func scanNumber(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> NumberScan {
        var i = i
        func digits() -> Bool {
            guard i < p.count, isDigit(p[i]) else { return false }
            repeat { i += 1 } while i < p.count && isDigit(p[i])
            return true
        }
        if p[i] == UInt8(ascii: "-") { i += 1 }
        if i < p.count, p[i] == UInt8(ascii: "0") {
            i += 1
        } else if !digits() {
            return .missingDigit(at: i)
        }
        if i < p.count, p[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return .missingDigit(at: i) }
        }
        if i < p.count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            if i < p.count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return .missingDigit(at: i) }
        }
        return .number(end: i)
    }

    /// Where the bytes at `i` stop spelling `word` (`true`, `false`, `null`):
    /// the offset of the first byte that differs, or the end of the input;
    /// nil when the whole word is there.
    @inline(__always)
    static func literalMismatch(_ word: StaticString, in p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where i + k >= p.count || p[i + k] != w[k] {
            return i + k
        }
        return nil
    }

    // MARK: Positions

    /// 1-based line and column of a byte offset, for error messages. Columns
    /// count characters (grapheme clusters), not bytes or scalars, so "é" is
    /// one column however it is encoded; only line feeds start a line. Only
    /// ever called for an error, so it may decode the line.
    static func position(of offset: Int, in bytes: some ContiguousBytes) -> (line: Int, column: Int) {
        bytes.withUnsafeBytes { raw in
            let stop = min(max(0, offset), raw.count)
            var line = 1
            var lineStart = 0
            for k in 0..<stop where raw[k] == 0x0A {
                line += 1
                lineStart = k + 1
            }
            let column = String(decoding: UnsafeRawBufferPointer(rebasing: raw[lineStart..<stop]), as: UTF8.self).count + 1
            return (line, column)
        }
    }
}
