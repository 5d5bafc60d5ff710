import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// Drives the app as a browser would: keeps cookies, reads the CSRF token
/// from the last page, submits forms.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let r = try await client.execute(uri: uri, method: .get, headers: cookieHeaders())
        absorb(r)
        return r
    }

    /// Posts a form; adds the CSRF token unless `csrf: false`.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf includeToken: Bool = true, token: String? = nil) async throws -> TestResponse {
        var all = fields
        if includeToken { all.append(("_csrf", token ?? csrf ?? "")) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = cookieHeaders()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        absorb(r)
        return r
    }

    /// Submits a multipart form with one file, as a browser's file input does.
    @discardableResult
    func upload(_ uri: String, _ fields: [(String, String)], file: (field: String, name: String, data: Data)) async throws -> TestResponse {
        let boundary = "----LoreTestBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (k, v) in fields + [("_csrf", csrf ?? "")] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = cookieHeaders()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(data: body))
        absorb(r)
        return r
    }

    func signIn(_ email: String, _ password: String) async throws {
        try await get("/signin")
        let r = try await post("/signin", [("email", email), ("password", password)])
        #expect(r.status == .found)
        #expect(cookies["lore_session"] != nil)
        try await get("/incidents")  // picks up the session's CSRF token
    }

    func cookieHeaders() -> HTTPFields {
        var h = HTTPFields()
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return h
    }

    private func absorb(_ r: TestResponse) {
        for value in r.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let v = String(pair[1])
            if v.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = v }
        }
        let html = String(buffer: r.body)
        if let range = html.range(of: "name=\"_csrf\" value=\"") {
            let rest = html[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    var location: String? { headers[.location] }
}

/// A fresh database, the fixture catalog, and the app over them.
func withApp(
    _ backend: Backend = .sqlite, configuration: LoreServerConfiguration = LoreServerConfiguration(), logger: Logger = Logger(label: "lore.db"),
    _ body: @escaping @Sendable (any TestClientProtocol, LoreStore, Fixture) async throws -> Void
) async throws {
    try await withTestDatabase(backend, logger: logger) { db, store in
        let fixture = try await Fixture.make(store)
        let app = try await buildApplication(database: db, store: store, configuration: configuration)
        try await app.test(.router) { client in try await body(client, store, fixture) }
    }
}

/// Calls the JSON API with a bearer token.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    func call(_ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, raw: String? = nil, contentType: String = "application/json") async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        var body: ByteBuffer?
        if let json { body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)) }
        if let raw { body = ByteBuffer(string: raw) }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: "/api/v1" + uri, method: method, headers: headers, body: body)
    }
}

/// An incident whose timeline has one entry by the fixture's admin (10:00
/// UTC, `adminText`) and one by its member (10:05, "Joined the call"),
/// each written through the API: what the Remove-button tests need. The
/// member's entry's id comes back with the incident.
func incidentWithAnEntryEach(
    _ client: any TestClientProtocol, _ store: LoreStore, _ f: Fixture, title: String, adminText: String
) async throws -> (incident: Incident, memberEntryID: String) {
    let incident = try await store.createIncident(IncidentInput(title: title, severity: "SEV2", detectionSource: "monitoring alert"))
    let admin = APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "a").secret)
    let member = APIClient(client: client, token: try await store.createAPIToken(userID: f.member.id, name: "m").secret)
    _ = try await admin.call(.post, "/incidents/\(incident.key)/timeline", json: ["occurredAt": "2026-03-01T10:00:00Z", "text": adminText])
    let mine = try await member.call(.post, "/incidents/\(incident.key)/timeline", json: ["occurredAt": "2026-03-01T10:05:00Z", "text": "Joined the call"])
    return (incident, try #require(mine.json["id"] as? String))
}
