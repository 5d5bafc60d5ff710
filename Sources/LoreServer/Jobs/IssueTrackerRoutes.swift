import Foundation
import HTTPTypes
import Hummingbird
import LoreCore
import LoreStore

/// Follow-ups in GitHub: pushing one (a button, the API, or at creation for
/// a team that asks), and GitHub's `issues` webhook bringing changes back.
///
/// Every call to GitHub is a job (retried with backoff, Retry-After
/// respected, exactly once with several servers); the webhook only checks
/// the signature, finds the follow-up and queues the change.
struct IssueTrackerRoutes {
    let app: LoreApp
    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let eventHeader = HTTPField.Name("X-GitHub-Event")!
    static let deliveryHeader = HTTPField.Name("X-GitHub-Delivery")!

    /// The delivery's raw body once its signature is checked: `sha256=<hex>`
    /// of the body under the tracker's webhook secret, as GitHub and Jira
    /// both sign. Nothing is read before; a bad or missing one is 401.
    func signedBody(_ request: Request, secret: String?, header: HTTPField.Name, tracker: TrackerKind) async throws -> Data {
        let body = Data(buffer: try await request.collectBody(upTo: 1 << 22, what: "The delivery"))
        guard let secret else {
            throw LoreHTTPError(.unauthorized, code: "unauthorized", message: "No \(tracker.label) webhook secret is set in Settings → Issue tracker.")
        }
        let expected = "sha256=" + WebhookSignature.hmacHex(body: body, secret: secret)
        guard let given = request.headers[header], Secrets.constantTimeEquals(given.lowercased(), expected) else {
            throw LoreHTTPError(.unauthorized, code: "bad_signature", message: "\(header) is missing or does not match the \(tracker.label) webhook secret.")
        }
        return body
    }

    /// `POST /hooks/github`: GitHub's webhook, set up on the repositories
    /// (or the organisation) with the secret from Settings and the `issues` event.
    func registerWebhook(on router: Router<LoreRequestContext>) {
        router.group("hooks").add(middleware: APIErrorMiddleware()).post("github") { request, _ -> Response in
            let body = try await signedBody(request, secret: try await app.store.issueTracker().webhookSecret, header: Self.signatureHeader, tracker: .github)
            let event = request.headers[Self.eventHeader] ?? ""
            guard event == "issues" else {
                // `ping` when the hook is set up, and events Lore does not use:
                // acknowledged, so GitHub does not mark the hook as failing.
                return JSONResponse.make(TrackerDeliveryJSON(accepted: false, reason: event == "ping" ? "ping" : "not an issues event"), status: .accepted)
            }
            guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let action = json["action"] as? String,
                  let issue = json["issue"] as? [String: Any], let number = issue["number"] as? Int,
                  let repository = (json["repository"] as? [String: Any])?["full_name"] as? String,
                  let login = (json["sender"] as? [String: Any])?["login"] as? String else {
                throw LoreHTTPError(.badRequest, code: "invalid_event", message: "An issues event needs action, issue.number, repository.full_name and sender.login.")
            }
            // The follow-up by its label (which survives a renamed or moved
            // repository), else by the repository and number Lore recorded.
            let labels = ((issue["labels"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            let labelled = labels.first { $0.hasPrefix("lore-") }.flatMap { UUID(uuidString: String($0.dropFirst(5))) }
            var found: UUID?
            if let labelled, let known = try await app.store.trackerIssue(followUpID: labelled), known.project.kind == .github, known.number == number { found = labelled }
            if found == nil, let project = TrackerProject(repository: repository) { found = try await app.store.followUpID(for: project, number: number) }
            guard TrackerIssueEvent(githubAction: action, stateReason: issue["state_reason"] as? String) != nil, let followUpID = found else {
                return JSONResponse.make(TrackerDeliveryJSON(accepted: false, reason: "not a change to a follow-up's issue"), status: .accepted)
            }
            // One job per delivery: GitHub's redeliveries carry the same id.
            let delivery = request.headers[Self.deliveryHeader] ?? UUID().uuidString
            var fields = ["followUp": followUpID.uuidString, "action": action, "login": login]
            if let reason = issue["state_reason"] as? String { fields["stateReason"] = reason }
            if let closedAt = issue["closed_at"] as? String { fields["closedAt"] = closedAt }
            try await app.store.enqueueJob(kind: "tracker.event", dedupeKey: "tracker.event:\(delivery.prefix(100))", payload: BackgroundWork.encode(fields), dueAt: Date())
            return JSONResponse.make(TrackerDeliveryJSON(accepted: true, reason: nil), status: .accepted)
        }
    }
}

extension IssueTrackerRoutes {
    static let jiraSignatureHeader = HTTPField.Name("X-Hub-Signature")!
    static let jiraDeliveryHeader = HTTPField.Name("X-Atlassian-Webhook-Identifier")!

    /// `POST /hooks/jira`: Jira Cloud's webhook (Settings → System →
    /// WebHooks) for `jira:issue_updated`, with the secret from Settings.
    func registerJiraWebhook(on router: Router<LoreRequestContext>) {
        router.group("hooks").add(middleware: APIErrorMiddleware()).post("jira") { request, _ -> Response in
            let body = try await signedBody(request, secret: try await app.store.issueTracker().jiraWebhookSecret, header: Self.jiraSignatureHeader, tracker: .jira)
            guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let event = json["webhookEvent"] as? String else {
                throw LoreHTTPError(.badRequest, code: "invalid_event", message: "A Jira webhook body needs webhookEvent.")
            }
            // Only a change of status or resolution can change a follow-up.
            let items = ((json["changelog"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []
            guard event == "jira:issue_updated", items.contains(where: { ["status", "resolution"].contains($0["field"] as? String ?? "") }),
                  let issue = json["issue"] as? [String: Any], let key = issue["key"] as? String else {
                return JSONResponse.make(TrackerDeliveryJSON(accepted: false, reason: "not a change of an issue's status"), status: .accepted)
            }
            let labels = ((issue["fields"] as? [String: Any])?["labels"] as? [String]) ?? []
            let dash = key.lastIndex(of: "-")
            let project = dash.flatMap { TrackerProject(repository: "jira:" + key[..<$0]) }
            let number = dash.flatMap { Int(key[key.index(after: $0)...]) }
            var found: UUID?
            if let labelled = labels.first(where: { $0.hasPrefix("lore-") }).flatMap({ UUID(uuidString: String($0.dropFirst(5))) }),
               try await app.store.trackerIssue(followUpID: labelled)?.reference == key { found = labelled }
            if found == nil, let project, let number { found = try await app.store.followUpID(for: project, number: number) }
            guard let followUpID = found else {
                return JSONResponse.make(TrackerDeliveryJSON(accepted: false, reason: "not a change to a follow-up's issue"), status: .accepted)
            }
            let user = json["user"] as? [String: Any]
            // Jira's retries of one delivery carry the same identifier.
            let delivery = request.headers[Self.jiraDeliveryHeader] ?? "\(key):\(json["timestamp"] ?? UUID().uuidString)"
            // The state as the webhook saw it: used when Lore cannot ask Jira.
            let state = (issue["fields"] as? [String: Any]) ?? [:]
            var fields = ["followUp": followUpID.uuidString, "action": "jira", "login": user?["displayName"] as? String ?? "someone"]
            fields["account"] = user?["accountId"] as? String
            fields["category"] = ((state["status"] as? [String: Any])?["statusCategory"] as? [String: Any])?["key"] as? String
            fields["statusName"] = (state["status"] as? [String: Any])?["name"] as? String
            fields["resolution"] = (state["resolution"] as? [String: Any])?["name"] as? String
            try await app.store.enqueueJob(kind: "tracker.event", dedupeKey: "tracker.event:jira:\(delivery.prefix(100))", payload: BackgroundWork.encode(fields), dueAt: Date())
            return JSONResponse.make(TrackerDeliveryJSON(accepted: true, reason: nil), status: .accepted)
        }
    }
}

struct TrackerDeliveryJSON: Encodable {
    var accepted: Bool
    var reason: String?
}

/// `POST /api/v1/follow-ups/{id}/push`.
struct TrackerPushJSON: Encodable {
    var status: String
    var repository: String
    @Nullable var number: Int?
    @Nullable var url: String?
}
