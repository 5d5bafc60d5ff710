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
        guard type.hasPrefix("application/json") else {
            throw LoreHTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as application/json (got \(type.isEmpty ? "no content type" : type)).")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw LoreHTTPError(.contentTooLarge, code: "too_large", message: "The body is larger than \(context.maxUploadSize / 1024) KB.")
        }
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
        return JSONBody(object: object)
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

    mutating func int(_ key: String) -> Int?? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return .some(nil) }
        // JSONSerialization gives NSNumbers; true/false are the ones whose
        // type is "c" (on Linux, 0 and 1 would otherwise pass for booleans).
        if let n = v as? NSNumber, String(cString: n.objCType) != "c", let i = Int(exactly: n.doubleValue) { return .some(i) }
        issues.add(key, "wrong_type", "\"\(key)\" must be an integer.")
        return nil
    }

    mutating func strings(_ key: String) -> [String]? {
        guard let v = object[key] else { return nil }
        if v is NSNull { return [] }
        if let a = v as? [Any], a.allSatisfy({ $0 is String }) { return a as? [String] }
        issues.add(key, "wrong_type", "\"\(key)\" must be an array of strings.")
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

/// JSON responses.
enum JSONResponse {
    static func make(_ value: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
