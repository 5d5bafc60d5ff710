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
                let (line, column) = JSONText.position(of: error.offset, in: bytes)
                throw Failure(reason: .invalidJSON, line: line, column: column, message: "not valid JSON: \(error.message)")
            }
        }

        func string(_ t: Token) -> String {
            let s = Int(t.start), e = Int(t.end)
            return bytes.withUnsafeBufferPointer { JSONText.string(UnsafeBufferPointer(rebasing: $0[s..<e]), escaped: t.flag) }
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
                if s.trimmed.isEmpty { return "blank text" }
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
            try string(key)?.nonBlank
        }

        /// Trimmed, not blank.
        func requiredText(_ key: StaticString, _ expected: String) throws(Failure) -> String {
            guard let s = try string(key) else { throw missing(key, expected) }
            let t = s.trimmed
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
            return document.string(t).nonBlank
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
            i = JSONText.byteOrderMarkLength(p)
            skipSpace()
            guard i < p.count else { throw SyntaxError(offset: i, message: "the document is empty") }
            try value()
            skipSpace()
            if i < p.count {
                throw SyntaxError(offset: i, message: "unexpected \(describe(p[i])) after the end of the JSON value")
            }
        }

        private mutating func skipSpace() {
            i = JSONText.skipWhitespace(p, from: i)
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

        private mutating func string() throws(SyntaxError) {
            let open = i
            switch JSONText.scanString(p, from: open + 1) {
            case .closed(let end, let escaped):
                tokens.append(Token(kind: .string, flag: escaped, start: Int32(open + 1), end: Int32(end), next: Int32(tokens.count + 1)))
                i = end + 1
            case .invalidEscape(let at):
                throw SyntaxError(offset: at, message: "invalid escape \\\(describe(p[at + 1]).filter { $0 != "'" }) in a string")
            case .invalidUnicodeEscape(let at):
                throw SyntaxError(offset: at, message: "\\u in a string must be followed by 4 hex digits")
            case .controlCharacter(let at):
                throw SyntaxError(offset: at, message: "a control character (such as a line break) inside a string must be escaped")
            case .unterminated:
                throw SyntaxError(offset: open, message: "a string that is never closed")
            }
        }

        private mutating func number() throws(SyntaxError) {
            let start = i
            switch JSONText.scanNumber(p, from: i) {
            case .number(let end):
                tokens.append(Token(kind: .number, flag: false, start: Int32(start), end: Int32(end), next: Int32(tokens.count + 1)))
                i = end
            case .missingDigit(let at):
                i = at
                throw unexpected("a digit")
            }
        }

        private mutating func literal(_ word: StaticString, _ kind: Kind, flag: Bool) throws(SyntaxError) {
            if let mismatch = JSONText.literalMismatch(word, in: p, at: i) {
                i = mismatch
                throw unexpected("\(word)")
            }
            let n = word.utf8CodeUnitCount
            tokens.append(Token(kind: kind, flag: flag, start: Int32(i), end: Int32(i + n), next: Int32(tokens.count + 1)))
            i += n
        }
    }
}
