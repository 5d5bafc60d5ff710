import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
@testable import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The documented subset of GitHub's issues API, as a local server for the
/// tests: issues created, listed by label, closed or reopened, and their
/// comments. Every request body is checked against what GitHub documents for
/// that call (https://docs.github.com/en/rest/issues), and the test can make
/// it lose an answer or ask Lore to wait.
actor FakeGitHub {
    struct Issue { var number: Int; var title: String; var body: String; var labels: [String]; var state = "open"; var stateReason: String?; var closedBy: String?; var closedAt: Date? }
    var issues: [Int: Issue] = [:]
    var comments: [Int: [(login: String, body: String, at: Date)]] = [:]
    /// The unknown repository: every call to it is 404, as GitHub answers for one the token cannot see.
    var missingRepository: String?
    var requests: [String] = []
    var contractViolations: [String] = []
    /// The next create succeeds but answers 502, as if the answer were lost.
    var loseNextCreateAnswer = false
    /// The next request is answered 403 with Retry-After.
    var rateLimitNext: Int?

    func setLoseNextCreateAnswer() { loseNextCreateAnswer = true }
    func setRateLimitNext(_ seconds: Int) { rateLimitNext = seconds }
    func comment(on number: Int, by login: String, _ body: String, at: Date = Date()) { comments[number, default: []].append((login, body, at)) }
    func setMissingRepository(_ r: String?) { missingRepository = r }

    /// Someone closes or reopens the issue on github.com.
    func change(_ number: Int, state: String, reason: String?, by login: String) {
        guard var i = issues[number] else { return }
        i.state = state
        i.stateReason = reason
        i.closedBy = state == "closed" ? login : nil
        i.closedAt = state == "closed" ? Date() : nil
        issues[number] = i
    }

    /// The status, the JSON body and extra headers of GitHub's answer.
    func handle(method: String, path: String, query: [String: String], headers: HTTPFields, body: Data) -> (Int, Data, [String: String]) {
        let (status, json, extra) = answer(method: method, path: path, query: query, headers: headers, body: body)
        return (status, (try? JSONSerialization.data(withJSONObject: json)) ?? Data(), extra)
    }

    private func answer(method: String, path: String, query: [String: String], headers: HTTPFields, body: Data) -> (Int, Any, [String: String]) {
        requests.append("\(method) \(path)")
        if headers[.authorization] != "Bearer test-token" { return (401, ["message": "Bad credentials"], [:]) }
        if headers[.accept] != "application/vnd.github+json" { contractViolations.append("\(method) \(path): Accept is not application/vnd.github+json") }
        if let wait = rateLimitNext {
            rateLimitNext = nil
            return (403, ["message": "You have exceeded a secondary rate limit."], ["Retry-After": String(wait)])
        }
        let parts = path.split(separator: "/").map(String.init)  // repos, owner, repo, issues, [n], [comments]
        guard parts.count >= 4, parts[0] == "repos", parts[3] == "issues", "\(parts[1])/\(parts[2])".lowercased() != missingRepository else { return (404, ["message": "Not Found"], [:]) }
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        func issueJSON(_ i: Issue) -> [String: Any] {
            ["number": i.number, "html_url": "https://github.com/\(parts[1])/\(parts[2])/issues/\(i.number)", "title": i.title, "state": i.state,
             "state_reason": i.stateReason ?? NSNull(), "closed_by": i.closedBy.map { ["login": $0] } ?? NSNull(),
             "closed_at": i.closedAt.map { $0.formatted(.iso8601) } ?? NSNull(), "labels": i.labels.map { ["name": $0] }]
        }
        switch (method, parts.count) {
        case ("POST", 4):
            // POST /repos/{owner}/{repo}/issues: title (string, required), body (string), labels (array of strings).
            guard let json, let title = json["title"] as? String, !title.isEmpty else { contractViolations.append("create: no title"); return (422, ["message": "Validation Failed"], [:]) }
            if json["body"] != nil && !(json["body"] is String) { contractViolations.append("create: body is not a string") }
            if json["labels"] != nil && !(json["labels"] is [String]) { contractViolations.append("create: labels is not an array of strings") }
            let known: Set<String> = ["title", "body", "assignee", "milestone", "labels", "assignees", "type"]
            for key in json.keys where !known.contains(key) { contractViolations.append("create: undocumented field \(key)") }
            let issue = Issue(number: issues.count + 1, title: title, body: json["body"] as? String ?? "", labels: json["labels"] as? [String] ?? [])
            issues[issue.number] = issue
            if loseNextCreateAnswer {
                loseNextCreateAnswer = false
                return (502, ["message": "Server Error"], [:])
            }
            return (201, issueJSON(issue), [:])
        case ("GET", 4):
            // GET /repos/{owner}/{repo}/issues?labels=a,b&state=all
            let wanted = Set((query["labels"] ?? "").split(separator: ",").map(String.init))
            let matching = issues.values.sorted { $0.number > $1.number }.filter { wanted.isSubset(of: Set($0.labels)) && (query["state"] == "all" || $0.state == "open") }
            return (200, matching.map(issueJSON), [:])
        case ("PATCH", 5):
            // PATCH /repos/{owner}/{repo}/issues/{n}: state open|closed, state_reason completed|not_planned|reopened|null.
            guard let n = Int(parts[4]), var issue = issues[n], let json else { return (404, ["message": "Not Found"], [:]) }
            let reason = json["state_reason"] as? String
            if let reason, !["completed", "not_planned", "reopened", "duplicate"].contains(reason) { contractViolations.append("update: state_reason \(reason)") }
            if let state = json["state"] as? String {
                if !["open", "closed"].contains(state) { contractViolations.append("update: state \(state)") }
                // As GitHub does: the reason is taken only with a change of state.
                if state != issue.state {
                    issue.state = state
                    issue.stateReason = state == "closed" ? (reason ?? "completed") : nil
                    issue.closedBy = state == "closed" ? "lore-bot" : nil
                    issue.closedAt = state == "closed" ? Date() : nil
                }
            }
            issues[n] = issue
            return (200, issueJSON(issue), [:])
        case ("GET", 5):
            guard let n = Int(parts[4]), let issue = issues[n] else { return (404, ["message": "Not Found"], [:]) }
            return (200, issueJSON(issue), [:])
        case ("GET", 6) where parts[5] == "comments":
            // Oldest first, one page; `since` leaves out older ones.
            let n = Int(parts[4]) ?? 0
            let since = query["since"].flatMap { try? Date($0, strategy: .iso8601) } ?? .distantPast
            let all = (comments[n] ?? []).filter { $0.at >= since }
            return (200, all.prefix(Int(query["per_page"] ?? "30") ?? 30).map { ["user": ["login": $0.login], "body": $0.body] }, [:])
        default:
            return (404, ["message": "Not Found"], [:])
        }
    }
}

func withFakeGitHub(_ body: @escaping @Sendable (FakeGitHub, String) async throws -> Void) async throws {
    let github = FakeGitHub()
    let router = Router()
    router.get("**") { request, _ in try await FakeGitHub.answer(github, request) }
    router.post("**") { request, _ in try await FakeGitHub.answer(github, request) }
    router.patch("**") { request, _ in try await FakeGitHub.answer(github, request) }
    try await withLocalServer(router) { port in try await body(github, "http://127.0.0.1:\(port)") }
}

extension FakeGitHub {
    static func answer(_ github: FakeGitHub, _ request: Request) async throws -> Response {
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        let (status, data, extra) = await github.handle(method: request.method.rawValue, path: request.uri.path, query: query, headers: request.headers, body: body)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (k, v) in extra { headers[HTTPField.Name(k)!] = v }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}

/// Background work for a test, shut down however the test ends (its HTTP
/// client must be).
func withWork(_ store: LoreStore, clock: TestClock? = nil, publicURL: String? = nil, _ body: (BackgroundWork) async throws -> Void) async throws {
    let work = clock.map { c in BackgroundWork(store: store, worker: "t", clock: { c.now }, publicURL: publicURL) } ?? BackgroundWork(store: store, worker: "t", publicURL: publicURL)
    do {
        try await body(work)
    } catch {
        await work.shutdown()
        throw error
    }
    await work.shutdown()
}

@Suite("Follow-ups in GitHub", .serialized)
struct IssueTrackerTests {
    static let repository = "Codertocat/Hello-World"  // the repository of GitHub's example payloads
    static let webhookSecret = "a webhook secret"

    static func setUp(_ store: LoreStore, api: String, auto: Bool = false) async throws -> (FollowUp, Incident) {
        let teams = Set(try await store.teams().map(\.slug))
        let s = try IssueTrackerSettings.parse(apiURL: api, lines: "payments = \(repository)\(auto ? " auto" : "")", knownTeams: teams)
        try await store.saveIssueTracker(s, token: "test-token", webhookSecret: webhookSecret)
        let incident = try await store.createIncident(IncidentInput(title: "Checkout failing", severity: "SEV2", detectionSource: "monitoring alert"))
        let f = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Alert on connection pool saturation", description: "Page when the pool is full.", ownerTeam: "payments", service: .some("checkout-api")))
        return (f, incident)
    }

    /// GitHub's example `issues` body (octokit/webhooks), as delivered for
    /// issue `number` with `action` and `state_reason`.
    static func delivery(action: String, stateReason: String?, number: Int) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/github/issues-reopened.payload.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var issue = try #require(json["issue"] as? [String: Any])
        json["action"] = action
        issue["number"] = number
        issue["state"] = action == "closed" ? "closed" : "open"
        if action == "closed" { issue["closed_at"] = "2026-12-05T10:00:00Z" }
        issue["state_reason"] = stateReason ?? NSNull()
        json["issue"] = issue
        return try JSONSerialization.data(withJSONObject: json)
    }

    static func send(_ client: any TestClientProtocol, _ body: Data, event: String = "issues", secret: String = webhookSecret, delivery: String = UUID().uuidString) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-GitHub-Event")!] = event
        headers[HTTPField.Name("X-GitHub-Delivery")!] = delivery
        headers[HTTPField.Name("X-Hub-Signature-256")!] = "sha256=" + WebhookSignature.hmacHex(body: body, secret: secret)
        return try await client.execute(uri: "/hooks/github", method: .post, headers: headers, body: ByteBuffer(data: body))
    }

    @Test(arguments: Backend.available)
    func aPushOpensOneIssueEvenWhenAnAnswerIsLost(backend: Backend) async throws {
        try await withFakeGitHub { github, api in
            try await withApp(backend) { client, store, _ in
                let (f, incident) = try await Self.setUp(store, api: api)
                let clock = TestClock(Date())
                try await withWork(store, clock: clock, publicURL: "https://lore.example.com") { work in
                await github.setLoseNextCreateAnswer()
                // Queued at the work's clock, so that the first tick runs it however slow the machine.
                #expect(try await store.requestTrackerPush(followUpID: f.id, now: clock.now)?.repository == Self.repository.lowercased())
                try await store.requestTrackerPush(followUpID: f.id, now: clock.now)  // asked twice: one job
                try await work.tick()
                #expect(await github.issues.count == 1, "the issue was opened")
                #expect(try await store.trackerIssue(followUpID: f.id) == nil, "the answer was lost")
                clock.set(clock.now.addingTimeInterval(3600))
                try await work.tick()
                let issue = try #require(try await store.trackerIssue(followUpID: f.id))
                #expect(await github.issues.count == 1, "the retry found the issue by its label instead of opening a second")
                #expect(issue.reference == "\(Self.repository.lowercased())#1")
                #expect(try await store.followUp(id: f.id)?.trackerReference == issue.url)
                let made = try #require(await github.issues[1])
                #expect(made.title == "Alert on connection pool saturation")
                #expect(made.body.contains("Page when the pool is full.") && made.body.contains("https://lore.example.com/incidents/\(incident.key)/follow-ups/\(f.id.uuidString)/edit"))
                #expect(made.labels.contains(TrackerIssueDraft.label(for: f.id)) && made.labels.contains("service:checkout-api"))
                let violations = await github.contractViolations
                #expect(violations.isEmpty, "\(violations)")
                }
            }
        }
    }

    @Test func aRateLimitIsWaitedFor() async throws {
        try await withFakeGitHub { github, api in
            try await withApp { _, store, _ in
                let (f, _) = try await Self.setUp(store, api: api)
                let start = Date()
                let clock = TestClock(start)
                try await withWork(store, clock: clock) { work in
                await github.setRateLimitNext(600)
                try await store.requestTrackerPush(followUpID: f.id, now: start)
                try await work.tick()
                // Backoff alone would try again within minutes; GitHub said ten.
                clock.set(start.addingTimeInterval(300))
                try await work.tick()
                #expect(await github.issues.isEmpty)
                clock.set(start.addingTimeInterval(601))
                try await work.tick()
                #expect(await github.issues.count == 1)
                }
            }
        }
    }

    /// Closed as not planned in GitHub: not necessary in Lore, with the
    /// closing comment as the reason and who and where in the history; the
    /// change does not go back to GitHub, and Lore's own change coming back
    /// changes nothing twice.
    @Test(arguments: Backend.available)
    func changesComeBackAndGoThereWithoutALoop(backend: Backend) async throws {
        try await withFakeGitHub { github, api in
            try await withApp(backend) { client, store, fixture in
                let (f, _) = try await Self.setUp(store, api: api)
                // Well ahead of the wall clock, so that what was queued just now is due however slow the machine.
                let clock = TestClock(Date().addingTimeInterval(600))
                try await withWork(store, clock: clock) { work in
                try await store.requestTrackerPush(followUpID: f.id)
                try await work.tick()
                let issue = try #require(try await store.trackerIssue(followUpID: f.id))

                await github.comment(on: issue.number, by: "Codertocat", "An old remark from long ago.", at: Date().addingTimeInterval(-86400))
                await github.comment(on: issue.number, by: "Codertocat", "The new pool autoscaler covers this; not worth a separate alert.")
                await github.change(issue.number, state: "closed", reason: "not_planned", by: "Codertocat")
                let closed = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "not_planned", number: issue.number))
                #expect(closed.status == .accepted)
                clock.set(clock.now.addingTimeInterval(1))
                try await work.tick()
                let after = try #require(try await store.followUp(id: f.id))
                #expect(after.status == .notNecessary)
                let change = try #require(try await store.history(followUpID: f.id).last)
                #expect(change.by == nil)
                #expect(change.reason?.contains("In GitHub (\(Self.repository.lowercased())#1), @Codertocat closed the issue as not planned: The new pool autoscaler covers this") == true)
                #expect(after.decidedIn == "GitHub: @Codertocat, \(Self.repository.lowercased())#1" && after.decidedAt != nil)
                #expect(await !github.requests.contains { $0.hasPrefix("PATCH") }, "a change from GitHub is not sent back")

                // Reopened there: open here.
                await github.change(issue.number, state: "open", reason: nil, by: "Codertocat")
                _ = try await Self.send(client, try Self.delivery(action: "reopened", stateReason: nil, number: issue.number))
                clock.set(clock.now.addingTimeInterval(1))
                try await work.tick()
                #expect(try await store.followUp(id: f.id)?.status == .open)

                // Done in Lore: closed as completed in GitHub.
                let viewer = try await store.viewer(for: fixture.admin)
                try await store.updateFollowUp(id: f.id, FollowUpInput(status: .done), by: viewer)
                clock.set(clock.now.addingTimeInterval(1))
                try await work.tick()
                #expect(await github.issues[issue.number]?.state == "closed")
                #expect(await github.issues[issue.number]?.stateReason == "completed")
                // GitHub's webhook for that close: already done, nothing changes.
                let changes = try await store.history(followUpID: f.id).count
                _ = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "completed", number: issue.number))
                clock.set(clock.now.addingTimeInterval(1))
                try await work.tick()
                #expect(try await store.history(followUpID: f.id).count == changes)
                #expect(await github.requests.filter { $0.hasPrefix("PATCH") }.count == 1)
                // A redelivery of one delivery is one job.
                let id = UUID().uuidString
                let body = try Self.delivery(action: "reopened", stateReason: nil, number: issue.number)
                _ = try await Self.send(client, body, delivery: id)
                _ = try await Self.send(client, body, delivery: id)
                #expect(try await store.jobCounts().filter { $0.key.hasPrefix("tracker.event") }.values.reduce(0, +) == 4)
                let violations = await github.contractViolations
                #expect(violations.isEmpty, "\(violations)")
                }
            }
        }
    }

    @Test func theWebhookChecksItsSignatureAndIgnoresWhatIsNotAFollowUp() async throws {
        try await withApp { client, store, _ in
            _ = try await Self.setUp(store, api: "https://api.github.com")
            let body = try Self.delivery(action: "closed", stateReason: "completed", number: 1)
            #expect(try await Self.send(client, body, secret: "wrong").status == .unauthorized)
            let unknown = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "completed", number: 99))
            #expect(unknown.status == .accepted && unknown.text.contains("not a change to a follow-up"))
            #expect(try await Self.send(client, Data(#"{"zen":"Keep it logically awesome."}"#.utf8), event: "ping").status == .accepted)
            #expect(try await store.jobCounts().keys.allSatisfy { !$0.hasPrefix("tracker.event") })
        }
    }

    @Test func pushedFromThePageTheAPIOrAtCreation() async throws {
        try await withFakeGitHub { github, api in
            try await withApp { client, store, fixture in
                let (f, incident) = try await Self.setUp(store, api: api, auto: true)
                #expect(try await store.trackerPushPending(followUpID: f.id), "a team set to auto pushes at creation")
                let b = Browser(client)
                try await b.signIn(fixture.member.email, "another long password")
                let page = try await b.get("/incidents/\(incident.key)/follow-ups/\(f.id.uuidString)/edit")
                #expect(page.text.contains("Being pushed to \(Self.repository.lowercased())"))
                try await withWork(store) { work in
                try await work.tick()
                let pushed = try await b.get("/incidents/\(incident.key)/follow-ups/\(f.id.uuidString)/edit")
                #expect(pushed.text.contains("\(Self.repository.lowercased())#1"))
                // The API answers with the issue; a team without a repository is a conflict.
                let (token, _) = try await store.createAPIToken(userID: fixture.member.id, name: "t")
                let apiClient = APIClient(client: client, token: token)
                let again = try await apiClient.call(.post, "/follow-ups/\(f.id.uuidString)/push")
                #expect(again.status == .ok && again.json["url"] as? String == "https://github.com/\(Self.repository.lowercased())/issues/1")
                let other = try await store.createFollowUp(incidentID: incident.id, FollowUpInput(title: "Runbook for failover", ownerTeam: "platform"))
                #expect(try await apiClient.call(.post, "/follow-ups/\(other.id.uuidString)/push").status == .conflict)
                #expect(await github.issues.count == 1)
                }
            }
        }
    }

    /// What the first review of this feature found: a failed push can be
    /// asked for again; a long closing comment still closes the follow-up; an
    /// event names the repository in another case; events out of order; a
    /// follow-up of a review not everyone may read is not pushed on its own.
    @Test func pushesRecoverAndEventsAreReadAsTheIssueStands() async throws {
        try await withFakeGitHub { github, api in
            try await withApp { client, store, fixture in
                let (f, incident) = try await Self.setUp(store, api: api)
                let clock = TestClock(Date().addingTimeInterval(600))
                try await withWork(store, clock: clock) { work in
                    // The repository is not there for the token: the push fails at once, saying so...
                    await github.setMissingRepository(Self.repository.lowercased())
                    try await store.requestTrackerPush(followUpID: f.id, now: clock.now)
                    try await work.tick()
                    #expect(try await store.trackerPushPending(followUpID: f.id) == false)
                    #expect(try await store.jobCounts()["tracker.push:failed"] == 1)
                    // ...and, mended, pushing again works.
                    await github.setMissingRepository(nil)
                    try await store.requestTrackerPush(followUpID: f.id, now: clock.now)
                    try await work.tick()
                    let issue = try #require(try await store.trackerIssue(followUpID: f.id))

                    // Closed as not planned with a comment longer than a reason holds; the event names the repository as GitHub spells it.
                    let long = String(repeating: "The autoscaler covers this. ", count: 40)
                    await github.comment(on: issue.number, by: "Codertocat", long)
                    await github.change(issue.number, state: "closed", reason: "not_planned", by: "Codertocat")
                    _ = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "not_planned", number: issue.number))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    let closed = try #require(try await store.followUp(id: f.id))
                    #expect(closed.status == .notNecessary)
                    #expect((closed.decisionReason ?? "").count <= Limits.shortText && closed.decisionReason?.hasSuffix("…") == true)

                    // Two events out of order: the reopen arrives before the close it followed. The issue is open now.
                    await github.change(issue.number, state: "open", reason: nil, by: "Codertocat")
                    _ = try await Self.send(client, try Self.delivery(action: "reopened", stateReason: nil, number: issue.number))
                    _ = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "not_planned", number: issue.number))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(try await store.followUp(id: f.id)?.status == .open, "applied as the issue stands, not in the order the events came")

                    // Folded into a plan in Lore: closed as not planned there, and that coming back changes nothing.
                    let viewer = try await store.viewer(for: fixture.admin)
                    try await store.updateFollowUp(id: f.id, FollowUpInput(status: .foldedIntoPlan, plan: "Q3 pool rework"), by: viewer)
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    let folded = await github.issues[issue.number]
                    #expect(folded?.state == "closed" && folded?.stateReason == "not_planned")
                    _ = try await Self.send(client, try Self.delivery(action: "closed", stateReason: "not_planned", number: issue.number))
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(try await store.followUp(id: f.id)?.status == .foldedIntoPlan)
                    // Done in Lore: the closed issue is closed anew as completed.
                    try await store.updateFollowUp(id: f.id, FollowUpInput(status: .done), by: viewer)
                    clock.set(clock.now.addingTimeInterval(1))
                    try await work.tick()
                    #expect(await github.issues[issue.number]?.stateReason == "completed")
                }

                // A follow-up of a review only its participants may read: not pushed automatically.
                try await store.saveIssueTracker(try IssueTrackerSettings.parse(apiURL: api, lines: "payments = \(Self.repository) auto", knownTeams: ["payments"]), token: nil, webhookSecret: nil)
                let review = try await store.createReview(incidentID: incident.id, ReviewInput(level: .pair, participantIDs: [fixture.admin.id]), by: try await store.viewer(for: fixture.admin))
                let secret = try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: "Quietly fix the thing", ownerTeam: "payments"),
                                                            by: try await store.viewer(for: fixture.admin))
                #expect(try await store.trackerPushPending(followUpID: secret.id) == false)
                // Nor can a member who may not see it push it.
                let (token, _) = try await store.createAPIToken(userID: fixture.member.id, name: "t")
                #expect(try await APIClient(client: client, token: token).call(.post, "/follow-ups/\(secret.id.uuidString)/push").status == .notFound)
            }
        }
    }

    @Test func settingsNameEachBadLine() async throws {
        try await withApp { client, store, fixture in
            let b = Browser(client)
            try await b.signIn(fixture.admin.email, "correct horse battery")
            let bad = try await b.post("/settings/tracker", [("trackerAPIURL", "https://api.github.com"), ("trackerRepositories", "payments = acme\nnobody = acme/x"),
                                                            ("trackerToken", "tok"), ("trackerWebhookSecret", "sec")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Line 1") && bad.text.contains("Line 2") && bad.text.contains("no team"))
            let ok = try await b.post("/settings/tracker", [("trackerAPIURL", "https://api.github.com"), ("trackerRepositories", "payments = acme/payments auto\r\nplatform = acme/platform"),
                                                           ("trackerToken", "tok"), ("trackerWebhookSecret", "sec")])
            #expect(ok.status == .seeOther)
            let saved = try await store.issueTracker()
            #expect(saved.settings.teamRepositories["payments"]?.repository == "acme/payments" && saved.settings.pushAutomatically == ["payments"])
            #expect(saved.settings.teamRepositories["platform"]?.repository == "acme/platform", "a browser's CRLF lines are lines")
            #expect(saved.token == "tok" && saved.webhookSecret == "sec")
            let page = try await b.get("/settings")
            #expect(!page.text.contains("\"tok\"") && page.text.contains("/hooks/github"))
        }
    }
}
