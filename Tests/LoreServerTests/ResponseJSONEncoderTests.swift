import Foundation
import Testing
@testable import LoreServer

/// The API's own JSON writer must write what Foundation's `JSONEncoder`
/// writes (sorted keys, slashes unescaped), byte for byte: clients and the
/// OpenAPI contract were built against that output. Debug builds also compare
/// every response the API tests produce; these cases cover the edges real
/// responses rarely reach.
@Suite("API JSON writer")
struct ResponseJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func lore<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try ResponseJSONEncoder().encode(value), as: UTF8.self)
    }

    struct Entry: Encodable {
        var id = UUID(uuidString: "9A1E0B4C-3D2F-4E5A-8B6C-7D8E9F0A1B2C")!
        var text: String
        var at = Date(timeIntervalSince1970: 1_700_000_000.123)
        var optional: String? = nil
        @Nullable var removedAt: String? = nil
        var seconds: Double? = 2.0
        var tags = ["b", "a"]
        var counts: [String: Int] = ["zeta": 1, "Alpha": 2, "émile": 3, "alpha": 4, "a": 5, "ab": 6]
        var url = URL(string: "https://example.com/a/b?c=d&e=f")!
        var blob = Data([0, 1, 2, 250, 255])
        var amount = Decimal(string: "12.50")!
        var flag = true
        var small: Int8 = -128
        var big: UInt64 = .max
        var least: Int64 = .min
        var nested: [[Int?]] = [[1, nil], []]
    }

    @Test(arguments: [
        "plain", "", "quote \" and backslash \\ and slash /", "line\nbreak\ttab\rreturn\u{08}\u{0C}",
        "control \u{00}\u{01}\u{1F} and delete \u{7F}", "non-ASCII: é, ß, 東京, 😀, \u{2028}\u{2029}", "<script>alert(1)</script>",
    ])
    func stringsAreEscapedAsFoundationEscapesThem(text: String) throws {
        let entry = Entry(text: text)
        #expect(try Self.lore(entry) == Self.foundation(entry))
        #expect(try Self.lore(text) == Self.foundation(text))
    }

    @Test(arguments: [0.0, -0.0, 2.0, 0.1, 1.5, -3.25, 1e16, 1e21, 123456789.125, 5e-324, 1.7976931348623157e308, 1.0 / 3.0])
    func numbersAreWrittenAsFoundationWritesThem(number: Double) throws {
        #expect(try Self.lore(number) == Self.foundation(number))
        #expect(try Self.lore([number]) == Self.foundation([number]))
        #expect(try Self.lore(["n": number]) == Self.foundation(["n": number]))
        if Float(number).isFinite { #expect(try Self.lore(Float(number)) == Self.foundation(Float(number))) }
    }

    @Test func aNumberThatIsNotFiniteFailsAsInFoundation() {
        #expect(throws: EncodingError.self) { try Self.lore(["n": Double.nan]) }
        #expect(throws: EncodingError.self) { try Self.lore([Double.infinity]) }
    }

    /// Keys sort by their UTF-8 bytes: uppercase before lowercase, a prefix
    /// before what extends it, accented letters after ASCII.
    @Test func keysAreSortedAndSpecialTypesWrittenAsFoundationWritesThem() throws {
        let entry = Entry(text: "x")
        let written = try Self.lore(entry)
        #expect(written == (try Self.foundation(entry)))
        #expect(written.contains(#""counts":{"Alpha":2,"a":5,"ab":6,"alpha":4,"zeta":1,"émile":3}"#))
        #expect(written.contains(#""removedAt":null"#))
        #expect(!written.contains("optional"))
        #expect(try Self.lore([entry, entry]) == Self.foundation([entry, entry]))
        #expect(try Self.lore([String: Entry]()) == "{}")
        let byNumber: [Int: String] = [3: "c", 10: "x"]
        #expect(try Self.lore(byNumber) == Self.foundation(byNumber))
    }

    /// Hand-written `encode(to:)` shapes: a key written twice, nested
    /// containers, a super encoder, and a value that writes nothing.
    struct HandWritten: Encodable {
        enum Key: String, CodingKey { case a, b, c, d }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(1, forKey: .a)
            try c.encode("again", forKey: .a)
            var nested = c.nestedContainer(keyedBy: Key.self, forKey: .b)
            try nested.encodeNil(forKey: .c)
            var list = c.nestedUnkeyedContainer(forKey: .c)
            try list.encode(true)
            var inner = list.nestedContainer(keyedBy: Key.self)
            try inner.encode([1, 2], forKey: .d)
            try Nothing().encode(to: c.superEncoder(forKey: .d))
            try "super".encode(to: c.superEncoder())
        }
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    /// Asked twice for the container under one key, both write into the same.
    struct AskedTwice: Encodable {
        enum Key: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            var first = c.nestedContainer(keyedBy: Key.self, forKey: .a)
            try first.encode(1, forKey: .a)
            var second = c.nestedContainer(keyedBy: Key.self, forKey: .a)
            try second.encode(2, forKey: .b)
            var list = c.nestedUnkeyedContainer(forKey: .b)
            try list.encode(1)
            var again = c.nestedUnkeyedContainer(forKey: .b)
            try again.encode(2)
        }
    }

    @Test func handWrittenEncodersWriteWhatFoundationWrites() throws {
        #expect(try Self.lore(HandWritten()) == Self.foundation(HandWritten()))
        #expect(try Self.lore([Nothing()]) == Self.foundation([Nothing()]))
        #expect(try Self.lore(AskedTwice()) == Self.foundation(AskedTwice()))
        // A value that writes nothing at the top fails, as in Foundation.
        #expect(throws: EncodingError.self) { try Self.lore(Nothing()) }
        #expect(throws: EncodingError.self) { try Self.foundation(Nothing()) }
    }

    /// A dictionary of thousands of keys (kept in an index past a few).
    @Test func aLargeDictionaryIsWrittenAsFoundationWritesIt() throws {
        let counts = Dictionary(uniqueKeysWithValues: (0..<5000).map { ("service-\($0 * 7919 % 5000)", $0) })
        #expect(try Self.lore(counts) == Self.foundation(counts))
    }
}
