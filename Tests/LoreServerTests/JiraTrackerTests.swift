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
    struct Transition: Sendable, Equatable { var id: String; var name: String; var category: String; var resolutions: [String]? }
    /// A company-managed workflow: Done asks for a resolution (Done or Won't Do), and there is a Won't Do status.
    static let companyManaged = [Transition(id: "11", name: "To Do", category: "new"), Transition(id: "21", name: "In Progress", category: "indeterminate"),
                                 Transition(id: "31", name: "Done", category: "done", resolutions: ["Done", "Won't Do"]), Transition(id: "41", name: "Won't Do", category: "done")]
    /// A team-managed one: no resolution on any screen, and only Done to finish.
    static let teamManaged = [Transition(id: "11", name: "To Do", category: "new"), Transition(id: "21", name: "In Progress", category: "indeterminate"),
                              Transition(id: "31", name: "Done", category: "done")]
    var workflow = companyManaged
    func use(_ w: [Transition]) { workflow = w }

    func comment(on key: String, by author: String, _ text: String) { comments[key, default: []].insert((author, text), at: 0) }
    /// Someone moves the issue in Jira (or Lore does, through a transition).
    func resolve(_ key: String, as name: String, resolution: String? = nil) {
        guard let t = workflow.first(where: { $0.name == name }) else { return }
        issues[key]?.status = name
        issues[key]?.resolution = t.category != "done" ? nil : (resolution ?? (t.resolutions == nil ? (workflow == Self.companyManaged ? name : nil) : "Done"))
    }

    func handle(method: String, path: String, query: [String: String], authorization: String?, body: Data) -> (Int, Data) {
        func json(_ status: Int, _ value: Any) -> (Int, Data) { (status, (try? JSONSerialization.data(withJSONObject: value)) ?? Data()) }
        guard authorization == "Basic " + Data("lore@example.com:jira-token".utf8).base64EncodedString() else { return json(401, ["errorMessages": ["Unauthorized"]]) }
        let parts = path.split(separator: "/").map(String.init)  // rest api 3 …
        guard parts.count >= 4, parts[0...2] == ["rest", "api", "3"] else { return json(404, ["errorMessages": ["Not found"]]) }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        func category(_ status: String) -> String { workflow.first { $0.name == status }?.category ?? "new" }
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
        case ("GET", ["myself"]):
            return json(200, ["accountId": "lore-account", "displayName": "Lore"])
        case ("GET", let p) where p.count == 3 && p[0] == "issue" && p[2] == "transitions":
            let expand = query["expand"] == "transitions.fields"
            return json(200, ["transitions": workflow.map { t -> [String: Any] in
                var out: [String: Any] = ["id": t.id, "name": t.name, "to": ["name": t.name, "statusCategory": ["key": t.category]]]
                if expand, let r = t.resolutions { out["fields"] = ["resolution": ["required": true, "allowedValues": r.map { ["name": $0] }]] }
                return out
            }])
        case ("POST", let p) where p.count == 3 && p[0] == "issue" && p[2] == "transitions":
            guard let id = (object?["transition"] as? [String: Any])?["id"] as? String, let t = workflow.first(where: { $0.id == id }) else {
                contractViolations.append("transition: transition.id is required")
                return json(400, ["errorMessages": ["No transition"]])
            }
            // As Jira does: a field the transition's screen lacks cannot be set.
            let resolution = ((object?["fields"] as? [String: Any])?["resolution"] as? [String: Any])?["name"] as? String
            if let resolution, !(t.resolutions ?? []).contains(resolution) {
                return json(400, ["errors": ["resolution": "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown."]])
            }
            transitionsMade.append("\(p[1]) → \(t.name)")
            resolve(p[1], as: t.name, resolution: resolution)
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
                let clock = TestClock(Date().addingTimeInterval(600))
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
                    #expect(try await store.jobCounts().filter { $0.key.hasPrefix("tracker.event") }.values.reduce(0, +) == 1, "Jira's retry is the same job")
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
                    #expect(try await Self.send(client, try Self.delivery(key: "OPS-1", label: TrackerIssueDraft.label(for: f.id), category: "done", resolution: "Done", by: "Lore")).status == .accepted)
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

    /// A team-managed project: no resolution anywhere, and no Won't Do.
    /// Not necessary in Lore goes to Done there, and its echo (from Lore's
    /// own account) does not make the follow-up done; a person moving an
    /// issue to Cancelled makes it not necessary. A company-managed Done
    /// gets the resolution Won't Do when its screen offers it.
    @Test func workflowsWithoutResolutionsDoNotLoop() async throws {
        try await withFakeJira { jira, site in
            try await withApp { client, store, fixture in
                await jira.use(FakeJira.teamManaged)
                let s = try IssueTrackerSettings.parse(apiURL: "", lines: "platform = jira:OPS", knownTeams: ["platform"], jiraURL: site, jiraEmail: "lore@example.com")
                try await store.saveIssueTracker(s, token: nil, webhookSecret: nil, jiraToken: "jira-token", jiraWebhookSecret: Self.secret)
                let incident = try await store.createIncident(IncidentInput(title: "Ledger lag", severity: "SEV2", detectionSource: "monitoring alert"))
                let f = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Alert on lag", ownerTeam: "platform"))
                let g = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Dashboard for lag", ownerTeam: "platform"))
                let admin = try await store.viewer(for: fixture.admin)
                let clock = TestClock(Date().addingTimeInterval(600))
                try await withWork(store, clock: clock) { work in
                    try await store.requestTrackerPush(followUpID: f.id, now: clock.now)
                    try await store.requestTrackerPush(followUpID: g.id, now: clock.now)
                    try await work.tick()
                    try await store.updateFollowUp(id: f.id, FollowUpInput(status: .notNecessary, reason: "Covered by the lag alert of the platform"), by: admin)
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    let key = try #require(try await store.trackerIssue(followUpID: f.id)).reference
                    #expect(await jira.issues[key]?.status == "Done", "the only way to finish, with no resolution to say why")
                    // Its echo, from Lore's own account: Jira now says "done", which Lore must not take back.
                    var echo = try JSONSerialization.jsonObject(with: try Self.delivery(key: key, label: TrackerIssueDraft.label(for: f.id), category: "done", resolution: nil, by: "Lore")) as! [String: Any]
                    var user = echo["user"] as! [String: Any]
                    user["accountId"] = "lore-account"
                    echo["user"] = user
                    #expect(try await Self.send(client, try JSONSerialization.data(withJSONObject: echo)).status == .accepted)
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(try await store.followUp(id: f.id)?.status == .notNecessary)

                    // Someone cancels the other one in Jira: not necessary here, though Jira set no resolution.
                    await jira.use(FakeJira.teamManaged + [FakeJira.Transition(id: "51", name: "Cancelled", category: "done")])
                    let other = try #require(try await store.trackerIssue(followUpID: g.id)).reference
                    await jira.resolve(other, as: "Cancelled")
                    _ = try await Self.send(client, try Self.delivery(key: other, label: TrackerIssueDraft.label(for: g.id), category: "done", resolution: nil, by: "James Williams"))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(try await store.followUp(id: g.id)?.status == .notNecessary)
                }

                // Company-managed, without a Won't Do status to move to: Done with the resolution its screen offers.
                await jira.use(Array(FakeJira.companyManaged.prefix(3)))
                let h = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Retire the old replica", ownerTeam: "platform"))
                let clock2 = TestClock(Date().addingTimeInterval(600))
                try await withWork(store, clock: clock2) { work in
                    try await store.requestTrackerPush(followUpID: h.id, now: clock2.now)
                    try await work.tick()
                    try await store.updateFollowUp(id: h.id, FollowUpInput(status: .notNecessary, reason: "The replica is going anyway"), by: admin)
                    clock2.set(clock2.now.addingTimeInterval(1))
                    try await work.tick()
                    let key = try #require(try await store.trackerIssue(followUpID: h.id)).reference
                    let issue = await jira.issues[key]
                    #expect(issue?.status == "Done" && issue?.resolution == "Won't Do")
                }
                let violations = await jira.contractViolations
                #expect(violations.isEmpty, "\(violations)")
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
