import Foundation
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("The web app, as a person uses it")
struct WebAppTests {
    @Test(arguments: Backend.available) func signedOutVisitorsAreSentToSignInAndHealthIsOpen(backend: Backend) async throws {
        try await withApp(backend) { client, _, _ in
            for path in ["/incidents", "/incidents/new", "/incidents/INC-1", "/settings", "/account"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .found, "\(path)")
                #expect(r.location?.hasPrefix("/signin?next=") == true, "\(path)")
            }
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json["database"] as? String == "reachable")
            let api = try await client.execute(uri: "/api/v1/incidents", method: .get)
            #expect(api.status == .unauthorized)
            #expect((api.json["error"] as? [String: Any])?["code"] as? String == "unauthenticated")
            // The API's description is public; nothing else of the API is.
            let spec = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(spec.status == .ok)
            // The one script, from Lore's own origin (the CSP allows no other):
            // a table pasted into a Markdown field becomes a Markdown table. The
            // browser suite (Tests/e2e/browser.py) pastes a spreadsheet's cells.
            let script = try await client.execute(uri: "/static/paste-tables.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(String(buffer: script.body).contains("data-markdown"))
            let signIn = try await client.execute(uri: "/signin", method: .get)
            #expect(String(buffer: signIn.body).contains(#"<script src="/static/paste-tables.js" defer></script>"#))
        }
    }

    @Test(arguments: Backend.available) func signInNeedsTheRightPasswordAndCSRFToken(backend: Backend) async throws {
        try await withApp(backend) { client, _, _ in
            let b = Browser(client)
            let page = try await b.get("/signin")
            #expect(page.status == .ok)
            #expect(b.cookies["lore_csrf"] != nil)
            let wrong = try await b.post("/signin", [("email", "ada@example.com"), ("password", "not it at all")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("do not match"))
            let forged = try await b.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery")], token: "forged")
            #expect(forged.status == .forbidden)
            #expect(b.cookies["lore_session"] == nil)
            let ok = try await b.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery"), ("next", "/incidents/new")])
            #expect(ok.status == .found)
            #expect(ok.location == "/incidents/new")
            let cookie = ok.headers[values: .setCookie].first { $0.hasPrefix("lore_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            // An open redirect through ?next= is not possible.
            let b2 = Browser(client)
            try await b2.get("/signin")
            let evil = try await b2.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery"), ("next", "//evil.example/")])
            #expect(evil.location == "/dashboard")
            for sneaky in ["/\t/evil.example", "/\\evil.example", "https://evil.example", "/ok\r\nSet-Cookie: x=1"] {
                let b3 = Browser(client)
                try await b3.get("/signin")
                let r = try await b3.post("/signin", [("email", "ada@example.com"), ("password", "correct horse battery"), ("next", sneaky)])
                #expect(r.location == "/dashboard", "\(sneaky)")
            }
        }
    }

    @Test(arguments: Backend.available)
    func aFacilitatorRecordsAnIncidentTimelineReviewAndFollowUps(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let created = try await b.post("/incidents", [
                ("title", "Checkout 502s after the pool change"), ("severity", "SEV2"), ("status", "resolved"),
                ("detectionSource", "customer support"), ("services", "checkout-api"), ("teams", "payments"),
                ("impactStartedAt", "2026-03-01T09:50"), ("detectedAt", "2026-03-01T10:00"), ("acknowledgedAt", "2026-03-01T10:03"),
                ("mitigatedAt", "2026-03-01T10:40"), ("resolvedAt", "2026-03-01T11:00"),
                ("customerImpact", "Some buyers could **not** pay.\n\n| region | share |\n|---|--:|\n| EU | 40% |"), ("labels", "deploy, pool"), ("externalReferences", "pagerduty Q1ABC https://example.pagerduty.com/incidents/Q1ABC"),
            ])
            #expect(created.status == .seeOther)
            #expect(created.location == "/incidents/INC-1")
            var page = try await b.get("/incidents/INC-1")
            #expect(page.status == .ok)
            #expect(page.text.contains("Checkout 502s after the pool change"))
            #expect(page.text.contains("Time to resolve"))

            let entry = try await b.post("/incidents/INC-1/timeline", [
                ("occurredAt", "2026-03-01T10:01"), ("kind", "observation"), ("text", "Error rate at 12% on `checkout-api`, see [the dashboard](https://grafana.example/d/1)"),
                ("reflection", "The p50 graph looked *normal*, so I thought it was a client issue"), ("marker", "detection"),
            ])
            #expect(entry.status == .seeOther)
            let empty = try await b.post("/incidents/INC-1/timeline", [("occurredAt", ""), ("text", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Text is required"))
            #expect(empty.text.contains("When it happened is required"))

            let review = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("teamsPresent", "1"), ("teams", "payments"), ("visibility", "organisation"),
                ("status", "held"), ("facilitatorId", f.member.id.uuidString), ("participantsPresent", "1"),
                ("participantIds", f.admin.id.uuidString), ("participantIds", f.member.id.uuidString),
                ("summary", "Connection pool **exhaustion** after a config change."), ("whereWeGotLucky", "It happened during the day."),
            ])
            #expect(review.status == .seeOther)
            let reviewPath = try #require(review.location)
            #expect(try await b.get(reviewPath).text.contains("<strong>exhaustion</strong>"))
            #expect(try await b.post(reviewPath + "/findings", [("kind", "surprise"), ("text", "The pool size was a **per-host** limit")]).status == .seeOther)
            #expect(try await b.get(reviewPath).text.contains("The pool size was a <strong>per-host</strong> limit"))
            let fu = try await b.post("/incidents/INC-1/follow-ups", [("title", "Alert on pool saturation"), ("ownerTeam", "payments"), ("service", "checkout-api"), ("trackerReference", "OPS-7"), ("dueDate", "2026-04-01")])
            #expect(fu.status == .seeOther)
            let noOwner = try await b.post("/incidents/INC-1/follow-ups", [("title", "Orphan"), ("ownerTeam", "")])
            #expect(noOwner.status == .unprocessableContent)
            #expect(noOwner.text.contains("Owner team is required"))

            // Timeline text, reflections and customer impact are Markdown, as reviews are.
            page = try await b.get("/incidents/INC-1")
            #expect(page.text.contains("Error rate at 12% on <code>checkout-api</code>, see <a href=\"https://grafana.example/d/1\""))
            #expect(page.text.contains("The p50 graph looked <em>normal</em>"))
            #expect(page.text.contains("Some buyers could <strong>not</strong> pay."))
            #expect(page.text.contains("<td align=\"right\">40%</td>"))
            #expect(page.text.contains("Alert on pool saturation"))
            #expect(page.text.contains("Mo Member"))

            let incident = try #require(try await store.incident(key: "INC-1"))
            #expect(try await store.timeline(incidentID: incident.id).first?.reflection == "The p50 graph looked *normal*, so I thought it was a client issue")
            #expect(try await store.reviewsForOperator(incidentID: incident.id).first?.status == .held)
            let followUp = try #require(try await store.followUps(incidentID: incident.id).first)
            let closed = try await b.post("/incidents/INC-1/follow-ups/\(followUp.id.uuidString)", [("title", followUp.title), ("ownerTeam", "payments"), ("status", "done")])
            #expect(closed.status == .seeOther)
            #expect(try await store.followUp(id: followUp.id)?.closedAt != nil)
        }
    }

    @Test(arguments: Backend.available) func validationErrorsAppearNextToTheFieldAndNothingIsSaved(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let r = try await b.post("/incidents", [
                ("title", ""), ("severity", "SEV9"), ("detectionSource", "other"),
                ("detectedAt", "2026-03-01T10:00"), ("acknowledgedAt", "2026-03-01T09:00"), ("resolvedAt", "yesterday-ish"),
            ])
            #expect(r.status == .unprocessableContent)
            #expect(r.text.contains("Title is required"))
            #expect(r.text.contains("Unknown severity"))
            #expect(r.text.contains("not a date and time"))
            #expect(try await store.incidentCount() == 0)
            let r2 = try await b.post("/incidents", [("title", "x"), ("severity", "SEV3"), ("detectionSource", "other"), ("detectedAt", "2026-03-01T10:00"), ("acknowledgedAt", "2026-03-01T09:00")])
            #expect(r2.status == .unprocessableContent)
            #expect(r2.text.contains("is before detected"))
            #expect(r2.text.contains("value=\"x\""))  // what was typed is kept
            #expect(try await store.incidentCount() == 0)
            let unknown = try await b.get("/incidents/INC-999")
            #expect(unknown.status == .notFound)
            let nowhere = try await b.get("/no/such/page")
            #expect(nowhere.status == .notFound && nowhere.text.contains("404"))
        }
    }

    /// The incident list: a row per incident, newest first, with what people
    /// typed escaped, services named and linked, the detection time in the
    /// viewer's zone; filters and pages keep each other.
    @Test(arguments: Backend.available) func theIncidentListShowsEachIncidentEscaped(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            try await store.createIncident(IncidentInput(
                title: "<script>alert(1)</script> & \"quotes\"", severity: "SEV1", status: .resolved, services: ["checkout-api", "ledger"],
                detectionSource: "other", detectedAt: .some(t("2026-03-01T14:02:00Z")), resolvedAt: .some(t("2026-03-01T15:00:00Z"))))
            for n in 2...27 {
                try await store.createIncident(IncidentInput(title: "Incident \(n)", severity: "SEV3", detectionSource: "other", detectedAt: .some(t("2026-03-02T10:00:00Z"))))
            }
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let first = try await b.get("/incidents").text
            #expect(first.contains("<tr><td><a href=\"/incidents/INC-27\">INC-27</a></td><td><a href=\"/incidents/INC-27\">Incident 27</a></td>"))
            #expect(!first.contains("INC-1<"))  // 27 incidents, 25 to a page: the oldest is on page 2
            #expect(first.contains("Page 1 of 2 (27 incidents)"))

            let resolved = try await b.get("/incidents?status=resolved").text
            #expect(resolved.contains("<td><a href=\"/incidents/INC-1\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</a></td>"))
            #expect(!resolved.contains("<script>alert"))
            #expect(resolved.contains("<td><span class=\"sev\">SEV1</span></td><td><span class=\"status resolved\">Resolved</span></td>"))
            #expect(resolved.contains("<td><a href=\"/services/checkout-api\">Checkout API</a> <a href=\"/services/ledger\">Ledger</a> </td>"))
            #expect(resolved.contains("<td>2026-03-01 14:02 GMT</td>"))
            #expect(!resolved.contains("Incident 2<"))
            _ = f
        }
    }

    @Test(arguments: Backend.available) func savingAnUnchangedFormKeepsSecondsAndMilliseconds(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let detected = t("2026-03-01T10:00:42.123Z"), resolved = t("2026-03-01T11:30:07.500Z")
            try await store.createIncident(IncidentInput(title: "Precise", severity: "SEV3", status: .resolved, detectionSource: "other",
                                                        detectedAt: .some(detected), resolvedAt: .some(resolved)), now: resolved)
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let form = try await b.get("/incidents/INC-1/edit").text
            #expect(form.contains("value=\"2026-03-01T10:00\""))
            let r = try await b.post("/incidents/INC-1", [
                ("title", "Precise, renamed"), ("severity", "SEV3"), ("status", "resolved"), ("detectionSource", "other"),
                ("impactStartedAt", ""), ("detectedAt", "2026-03-01T10:00"), ("acknowledgedAt", ""), ("mitigatedAt", "2026-03-01T11:30"), ("resolvedAt", "2026-03-01T11:30"),
            ])
            #expect(r.status == .seeOther)
            let after = try #require(try await store.incident(key: "INC-1"))
            #expect(after.title == "Precise, renamed")
            #expect(after.times.detectedAt == detected && after.times.resolvedAt == resolved)
            // A time the person did change is taken as typed.
            try await b.post("/incidents/INC-1", [("title", "Precise"), ("severity", "SEV3"), ("detectionSource", "other"), ("detectedAt", "2026-03-01T10:05")])
            #expect(try await store.incident(key: "INC-1")?.times.detectedAt == t("2026-03-01T10:05:00Z"))
        }
    }

    @Test(arguments: Backend.available) func formsWithoutTheSessionsCSRFTokenAreRefused(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let fields = [("title", "Forged"), ("severity", "SEV3"), ("detectionSource", "other")]
            #expect(try await b.post("/incidents", fields, csrf: false).status == .forbidden)
            #expect(try await b.post("/incidents", fields, token: "not-the-token").status == .forbidden)
            // The pre-session cookie value is not accepted once signed in.
            #expect(try await b.post("/incidents", fields, token: b.cookies["lore_csrf"] ?? "x").status == .forbidden)
            #expect(try await b.post("/settings", [("practiceName", "Hacked")], csrf: false).status == .forbidden)
            #expect(try await b.post("/signout", [], csrf: false).status == .forbidden)
            #expect(try await store.incidentCount() == 0)
            #expect(try await store.settings().practiceName == "Postmortem")
        }
    }

    @Test(arguments: Backend.available) func scriptInEveryTextFieldIsEscaped(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let x = "<script>alert(1)</script>"
            let img = "<img src=x onerror=alert(2)>"
            #expect(try await b.post("/incidents", [
                ("title", "T \(x)"), ("severity", "SEV3"), ("detectionSource", "other"), ("customerImpact", "C \(img)"),
                ("labels", "\(x)"), ("externalReferences", "sys\(x) id\(x)"),
            ]).status == .seeOther)
            // A javascript: link on an external reference is refused outright.
            #expect(try await b.post("/incidents/INC-1", [("externalReferences", "pd Q1 javascript:alert(3)")]).status == .unprocessableContent)
            try await b.post("/incidents/INC-1/timeline", [("occurredAt", "2026-03-01T10:00"), ("text", "E \(x)"), ("reflection", "R \(img)")])
            let review = try await b.post("/incidents/INC-1/reviews", [("level", "team"), ("title", "R \(x)"), ("summary", "S \(x) [link](javascript:alert(4)) \(img)"), ("surprises", "<a href=\"javascript:alert(5)\">x</a>")])
            let reviewPath = try #require(review.location)
            try await b.post(reviewPath + "/findings", [("kind", "surprise"), ("text", "F \(x)")])
            try await b.post("/incidents/INC-1/follow-ups", [("title", "F \(x)"), ("ownerTeam", "payments"), ("description", "D \(img)"), ("trackerReference", "OPS-\(x)")])
            try await b.post("/account", [("displayName", "Ada \(x)"), ("timeZone", "UTC")])
            let id = try #require(try await store.incident(key: "INC-1")?.id)
            let fu = try #require(try await store.followUps(incidentID: id).first)
            for path in ["/incidents", "/incidents/INC-1", "/incidents/INC-1/edit", reviewPath, reviewPath + "/edit", "/incidents/INC-1/follow-ups/\(fu.id.uuidString)/edit", "/account", "/dashboard"] {
                let html = try await b.get(path).text
                #expect(!html.contains("<script>alert"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
                #expect(!html.lowercased().contains("href=\"javascript:"), "\(path)")
                #expect(!html.contains("<a href=\"javascript"), "\(path)")
            }
            #expect(try await b.get("/incidents/INC-1").text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test(arguments: Backend.available) func changingThePracticeNameChangesItEverywhere(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            try await b.post("/incidents", [("title", "x"), ("severity", "SEV3"), ("detectionSource", "other")])
            #expect(try await b.get("/incidents/INC-1").text.contains("Postmortem"))
            let reviewPath = try #require(try await b.post("/incidents/INC-1/reviews", [("level", "team")]).location)
            let saved = try await b.post("/settings", [
                ("organisationName", "Acme"), ("practiceName", "Retrospective"), ("reviewWindowHours", "48"),
                ("severities", "SEV1\nSEV2\nSEV3\nSEV4"), ("detectionSources", "monitoring alert\nother"),
            ])
            #expect(saved.status == .seeOther)
            for path in ["/incidents/INC-1", reviewPath, reviewPath + "/edit", "/incidents/INC-1/reviews/new", "/dashboard"] {
                let html = try await b.get(path).text
                #expect(html.contains("Retrospective"), "\(path)")
                #expect(!html.contains("Postmortem"), "\(path)")
            }
            let custom = try await b.post("/settings", [("practiceName", "custom"), ("customPracticeName", "Learning huddle"), ("reviewWindowHours", "72")])
            #expect(custom.status == .seeOther)
            #expect(try await b.get("/incidents/INC-1").text.contains("Learning huddle"))
            let bad = try await b.post("/settings", [("practiceName", "Retrospective"), ("reviewWindowHours", "0"), ("severities", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("between 1 and 1440"))
            #expect(try await store.settings().practiceName == "Learning huddle")
        }
    }

    @Test(arguments: Backend.available) func membersCannotReachSettings(backend: Backend) async throws {
        try await withApp(backend) { client, _, _ in
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            #expect(try await b.get("/settings").status == .notFound)
            #expect(try await b.post("/settings/teams", [("name", "Sneaky")]).status == .notFound)
            #expect(!(try await b.get("/incidents").text.contains("href=\"/settings\"")))
        }
    }

    @Test(arguments: Backend.available) func oneTimeLinkSignsInOnceAndTokensAreShownOnce(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let link = try await store.createSignInLink(userID: f.member.id, lifetime: 600)
            let b = Browser(client)
            let r = try await b.get("/signin/link/\(link)")
            #expect(r.status == .found && b.cookies["lore_session"] != nil)
            let b2 = Browser(client)
            #expect(try await b2.get("/signin/link/\(link)").status == .notFound)
            try await b.get("/account")
            let created = try await b.post("/account/tokens", [("name", "laptop")])
            let match = created.text.range(of: "lore_[A-Za-z0-9_-]{40,}", options: .regularExpression)
            let token = String(created.text[try #require(match)])
            #expect(try await store.user(apiToken: token)?.id == f.member.id)
            #expect(!(try await b.get("/account").text.contains(token)))
        }
    }
}

@Suite("Importing a pasted timeline")
struct TimelineImportWebTests {
    @Test(arguments: Backend.available) func previewThenConfirmAddsEntriesOnceAndBadRowsStopEverything(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            try await b.post("/incidents", [("title", "x"), ("severity", "SEV3"), ("detectionSource", "other")])
            let table = "## 2026-03-01\n\n| Time (UTC) | Event |\n|---|---|\n| 14:02 | Alert fired for <b>checkout</b> latency |\n| 14:05 | Rolled back |\n"
            let preview = try await b.post("/incidents/INC-1/import", [("table", table), ("timeZone", "UTC")])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Preview: 2 entries (markdown)"))
            #expect(preview.text.contains("&lt;b&gt;checkout&lt;/b&gt;"))
            let id = try #require(try await store.incident(key: "INC-1")?.id)
            #expect(try await store.timeline(incidentID: id).isEmpty)  // nothing saved by a preview
            #expect(try await b.post("/incidents/INC-1/import", [("table", table), ("timeZone", "UTC"), ("confirm", "1")]).status == .seeOther)
            #expect(try await b.post("/incidents/INC-1/import", [("table", table), ("timeZone", "UTC"), ("confirm", "1")]).status == .seeOther)
            let entries = try await store.timeline(incidentID: id)
            #expect(entries.map(\.text) == ["Alert fired for <b>checkout</b> latency", "Rolled back"])
            #expect(entries.first?.occurredAt == t("2026-03-01T14:02:00Z") && entries.first?.source == .markdown)

            let bad = "time,author,text\n2026-03-02T10:00:00Z,Ana,ok\n2026-03-02 99:99,Ben,bad\n"
            let refused = try await b.post("/incidents/INC-1/import", [("table", bad), ("confirm", "1")])
            #expect(refused.status == .unprocessableContent && refused.text.contains("pasted table:3"))
            #expect(try await store.timeline(incidentID: id).count == 2)
            #expect(try await b.post("/incidents/INC-1/import", [("table", bad)], csrf: false).status == .forbidden)

            // What was read differently from how it is written is shown before confirming.
            let dayOnly = "| Date | Event |\n|---|---|\n| 2026-03-03 | Vendor advisory published |\n| 2026-03-03 09:15 | Patched |\n"
            let checked = try await b.post("/incidents/INC-1/import", [("table", dayOnly), ("timeZone", "UTC")])
            #expect(checked.text.contains("Preview: 1 entr"))
            #expect(checked.text.contains("line 3: a date without a time of day: it dates the entries after it"))
        }
    }
}
