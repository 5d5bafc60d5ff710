import Foundation
import LoreCore
import HTTPTypes
import HummingbirdTesting
import LoreServer
import LoreTestSupport
import Testing
import Yams

/// The OpenAPI document is a contract: every answer the API gives on a walk
/// through all of its operations (including the shapes schemathesis rarely
/// reaches, such as a closed ballot's tally or a finding kept as written) must
/// match the schema the document lists for that operation and status. Response
/// schemas say `additionalProperties: false` and list every field as
/// required, so a field added to a response type (or dropped from it) without
/// the document fails here.
@Suite("The OpenAPI document as a contract")
struct OpenAPIContractTests {
    @Test(arguments: Backend.available)
    func everyAnswerMatchesItsDocumentedSchema(backend: Backend) async throws {
        let contract = try OpenAPIContract.load()
        try await withApp(backend) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.admin.id, name: "contract")
            let api = ContractClient(api: APIClient(client: client, token: token), contract: contract)

            try await api.call(.get, "/me", 200)
            try await api.call(.get, "/settings", 200)
            try await api.call(.patch, "/settings", 200, json: ["reviewWindowHours": 72])
            try await api.call(.get, "/teams", 200)
            try await api.call(.post, "/teams", 201, json: ["name": "Billing"])
            try await api.call(.get, "/services", 200)
            try await api.call(.post, "/services", 201, json: ["name": "Checkout", "owningTeam": "payments", "pagedTeams": ["payments"]])
            try await api.call(.patch, "/services/checkout", 200, json: ["onCallTeam": "payments"])
            try await api.call(.get, "/users", 200)
            try await api.call(.post, "/users", 201, json: ["email": "rae@example.com", "displayName": "Rae"])

            let incident = try await api.call(.post, "/incidents", 201, json: [
                "title": "Checkout errors", "severity": "SEV2", "detectionSource": "monitoring alert", "services": ["checkout"],
                "detectedAt": "2026-03-01T10:00:00Z", "externalReferences": [["system": "pagerduty", "id": "Q1", "url": "https://example.pagerduty.com/incidents/Q1"]],
            ])
            #expect(incident["reviewWindow"] is NSNull)  // impact still ongoing
            let resolved = try await api.call(.patch, "/incidents/INC-1", 200, json: ["status": "resolved", "mitigatedAt": "2026-03-01T10:30:00Z", "resolvedAt": "2026-03-01T11:00:00Z"])
            #expect(resolved["reviewWindow"] is [String: Any])
            try await api.call(.get, "/incidents?status=resolved", 200)
            try await api.call(.get, "/incidents/INC-1", 200)

            let entry = try await api.call(.post, "/incidents/INC-1/timeline", 201, json: ["occurredAt": "2026-03-01T10:05:00Z", "text": "Rolled back", "marker": "repair"])
            try await api.call(.post, "/incidents/INC-1/timeline", 201, json: ["occurredAt": "2026-03-01T10:06:00Z", "text": "Errors fell", "externalId": "bot-1"])
            try await api.call(.post, "/incidents/INC-1/timeline", 200, json: ["occurredAt": "2026-03-01T10:06:00Z", "text": "Errors fell", "externalId": "bot-1"])
            try await api.call(.get, "/incidents/INC-1/timeline", 200)
            try await api.call(.post, "/incidents", 201, json: ["title": "Checkout errors again", "severity": "SEV3", "detectionSource": "monitoring alert",
                                                                 "services": ["checkout"], "labels": ["deploy"], "detectedAt": "2026-03-08T10:00:00Z"])
            try await api.call(.get, "/teams/payments/digest?week=2026-W10", 200)
            try await api.call(.get, "/teams/payments/digest?week=2026-W60", 422)
            let related = try await api.call(.get, "/incidents/INC-2/related", 200)
            #expect((related["items"] as? [[String: Any]])?.first?["key"] as? String == "INC-1")
            let entryID = try #require(entry["id"] as? String)
            try await api.call(.delete, "/incidents/INC-1/timeline/\(entryID)", 204)
            let removed = try await api.call(.get, "/incidents/INC-1/timeline/removed", 200)
            #expect((removed["items"] as? [[String: Any]])?.first?["removedBy"] as? String == f.admin.displayName)
            try await api.call(.post, "/incidents/INC-1/timeline/\(entryID)/restore", 200)

            let review = try await api.call(.post, "/incidents/INC-1/reviews", 201, json: [
                "level": "team", "teams": ["payments"], "facilitatorId": f.admin.id.uuidString, "participantIds": [f.admin.id.uuidString],
                "sections": ["summary": "The new release failed; someone should have caught the error."],
            ])
            let reviewID = try #require(review["id"] as? String)
            try await api.call(.get, "/incidents/INC-1/reviews", 200)
            try await api.call(.get, "/reviews/\(reviewID)", 200)
            try await api.call(.patch, "/reviews/\(reviewID)", 200, json: ["status": "held", "meetingAt": "2026-03-02T09:00:00Z"])
            let wider = try await api.call(.post, "/incidents/INC-1/reviews", 201, json: ["level": "joint", "participantIds": [f.admin.id.uuidString]])
            try await api.call(.put, "/reviews/\(reviewID)/parent", 200, json: ["parentReviewId": try #require(wider["id"] as? String)])

            let finding = try await api.call(.post, "/reviews/\(reviewID)/findings", 201, json: ["kind": "surprise", "text": "The canary passed"])
            try await api.call(.get, "/reviews/\(reviewID)/findings", 200)
            let promoted = try await api.call(.post, "/findings/\(try #require(finding["id"] as? String))/promote", 201)
            #expect(promoted["promoted"] as? Bool == true)

            var followUpIDs: [String] = []
            for title in ["Canary on error rate", "Alert on checkout 5xx"] {
                let fu = try await api.call(.post, "/incidents/INC-1/follow-ups", 201, json: ["title": title, "ownerTeam": "payments", "service": "checkout", "reviewId": reviewID])
                followUpIDs.append(try #require(fu["id"] as? String))
            }
            try await api.call(.patch, "/follow-ups/\(followUpIDs[1])", 200, json: ["status": "not_necessary", "reason": "Covered by the canary"])
            try await api.call(.get, "/follow-ups/\(followUpIDs[0])", 200)
            try await api.call(.get, "/follow-ups/\(followUpIDs[1])/history", 200)
            // No repository for the team yet: a conflict; mapped: queued.
            try await api.call(.post, "/follow-ups/\(followUpIDs[0])/push", 409)
            try await store.saveIssueTracker(try IssueTrackerSettings.parse(apiURL: "", lines: "payments = acme/payments", knownTeams: ["payments"]), token: "a token", webhookSecret: nil)
            let queued = try await api.call(.post, "/follow-ups/\(followUpIDs[0])/push", 202)
            #expect(queued["status"] as? String == "queued")
            try await api.call(.get, "/incidents/INC-1/follow-ups", 200)

            let opened = try await api.call(.post, "/reviews/\(reviewID)/ballot", 201)
            #expect(opened["tally"] is NSNull)  // no running tally while open
            try await api.call(.put, "/reviews/\(reviewID)/ballot/picks", 200, json: ["picks": [followUpIDs[0]]])
            try await api.call(.get, "/reviews/\(reviewID)/ballot", 200)
            let closed = try await api.call(.post, "/reviews/\(reviewID)/ballot/close", 200)
            #expect((closed["tally"] as? [[String: Any]])?.isEmpty == false)

            let check = try await api.call(.post, "/language/check", 200, json: ["text": "Bo should have rolled back sooner."])
            #expect((check["findings"] as? [[String: Any]])?.isEmpty == false)
            let language = try await api.call(.get, "/reviews/\(reviewID)/language", 200)
            let first = try #require((language["findings"] as? [[String: Any]])?.first)
            try await api.call(.post, "/reviews/\(reviewID)/language/keep", 201, json: [
                "section": try #require(first["section"] as? String), "ruleId": try #require(first["ruleId"] as? String),
                "matchedText": try #require(first["matchedText"] as? String), "note": "quoting the release notes",
            ])
            try await api.call(.get, "/reviews/\(reviewID)", 200)  // now with a finding kept as written

            try await api.call(.get, "/reviews/\(reviewID)/history", 200)
            try await api.call(.get, "/audit?limit=50", 200)
            try await api.call(.get, "/dashboard", 200)
            let insights = try await api.call(.get, "/insights?since=2026-01-01&until=2026-06-30&split=month&by=service&measure=to-resolve", 200)
            #expect((insights["longest"] as? [[String: Any]])?.first?["key"] as? String == "INC-1", "\(insights)")
            try await api.call(.get, "/insights?earlier=2026-02&later=2026-03&split=month&since=2026-01-01&until=2026-06-30&measure=to-resolve", 200)
            try await api.call(.get, "/insights?by=colour&since=2026-07-01&until=2026-01-01", 422)
            // The API takes the documented spellings only (the page is kinder to a blank or "detect").
            for loose in ["measure=", "measure=detect", "measure=TO-DETECT", "by=teams", "split=", "status=Open"] {
                let refused = try await api.call(.get, "/insights?" + loose, 422)
                #expect(((refused["error"] as? [String: Any])?["field"] as? String) == String(loose.prefix { $0 != "=" }), "\(loose)")
            }

            try await api.call(.get, "/webhooks", 200)
            let hook = try await api.call(.post, "/webhooks", 201, json: ["name": "Chat", "url": "https://hooks.example.com/lore", "format": "json"])
            #expect(hook["secret"] is String)
            try await api.call(.get, "/webhooks", 200)
            try await api.call(.delete, "/webhooks/\(try #require(hook["id"] as? String))", 204)

            // Errors have their documented shape too.
            try await api.call(.get, "/incidents/INC-404", 404)
            try await api.call(.post, "/incidents", 422, json: ["title": "", "severity": "nope", "detectionSource": "other", "colour": "red"])
            try await api.call(.post, "/incidents", 400, raw: "{\"title\": ")
            try await api.call(.post, "/incidents", 415, raw: "title=x", contentType: "application/x-www-form-urlencoded")
            try await api.call(.get, "/incidents?perPage=500", 422)
            let anonymous = ContractClient(api: APIClient(client: client, token: "wrong"), contract: contract)
            try await anonymous.call(.get, "/incidents", 401)
            #expect(api.problems.value.isEmpty, "\(api.problems.value.joined(separator: "\n"))")
            #expect(anonymous.problems.value.isEmpty, "\(anonymous.problems.value.joined(separator: "\n"))")
        }
    }

    /// The check itself can fail: an undocumented field, a missing one, a
    /// null where the document does not allow it and a wrong type are each
    /// reported.
    @Test func theSchemaCheckReportsDrift() throws {
        let contract = try OpenAPIContract.load()
        func team(_ json: String) throws -> [String] {
            contract.problems(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), schema: ["$ref": "#/components/schemas/Team"])
        }
        #expect(try team(#"{"id": "t", "name": "Payments", "slug": "payments"}"#).isEmpty)
        #expect(try team(#"{"id": "t", "name": "Payments", "slug": "payments", "colour": "red"}"#) == ["$.colour: not in the document"])
        #expect(try team(#"{"id": "t", "name": "Payments"}"#) == ["$.slug: required but missing"])
        #expect(try team(#"{"id": "t", "name": null, "slug": "s"}"#) == ["$.name: expected string, found null"])
        #expect(try team(#"{"id": "t", "name": 7, "slug": "s"}"#) == ["$.name: expected string, found integer"])
        #expect(try team(#"{"id": "t", "name": true, "slug": "s"}"#) == ["$.name: expected string, found boolean"])
        let ballot = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"status": "pending"}"#.utf8))
        #expect(contract.problems(ballot, schema: ["$ref": "#/components/schemas/Ballot"]).contains("$.status: \"pending\" is not one of the documented values"))
    }
}

/// The document, and a small JSON Schema reader for the parts it uses
/// (`$ref`, `type` with `"null"`, `properties`, `required`,
/// `additionalProperties: false`, `items`, `enum`).
struct OpenAPIContract: @unchecked Sendable {
    let document: [String: Any]

    static func load() throws -> OpenAPIContract {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Sources/LoreServer/Public/openapi.yaml"), encoding: .utf8)
        let yaml = try #require(try Yams.load(yaml: text))
        return OpenAPIContract(document: try #require(Self.plain(yaml) as? [String: Any]))
    }

    /// Yams gives `[AnyHashable: Any]`; JSONSerialization wants string keys.
    private static func plain(_ value: Any) -> Any {
        if let d = value as? [AnyHashable: Any] {
            return Dictionary(uniqueKeysWithValues: d.map { (String(describing: $0.key.base), plain($0.value)) })
        }
        if let a = value as? [Any] { return a.map(plain) }
        return value
    }

    /// The schema for `method path` answering `status`: nil with a reason when
    /// the document has no such operation or status.
    func responseSchema(_ method: String, _ path: String, _ status: Int) -> (schema: [String: Any]?, problem: String?) {
        let concrete = path.split(separator: "?").first.map(String.init) ?? path
        let paths = document["paths"] as? [String: Any] ?? [:]
        // The most literal template wins: `/timeline/removed` before `/timeline/{id}`.
        let candidates = paths.keys.filter { Self.matches(template: $0, concrete) }
        guard let template = candidates.min(by: { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }),
              let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any] else {
            return (nil, "\(method) \(concrete): no such operation in the document")
        }
        guard let response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return (nil, "\(method) \(template): status \(status) is not documented")
        }
        let resolved = resolve(response)
        let schema = ((resolved["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        return (schema, nil)
    }

    static func matches(template: String, _ path: String) -> Bool {
        let t = template.split(separator: "/"), p = path.split(separator: "/")
        return t.count == p.count && zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return resolve(node as? [String: Any] ?? [:])
    }

    /// Every way `value` departs from `schema`, each with its JSON path.
    func problems(_ value: JSONValue, schema raw: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(raw)
        var found: [String] = []
        let types: [String] = (schema["type"] as? String).map { [$0] } ?? (schema["type"] as? [String]) ?? []
        let actual = value.typeName
        if !types.isEmpty, !types.contains(actual), !(actual == "integer" && types.contains("number")) {
            return ["\(path): expected \(types.joined(separator: " or ")), found \(actual)"]
        }
        if let allowed = schema["enum"] as? [Any], case .string(let s) = value, !allowed.contains(where: { $0 as? String == s }) {
            found.append("\(path): \"\(s)\" is not one of the documented values")
        }
        switch value {
        case .object(let object):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where object[name] == nil {
                found.append("\(path).\(name): required but missing")
            }
            for (name, v) in object.sorted(by: { $0.key < $1.key }) {
                if let p = properties[name] as? [String: Any] {
                    found += problems(v, schema: p, at: "\(path).\(name)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    found.append("\(path).\(name): not in the document")
                }
            }
        case .array(let array):
            if let items = schema["items"] as? [String: Any] {
                for (i, v) in array.enumerated() { found += problems(v, schema: items, at: "\(path)[\(i)]") }
            }
        default:
            break
        }
        return found
    }
}

/// A JSON value with its exact JSON type (JSONSerialization's NSNumber
/// cannot tell `true` from `1` portably).
indirect enum JSONValue: Decodable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !list.isAtEnd { values.append(try list.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var values: [String: JSONValue] = [:]
            for key in object.allKeys { values[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(values)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Calls the API and checks each answer against the document; the problems
/// are collected so one run lists them all.
struct ContractClient: Sendable {
    let api: APIClient
    let contract: OpenAPIContract
    let problems = ProblemList()

    final class ProblemList: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        var value: [String] { lock.withLock { list } }
        func add(_ more: [String]) { lock.withLock { list += more } }
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, _ expected: Int, json: Any? = nil, raw: String? = nil,
              contentType: String = "application/json") async throws -> [String: Any] {
        let response = try await api.call(method, path, json: json, raw: raw, contentType: contentType)
        let label = "\(method) \(path)"
        guard Int(response.status.code) == expected else {
            problems.add(["\(label): answered \(response.status.code), expected \(expected): \(response.text.prefix(300))"])
            return [:]
        }
        let (schema, problem) = contract.responseSchema(method.rawValue, path, expected)
        if let problem { problems.add([problem]) }
        guard let schema else {
            if !response.text.isEmpty, problem == nil { problems.add(["\(label): a body the document does not describe"]) }
            return response.json
        }
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(response.text.utf8)) else {
            problems.add(["\(label): the body is not JSON"])
            return [:]
        }
        problems.add(contract.problems(body, schema: schema).map { "\(label): \($0)" })
        return response.json
    }
}
