import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// The probes of issue 10 as an attacker sends them, over HTTP, on both
/// databases. Each failed before its fix.
@Suite("Hardening through HTTP")
struct HardeningWebTests {
    /// A manager kept out of a review cannot use its id as a parent: the API
    /// answers exactly as for an id that does not exist, and writes nothing.
    @Test(arguments: Backend.available)
    func hiddenParentReviewAnswersLikeAMissingOne(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let ana = try await store.createUser(UserInput(displayName: "Ana", email: "ana@example.com"))
            let maya = try await store.createUser(UserInput(displayName: "Maya", email: "maya@example.com"))
            try await store.setMembership(teamSlug: "payments", userID: ana.id, role: .member)
            try await store.setMembership(teamSlug: "payments", userID: maya.id, role: .manager)
            let incident = try await store.createIncident(IncidentInput(title: "Checkout down", severity: "SEV1", teams: ["payments"], detectionSource: "other"))
            let hidden = try await store.createReview(incidentID: incident.id, ReviewInput(level: .joint, teams: ["payments"], withoutManagers: true, participantIDs: [ana.id]), by: try await store.viewer(for: ana))
            let api = APIClient(client: client, token: try await store.createAPIToken(userID: maya.id, name: "m").secret)
            let forHidden = try await api.call(.post, "/incidents/\(incident.key)/reviews", json: ["level": "pair", "parentReviewId": hidden.id.uuidString])
            let forRandom = try await api.call(.post, "/incidents/\(incident.key)/reviews", json: ["level": "pair", "parentReviewId": UUID().uuidString])
            #expect(forHidden.status == .unprocessableContent)
            #expect(forHidden.status == forRandom.status)
            #expect(forHidden.text == forRandom.text)
            #expect(try await store.reviewsForOperator(incidentID: incident.id).count == 1)
            _ = f
        }
    }

    /// Removing someone else's or an imported timeline entry is refused to a
    /// plain member and changes nothing; the author removes and restores.
    @Test(arguments: Backend.available)
    func timelineRemovalThroughTheAPI(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let incident = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
            let admin = APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "a").secret)
            let member = APIClient(client: client, token: try await store.createAPIToken(userID: f.member.id, name: "m").secret)
            let written = try await admin.call(.post, "/incidents/\(incident.key)/timeline", json: ["occurredAt": "2026-03-01T10:00:00Z", "text": "Paged the database team"])
            let id = try #require(written.json["id"] as? String)
            try await store.importTimeline([TimelineEntry(incidentID: incident.id, occurredAt: t("2026-03-01T09:59:00Z"), recordedAt: t("2026-03-01T09:59:00Z"), author: "PagerDuty", source: .pagerduty, kind: .alert, text: "Triggered", externalID: "PD-9")])
            let imported = try #require(try await store.timeline(incidentID: incident.id).first { $0.source == .pagerduty })

            #expect(try await member.call(.delete, "/incidents/\(incident.key)/timeline/\(id)").status == .forbidden)
            #expect(try await member.call(.delete, "/incidents/\(incident.key)/timeline/\(imported.id.uuidString)").status == .forbidden)
            #expect(try await store.timeline(incidentID: incident.id).count == 2)

            #expect(try await admin.call(.delete, "/incidents/\(incident.key)/timeline/\(id)").status == .noContent)
            #expect(try await admin.call(.delete, "/incidents/\(incident.key)/timeline/\(id)").status == .notFound)
            let removed = try await admin.call(.get, "/incidents/\(incident.key)/timeline/removed")
            let items = try #require(removed.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["removedBy"] as? String == "Ada Admin" && items[0]["removedAt"] is String)
            #expect(try await admin.call(.post, "/incidents/\(incident.key)/timeline/\(id)/restore").status == .ok)
            #expect(try await store.timeline(incidentID: incident.id).count == 2)
        }
    }

    /// On the incident page each entry the viewer may remove has a Remove
    /// button that posts the page's one token-carrying form to that entry's
    /// address; entries they may not remove have none, and a post without
    /// the token is refused.
    @Test(arguments: Backend.available)
    func removeButtonsPostTheTokenToTheirOwnEntry(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (incident, id) = try await incidentWithAnEntryEach(client, store, f, title: "x", adminText: "Paged the database team")

            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let page = try await b.get("/incidents/\(incident.key)").text
            let action = "/incidents/\(incident.key)/timeline/\(id)/delete"
            #expect(page.components(separatedBy: "form=\"remove-entry\"").count - 1 == 1)
            #expect(page.contains("<button form=\"remove-entry\" formaction=\"\(action)\""))
            let token = try #require(b.csrf)
            #expect(page.contains("<form method=\"post\" id=\"remove-entry\" hidden><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"></form>"))

            #expect(try await b.post(action, [], csrf: false).status == .forbidden)
            #expect(try await store.timeline(incidentID: incident.id).count == 2)
            let removed = try await b.post(action, [])
            #expect(removed.status == .seeOther)
            #expect(try await store.timeline(incidentID: incident.id).map(\.text) == ["Paged the database team"])
        }
    }

    /// Bodies over a route's limit are 413 with the JSON error, never 500.
    @Test(arguments: Backend.available)
    func oversizedPagerDutyDeliveryIs413(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            try await store.addPagerDutySubscription(name: "production", secret: "s3cret-s3cret")
            let body = Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 10)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("X-PagerDuty-Signature")!] = PagerDutySignature.header(body: body, secret: "s3cret-s3cret")
            let r = try await client.execute(uri: "/hooks/pagerduty/production", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(r.status == .contentTooLarge)
            #expect((r.json["error"] as? [String: Any])?["code"] as? String == "too_large")
        }
    }

    /// Control characters are refused with the field named (API and forms);
    /// impossible times are refused, not rolled into other moments; loose
    /// content types, duplicate keys and out-of-range paging are refused.
    @Test(arguments: Backend.available)
    func badInputIsRefusedWithTheFieldNamed(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let api = APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "a").secret)
            let nul = try await api.call(.post, "/incidents", json: ["title": "before\u{0}after", "severity": "SEV3", "detectionSource": "other"])
            #expect(nul.status == .unprocessableContent)
            #expect((nul.json["error"] as? [String: Any])?["field"] as? String == "title")
            let nested = try await api.call(.post, "/incidents", json: ["title": "ok", "severity": "SEV3", "detectionSource": "other", "labels": ["fine", "bell\u{7}"]])
            #expect((nested.json["error"] as? [String: Any])?["field"] as? String == "labels[1]")
            #expect(try await store.incidents(IncidentFilter()).total == 0)
            // Tabs and line breaks are text.
            #expect(try await api.call(.post, "/incidents", json: ["title": "tab\there", "severity": "SEV3", "detectionSource": "other", "customerImpact": "line one\r\nline two"]).status == .created)

            for bad in ["2026-02-30T10:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:00:00+25:00", "0000-03-01T10:00:00Z", "2026-13-01T10:00:00Z", "2026-03-01T10:60:00Z", "2026-03-01T10:00:61Z", "2026-03-01T10:00:00"] {
                let r = try await api.call(.patch, "/incidents/INC-1", json: ["detectedAt": bad])
                #expect(r.status == .unprocessableContent, "\(bad)")
                #expect((r.json["error"] as? [String: Any])?["field"] as? String == "detectedAt", "\(bad)")
            }
            let leap = try await api.call(.patch, "/incidents/INC-1", json: ["detectedAt": "2024-02-29T23:59:59.5-01:30"])
            #expect(leap.status == .ok)
            #expect(leap.json["detectedAt"] as? String == "2024-03-01T01:29:59.500Z")

            #expect(try await api.call(.post, "/incidents", raw: #"{"title":"x","severity":"SEV3","detectionSource":"other"}"#, contentType: "application/jsonx").status == .unsupportedMediaType)
            #expect(try await api.call(.post, "/incidents", raw: #"{"title":"x","severity":"SEV3","detectionSource":"other"}"#, contentType: "application/json; charset=utf-8").status == .created)
            let dup = try await api.call(.post, "/incidents", raw: #"{"title":"x","severity":"SEV3","title":"y","detectionSource":"other"}"#)
            #expect(dup.status == .badRequest)
            #expect((dup.json["error"] as? [String: Any])?["code"] as? String == "duplicate_key")
            let escapedDup = try await api.call(.post, "/incidents", raw: #"{"title":"x","severity":"SEV3","\u0074itle":"y","detectionSource":"other"}"#)
            #expect(escapedDup.status == .badRequest)
            // The same key in two different objects is fine.
            #expect(try await api.call(.post, "/incidents", raw: #"{"title":"x","severity":"SEV3","detectionSource":"other","externalReferences":[{"system":"jira","id":"A-1"},{"system":"pd","id":"P1"}]}"#).status == .created)

            // A path the API has, with a method it does not take: 405 and what it takes.
            let trace = try await api.call(.delete, "/dashboard")
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET")
            let removed = try await api.call(.options, "/incidents/INC-1/timeline/removed")
            #expect(removed.status == .methodNotAllowed && removed.headers[.allow] == "GET")
            #expect(try await api.call(.get, "/no/such/route").status == .notFound)
            // Booleans are true or false, not 0, 1 or null.
            #expect(try await api.call(.post, "/language/check", json: ["text": "x", "includeQuotes": 0]).status == .unprocessableContent)
            #expect(try await api.call(.patch, "/services/checkout-api", json: ["name": NSNull()]).status == .unprocessableContent)
            // The API's description needs no token.
            #expect(try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).status == .ok)
            #expect(try await api.call(.get, "/incidents?status=").status == .unprocessableContent)
            // Control characters in the URL never reach the database (a NUL in
            // a filter was a PostgreSQL error, 500).
            let nulFilter = try await api.call(.get, "/incidents?service=a%00b")
            #expect(nulFilter.status == .unprocessableContent && (nulFilter.json["error"] as? [String: Any])?["field"] as? String == "service")
            #expect(try await api.call(.patch, "/services/a%00b", json: ["name": "x"]).status == .notFound)
            #expect(try await api.call(.get, "/incidents/INC-1%07").status == .notFound)
            #expect(try await api.call(.get, "/incidents?perPage=201").status == .unprocessableContent)
            #expect(try await api.call(.get, "/incidents?perPage=200").status == .ok)

            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let form = try await b.post("/incidents/INC-1/timeline", [("occurredAt", "2026-03-01T10:00"), ("kind", "bogus"), ("text", "x")])
            #expect(form.status == .unprocessableContent)
            #expect(form.text.contains("bogus"))
            let nulForm = try await b.post("/incidents/INC-1/timeline", [("occurredAt", "2026-03-01T10:00"), ("kind", "note"), ("text", "a\u{0}b")])
            #expect(nulForm.status == .unprocessableContent)
            let impossible = try await b.post("/incidents/INC-1/timeline", [("occurredAt", "2026-02-30T10:00"), ("kind", "note"), ("text", "x")])
            #expect(impossible.status == .unprocessableContent)
            #expect(try await store.timeline(incidentID: try #require(try await store.incident(key: "INC-1")).id).isEmpty)
        }
    }

    /// The sign-in form's CSRF value is bound to its cookie by the servers'
    /// secret: a pair the client made up is refused.
    @Test(arguments: Backend.available)
    func signInCSRFCannotBeChosenByTheClient(backend: Backend) async throws {
        try await withApp(backend) { client, _, _ in
            let b = Browser(client)
            b.cookies["lore_csrf"] = "attacker-chosen"
            let forged = try await b.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery")], token: "attacker-chosen")
            #expect(forged.status == .forbidden)
            try await b.get("/signin")
            #expect(b.csrf != b.cookies["lore_csrf"])
            #expect(try await b.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery")]).status == .found)
        }
    }

    /// Wrong passwords slow down sign-in: after the free attempts the answer
    /// is 429 with Retry-After, even for the right password, and without a
    /// password check; every attempt is in the audit log with its address.
    @Test(arguments: Backend.available)
    func wrongPasswordsAreThrottledAndAudited(backend: Backend) async throws {
        var configuration = LoreServerConfiguration()
        configuration.signInThrottle = SignInThrottle(accountPolicy: SignInThrottle.Policy(freeFailures: 5, window: 900, firstDelay: 60, maxDelay: 600))
        try await withApp(backend, configuration: configuration) { client, store, f in
            let b = Browser(client)
            try await b.get("/signin")
            var statuses: [HTTPResponse.Status] = []
            for _ in 0 ..< 8 {
                statuses.append(try await b.post("/signin", [("email", "mo@example.com"), ("password", "wrong password 1")]).status)
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 6) + [.tooManyRequests, .tooManyRequests])
            let right = try await b.post("/signin", [("email", "mo@example.com"), ("password", "another long password")])
            #expect(right.status == .tooManyRequests)
            #expect(Int(right.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(b.cookies["lore_session"] == nil)
            // Another account from elsewhere is not locked out by this.
            let other = Browser(client)
            try await other.signIn("ada@example.com", "correct horse battery")

            let log = try await store.auditEvents(AuditFilter(), viewer: try await store.viewer(for: f.admin))
            #expect(log.filter { $0.action == .signInFailed }.count == 6)
            #expect(log.contains { $0.action == .signInThrottled && $0.actorName == "mo@example.com" })
            #expect(log.contains { $0.action == .signInSucceeded && $0.actorID == f.admin.id })
            #expect(log.allSatisfy { $0.address != nil })
        }
    }
}

@Suite("The audit log")
struct AuditLogWebTests {
    /// Admins read the log through the API and the page, with filters; to
    /// members neither exists. Token and review changes are in it.
    @Test(arguments: Backend.available)
    func adminsReadTheAuditLogWithFiltersOthersGet404(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let adminToken = try await store.createAPIToken(userID: f.admin.id, name: "audit reader").secret
            let admin = APIClient(client: client, token: adminToken)
            let member = APIClient(client: client, token: try await store.createAPIToken(userID: f.member.id, name: "m").secret)
            let incident = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", teams: ["payments"], detectionSource: "other"))
            let created = try await member.call(.post, "/incidents/\(incident.key)/reviews", json: ["level": "team", "teams": ["payments"]])
            let reviewID = try #require(created.json["id"] as? String)
            #expect(try await member.call(.patch, "/reviews/\(reviewID)", json: ["visibility": "organisation", "status": "published"]).status == .ok)

            #expect(try await member.call(.get, "/audit").status == .notFound)
            let all = try await admin.call(.get, "/audit")
            let actions = try #require(all.json["items"] as? [[String: Any]]).compactMap { $0["action"] as? String }
            #expect(actions.contains("token.created") && actions.contains("review.visibility_changed") && actions.contains("review.published"))
            let widened = try await admin.call(.get, "/audit?action=review.visibility_changed")
            let rows = try #require(widened.json["items"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["from"] as? String == "team" && rows[0]["to"] as? String == "organisation" && rows[0]["actorName"] as? String == "Mo Member")
            #expect(try await admin.call(.get, "/audit?action=nonsense").status == .unprocessableContent)
            #expect(try await admin.call(.get, "/audit?limit=501").status == .unprocessableContent)
            let history = try await member.call(.get, "/reviews/\(reviewID)/history")
            #expect((history.json["items"] as? [[String: Any]])?.count == 2)

            let page = Browser(client)
            try await page.signIn("mo@example.com", "another long password")
            #expect(try await page.get("/settings/audit").status == .notFound)
            let adminPage = Browser(client)
            try await adminPage.signIn("ada@example.com", "correct horse battery")
            let html = try await adminPage.get("/settings/audit?action=review.published").text
            #expect(html.contains("review.published") && html.contains("Mo Member") && !html.contains("token.created</td>"))
        }
    }
}

@Suite("Sessions on the account page")
struct AccountSessionsWebTests {
    /// A person sees where they are signed in and ends a session they do not
    /// recognise; that browser is signed out at once, and the log says so.
    @Test(arguments: Backend.available)
    func aPersonEndsAnotherOfTheirSessions(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let laptop = Browser(client), phone = Browser(client)
            try await laptop.signIn("mo@example.com", "another long password")
            try await phone.signIn("mo@example.com", "another long password")
            let sessions = try await store.sessions(userID: f.member.id)
            #expect(sessions.count == 2)
            let page = try await laptop.get("/account").text
            #expect(page.contains("(this browser)") && page.contains("Where you are signed in"))
            // Another person's session id is not found.
            let adas = Browser(client)
            try await adas.signIn("ada@example.com", "correct horse battery")
            let adaSession = try #require(try await store.sessions(userID: f.admin.id).first)
            #expect(try await laptop.post("/account/sessions/\(adaSession.id.uuidString)/end", []).status == .notFound)
            #expect(try await store.sessions(userID: f.admin.id).count == 1)

            let phoneSession = try #require(sessions.first { s in !page.contains("/account/sessions/\(s.id.uuidString)/end\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"\(laptop.csrf ?? "")\"><button type=\"submit\" class=\"link\">Sign out") })
            #expect(try await laptop.post("/account/sessions/\(phoneSession.id.uuidString)/end", []).status == .seeOther)
            #expect(try await store.sessions(userID: f.member.id).count == 1)
            #expect(try await phone.get("/incidents").status == .found)  // back to sign-in
            #expect(try await laptop.get("/incidents").status == .ok)
            let log = try await store.auditEvents(AuditFilter(action: .sessionEnded), viewer: try await store.viewer(for: f.admin))
            #expect(log.count == 1 && log[0].subjectID == f.member.id.uuidString)
        }
    }
}
