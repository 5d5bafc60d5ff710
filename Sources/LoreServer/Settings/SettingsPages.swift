import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// The admin's settings page: the organisation's vocabulary and scales, the
/// teams and services of the catalog, and accounts.
struct SettingsPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        let admin = group.group("settings").add(middleware: RequireAdminMiddleware())
        admin.get { request, context in
            try await page(context, notice: request.uri.queryParameters["saved"] != nil ? "Saved." : nil)
        }
        admin.post { request, context in
            let form = try await FormData.read(request, context: context)
            var proposed = try await store.settings()
            let practice = form["practiceName"] == "custom" ? (form["customPracticeName"] ?? "") : (form["practiceName"] ?? proposed.practiceName)
            proposed.practiceName = practice
            proposed.organisationName = form["organisationName"] ?? proposed.organisationName
            var v = Validator()
            if let h = form["reviewWindowHours"] {
                if let n = Int(h.trimmingCharacters(in: .whitespaces)) { proposed.reviewWindowHours = n }
                else { v.add("reviewWindowHours", "invalid", "Review window must be a whole number of hours; got \"\(h)\".") }
            }
            if form["severities"] != nil { proposed.severities = form.lines("severities") }
            if form["detectionSources"] != nil { proposed.detectionSources = form.lines("detectionSources") }
            if form["factorTags"] != nil { proposed.factorTags = form.lines("factorTags") }
            if form["practicePresent"] != nil {
                if let r = form["completenessRule"].flatMap(CompletenessRule.init(rawValue:)) { proposed.practice.completenessRule = r }
                proposed.practice.adminsSeeAllReviews = form["adminsSeeAllReviews"] == "1"
                func ints(_ field: String, _ label: String) -> [Int]? {
                    guard let raw = form[field] else { return nil }
                    let parts = raw.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
                    let numbers = parts.compactMap { Int($0) }
                    if numbers.count != parts.count { v.add(field, "invalid", "\(label): write whole numbers separated by commas, for example 24, 0.") ; return nil }
                    return numbers
                }
                if let r = ints("reminderHoursBefore", "Reminders") { proposed.practice.reminderHoursBefore = r }
                if let d = ints("checkpointDays", "Checkpoints") { proposed.practice.followThrough = FollowThroughSchedule(days: d) }
                if let n = ints("picksPerVoter", "Picks per person")?.first { proposed.practice.ballot.picksPerVoter = n }
                if let k = ints("focusSize", "Focus size")?.first { proposed.practice.ballot.focusSize = k }
            }
            do {
                try v.check()
                try await store.saveSettings(proposed, by: try context.auditActor())
            } catch let e as ValidationError {
                return try await page(context, settingsValues: form, errors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings?saved=1", type: .normal)
        }
        admin.post("sso") { request, context in
            let form = try await FormData.read(request, context: context)
            guard app.configuration.singleSignOn == nil else { return try await page(context, notice: "Single sign-on is set by the server's configuration; change it there.") }
            var s = SingleSignOnSettings()
            s.enabled = form["enabled"] == "1"
            s.issuer = form["issuer"] ?? ""
            s.clientID = form["clientID"] ?? ""
            s.scopes = [form["scopes"] ?? ""]
            s.emailClaim = form["emailClaim"] ?? ""
            s.adminClaim = form["adminClaim"] ?? ""
            s.adminValues = (form["adminValues"] ?? "").split(separator: ",").map(String.init)
            s.allowedDomains = [form["allowedDomains"] ?? ""]
            s.createAccounts = form["createAccounts"] == "1"
            s.trustEmailsWithoutVerifiedClaim = form["trustEmailsWithoutVerifiedClaim"] == "1"
            s.passwordsForEveryone = form["passwordsOff"] != "1"
            s.breakGlassEmail = form["breakGlassEmail"] ?? ""
            let secret = form["clientSecret"].flatMap { $0.isEmpty ? nil : $0 }
            do {
                try await store.saveSingleSignOn(s, clientSecret: secret, by: try context.auditActor())
                await app.openID.forget()
            } catch let e as ValidationError {
                return try await page(context, ssoValues: s, ssoErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings?saved=1#sso", type: .normal)
        }
        admin.post("tracker") { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                let teams = Set(try await store.teams().map(\.slug))
                let s = try IssueTrackerSettings.parse(apiURL: form["trackerAPIURL"] ?? "", lines: form["trackerRepositories"] ?? "", knownTeams: teams,
                                                       jiraURL: form["jiraURL"] ?? "", jiraEmail: form["jiraEmail"] ?? "", jiraIssueType: form["jiraIssueType"] ?? "")
                func secret(_ field: String) -> String? { form[field].flatMap { $0.isEmpty ? nil : $0 } }
                try await store.saveIssueTracker(s, token: secret("trackerToken"), webhookSecret: secret("trackerWebhookSecret"),
                                                 jiraToken: secret("jiraToken"), jiraWebhookSecret: secret("jiraWebhookSecret"), by: try context.auditActor())
            } catch let e as ValidationError {
                return try await page(context, trackerValues: form, trackerErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings?saved=1#tracker", type: .normal)
        }
        admin.post("teams") { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                try await store.createTeam(TeamInput(name: form["name"], slug: form["slug"]))
            } catch let e as ValidationError {
                return try await page(context, teamErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings#teams", type: .normal)
        }
        admin.post("services") { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                try await store.createService(ServiceInput(
                    name: form["name"], slug: form["slug"], owningTeam: form["owningTeam"],
                    pagedTeams: form.all("pagedTeams").filter { !$0.isEmpty }, pagerDutyServiceID: form["pagerDutyServiceId"]))
            } catch let e as ValidationError {
                return try await page(context, serviceErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings#services", type: .normal)
        }
        admin.post("services/:slug") { request, context in
            let form = try await FormData.read(request, context: context)
            let slug = try context.parameters.require("slug")
            guard try await store.service(slug: slug) != nil else { throw LoreHTTPError.notFound("Service") }
            do {
                try await store.updateService(slug: slug, ServiceInput(
                    name: form["name"], owningTeam: form["owningTeam"], pagedTeams: form.all("pagedTeams").filter { !$0.isEmpty },
                    pagerDutyServiceID: form["pagerDutyServiceId"]))
            } catch let e as ValidationError {
                return try await page(context, serviceErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings?saved=1#services", type: .normal)
        }
        admin.post("webhooks") { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                let (endpoint, secret) = try await store.createWebhookEndpoint(WebhookEndpointInput(
                    name: form["name"], url: form["url"], format: form["format"].flatMap(WebhookFormat.init(rawValue:)), secret: form["secret"]), by: try context.auditActor())
                return try await page(context, notice: "Added \(endpoint.name). Its signing secret, shown only now: \(secret) — receivers check X-Lore-Signature: sha256=HMAC-SHA256(secret, body).")
            } catch let e as ValidationError {
                return try await page(context, webhookErrors: e, status: .unprocessableContent)
            }
        }
        admin.post("webhooks/:id/delete") { request, context in
            _ = try await FormData.read(request, context: context)
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Webhook") }
            try await store.deleteWebhookEndpoint(id: id, by: try context.auditActor())
            return Response.redirect(to: "/settings#webhooks", type: .normal)
        }
        admin.post("users") { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                let user = try await store.createUser(UserInput(
                    displayName: form["displayName"], handle: form["handle"], email: form["email"],
                    role: form["role"].flatMap(UserRole.init(rawValue:)), password: nil, timeZone: form["timeZone"]?.isEmpty == false ? form["timeZone"] : "UTC"))
                if let team = form["team"], !team.isEmpty {
                    try await store.setMembership(teamSlug: team, userID: user.id, role: form["teamRole"].flatMap(TeamRole.init(rawValue:)) ?? .member, by: try context.auditActor())
                }
                let link = try await store.createSignInLink(userID: user.id, lifetime: 7 * 24 * 3600)
                return try await page(context, notice: "Created \(user.displayName). Send them this one-time sign-in link (valid 7 days): \(app.configuration.baseURL)/signin/link/\(link)")
            } catch let e as ValidationError {
                return try await page(context, userErrors: e, status: .unprocessableContent)
            }
        }
        admin.post("users/:id/link") { request, context in
            _ = try await FormData.read(request, context: context)
            guard let id = UUID(uuidString: try context.parameters.require("id")), let user = try await store.user(id: id) else { throw LoreHTTPError.notFound("User") }
            let link = try await store.createSignInLink(userID: user.id, lifetime: 7 * 24 * 3600)
            return try await page(context, notice: "One-time sign-in link for \(user.displayName) (valid 7 days): \(app.configuration.baseURL)/signin/link/\(link)")
        }
    }

    func page(
        _ context: LoreRequestContext, notice: String? = nil, settingsValues: FormData? = nil, errors: ValidationError? = nil,
        teamErrors: ValidationError? = nil, serviceErrors: ValidationError? = nil, userErrors: ValidationError? = nil, webhookErrors: ValidationError? = nil,
        ssoValues: SingleSignOnSettings? = nil, ssoErrors: ValidationError? = nil, trackerValues: FormData? = nil, trackerErrors: ValidationError? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let settings = try await store.settings()
        let teams = try await store.teams()
        let memberships = try await store.memberships()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.slug, $0.name) })
        let isStandard = OrganisationSettings.standardPracticeNames.contains(settings.practiceName)
        return app.views.page("settings", title: "Settings", context: context, settings: settings, status: status, values: [
            "notice": notice ?? false,
            "organisationNameValue": settingsValues?["organisationName"] ?? settings.organisationName,
            "practiceNames": OrganisationSettings.standardPracticeNames.map { ["value": $0, "selected": $0 == settings.practiceName] },
            "customPractice": !isStandard, "customPracticeName": isStandard ? "" : settings.practiceName,
            "reviewWindowHours": settingsValues?["reviewWindowHours"] ?? String(settings.reviewWindowHours),
            "severities": settingsValues?["severities"] ?? settings.severities.joined(separator: "\n"),
            "detectionSources": settingsValues?["detectionSources"] ?? settings.detectionSources.joined(separator: "\n"),
            "factorTags": settingsValues?["factorTags"] ?? settings.factorTags.joined(separator: "\n"),
            "errors": ViewValues.errors(errors),
            "teams": teams.map { ["name": $0.name, "slug": $0.slug, "value": $0.slug, "label": $0.name] },
            "teamErrors": ViewValues.errors(teamErrors),
            "services": try await store.services().map { s -> [String: Any] in
                [
                    "name": s.name, "slug": s.slug, "pagerDutyServiceId": s.pagerDutyServiceID ?? "",
                    "owningTeamName": s.owningTeam.flatMap { teamNames[$0] } ?? "—",
                    "pagedNames": s.pagedTeams.isEmpty ? "—" : s.pagedTeams.map { teamNames[$0] ?? $0 }.joined(separator: ", "),
                    "owners": teams.map { ["value": $0.slug, "label": $0.name, "selected": $0.slug == s.owningTeam] },
                    "paged": teams.map { ["value": $0.slug, "label": $0.name, "selected": s.pagedTeams.contains($0.slug)] },
                ]
            },
            "completenessRules": CompletenessRule.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == settings.practice.completenessRule] },
            "adminsSeeAllReviews": settings.practice.adminsSeeAllReviews,
            "reminderHoursBefore": settingsValues?["reminderHoursBefore"] ?? settings.practice.reminderHoursBefore.map(String.init).joined(separator: ", "),
            "checkpointDays": settingsValues?["checkpointDays"] ?? settings.practice.followThrough.days.map(String.init).joined(separator: ", "),
            "picksPerVoter": settingsValues?["picksPerVoter"] ?? String(settings.practice.ballot.picksPerVoter),
            "focusSize": settingsValues?["focusSize"] ?? String(settings.practice.ballot.focusSize),
            "webhooks": try await store.webhookEndpoints().map { ["id": $0.id.uuidString, "name": $0.name, "url": $0.url, "format": $0.format.label] },
            "webhookFormats": WebhookFormat.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "webhookErrors": ViewValues.errors(webhookErrors),
            "serviceErrors": ViewValues.errors(serviceErrors),
            "users": try await store.users().map { u -> [String: Any] in
                [
                    "id": u.id.uuidString, "displayName": u.displayName, "email": u.email, "handle": u.handle, "role": u.role.rawValue,
                    "teams": memberships.filter { $0.userID == u.id }.map { "\(teamNames[$0.teamSlug] ?? $0.teamSlug)\($0.role == .manager ? " (manager)" : "")" }.joined(separator: ", "),
                ]
            },
            "userErrors": ViewValues.errors(userErrors),
            "sso": try await singleSignOnValues(ssoValues),
            "ssoErrors": ViewValues.errors(ssoErrors),
            "tracker": try await issueTrackerValues(trackerValues),
            "trackerErrors": ViewValues.errors(trackerErrors),
        ])
    }

    private func issueTrackerValues(_ form: FormData?) async throws -> [String: Any] {
        let saved = try await store.issueTracker()
        return [
            "apiURL": form?["trackerAPIURL"] ?? saved.settings.apiURL, "lines": form?["trackerRepositories"] ?? saved.settings.lines,
            "hasToken": saved.token != nil, "hasWebhookSecret": saved.webhookSecret != nil,
            "webhookURL": app.configuration.baseURL + "/hooks/github",
            "jiraURL": form?["jiraURL"] ?? saved.settings.jiraURL, "jiraEmail": form?["jiraEmail"] ?? saved.settings.jiraEmail,
            "jiraIssueType": form?["jiraIssueType"] ?? saved.settings.jiraIssueType,
            "hasJiraToken": saved.jiraToken != nil, "hasJiraWebhookSecret": saved.jiraWebhookSecret != nil,
            "jiraWebhookURL": app.configuration.baseURL + "/hooks/jira",
        ]
    }

    private func singleSignOnValues(_ proposed: SingleSignOnSettings?) async throws -> [String: Any] {
        let current = try await app.singleSignOn()
        let s = proposed ?? current.settings
        return [
            "fromEnvironment": app.configuration.singleSignOn != nil, "redirectURI": SingleSignOnPages(app: app).redirectURI,
            "enabled": s.enabled, "issuer": s.issuer, "clientID": s.clientID, "hasSecret": current.clientSecret != nil,
            "scopes": s.scopes.joined(separator: " "), "emailClaim": s.emailClaim, "adminClaim": s.adminClaim,
            "adminValues": s.adminValues.joined(separator: ", "), "allowedDomains": s.allowedDomains.joined(separator: ", "),
            "createAccounts": s.createAccounts, "trustEmailsWithoutVerifiedClaim": s.trustEmailsWithoutVerifiedClaim,
            "passwordsForEveryone": s.passwordsForEveryone, "breakGlassEmail": s.breakGlassEmail,
        ]
    }
}

/// Settings are for admins; to anyone else the pages do not exist.
struct RequireAdminMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.user?.isAdmin == true else { throw LoreHTTPError.notFound("Page") }
        return try await next(request, context)
    }
}
