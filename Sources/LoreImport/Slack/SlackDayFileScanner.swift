import Foundation

/// A string value inside a day file's bytes, decoded only when it is used:
/// most fields of most messages (profiles, ids, attachments) are never
/// needed as Swift strings. Valid only inside
/// `SlackDayFileScanner.forEachMessage`'s callback.
struct SlackRawString {
    let start: UnsafePointer<UInt8>
    let count: Int
    /// Has backslash escapes (`\n`, `\u00e9`, …) to decode.
    let escaped: Bool

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    var string: String { JSONText.string(bytes, escaped: escaped) }

    /// Calls `body` with the decoded bytes, without making a String.
    func withDecodedBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !escaped { return body(bytes) }
        return JSONText.unescape(bytes).withUnsafeBufferPointer(body)
    }

    static func == (a: SlackRawString, b: SlackRawString) -> Bool {
        a.count == b.count && a.escaped == b.escaped && memcmp(a.start, b.start, a.count) == 0
    }

    static func == (a: SlackRawString, b: StaticString) -> Bool {
        !a.escaped && a.count == b.utf8CodeUnitCount && memcmp(a.start, b.utf8Start, a.count) == 0
    }
}

/// One message record of a day file: only the fields the timeline uses,
/// as views into the file's bytes.
struct SlackMessageRecord {
    struct File {
        var name: SlackRawString?
        var title: SlackRawString?
    }

    struct Attachment {
        var fallback: SlackRawString?
        var pretext: SlackRawString?
        var text: SlackRawString?
    }

    /// Byte offset of the message's `{`, for errors.
    var offset = 0
    var ts: SlackRawString?
    var subtype: SlackRawString?
    var user: SlackRawString?
    var botID: SlackRawString?
    var username: SlackRawString?
    var text: SlackRawString?
    var threadTS: SlackRawString?
    var replyCount: Int?
    /// `replies` is there (Slack lists a thread parent's replies on it).
    var hasReplies = false
    var hidden: Bool?
    var files: [File] = []
    var file: File?
    var commentUser: SlackRawString?
    var commentText: SlackRawString?
    var profileRealName: SlackRawString?
    var profileDisplayName: SlackRawString?
    var profileName: SlackRawString?
    var botProfileName: SlackRawString?
    var attachments: [Attachment] = []
}

/// Reads one day file (a JSON array of message objects) straight from its
/// bytes, keeping only the fields in `SlackMessageRecord` and skipping the
/// rest (blocks, reactions, avatars, attachments' colours, …) without
/// building anything for it.
///
/// Why not `JSONDecoder`: measured in release on a generated 70 MB channel
/// (150,000 messages of a realistic shape), `JSONDecoder` with a struct of
/// only the needed fields read about 100,000 messages/s (48 MB/s) and
/// `JSONSerialization` about 60,000 (27 MB/s): the parser alone would have
/// been the bottleneck of an import that the database takes at 100,000
/// rows/s. Reading the bytes directly, and making strings only of the
/// fields a message turns out to need, is several times faster.
///
/// It is still a full JSON validator — every value it skips is checked — so
/// a broken file is rejected, not half-read; and since it knows the byte
/// offset of every problem, errors give the line and column for type errors
/// too ("message 4, field “ts”: expected a string, found a number").
struct SlackDayFileScanner {
    /// A problem at a byte offset of the file.
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    private let p: UnsafePointer<UInt8>
    private let end: Int
    /// `p` and `end` as a buffer, for `JSONText`.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// 1-based number of the message being read, for errors.
    private var message = 0
    private var depth = 0

    private init(_ p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        end = count
        bytes = UnsafeBufferPointer(start: p, count: count)
    }

    /// Calls `body` with each message of a day file, in file order. The
    /// record's strings point into `data` and must not outlive the call.
    /// A failure thrown by `body` is passed through.
    static func forEachMessage(in data: Data, _ body: (borrowing SlackMessageRecord, Int) throws(Failure) -> Void) throws(Failure) {
        let result: Failure? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else {
                return Failure(offset: 0, message: "the file is empty; expected a list of messages (a JSON array)")
            }
            var scanner = SlackDayFileScanner(base, count: raw.count)
            do throws(Failure) {
                try scanner.readMessages(body)
                return nil
            } catch {
                return error
            }
        }
        if let result { throw result }
    }

    // MARK: Messages

    private mutating func readMessages(_ body: (borrowing SlackMessageRecord, Int) throws(Failure) -> Void) throws(Failure) {
        // A UTF-8 byte order mark is tolerated.
        i = JSONText.byteOrderMarkLength(bytes)
        skipSpace()
        guard i < end else { throw Failure(offset: i, message: "the file is empty; expected a list of messages (a JSON array)") }
        guard p[i] == UInt8(ascii: "[") else {
            if isValueStart(p[i]) {
                throw Failure(offset: i, message: "expected a list of messages (a JSON array), found \(found())")
            }
            throw unexpected()
        }
        i += 1
        skipSpace()
        if i < end, p[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                message += 1
                let record = try readMessage()
                try body(record, message)
                skipSpace()
                guard i < end else { throw Failure(offset: i, message: "unexpected end of file: the list of messages is not closed with “]”") }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    continue
                }
                if p[i] == UInt8(ascii: "]") {
                    i += 1
                    break
                }
                throw Failure(offset: i, message: "expected “,” or “]” after message \(message), found \(foundCharacter())")
            }
        }
        skipSpace()
        guard i == end else { throw Failure(offset: i, message: "unexpected \(foundCharacter()) after the end of the list of messages") }
    }

    private mutating func readMessage() throws(Failure) -> SlackMessageRecord {
        guard i < end else { throw endOfFile() }
        guard p[i] == UInt8(ascii: "{") else {
            if isValueStart(p[i]) { throw Failure(offset: i, message: "message \(message): expected an object, found \(found())") }
            throw unexpected()
        }
        var r = SlackMessageRecord()
        r.offset = i
        try readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
            // By length first: most keys are not wanted and fail here.
            switch key.count {
            case 2 where key == "ts": r.ts = try s.string(field: "ts")
            case 4 where key == "text": r.text = try s.optionalString(field: "text")
            case 4 where key == "user": r.user = try s.optionalString(field: "user")
            case 4 where key == "file": r.file = try s.optionalFile(field: "file")
            case 5 where key == "files":
                r.files = try s.optionalArray(field: "files") { (s: inout SlackDayFileScanner, n: Int) throws(Failure) in
                    try s.optionalFile(field: "files[\(n)]")
                }?.compactMap { $0 } ?? []
            case 6 where key == "bot_id": r.botID = try s.optionalString(field: "bot_id")
            case 6 where key == "hidden": r.hidden = try s.optionalBool(field: "hidden")
            case 7 where key == "subtype": r.subtype = try s.optionalString(field: "subtype")
            case 7 where key == "replies":
                r.hasReplies = !s.isNull
                try s.skipValue()
            case 7 where key == "comment":
                // An object on file comments; some exports have a plain string.
                if s.peek == UInt8(ascii: "\"") {
                    r.commentText = try s.string(field: "comment")
                } else if try s.beginOptionalObject(field: "comment") {
                    try s.readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
                        if key == "user" {
                            r.commentUser = try s.optionalString(field: "comment.user")
                        } else if key == "comment" {
                            r.commentText = try s.optionalString(field: "comment.comment")
                        } else {
                            try s.skipValue()
                        }
                    }
                }
            case 8 where key == "username": r.username = try s.optionalString(field: "username")
            case 9 where key == "thread_ts": r.threadTS = try s.optionalString(field: "thread_ts")
            case 11 where key == "reply_count": r.replyCount = try s.optionalInt(field: "reply_count")
            case 11 where key == "bot_profile":
                if try s.beginOptionalObject(field: "bot_profile") {
                    try s.readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
                        if key == "name" { r.botProfileName = try s.optionalString(field: "bot_profile.name") } else { try s.skipValue() }
                    }
                }
            case 11 where key == "attachments":
                r.attachments = try s.optionalArray(field: "attachments") { (s: inout SlackDayFileScanner, n: Int) throws(Failure) in
                    guard try s.beginOptionalObject(field: "attachments[\(n)]") else { return nil }
                    var a = SlackMessageRecord.Attachment()
                    try s.readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
                        if key == "fallback" {
                            a.fallback = try s.optionalString(field: "attachments[\(n)].fallback")
                        } else if key == "pretext" {
                            a.pretext = try s.optionalString(field: "attachments[\(n)].pretext")
                        } else if key == "text" {
                            a.text = try s.optionalString(field: "attachments[\(n)].text")
                        } else {
                            try s.skipValue()
                        }
                    }
                    return a
                }?.compactMap { $0 } ?? []
            case 12 where key == "user_profile":
                if try s.beginOptionalObject(field: "user_profile") {
                    try s.readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
                        if key == "real_name" {
                            r.profileRealName = try s.optionalString(field: "user_profile.real_name")
                        } else if key == "display_name" {
                            r.profileDisplayName = try s.optionalString(field: "user_profile.display_name")
                        } else if key == "name" {
                            r.profileName = try s.optionalString(field: "user_profile.name")
                        } else {
                            try s.skipValue()
                        }
                    }
                }
            default:
                try s.skipValue()
            }
        }
        guard r.ts != nil else { throw Failure(offset: r.offset, message: "message \(message) has no “ts”") }
        return r
    }

    private mutating func optionalFile(field: String) throws(Failure) -> SlackMessageRecord.File? {
        guard try beginOptionalObject(field: field) else { return nil }
        var f = SlackMessageRecord.File()
        try readObject { (s: inout SlackDayFileScanner, key: SlackRawString) throws(Failure) in
            if key == "name" {
                f.name = try s.optionalString(field: field + ".name")
            } else if key == "title" {
                f.title = try s.optionalString(field: field + ".title")
            } else {
                try s.skipValue()
            }
        }
        return f
    }

    // MARK: Typed values

    /// Reads `{ "key": value, … }` at `{`, calling `field` with the scanner
    /// placed at each value; `field` must consume the value.
    private mutating func readObject(_ field: (inout SlackDayFileScanner, SlackRawString) throws(Failure) -> Void) throws(Failure) {
        depth += 1
        guard depth < 256 else { throw Failure(offset: i, message: "nested too deeply") }
        defer { depth -= 1 }
        i += 1
        skipSpace()
        guard i < end else { throw endOfFile() }
        if p[i] == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            guard i < end else { throw endOfFile() }
            guard p[i] == UInt8(ascii: "\"") else { throw Failure(offset: i, message: "expected a field name in double quotes, found \(foundCharacter())") }
            var key = try readString()
            if key.escaped {
                // Rare: compare the decoded name.
                let decoded = JSONText.unescape(key.bytes)
                key = SlackDayFileScanner.interned(decoded) ?? key
            }
            skipSpace()
            guard i < end else { throw endOfFile() }
            guard p[i] == UInt8(ascii: ":") else { throw Failure(offset: i, message: "expected “:” after a field name, found \(foundCharacter())") }
            i += 1
            skipSpace()
            guard i < end else { throw endOfFile() }
            try field(&self, key)
            skipSpace()
            guard i < end else { throw endOfFile() }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace()
                continue
            }
            if p[i] == UInt8(ascii: "}") {
                i += 1
                return
            }
            throw Failure(offset: i, message: "expected “,” or “}” after a field, found \(foundCharacter())")
        }
    }

    /// The wanted field names, for keys written with escapes (`"t\u0073"`).
    private static let wantedKeys: [StaticString] = [
        "ts", "text", "user", "file", "files", "bot_id", "hidden", "subtype", "replies", "comment", "username",
        "thread_ts", "reply_count", "bot_profile", "attachments", "user_profile", "real_name", "display_name",
        "name", "title", "fallback", "pretext",
    ]

    private static func interned(_ decoded: [UInt8]) -> SlackRawString? {
        for k in wantedKeys where k.utf8CodeUnitCount == decoded.count && memcmp(k.utf8Start, decoded, decoded.count) == 0 {
            return SlackRawString(start: k.utf8Start, count: k.utf8CodeUnitCount, escaped: false)
        }
        return nil
    }

    private var peek: UInt8 { i < end ? p[i] : 0 }
    private var isNull: Bool { peek == UInt8(ascii: "n") }

    private mutating func string(field: String) throws(Failure) -> SlackRawString {
        guard peek == UInt8(ascii: "\"") else { throw typeMismatch(field: field, expected: "a string") }
        return try readString()
    }

    private mutating func optionalString(field: String) throws(Failure) -> SlackRawString? {
        if isNull {
            try skipValue()
            return nil
        }
        return try string(field: field)
    }

    private mutating func optionalInt(field: String) throws(Failure) -> Int? {
        if isNull {
            try skipValue()
            return nil
        }
        guard peek == UInt8(ascii: "-") || JSONText.isDigit(peek) else {
            throw typeMismatch(field: field, expected: "a number")
        }
        let start = i
        try skipNumber()
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        return Int(text) ?? Double(text).flatMap { $0.isFinite && abs($0) < 1e15 ? Int($0) : nil }
    }

    private mutating func optionalBool(field: String) throws(Failure) -> Bool? {
        switch peek {
        case UInt8(ascii: "n"):
            try skipValue()
            return nil
        case UInt8(ascii: "t"):
            try skipValue()
            return true
        case UInt8(ascii: "f"):
            try skipValue()
            return false
        default:
            throw typeMismatch(field: field, expected: "true or false")
        }
    }

    /// True at an object's `{`; false (having skipped it) at `null`.
    private mutating func beginOptionalObject(field: String) throws(Failure) -> Bool {
        if isNull {
            try skipValue()
            return false
        }
        guard peek == UInt8(ascii: "{") else { throw typeMismatch(field: field, expected: "an object") }
        return true
    }

    private mutating func optionalArray<T>(field: String, _ element: (inout SlackDayFileScanner, Int) throws(Failure) -> T) throws(Failure) -> [T]? {
        if isNull {
            try skipValue()
            return nil
        }
        guard peek == UInt8(ascii: "[") else { throw typeMismatch(field: field, expected: "a list") }
        var items: [T] = []
        try readArray { (s: inout SlackDayFileScanner, n: Int) throws(Failure) in items.append(try element(&s, n)) }
        return items
    }

    /// Reads `[ value, … ]` at `[`, calling `element` at each value.
    private mutating func readArray(_ element: (inout SlackDayFileScanner, Int) throws(Failure) -> Void) throws(Failure) {
        depth += 1
        guard depth < 256 else { throw Failure(offset: i, message: "nested too deeply") }
        defer { depth -= 1 }
        i += 1
        skipSpace()
        if peek == UInt8(ascii: "]") {
            i += 1
            return
        }
        var n = 0
        while true {
            guard i < end else { throw endOfFile() }
            try element(&self, n)
            n += 1
            skipSpace()
            guard i < end else { throw endOfFile() }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace()
                continue
            }
            if p[i] == UInt8(ascii: "]") {
                i += 1
                return
            }
            throw Failure(offset: i, message: "expected “,” or “]” in a list, found \(foundCharacter())")
        }
    }

    // MARK: Strings

    /// Reads a string at `"`, checking it, without decoding it.
    private mutating func readString() throws(Failure) -> SlackRawString {
        let start = i + 1
        switch JSONText.scanString(bytes, from: start) {
        case .closed(let close, let escaped):
            i = close + 1
            return SlackRawString(start: p + start, count: close - start, escaped: escaped)
        case .invalidEscape(let at):
            throw Failure(offset: at + 1, message: "unknown escape “\\\(Character(Unicode.Scalar(p[at + 1])))” in a string")
        case .invalidUnicodeEscape(let at):
            // Pointed at the end of the file, or at the first digit that is not hex.
            guard at + 6 <= end else { throw Failure(offset: end, message: "unexpected end of file inside a string") }
            let digit = (at + 2..<at + 6).first { !JSONText.isHexDigit(p[$0]) } ?? at + 2
            throw Failure(offset: digit, message: "“\\u” must be followed by four hex digits")
        case .controlCharacter(let at):
            throw Failure(offset: at, message: "a line break or control character inside a string (write it as \\n or \\uXXXX)")
        case .unterminated:
            throw Failure(offset: end, message: "unexpected end of file inside a string")
        }
    }

    // MARK: Skipping

    /// Skips any JSON value, checking it.
    private mutating func skipValue() throws(Failure) {
        guard i < end else { throw endOfFile() }
        switch p[i] {
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "{"):
            try readObject { (s: inout SlackDayFileScanner, _: SlackRawString) throws(Failure) in try s.skipValue() }
        case UInt8(ascii: "["):
            try readArray { (s: inout SlackDayFileScanner, _: Int) throws(Failure) in try s.skipValue() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw unexpected()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        guard JSONText.literalMismatch(word, in: bytes, at: i) == nil else { throw unexpected() }
        i += word.utf8CodeUnitCount
    }

    private mutating func skipNumber() throws(Failure) {
        switch JSONText.scanNumber(bytes, from: i) {
        case .number(let after):
            // JSONText stops after a leading 0; a digit right after it is this.
            if after < end, JSONText.isDigit(p[after]) { throw Failure(offset: i, message: "invalid number (leading zero)") }
            i = after
        case .missingDigit:
            throw Failure(offset: i, message: "invalid number")
        }
    }

    @inline(__always)
    private mutating func skipSpace() {
        i = JSONText.skipWhitespace(bytes, from: i)
    }

    // MARK: Errors

    /// The start of some JSON value (not counting unexpected characters).
    private func isValueStart(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }

    /// What kind of value starts here, for "expected …, found …".
    private func found() -> String {
        switch peek {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "true/false"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return foundCharacter()
        }
    }

    private func foundCharacter() -> String {
        guard i < end else { return "the end of the file" }
        let b = p[i]
        if b < 0x80 { return b < 0x20 ? "a control character" : "“\(Character(Unicode.Scalar(b)))”" }
        return "a non-ASCII character"
    }

    private func typeMismatch(field: String, expected: String) -> Failure {
        Failure(offset: i, message: "message \(message), field “\(field)”: expected \(expected), found \(found())")
    }

    private func unexpected() -> Failure {
        guard i < end else { return endOfFile() }
        return Failure(offset: i, message: "unexpected \(foundCharacter())")
    }

    private func endOfFile() -> Failure {
        Failure(offset: end, message: "unexpected end of file")
    }
}
