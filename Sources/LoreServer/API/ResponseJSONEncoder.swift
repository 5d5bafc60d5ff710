import Foundation

/// Writes API responses as JSON, byte for byte as Foundation's `JSONEncoder`
/// does with `[.sortedKeys, .withoutEscapingSlashes]` and its default
/// strategies (`ResponseJSONEncoderTests` holds the two to the same bytes).
///
/// Why a writer of its own: on a timeline of 500 entries Foundation's
/// encoder was more than half of the request (a dictionary per object,
/// generic metadata looked up per value, keys sorted as strings). This one
/// keeps each object's members in a small array, sorts them once when it
/// writes, and writes straight into bytes.
///
/// What it does not do: it keeps no coding path (nothing Lore encodes reads
/// it), and a number that is not finite fails the whole response, as
/// Foundation's does.
struct ResponseJSONEncoder {
    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = try Self.node(value, topLevel: true)
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        root.write(to: &out)
        return out
    }

    /// The value's tree. Types Foundation's encoder writes in its own way are
    /// written that way here too.
    static func node<T: Encodable>(_ value: T, topLevel: Bool = false) throws -> Node {
        switch value {
        case let v as String: return .string(v)
        case let v as Int: return .number(String(v))
        case let v as Bool: return .bool(v)
        case let v as Double: return try .double(v)
        case let v as URL: return .string(v.absoluteString)
        case let v as Data: return .string(v.base64EncodedString())
        case let v as Decimal: return .number(v.description)
        default:
            let encoder = NodeEncoder()
            try value.encode(to: encoder)
            // A value that wrote nothing is an empty object, as Foundation
            // writes it; at the top there is nothing to write, and Foundation fails.
            if encoder.result == nil, topLevel {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
            }
            return encoder.result ?? .object(ObjectBox())
        }
    }

    indirect enum Node {
        case null
        case bool(Bool)
        /// A number, already written.
        case number(String)
        case string(String)
        case array(ArrayBox)
        case object(ObjectBox)

        static func double(_ v: Double) throws -> Node { try floating(v) }
        static func float(_ v: Float) throws -> Node { try floating(v) }

        /// Foundation writes the shortest form and drops a trailing ".0"; a
        /// number that is not finite cannot be written.
        private static func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ v: F) throws -> Node {
            guard v.isFinite else {
                throw EncodingError.invalidValue(v, .init(codingPath: [], debugDescription: "Unable to encode \(v) directly in JSON."))
            }
            var text = v.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return .number(text)
        }

        func write(to out: inout [UInt8]) {
            switch self {
            case .null: out.append(contentsOf: "null".utf8)
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .number(let n): out.append(contentsOf: n.utf8)
            case .string(let s): Self.writeString(s, to: &out)
            case .array(let box):
                out.append(UInt8(ascii: "["))
                for (i, item) in box.items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    item.write(to: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .object(let box):
                out.append(UInt8(ascii: "{"))
                // Sorted by the keys' UTF-8 bytes, as `.sortedKeys` sorts them.
                let order = box.keys.indices.sorted { Self.precedes(box.keys[$0], box.keys[$1]) }
                for (n, i) in order.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    Self.writeString(box.keys[i], to: &out)
                    out.append(UInt8(ascii: ":"))
                    box.values[i].write(to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }

        private static let hex = Array("0123456789abcdef".utf8)

        /// Whether key `a` sorts before `b` by their UTF-8 bytes.
        static func precedes(_ a: String, _ b: String) -> Bool {
            let fast = a.utf8.withContiguousStorageIfAvailable { x in
                b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                    let n = min(x.count, y.count)
                    if n > 0, let px = x.baseAddress, let py = y.baseAddress {
                        let c = memcmp(px, py, n)
                        if c != 0 { return c < 0 }
                    }
                    return x.count < y.count
                }
            }
            if let fast, let result = fast { return result }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }

        /// Quotes and backslashes escaped, control characters as `\b \f \n \r \t`
        /// or `\u00XX`; everything else (slashes and non-ASCII included) as is.
        static func writeString(_ s: String, to out: inout [UInt8]) {
            out.append(UInt8(ascii: "\""))
            // Most text needs no escape: then it is copied whole.
            let plain = s.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            }
            if plain == true {
                out.append(contentsOf: s.utf8)
                out.append(UInt8(ascii: "\""))
                return
            }
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
                case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0F)])
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    final class ArrayBox {
        var items: [Node] = []
    }

    /// An object's members in the order they were written; a key written
    /// twice keeps its last value, as a dictionary would.
    final class ObjectBox {
        var keys: [String] = []
        var values: [Node] = []
        /// Where each key is, once an object is large (a dictionary of
        /// thousands of entries); a struct's few keys are searched in line.
        private var index: [String: Int]?

        func set(_ key: String, _ value: Node) {
            if let i = position(of: key) {
                values[i] = value
                return
            }
            keys.append(key)
            values.append(value)
            if index != nil { index![key] = keys.count - 1 } else if keys.count > 16 {
                index = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            }
        }

        func position(of key: String) -> Int? {
            if let index { return index[key] }
            return keys.firstIndex(of: key)
        }

        /// The container already written under `key`, as Foundation hands
        /// back the same one when asked twice.
        func existing(_ key: String) -> Node? { position(of: key).map { values[$0] } }
    }

    /// The `Encoder` a value writes itself into: it ends holding one node.
    final class NodeEncoder: Encoder {
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        var result: Node?

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing) = result { box = existing } else { box = ObjectBox(); result = .object(box) }
            return KeyedEncodingContainer(KeyedContainer<Key>(box: box))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing) = result { box = existing } else { box = ArrayBox(); result = .array(box) }
            return UnkeyedContainer(box: box)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }
    }

    /// Encodes a nested value into a box member once it is written: a child
    /// encoder that is asked for a container later (`superEncoder`) still
    /// lands in its parent.
    final class DeferredEncoder: Encoder {
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        let inner = NodeEncoder()
        let store: (Node) -> Void

        init(store: @escaping (Node) -> Void) {
            self.store = store
            store(.object(ObjectBox()))
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            defer { if let r = inner.result { store(r) } }
            return inner.container(keyedBy: type)
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            defer { if let r = inner.result { store(r) } }
            return inner.unkeyedContainer()
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: inner, after: { [inner, store] in if let r = inner.result { store(r) } }) }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.set(key.stringValue, try .double(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { box.set(key.stringValue, try .float(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { box.set(key.stringValue, try ResponseJSONEncoder.node(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            if case .object(let nested)? = box.existing(key.stringValue) { return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested)) }
            let nested = ObjectBox()
            box.set(key.stringValue, .object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            if case .array(let nested)? = box.existing(key.stringValue) { return UnkeyedContainer(box: nested) }
            let nested = ArrayBox()
            box.set(key.stringValue, .array(nested))
            return UnkeyedContainer(box: nested)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            DeferredEncoder { [box] node in box.set(name, node) }
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: ArrayBox
        var codingPath: [any CodingKey] { [] }
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { box.items.append(try .double(value)) }
        mutating func encode(_ value: Float) throws { box.items.append(try .float(value)) }
        mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt64) throws { box.items.append(.number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try ResponseJSONEncoder.node(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            box.items.append(.array(nested))
            return UnkeyedContainer(box: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let index = box.items.count
            return DeferredEncoder { [box] node in
                if index < box.items.count { box.items[index] = node } else { box.items.append(node) }
            }
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var after: () -> Void = {}
        var codingPath: [any CodingKey] { [] }

        private func set(_ node: Node) { encoder.result = node; after() }

        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(try .double(value)) }
        mutating func encode(_ value: Float) throws { set(try .float(value)) }
        mutating func encode(_ value: Int) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int8) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int16) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int32) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int64) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt8) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt16) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt32) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt64) throws { set(.number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { set(try ResponseJSONEncoder.node(value)) }
    }
}
