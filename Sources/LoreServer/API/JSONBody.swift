import Foundation
import Hummingbird
import LoreCore

/// A JSON request body, read field by field so that a wrong type is reported
/// with the field's name (`"severity" must be a string`) rather than as a
/// generic decoding failure.
///
/// Each accessor distinguishes absent (`nil`: leave as is) from `null`
/// (`.some(nil)`: clear it), which PATCH needs.
struct JSONBody {
    let object: [String: Any]
    var issues = Validator()

    static func read(_ request: Request, context: LoreRequestContext) async throws -> JSONBody {
        let type = (request.headers[.contentType] ?? "").lowercased()
        guard MediaType.matches(type, "application/json") else {
            throw LoreHTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as application/json (got \(type.isEmpty ? "no content type" : type)).")
        }
        let buffer = try await request.collectBody(upTo: context.maxUploadSize, what: "The body")
        let data = Data(buffer: buffer)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw LoreHTTPError(.badRequest, code: "malformed_json", message: "The body is not valid JSON: \(Self.describe(error)).")
        }
        guard let object = parsed as? [String: Any] else {
            throw LoreHTTPError(.badRequest, code: "malformed_json", message: "The body must be a JSON object.")
        }
        // JSONSerialization keeps one of two equal keys without a word; which
        // one a client meant cannot be known, so the body is refused.
        if let key = JSONDuplicateKeys.first(in: data) {
            throw LoreHTTPError(.badRequest, code: "duplicate_key", message: "The key \"\(key)\" appears twice in one object; send each field once.", field: key)
        }
        var issues = Validator()
        Self.checkText(object, path: "", into: &issues)
        try issues.check()
        return JSONBody(object: object)
    }

    /// Refuses control characters in every string of the body, naming the
    /// field (`sections.summary`, `labels[2]`).
    static func checkText(_ value: Any, path: String, into issues: inout Validator) {
        switch value {
        case let s as String:
            if let issue = TextCharacters.issue(field: path, text: s) { issues.add(issue.field, issue.code, issue.message) }
        case let o as [String: Any]:
            for (k, v) in o { checkText(v, path: path.isEmpty ? k : "\(path).\(k)", into: &issues) }
        case let a as [Any]:
            for (i, v) in a.enumerated() { checkText(v, path: "\(path)[\(i)]", into: &issues) }
        default:
            break
        }
    }

    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    mutating func string(_ key: String) -> String?? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return .some(nil) }
        if let s = v as? String { return .some(s) }
        issues.add(key, "wrong_type", "\"\(key)\" must be a string.")
        return nil
    }

    /// A string that may be left out but not set to null (a name).
    mutating func nonNullString(_ key: String) -> String? {
        if object[key] is NSNull {
            issues.add(key, "wrong_type", "\"\(key)\" must be a string; it cannot be null.")
            return nil
        }
        return string(key) ?? nil
    }

    mutating func int(_ key: String) -> Int?? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return .some(nil) }
        // JSONSerialization gives NSNumbers; true/false are the ones whose
        // type is "c" (on Linux, 0 and 1 would otherwise pass for booleans).
        if let n = v as? NSNumber, String(cString: n.objCType) != "c", let i = Int(exactly: n.doubleValue) { return .some(i) }
        issues.add(key, "wrong_type", "\"\(key)\" must be an integer.")
        return nil
    }

    /// `true` or `false` only (not null, not 0 or 1: JSONSerialization on
    /// Linux hands numbers out as NSNumber, which `as? Bool` would accept).
    mutating func bool(_ key: String) -> Bool? {
        guard let v = object[key] else { return nil }
        if let n = v as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue }
        issues.add(key, "wrong_type", "\"\(key)\" must be true or false.")
        return nil
    }

    mutating func strings(_ key: String) -> [String]? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return [] }
        if let a = v as? [Any], a.allSatisfy({ $0 is String }) { return a as? [String] }
        issues.add(key, "wrong_type", "\"\(key)\" must be an array of strings.")
        return nil
    }

    /// An object of strings (`{"db-01.corp": "the database host"}`).
    mutating func stringMap(_ key: String) -> [String: String]? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return [:] }
        if let o = v as? [String: Any], o.values.allSatisfy({ $0 is String }) { return o as? [String: String] }
        issues.add(key, "wrong_type", "\"\(key)\" must be an object whose values are strings.")
        return nil
    }

    mutating func date(_ key: String) -> Date?? {
        guard let s = string(key) else { return nil }
        guard let s else { return .some(nil) }
        if let d = LoreTime.parseISO(s) { return .some(d) }
        issues.add(key, "invalid_time", "\"\(key)\" must be an RFC 3339 time such as 2026-03-01T14:02:00Z; got \"\(s)\".")
        return nil
    }

    mutating func uuid(_ key: String) -> UUID?? {
        guard let s = string(key) else { return nil }
        guard let s else { return .some(nil) }
        if let u = UUID(uuidString: s) { return .some(u) }
        issues.add(key, "invalid_id", "\"\(key)\" must be an id (UUID); got \"\(s)\".")
        return nil
    }

    mutating func uuids(_ key: String) -> [UUID]? {
        guard let list = strings(key) else { return nil }
        var out: [UUID] = []
        for s in list {
            guard let u = UUID(uuidString: s) else {
                issues.add(key, "invalid_id", "\"\(key)\" must hold ids (UUIDs); \"\(s)\" is not one.")
                return nil
            }
            out.append(u)
        }
        return out
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E?? where E.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let s else { return .some(nil) }
        if let e = E(rawValue: s) { return .some(e) }
        issues.add(key, "unknown", "\"\(key)\" must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(s)\".")
        return nil
    }

    /// Rejects fields the endpoint does not know, so a typo is not silently
    /// ignored.
    mutating func allowOnly(_ keys: Set<String>) {
        for k in object.keys.sorted() where !keys.contains(k) {
            issues.add(k, "unknown_field", "Unknown field \"\(k)\"; accepted fields are \(keys.sorted().joined(separator: ", ")).")
        }
    }

    func check() throws(ValidationError) { try issues.check() }
}

/// Content types as RFC 9110 writes them: `type/subtype` then optional
/// `; parameter`s. `application/jsonx` is not JSON.
enum MediaType {
    static func matches(_ header: String, _ expected: String) -> Bool {
        let essence = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return essence == expected
    }
}

/// Finds a key repeated within one JSON object. Runs only on bodies that
/// JSONSerialization has already accepted, so it can assume valid JSON; it
/// walks the bytes once, keeping the keys of each open object.
enum JSONDuplicateKeys {
    static func first(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var stack: [(isObject: Bool, keys: Set<[UInt8]>, expectKey: Bool)] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"):
                stack.append((true, [], true))
            case UInt8(ascii: "["):
                stack.append((false, [], false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if let last = stack.indices.last, stack[last].isObject { stack[last].expectKey = true }
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                if let last = stack.indices.last, stack[last].isObject, stack[last].expectKey {
                    // Compare keys as JSON text after decoding escapes, so
                    // "a" and "\u0061" count as the same key.
                    let raw = Array(bytes[i...min(j, bytes.count - 1)])
                    let decoded = (try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])) as? String
                    let key = decoded.map { Array($0.utf8) } ?? raw
                    if !stack[last].keys.insert(key).inserted { return decoded ?? String(decoding: raw, as: UTF8.self) }
                    stack[last].expectKey = false
                }
                i = j
            default:
                break
            }
            i += 1
        }
        return nil
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        var status = status
        var bytes: [UInt8]
        do {
            bytes = try ResponseJSONEncoder().encode(value)
            #if DEBUG
            // The test suite runs debug builds: there, every response the API
            // writes is also written by Foundation, and must be the same bytes.
            let foundation = JSONEncoder()
            foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let expected = try? foundation.encode(value), Array(expected) != bytes {
                assertionFailure("ResponseJSONEncoder wrote \(String(decoding: bytes, as: UTF8.self)), Foundation \(String(decoding: expected, as: UTF8.self))")
            }
            #endif
        } catch {
            // Only a value Lore built wrong (a non-finite number) gets here.
            status = .internalServerError
            bytes = Array(#"{"error":{"code":"internal","field":null,"message":"Something went wrong on the server; it has been logged."}}"#.utf8)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
