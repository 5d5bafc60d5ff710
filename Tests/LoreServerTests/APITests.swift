import Foundation
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("The JSON API")
struct APITests {
    @Test(arguments: Backend.available)
    func theSameWorkThroughTheAPIWithAToken(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            let created = try await api.call(.post, "/incidents", json: [
                "title": "Ledger writes slow", "severity": "SEV3", "detectionSource": "monitoring alert",
                "services": ["ledger"], "teams": ["platform"], "detectedAt": "2026-03-01T10:00:00.250Z",
                "labels": ["db"], "externalReferences": [["system": "pagerduty", "id": "PXYZ"]],
            ])
            #expect(created.status == .created)
            #expect(created.location == "/api/v1/incidents/INC-1")
            #expect(created.json["key"] as? String == "INC-1")
            #expect(created.json["detectedAt"] as? String == "2026-03-01T10:00:00.250Z")
            #expect(created.json["resolvedAt"] is NSNull)

            let patched = try await api.call(.patch, "/incidents/INC-1", json: ["status": "resolved", "resolvedAt": "2026-03-01T12:00:00Z", "mitigatedAt": "2026-03-01T11:00:00Z"])
            #expect(patched.status == .ok)
            #expect(patched.json["status"] as? String == "resolved")
            #expect((patched.json["durations"] as? [String: Any])?["toResolveSeconds"] as? Double == 7199.75)

            let e1 = try await api.call(.post, "/incidents/INC-1/timeline", json: ["occurredAt": "2026-03-01T10:02:00Z", "kind": "action", "text": "Failed over", "reflection": "Replica lag looked fine", "externalId": "bot-1"])
            #expect(e1.status == .created)
            let e2 = try await api.call(.post, "/incidents/INC-1/timeline", json: ["occurredAt": "2026-03-01T10:02:00Z", "text": "Failed over", "externalId": "bot-1"])
            #expect(e2.status == .ok)  // the retry is recognised, not stored twice
            let csv = try await api.call(.get, "/incidents/INC-1/timeline.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.components(separatedBy: "\r\n").count == 3)  // header, one entry, trailing empty
            let timeline = try await api.call(.get, "/incidents/INC-1/timeline")
            let items = try #require(timeline.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["author"] as? String == "Mo Member")
            #expect(items[0]["recalledLater"] as? Bool == true)  // written long after 2026-03-01

            let review = try await api.call(.post, "/incidents/INC-1/reviews", json: ["level": "team", "teams": ["platform"], "status": "draft", "sections": ["summary": "Slow ledger writes", "surprises": "Autovacuum"], "participantIds": [f.member.id.uuidString]])
            #expect(review.status == .created)
            #expect(review.json["practiceName"] as? String == "Postmortem")
            let reviewID = try #require(review.json["id"] as? String)
            #expect((review.json["window"] as? [String: Any])?["closesAt"] as? String == "2026-03-04T12:00:00.000Z")
            let review2 = try await api.call(.patch, "/reviews/\(reviewID)", json: ["status": "published"])
            #expect(review2.status == .ok)
            #expect((review2.json["sections"] as? [String: Any])?["summary"] as? String == "Slow ledger writes")

            let fu = try await api.call(.post, "/incidents/INC-1/follow-ups", json: ["title": "Tune autovacuum", "ownerTeam": "platform", "service": "ledger", "reviewId": reviewID])
            #expect(fu.status == .created)
            let id = try #require(fu.json["id"] as? String)
            let done = try await api.call(.patch, "/follow-ups/\(id)", json: ["status": "done"])
            #expect(done.json["closedAt"] is String)
            let list = try await api.call(.get, "/incidents?status=resolved&service=ledger")
            #expect(list.json["total"] as? Int == 1)
            #expect(try await api.call(.get, "/me").json["email"] as? String == "mo@example.com")
        }
    }

    @Test(arguments: Backend.available) func badInputIsAnsweredWithTheFieldAndNothingIsWritten(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.admin.id, name: "test")
            let api = APIClient(client: client, token: token)
            func error(_ r: TestResponse) -> [String: Any] { r.json["error"] as? [String: Any] ?? [:] }

            let malformed = try await api.call(.post, "/incidents", raw: "{\"title\": ")
            #expect(malformed.status == .badRequest)
            #expect(error(malformed)["code"] as? String == "malformed_json")

            let wrongType = try await api.call(.post, "/incidents", raw: "title=x", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)

            let types = try await api.call(.post, "/incidents", json: ["title": 42, "severity": "SEV3", "detectionSource": "other"])
            #expect(types.status == .unprocessableContent)
            #expect(error(types)["field"] as? String == "title")

            let order = try await api.call(.post, "/incidents", json: ["title": "x", "severity": "SEV3", "detectionSource": "other", "detectedAt": "2026-03-01T10:00:00Z", "mitigatedAt": "2026-03-01T09:00:00Z"])
            #expect(order.status == .unprocessableContent)
            #expect(error(order)["field"] as? String == "mitigatedAt")
            #expect((error(order)["message"] as? String)?.contains("before detected") == true)

            let unknown = try await api.call(.post, "/incidents", json: ["title": "x", "severity": "P1", "detectionSource": "other", "colour": "red"])
            #expect(unknown.status == .unprocessableContent)
            let fields = (error(unknown)["issues"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
            #expect(Set(fields) == ["colour"])

            let long = try await api.call(.post, "/incidents", json: ["title": String(repeating: "a", count: 201), "severity": "SEV3", "detectionSource": "other"])
            #expect(error(long)["field"] as? String == "title")
            #expect(error(long)["code"] as? String == "too_long")

            let badTime = try await api.call(.post, "/incidents", json: ["title": "x", "severity": "SEV3", "detectionSource": "other", "detectedAt": "last tuesday"])
            #expect(error(badTime)["field"] as? String == "detectedAt")

            #expect(try await store.incidentCount() == 0)
            #expect(try await api.call(.get, "/incidents/INC-404").status == .notFound)
            #expect(try await api.call(.get, "/incidents/not-a-key").status == .notFound)
            #expect(try await api.call(.patch, "/follow-ups/\(UUID().uuidString)", json: ["status": "done"]).status == .notFound)
            #expect(try await api.call(.get, "/incidents?page=0").status == .unprocessableContent)
            let nowhere = try await api.call(.get, "/nowhere")
            #expect(nowhere.status == .notFound && (nowhere.json["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }

    @Test(arguments: Backend.available) func adminOnlyWritesAreHiddenFromMembersAndRevokedTokensStopWorking(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (token, listed) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            #expect(try await api.call(.post, "/teams", json: ["name": "Shadow"]).status == .notFound)
            #expect(try await api.call(.patch, "/settings", json: ["practiceName": "Nope"]).status == .notFound)
            #expect(try await api.call(.get, "/teams").status == .ok)
            try await store.revokeAPIToken(listed.id.uuidString)
            #expect(try await api.call(.get, "/teams").status == .unauthorized)
        }
    }

    @Test(arguments: Backend.available) func settingsThroughTheAPI(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.admin.id, name: "test")
            let api = APIClient(client: client, token: token)
            let r = try await api.call(.patch, "/settings", json: ["practiceName": "Retrospective", "reviewWindowHours": 48])
            #expect(r.status == .ok)
            #expect(r.json["practiceNamePlural"] as? String == "Retrospectives")
            let bad = try await api.call(.patch, "/settings", json: ["reviewWindowHours": "soon"])
            #expect((bad.json["error"] as? [String: Any])?["field"] as? String == "reviewWindowHours")
            _ = try await api.call(.post, "/incidents", json: ["title": "x", "severity": "SEV3", "detectionSource": "other"])
            let review = try await api.call(.post, "/incidents/INC-1/reviews", json: ["sections": ["summary": "s"]])
            let id = try #require(review.json["id"] as? String)
            #expect(try await api.call(.get, "/reviews/\(id)").json["practiceName"] as? String == "Retrospective")
        }
    }

    /// The OpenAPI document must describe exactly the routes the server has.
    @Test func openAPIDocumentMatchesTheRegisteredRoutes() async throws {
        try await withTestDatabase(.sqlite) { db, store in
            let router = try await buildRouter(database: db, store: store, configuration: LoreServerConfiguration())
            let registered = Set(router.routes.compactMap { route -> String? in
                let path = route.path.description
                guard path.hasPrefix("/api/v1/"), !path.contains("*") else { return nil }
                return "\(route.method.rawValue.lowercased()) \(path.dropFirst("/api/v1".count))"
            })
            let app = try await buildApplication(database: db, store: store, configuration: LoreServerConfiguration())
            let yaml = try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).body  // public: no token
            }
            let documented = Self.operations(in: String(buffer: yaml))
            #expect(!registered.isEmpty)
            #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered).sorted())")
            #expect(registered.subtracting(documented).isEmpty, "served but not documented: \(registered.subtracting(documented).sorted())")
            #expect(String(buffer: yaml).hasPrefix("openapi: 3.1.0"))
        }
    }

    /// "get /incidents/{key}" for every operation under `paths:`.
    static func operations(in yaml: String) -> Set<String> {
        var out = Set<String>()
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
            } else if let c = current, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let word = line.trimmingCharacters(in: .whitespaces).split(separator: ":")[0]
                if ["get", "post", "put", "patch", "delete"].contains(word) { out.insert("\(word) \(c)") }
            }
        }
        return out
    }
}
