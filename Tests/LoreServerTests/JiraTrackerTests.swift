import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
@testable import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The documented subset of Jira Cloud's REST API v3 as a local server:
/// create an issue, JQL search by label, read an issue, its transitions and
/// comments, and move it through a workflow of To Do, In Progress, Done and
/// Won't Do. Request bodies are checked against Atlassian's documentation
/// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/).
actor FakeJira {
    struct Issue: Sendable { var key: String; var summary: String; var labels: [String]; var descriptionText: String; var status = "To Do"; var resolution: String? }
    var issues: [String: Issue] = [:]
    var comments: [String: [(author: String, text: String)]] = [:]
    var transitionsMade: [String] = []
    var contractViolations: [String] = []
    static let workflow: [(id: String, name: String, category: String)] = [("11", "To Do", "new"), ("21", "In Progress", "indeterminate"), ("31", "Done", "done"), ("41", "Won't Do", "done")]

    func comment(on key: String, by author: String, _ text: String) { comments[key, default: []].insert((author, text), at: 0) }
    func resolve(_ key: String, as name: String) {
        issues[key]?.status = name
        issues[key]?.resolution = Self.workflow.first { $0.name == name }?.category == "done" ? name : nil
    }

    func handle(method: String, path: String, query: [String: String], authorization: String?, body: Data) -> (Int, Data) {
        func json(_ status: Int, _ value: Any) -> (Int, Data) { (status, (try? JSONSerialization.data(withJSONObject: value)) ?? Data()) }
        guard authorization == "Basic " + Data("lore@example.com:jira-token".utf8).base64EncodedString() else { return json(401, ["errorMessages": ["Unauthorized"]]) }
        let parts = path.split(separator: "/").map(String.init)  // rest api 3 …
        guard parts.count >= 4, parts[0...2] == ["rest", "api", "3"] else { return json(404, ["errorMessages": ["Not found"]]) }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        func category(_ status: String) -> String { Self.workflow.first { $0.name == status }?.category ?? "new" }
        switch (method, Array(parts.dropFirst(3))) {
        case ("POST", ["issue"]):
            // fields.project.key, fields.summary (string), fields.issuetype.name, fields.labels (strings without spaces), fields.description (ADF).
            guard let fields = object?["fields"] as? [String: Any], let key = (fields["project"] as? [String: Any])?["key"] as? String,
                  let summary = fields["summary"] as? String, (fields["issuetype"] as? [String: Any])?["name"] is String else {
                contractViolations.append("create: project.key, summary and issuetype.name are required")
                return json(400, ["errorMessages": ["Field missing"]])
            }
            let labels = fields["labels"] as? [String] ?? []
            if labels.contains(where: { $0.contains(" ") }) { contractViolations.append("create: a label with a space") }
            let description = fields["description"] as? [String: Any] ?? [:]
            if description["type"] as? String != "doc" || description["version"] as? Int != 1 || !(description["content"] is [Any]) {
                contractViolations.append("create: description is not an Atlassian document")
            }
            let issueKey = "\(key)-\(issues.count + 1)"
            issues[issueKey] = Issue(key: issueKey, summary: summary, labels: labels, descriptionText: JiraIssues.text(of: description))
            return json(201, ["id": "1000\(issues.count)", "key": issueKey, "self": "https://jira.example/rest/api/3/issue/\(issueKey)"])
        case ("GET", ["search", "jql"]):
            let jql = query["jql"] ?? ""
            let wanted = jql.range(of: #"labels = "([^"]+)""#, options: .regularExpression).map { String(jql[$0].dropFirst(10).dropLast()) }
            let found = issues.values.filter { wanted == nil || $0.labels.contains(wanted!) }.sorted { $0.key < $1.key }
            return json(200, ["issues": found.prefix(1).map { ["key": $0.key] }])
        case ("GET", let p) where p.count == 2 && p[0] == "issue":
            guard let i = issues[p[1]] else { return json(404, ["errorMessages": ["Issue does not exist"]]) }
            return json(200, ["key": i.key, "fields": ["status": ["name": i.status, "statusCategory": ["key": category(i.status)]],
                                                       "resolution": i.resolution.map { ["name": $0] as Any } ?? NSNull(), "resolutiondate": NSNull()]])
        case ("GET", let p) where p.count == 3 && p[0] == "issue" && p[2] == "transitions":
            return json(200, ["transitions": Self.workflow.map { ["id": $0.id, "name": $0.name, "to": ["name": $0.name, "statusCategory": ["key": $0.category]]] }])
        case ("POST", let p) where p.count == 3 && p[0] == "issue" && p[2] == "transitions":
            guard let id = (object?["transition"] as? [String: Any])?["id"] as? String, let t = Self.workflow.first(where: { $0.id == id }) else {
                contractViolations.append("transition: transition.id is required")
                return json(400, ["errorMessages": ["No transition"]])
            }
            transitionsMade.append("\(p[1]) → \(t.name)")
            resolve(p[1], as: t.name)
            return (204, Data())
        case ("GET", let p) where p.count == 3 && p[0] == "issue" && p[2] == "comment":
            let list = (comments[p[1]] ?? []).map { c -> [String: Any] in
                ["author": ["displayName": c.author], "created": "2026-12-05T10:00:00.000+0000",
                 "body": ["type": "doc", "version": 1, "content": [["type": "paragraph", "content": [["type": "text", "text": c.text]]]]]]
            }
            return json(200, ["comments": list])
        default:
            return json(404, ["errorMessages": ["Not found"]])
        }
    }
}

func withFakeJira(_ body: @escaping @Sendable (FakeJira, String) async throws -> Void) async throws {
    let jira = FakeJira()
    let router = Router()
    let answer: @Sendable (Request) async throws -> Response = { request in
        let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v).removingPercentEncoding ?? String(v) }
        let (status, out) = await jira.handle(method: request.method.rawValue, path: request.uri.path, query: query, authorization: request.headers[.authorization], body: data)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: out)))
    }
    router.get("**") { request, _ in try await answer(request) }
    router.post("**") { request, _ in try await answer(request) }
    try await withLocalServer(router) { port in try await body(jira, "http://127.0.0.1:\(port)") }
}

@Suite("Follow-ups in Jira", .serialized)
struct JiraTrackerTests {
    static let secret = "a jira webhook secret"

    /// A real `jira:issue_updated` body (Tests/Fixtures/jira, from Zulip's
    /// captures), as Jira sends it when `key` is resolved as `resolution`.
    static func delivery(key: String, label: String, category: String, resolution: String?, by name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/jira/issue_updated__status.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var issue = try #require(json["issue"] as? [String: Any])
        var fields = try #require(issue["fields"] as? [String: Any])
        var status = try #require(fields["status"] as? [String: Any])
        var statusCategory = try #require(status["statusCategory"] as? [String: Any])
        statusCategory["key"] = category
        status["statusCategory"] = statusCategory
        status["name"] = resolution ?? "To Do"
        fields["status"] = status
        fields["labels"] = [label]
        fields["resolution"] = resolution.map { ["name": $0] } ?? NSNull()
        issue["fields"] = fields
        issue["key"] = key
        json["issue"] = issue
        var user = try #require(json["user"] as? [String: Any])
        user["displayName"] = name
        json["user"] = user
        json["changelog"] = ["id": "10001", "items": [["field": "status", "fieldtype": "jira", "fromString": "In Progress", "toString": resolution ?? "To Do"]]]
        return try JSONSerialization.data(withJSONObject: json)
    }

    static func send(_ client: any TestClientProtocol, _ body: Data, secret: String = secret, id: String = UUID().uuidString) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Atlassian-Webhook-Identifier")!] = id
        headers[HTTPField.Name("X-Hub-Signature")!] = "sha256=" + WebhookSignature.hmacHex(body: body, secret: secret)
        return try await client.execute(uri: "/hooks/jira", method: .post, headers: headers, body: ByteBuffer(data: body))
    }

    @Test(arguments: Backend.available)
    func aFollowUpGoesToJiraAndComesBack(backend: Backend) async throws {
        try await withFakeJira { jira, site in
            try await withApp(backend) { client, store, fixture in
                let s = try IssueTrackerSettings.parse(apiURL: "", lines: "platform = jira:OPS", knownTeams: ["platform", "payments"],
                                                       jiraURL: site, jiraEmail: "lore@example.com")
                try await store.saveIssueTracker(s, token: nil, webhookSecret: nil, jiraToken: "jira-token", jiraWebhookSecret: Self.secret)
                let incident = try await store.createIncident(IncidentInput(title: "Ledger lag", severity: "SEV2", detectionSource: "monitoring alert"))
                let f = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Runbook for replica failover", description: "Steps.\n\nAnd checks.", ownerTeam: "platform"))
                let clock = TestClock(Date().addingTimeInterval(5))
                try await withWork(store, clock: clock, publicURL: "https://lore.example.com") { work in
                    try await store.requestTrackerPush(followUpID: f.id, now: clock.now)
                    try await store.requestTrackerPush(followUpID: f.id, now: clock.now)
                    try await work.tick()
                    let issue = try #require(try await store.trackerIssue(followUpID: f.id))
                    #expect(issue.reference == "OPS-1" && issue.url == site + "/browse/OPS-1")
                    #expect(await jira.issues.count == 1)
                    let made = try #require(await jira.issues["OPS-1"])
                    #expect(made.summary == "Runbook for replica failover" && made.labels.contains(TrackerIssueDraft.label(for: f.id)))
                    #expect(made.descriptionText.contains("https://lore.example.com/incidents/\(incident.key)/follow-ups/\(f.id.uuidString)/edit"))

                    // Resolved as Won't Do in Jira, with a comment: not necessary here, in its words.
                    await jira.comment(on: "OPS-1", by: "James Williams", "The new replica manager fails over on its own.")
                    await jira.resolve("OPS-1", as: "Won't Do")
                    let body = try Self.delivery(key: "OPS-1", label: TrackerIssueDraft.label(for: f.id), category: "done", resolution: "Won't Do", by: "James Williams")
                    #expect(try await Self.send(client, body, secret: "wrong").status == .unauthorized)
                    #expect(try await Self.send(client, body, id: "delivery-1").status == .accepted)
                    #expect(try await Self.send(client, body, id: "delivery-1").status == .accepted)  // Jira retrying: one job
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    let after = try #require(try await store.followUp(id: f.id))
                    #expect(after.status == .notNecessary)
                    #expect(after.decisionReason?.contains("In Jira (OPS-1), James Williams closed the issue as not planned: The new replica manager fails over on its own.") == true)
                    #expect(after.decidedIn == "Jira: James Williams, OPS-1")
                    #expect(await jira.transitionsMade.isEmpty, "a change from Jira is not sent back")

                    // Done in Lore: the issue is moved to Done, and Jira's webhook for that changes nothing.
                    try await store.updateFollowUp(id: f.id, FollowUpInput(status: .done), by: try await store.viewer(for: fixture.admin))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(await jira.issues["OPS-1"]?.status == "Done")
                    let changes = try await store.history(followUpID: f.id).count
                    _ = try await Self.send(client, try Self.delivery(key: "OPS-1", label: TrackerIssueDraft.label(for: f.id), category: "done", resolution: "Done", by: "Lore"))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(try await store.history(followUpID: f.id).count == changes)
                    // Reopened in Lore: back to To Do.
                    try await store.updateFollowUp(id: f.id, FollowUpInput(status: .open), by: try await store.viewer(for: fixture.admin))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(await jira.issues["OPS-1"]?.status == "To Do")
                    let violations = await jira.contractViolations
                    #expect(violations.isEmpty, "\(violations)")
                }
            }
        }
    }

    @Test func settingsNeedTheJiraSiteForAJiraTeam() throws {
        #expect(throws: ValidationError.self) { try IssueTrackerSettings.parse(apiURL: "", lines: "platform = jira:OPS", knownTeams: ["platform"]) }
        #expect(throws: ValidationError.self) { try IssueTrackerSettings.parse(apiURL: "", lines: "platform = jira:ops-1", knownTeams: ["platform"], jiraURL: "https://a.atlassian.net", jiraEmail: "x@y.z") }
        let ok = try IssueTrackerSettings.parse(apiURL: "", lines: "platform = jira:ops auto", knownTeams: ["platform"], jiraURL: "https://a.atlassian.net/", jiraEmail: "x@y.z")
        #expect(ok.teamRepositories["platform"]?.kind == .jira && ok.teamRepositories["platform"]?.jiraKey == "OPS" && ok.jiraURL == "https://a.atlassian.net")
        #expect(TrackerIssueEvent(jiraStatusCategory: "done", resolution: "Won’t Do") == .closedAsNotPlanned)
        #expect(TrackerIssueEvent(jiraStatusCategory: "done", resolution: "Done") == .closedAsCompleted)
        #expect(TrackerIssueEvent(jiraStatusCategory: "indeterminate", resolution: nil) == .reopened)
    }
}
