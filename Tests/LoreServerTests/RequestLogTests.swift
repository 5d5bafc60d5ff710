import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// Every log record an app writes, as JSON lines.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
    var records: [[String: String]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String] }
    }

    /// A logger whose records, as JSON lines, are kept here.
    func logger(level: Logger.Level) -> Logger {
        Logger(label: "lore") { label in
            var h = JSONLogHandler(label: label) { self.append($0) }
            h.logLevel = level
            return h
        }
    }
}

@Suite("Request logs")
struct RequestLogTests {
    @Test func oneLinePerRequestWithItsIdAndRoutePatternAndNoSecret() async throws {
        let captured = CapturedLog()
        let logger = captured.logger(level: .debug)
        try await withTestDatabase(.sqlite) { db, store in
            let f = try await Fixture.make(store)
            let app = try await buildApplication(database: db, store: store, configuration: LoreServerConfiguration(), logger: logger)
            try await app.test(.router) { client in
                let b = Browser(client)
                try await b.signIn("mo@example.com", "another long password")
                let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "logs")
                let api = APIClient(client: client, token: token)
                let incident = try await api.call(.post, "/incidents", json: ["title": "Secret project Nightjar", "severity": "SEV3", "detectionSource": "monitoring alert"])
                #expect(incident.status == .created)
                let page = try await b.get("/incidents/INC-1?token=\(token)")
                #expect(page.status == .ok)
                let missing = try await b.get("/incidents/INC-999")
                #expect(missing.status == .notFound)

                // The response and the error page carry the id the log line has.
                let requests = captured.records.filter { $0["message"] == "request" }
                let id = try #require(missing.headers[HTTPField.Name("X-Request-Id")!])
                #expect(missing.text.contains(id))
                let line = try #require(requests.first { $0["request_id"] == id })
                #expect(line["route"] == "/incidents/{key}" && line["status"] == "404" && line["method"] == "GET")
                #expect(Double(line["ms"] ?? "") != nil)
                #expect(requests.contains { $0["route"] == "/api/v1/incidents" && $0["status"] == "201" && $0["method"] == "POST" })
                #expect(Set(requests.compactMap { $0["request_id"] }).count == requests.count, "one line per request")

                // Nothing secret, and no text of the incident, in any line.
                let cookies = b.cookieHeaders()[.cookie] ?? ""
                let sessionValue = cookies.split(separator: ";").compactMap { $0.split(separator: "=", maxSplits: 1).last.map(String.init) }
                let secrets: [String] = ["another long password", token, "Nightjar", "INC-999", b.csrf ?? ""] + sessionValue
                for secret in secrets where !secret.isEmpty {
                    #expect(!captured.all.contains { $0.contains(secret) }, "\(secret.prefix(6))… appears in the log")
                }
            }
        }
    }

    @Test func jsonLinesAreObjectsWithTimeLevelLabelAndMessage() throws {
        let captured = CapturedLog()
        var handler = JSONLogHandler(label: "lore.test") { captured.append($0) }
        handler[metadataKey: "hb.request.id"] = "abc123"
        handler.log(level: .warning, message: "a \"quoted\"\nline", metadata: ["route": "/x/{id}"], source: "t", file: #fileID, function: #function, line: #line)
        #expect(captured.all.count == 1 && !captured.all[0].contains("\n"))
        let record = try #require(captured.records.first)
        #expect(record["level"] == "warning" && record["label"] == "lore.test" && record["message"] == "a \"quoted\"\nline")
        #expect(record["request_id"] == "abc123" && record["route"] == "/x/{id}")
        #expect(LoreTime.parseISO(record["time"] ?? "") != nil)
    }
}
