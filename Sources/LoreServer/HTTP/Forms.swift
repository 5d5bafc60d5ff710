import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// A file sent with a `multipart/form-data` form.
struct UploadedFile: Sendable {
    var fileName: String
    var contentType: String?
    var data: Data
}

/// A submitted HTML form, already checked against the CSRF token.
///
/// Reading a form through `FormData.read` is the only way handlers get form
/// fields (and uploaded files), so no state-changing form can skip the check.
struct FormData: Sendable {
    /// `application/x-www-form-urlencoded` (RFC 6749 Appendix B), and a query's value: only
    /// ASCII letters, digits and `-._~` stay as they are.
    static func encode(_ s: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    var fields: [String: [String]]
    var files: [String: UploadedFile] = [:]

    subscript(_ name: String) -> String? { fields[name]?.last }
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// Reads an `application/x-www-form-urlencoded` body (or, where a handler
    /// allows it, `multipart/form-data` with files) and verifies its `_csrf`
    /// field against the session's token (or, before sign-in, the
    /// pre-session cookie).
    static func read(_ request: Request, context: LoreRequestContext, limit: Int = 2 * 1024 * 1024, allowFiles: Bool = false) async throws -> FormData {
        let type = request.headers[.contentType] ?? ""
        let multipart = MediaType.matches(type, "multipart/form-data")
        guard MediaType.matches(type, "application/x-www-form-urlencoded") || (allowFiles && multipart) else {
            throw LoreHTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: allowFiles
                ? "Forms with files must be sent as multipart/form-data."
                : "Forms must be sent as application/x-www-form-urlencoded.")
        }
        let body = try await request.collectBody(upTo: limit, what: "The form")
        let form: FormData
        if multipart {
            guard let boundary = MultipartBody.boundary(contentType: type) else {
                throw LoreHTTPError.badRequest("The upload has no multipart boundary.")
            }
            guard let parsed = MultipartBody.parse(Data(buffer: body), boundary: boundary) else {
                throw LoreHTTPError.badRequest("The upload was cut off or is not valid multipart/form-data; try again.")
            }
            form = parsed
        } else {
            form = FormData(fields: parse(String(buffer: body)))
        }
        let expected = context.session?.csrfToken ?? context.preSessionCSRF
        guard let expected, let given = form["_csrf"], Secrets.constantTimeEquals(expected, given) else {
            throw LoreHTTPError(.forbidden, code: "csrf", message: "This form has expired or did not come from Lore. Reload the page and try again.")
        }
        var issues = Validator()
        for (name, values) in form.fields.sorted(by: { $0.key < $1.key }) {
            for v in values {
                if let issue = TextCharacters.issue(field: name, text: v) { issues.add(issue.field, issue.code, issue.message) }
            }
        }
        try issues.check()
        return form
    }

    static func parse(_ text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            out[key, default: []].append(value)
        }
        return out
    }

    static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
    }

    /// Lines of a textarea, trimmed, empty ones dropped.
    func lines(_ name: String) -> [String] {
        (self[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Comma- or newline-separated values.
    func list(_ name: String) -> [String] {
        (self[name] ?? "").split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// One of an enumeration's values, or nil when absent or left empty. A
    /// value that is not one of them (a forged or stale form) is reported,
    /// not replaced by a default.
    func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, into v: inout Validator, label: String) -> E? where E.RawValue == String {
        guard let raw = self[name], !raw.isEmpty else { return nil }
        if let e = E(rawValue: raw) { return e }
        v.add(name, "unknown", "\(label): \"\(raw)\" is not one of \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
        return nil
    }

    /// A `datetime-local` value in the viewer's zone: nil when absent from the
    /// form, `.some(nil)` when left empty. Unparseable text is reported.
    func date(_ name: String, zone: TimeZone, into v: inout Validator, label: String) -> Date?? {
        guard let raw = self[name] else { return nil }
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .some(nil) }
        guard let d = LoreTime.parseLocal(t, timeZone: zone) else {
            v.add(name, "invalid_time", "\(label): \"\(t)\" is not a date and time (expected YYYY-MM-DDTHH:MM).")
            return nil
        }
        return .some(d)
    }
}

/// Cross-site request forgery protection for forms. Signed-in forms carry the
/// session's token. The sign-in form, with no session yet, carries an HMAC
/// of a random cookie value under a secret only the servers know: a plain
/// double-submit pair would accept any cookie and field an attacker who can
/// set a cookie chooses.
enum CSRF {
    static let cookieName = "lore_csrf"

    static func signInToken(nonce: String, secret: String) -> String {
        Secrets.sign("lore-sign-in-form:" + nonce, key: secret)
    }
}
