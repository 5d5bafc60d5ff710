import Foundation

/// The JSON reader behind the PagerDuty parsers.
///
/// Why not `JSONDecoder`: the webhook endpoint has to keep up with a burst of
/// a few thousand events a second, and on Linux `JSONDecoder` alone took about
/// 28 µs for a 1.6 KB webhook body, `JSONSerialization` about 21 µs, before
/// any mapping. This reader makes one pass over the bytes into a flat list of
/// tokens (no strings, no dictionaries) and builds a `String` only for the
/// fields asked for: the whole webhook parse, mapping included, takes 6–9 µs.
/// It also knows the line and column of a syntax error and the JSON path
/// (`log_entries[3].created_at`) of every value, so errors can say where the
/// problem is.
///
/// Strict RFC 8259 (no comments, no trailing commas, no NaN); a UTF-8 byte
/// order mark is skipped; nesting deeper than 256 levels is refused. Invalid
/// UTF-8 inside strings is replaced, not rejected. With duplicate member
/// names, the first wins.
enum PagerDutyJSON {
    enum Kind: UInt8 {
        case object, array, string, number, bool, null
    }

    struct Token {
        var kind: Kind
        /// Strings: contains a backslash escape. Booleans: the value.
        var flag: Bool
        /// Strings: the first byte after the opening quote. Others: the first byte.
        var start: Int32
        /// Strings: the closing quote. Others: one past the last byte.
        var end: Int32
        /// The token after this value and everything inside it.
        var next: Int32
    }

    /// A JSON path for error messages: `event.data.assignees[0].summary`.
    indirect enum Path: CustomStringConvertible {
        case root
        case key(Path, String)
        case index(Path, Int)

        func appending(_ key: StaticString) -> Path { .key(self, key.description) }
        func appending(_ index: Int) -> Path { .index(self, index) }

        var description: String {
            switch self {
            case .root: return ""
            case .key(let parent, let key):
                let p = parent.description
                return p.isEmpty ? key : p + "." + key
            case .index(let parent, let index):
                return parent.description + "[\(index)]"
            }
        }

        /// nil for the document itself.
        var errorPath: String? {
            let d = description
            return d.isEmpty ? nil : d
        }
    }

    typealias Failure = PagerDutyPayloadError

    /// Without leading and trailing whitespace (Unicode's definition). Not
    /// `trimmingCharacters(in:)`: on Linux it goes through UTF-16 and was the
    /// largest single cost of reading an event.
    static func trim(_ s: String) -> String {
        let u = s.utf8
        if let f = u.first, let l = u.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return s }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Trimmed, or nil when blank.
    static func nonBlank(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = trim(s)
        return t.isEmpty ? nil : t
    }

    // MARK: - Document

    final class Document {
        let bytes: [UInt8]
        let tokens: [Token]

        private init(bytes: [UInt8], tokens: [Token]) {
            self.bytes = bytes
            self.tokens = tokens
        }

        var root: Value { Value(document: self, index: 0, path: .root) }

        static func parse(_ data: Data) throws(Failure) -> Document {
            let bytes = [UInt8](data)
            guard bytes.count < Int(Int32.max) else {
                throw Failure(reason: .invalidJSON, message: "the document is too large (over 2 GB)")
            }
            let result: Result<[Token], SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
                var parser = Parser(p: buffer)
                parser.tokens.reserveCapacity(max(16, buffer.count / 10))
                do throws(SyntaxError) {
                    try parser.document()
                    return .success(parser.tokens)
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let tokens):
                return Document(bytes: bytes, tokens: tokens)
            case .failure(let error):
                let (line, column) = position(of: error.offset, in: bytes)
                throw Failure(reason: .invalidJSON, line: line, column: column, message: "not valid JSON: \(error.message)")
            }
        }

        /// 1-based line and column (in characters, not bytes) of a byte offset.
        static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
            var line = 1, column = 1
            for b in bytes[..<min(offset, bytes.count)] {
                if b == 0x0A {
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return (line, column)
        }

        func string(_ t: Token) -> String {
            let s = Int(t.start), e = Int(t.end)
            if !t.flag {
                return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
            }
            var out: [UInt8] = []
            out.reserveCapacity(e - s)
            var j = s
            while j < e {
                let c = bytes[j]
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    j += 1
                    continue
                }
                let x = bytes[j + 1]
                j += 2
                switch x {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = hex4(at: j)
                    j += 4
                    if (0xD800...0xDBFF).contains(scalar), j + 6 <= e, bytes[j] == UInt8(ascii: "\\"),
                       bytes[j + 1] == UInt8(ascii: "u") {
                        let low = hex4(at: j + 2)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            j += 6
                        }
                    }
                    UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
                default: out.append(x)  // \" \\ \/
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        private func hex4(at j: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in j..<(j + 4) {
                let c = bytes[k]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                default: d = c - UInt8(ascii: "A") + 10
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }

        func keyMatches(_ t: Token, _ key: StaticString) -> Bool {
            if t.flag { return string(t) == key.description }
            let n = Int(t.end - t.start)
            guard n == key.utf8CodeUnitCount else { return false }
            let k = key.utf8Start
            let s = Int(t.start)
            return bytes.withUnsafeBufferPointer { b in
                var j = 0
                while j < n {
                    if b[s + j] != k[j] { return false }
                    j += 1
                }
                return true
            }
        }

        func int(_ t: Token) -> Int? {
            var j = Int(t.start)
            let e = Int(t.end)
            var negative = false
            if bytes[j] == UInt8(ascii: "-") {
                negative = true
                j += 1
            }
            var v = 0
            while j < e {
                let c = bytes[j]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                v = a
                j += 1
            }
            return negative ? -v : v
        }

        func date(_ t: Token) -> Date? {
            if t.flag { return PagerDutyTime.parse(string(t)) }
            let s = Int(t.start), e = Int(t.end)
            return bytes.withUnsafeBufferPointer { PagerDutyTime.parse(UnsafeBufferPointer(rebasing: $0[s..<e])) }
        }

        func raw(_ t: Token) -> String {
            String(decoding: bytes[Int(t.start)..<Int(t.end)], as: UTF8.self)
        }
    }

    // MARK: - Values

    /// A value in a parsed document, with its path for error messages.
    /// Field readers return nil for an absent member or `null`, and throw
    /// (naming the member's path) when the member has the wrong type.
    struct Value {
        let document: Document
        let index: Int
        let path: Path

        var token: Token { document.tokens[index] }
        var kind: Kind { token.kind }
        var isObject: Bool { kind == .object }
        var isArray: Bool { kind == .array }

        var stringValue: String? { kind == .string ? document.string(token) : nil }

        /// "an object", "the number 3", "\"yesterday\"": what was found, for messages.
        var found: String {
            let t = token
            switch t.kind {
            case .object: return "an object"
            case .array: return "an array"
            case .null: return "null"
            case .bool: return t.flag ? "true" : "false"
            case .number: return "the number \(document.raw(t))"
            case .string:
                let s = document.string(t)
                if PagerDutyJSON.trim(s).isEmpty { return "blank text" }
                let short = s.count > 60 ? String(s.prefix(57)) + "..." : s
                return "\"\(short)\""
            }
        }

        func error(_ message: String) -> Failure {
            Failure(reason: .unexpectedContent, path: path.errorPath, message: message)
        }

        func mismatch(_ expected: String) -> Failure {
            error("expected \(expected), found \(found)")
        }

        // Object members

        private func memberIndex(_ key: StaticString) -> Int? {
            let tokens = document.tokens
            guard tokens[index].kind == .object else { return nil }
            var k = index + 1
            let end = Int(tokens[index].next)
            while k < end {
                let v = k + 1
                if document.keyMatches(tokens[k], key) { return v }
                k = Int(tokens[v].next)
            }
            return nil
        }

        /// The member, `null` included; nil when absent.
        func member(_ key: StaticString) -> Value? {
            memberIndex(key).map { Value(document: document, index: $0, path: path.appending(key)) }
        }

        func has(_ key: StaticString) -> Bool { memberIndex(key) != nil }

        /// Member names in document order.
        var memberNames: [String] {
            let tokens = document.tokens
            guard tokens[index].kind == .object else { return [] }
            var names: [String] = []
            var k = index + 1
            let end = Int(tokens[index].next)
            while k < end {
                names.append(document.string(tokens[k]))
                k = Int(tokens[k + 1].next)
            }
            return names
        }

        /// Absent or null → nil.
        private func present(_ key: StaticString) -> Value? {
            guard let v = member(key), v.kind != .null else { return nil }
            return v
        }

        func object(_ key: StaticString) throws(Failure) -> Value? {
            guard let v = present(key) else { return nil }
            guard v.kind == .object else { throw v.mismatch("an object") }
            return v
        }

        func requiredObject(_ key: StaticString, _ expected: String) throws(Failure) -> Value {
            guard let v = try object(key) else { throw missing(key, expected) }
            return v
        }

        func array(_ key: StaticString) throws(Failure) -> [Value]? {
            guard let v = present(key) else { return nil }
            guard v.kind == .array else { throw v.mismatch("an array") }
            return v.elements
        }

        /// Elements of an array value (empty for anything else).
        var elements: [Value] {
            let tokens = document.tokens
            guard tokens[index].kind == .array else { return [] }
            var result: [Value] = []
            var k = index + 1
            let end = Int(tokens[index].next)
            var n = 0
            while k < end {
                result.append(Value(document: document, index: k, path: path.appending(n)))
                k = Int(tokens[k].next)
                n += 1
            }
            return result
        }

        func string(_ key: StaticString) throws(Failure) -> String? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            switch t.kind {
            case .string: return document.string(t)
            case .null: return nil
            default: throw Value(document: document, index: i, path: path.appending(key)).mismatch("text")
            }
        }

        /// Trimmed; blank counts as absent.
        func text(_ key: StaticString) throws(Failure) -> String? {
            PagerDutyJSON.nonBlank(try string(key))
        }

        /// Trimmed, not blank.
        func requiredText(_ key: StaticString, _ expected: String) throws(Failure) -> String {
            guard let s = try string(key) else { throw missing(key, expected) }
            let t = PagerDutyJSON.trim(s)
            guard !t.isEmpty else {
                throw Failure(reason: .unexpectedContent, path: path.appending(key).errorPath, message: "blank; expected \(expected)")
            }
            return t
        }

        func int(_ key: StaticString) throws(Failure) -> Int? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            if t.kind == .null { return nil }
            if t.kind == .number, let n = document.int(t) { return n }
            throw Value(document: document, index: i, path: path.appending(key)).mismatch("a whole number")
        }

        func bool(_ key: StaticString) throws(Failure) -> Bool? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            switch t.kind {
            case .null: return nil
            case .bool: return t.flag
            default: throw Value(document: document, index: i, path: path.appending(key)).mismatch("true or false")
            }
        }

        static let expectedDate = "a date and time such as \"2026-04-01T02:18:59.674Z\""

        func date(_ key: StaticString) throws(Failure) -> Date? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            if t.kind == .null { return nil }
            if t.kind == .string, let d = document.date(t) { return d }
            throw Value(document: document, index: i, path: path.appending(key)).mismatch(Self.expectedDate)
        }

        func requiredDate(_ key: StaticString, _ expected: String) throws(Failure) -> Date {
            guard let d = try date(key) else { throw missing(key, expected + " (\(Self.expectedDate))") }
            return d
        }

        func missing(_ key: StaticString, _ expected: String) -> Failure {
            Failure(reason: .unexpectedContent, path: path.appending(key).errorPath, message: "missing; expected \(expected)")
        }

        // Lenient readers, for members whose shape PagerDuty does not pin
        // down (polymorphic `channel`, `resolve_reason`, ...): a value of an
        // unexpected type is treated as absent rather than failing the event.

        func looseString(_ key: StaticString) -> String? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            guard t.kind == .string else { return nil }
            return PagerDutyJSON.nonBlank(document.string(t))
        }

        func looseObject(_ key: StaticString) -> Value? {
            guard let v = member(key), v.kind == .object else { return nil }
            return v
        }

        func looseArray(_ key: StaticString) -> [Value] {
            guard let v = member(key), v.kind == .array else { return [] }
            return v.elements
        }

        func looseDate(_ key: StaticString) -> Date? {
            guard let i = memberIndex(key) else { return nil }
            let t = document.tokens[i]
            return t.kind == .string ? document.date(t) : nil
        }
    }

    // MARK: - Parser

    struct SyntaxError: Error {
        var offset: Int
        var message: String
    }

    struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        var tokens: [Token] = []
        var depth = 0
        static let maxDepth = 256

        init(p: UnsafeBufferPointer<UInt8>) {
            self.p = p
        }

        mutating func document() throws(SyntaxError) {
            if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
            skipSpace()
            guard i < p.count else { throw SyntaxError(offset: i, message: "the document is empty") }
            try value()
            skipSpace()
            if i < p.count {
                throw SyntaxError(offset: i, message: "unexpected \(describe(p[i])) after the end of the JSON value")
            }
        }

        private mutating func skipSpace() {
            while i < p.count {
                switch p[i] {
                case 0x20, 0x0A, 0x0D, 0x09: i += 1
                default: return
                }
            }
        }

        private func describe(_ c: UInt8) -> String {
            if c >= 0x21, c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
            if c < 0x20 || c == 0x7F { return "a control character" }
            if c == 0x20 { return "a space" }
            return "a non-ASCII character"
        }

        private func unexpected(_ expected: String) -> SyntaxError {
            guard i < p.count else { return SyntaxError(offset: i, message: "the document ends early; expected \(expected)") }
            return SyntaxError(offset: i, message: "unexpected \(describe(p[i])); expected \(expected)")
        }

        private mutating func value() throws(SyntaxError) {
            guard i < p.count else { throw unexpected("a value") }
            switch p[i] {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
            case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
            case UInt8(ascii: "n"): try literal("null", .null, flag: false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw unexpected("a value (an object, array, string, number, true, false or null)")
            }
        }

        private mutating func enter() throws(SyntaxError) {
            depth += 1
            if depth > Self.maxDepth {
                throw SyntaxError(offset: i, message: "nested more than \(Self.maxDepth) levels deep")
            }
        }

        private mutating func object() throws(SyntaxError) {
            let index = tokens.count
            tokens.append(Token(kind: .object, flag: false, start: Int32(i), end: 0, next: 0))
            try enter()
            i += 1
            skipSpace()
            if i < p.count, p[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipSpace()
                    guard i < p.count, p[i] == UInt8(ascii: "\"") else { throw unexpected("a member name in double quotes") }
                    try string()
                    skipSpace()
                    guard i < p.count, p[i] == UInt8(ascii: ":") else { throw unexpected("':' after the member name") }
                    i += 1
                    skipSpace()
                    try value()
                    skipSpace()
                    guard i < p.count else { throw unexpected("',' or '}'") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if p[i] == UInt8(ascii: "}") {
                        i += 1
                        break
                    }
                    throw unexpected("',' or '}' after an object member")
                }
            }
            depth -= 1
            tokens[index].end = Int32(i)
            tokens[index].next = Int32(tokens.count)
        }

        private mutating func array() throws(SyntaxError) {
            let index = tokens.count
            tokens.append(Token(kind: .array, flag: false, start: Int32(i), end: 0, next: 0))
            try enter()
            i += 1
            skipSpace()
            if i < p.count, p[i] == UInt8(ascii: "]") {
                i += 1
            } else {
                while true {
                    skipSpace()
                    try value()
                    skipSpace()
                    guard i < p.count else { throw unexpected("',' or ']'") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if p[i] == UInt8(ascii: "]") {
                        i += 1
                        break
                    }
                    throw unexpected("',' or ']' after an array element")
                }
            }
            depth -= 1
            tokens[index].end = Int32(i)
            tokens[index].next = Int32(tokens.count)
        }

        private static func isHex(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
            default: false
            }
        }

        private mutating func string() throws(SyntaxError) {
            let open = i
            i += 1
            var escaped = false
            while i < p.count {
                let c = p[i]
                if c == UInt8(ascii: "\"") {
                    tokens.append(Token(kind: .string, flag: escaped, start: Int32(open + 1), end: Int32(i), next: Int32(tokens.count + 1)))
                    i += 1
                    return
                }
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    guard i + 1 < p.count else { break }
                    switch p[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 5 < p.count, (2...5).allSatisfy({ Self.isHex(p[i + $0]) }) else {
                            throw SyntaxError(offset: i, message: "\\u in a string must be followed by 4 hex digits")
                        }
                        i += 6
                    default:
                        throw SyntaxError(offset: i, message: "invalid escape \\\(describe(p[i + 1]).filter { $0 != "'" }) in a string")
                    }
                    continue
                }
                if c < 0x20 {
                    throw SyntaxError(offset: i, message: "a control character (such as a line break) inside a string must be escaped")
                }
                i += 1
            }
            throw SyntaxError(offset: open, message: "a string that is never closed")
        }

        private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        private mutating func digits() throws(SyntaxError) {
            guard i < p.count, Self.isDigit(p[i]) else { throw unexpected("a digit") }
            while i < p.count, Self.isDigit(p[i]) { i += 1 }
        }

        private mutating func number() throws(SyntaxError) {
            let start = i
            if p[i] == UInt8(ascii: "-") { i += 1 }
            if i < p.count, p[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                try digits()
            }
            if i < p.count, p[i] == UInt8(ascii: ".") {
                i += 1
                try digits()
            }
            if i < p.count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
                i += 1
                if i < p.count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
            tokens.append(Token(kind: .number, flag: false, start: Int32(start), end: Int32(i), next: Int32(tokens.count + 1)))
        }

        private mutating func literal(_ word: StaticString, _ kind: Kind, flag: Bool) throws(SyntaxError) {
            let n = word.utf8CodeUnitCount
            let w = word.utf8Start
            for k in 0..<n where i + k >= p.count || p[i + k] != w[k] {
                i += k
                throw unexpected("\(word)")
            }
            tokens.append(Token(kind: kind, flag: flag, start: Int32(i), end: Int32(i + n), next: Int32(tokens.count + 1)))
            i += n
        }
    }
}
