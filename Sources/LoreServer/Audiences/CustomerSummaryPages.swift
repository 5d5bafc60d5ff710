import Foundation
import Hummingbird
import LoreCore
import LoreImport
import LoreStore

/// The customer-facing summary: written and approved on
/// `/incidents/{key}/summary`, read as a card on `/summaries/{key}` (plain
/// text and Markdown to copy, a printable page) and listed on `/summaries`,
/// which is all a customer-facing account reaches.
struct CustomerSummaryPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/summaries") { _, context in try await list(context) }
        group.get("/summaries/:key") { _, context in try await card(context) }
        group.get("/incidents/:key/summary") { request, context in try await editor(context, saved: request.uri.queryParameters["saved"] != nil) }
        group.post("/incidents/:key/summary") { request, context in
            let form = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            let user = try context.requireUser()
            let input = Self.input(form, followUps: try await store.followUps(incidentID: incident.id, viewer: try await store.viewer(for: user)))
            do {
                _ = try await store.saveCustomerSummary(incidentID: incident.id, input, by: user)
                return Response.redirect(to: "/incidents/\(incident.key)/summary?saved=1", type: .normal)
            } catch let e as ValidationError {
                return try await editor(context, form: form, errors: e)
            }
        }
        group.post("/incidents/:key/summary/approve") { request, context in
            let form = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            let seen = form["seen"].flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
            do {
                _ = try await store.approveCustomerSummary(incidentID: incident.id, by: try context.requireUser(), seen: seen)
            } catch let e as ValidationError {
                return try await editor(context, errors: e)
            } catch StoreError.forbidden(let message) {
                return try await editor(context, errors: ValidationError(field: "approve", code: "forbidden", message: message))
            } catch StoreError.conflict(_, let message) {
                return try await editor(context, errors: ValidationError(field: "approve", code: "changed", message: message))
            }
            return Response.redirect(to: "/incidents/\(incident.key)/summary", type: .normal)
        }
        group.post("/incidents/:key/summary/share") { request, context in
            _ = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            do {
                try await share(incident, by: try context.requireUser())
            } catch StoreError.conflict(_, let message) {
                return try await editor(context, errors: ValidationError(field: "share", code: "conflict", message: message))
            }
            return Response.redirect(to: "/summaries/\(incident.key)", type: .normal)
        }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("summaries") { _, _ in
            JSONResponse.make(try await store.sharedCustomerSummaries().map { CustomerSummaryJSON($0.summary, incident: $0.incident) })
        }
        api.get("summaries/:key") { _, context in
            let (incident, summary) = try await readable(context)
            let zone = try context.requireUser().zone
            return JSONResponse.make(CustomerSummaryJSON(summary, incident: incident, zone: zone))
        }
    }

    // MARK: Reading

    func incident(_ context: LoreRequestContext) async throws -> Incident {
        try await IncidentPages(app: app).incident(context)
    }

    /// A summary as its readers get it: approved or shared; a draft does
    /// not exist for them.
    /// An unknown incident and one without an approved summary answer
    /// alike, so that incident keys cannot be counted from outside.
    func readable(_ context: LoreRequestContext) async throws -> (Incident, CustomerSummary) {
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key), let summary = try await store.customerSummary(incidentID: incident.id), summary.status != .draft else {
            throw LoreHTTPError.notFound("Customer summary")
        }
        return (incident, summary)
    }

    /// Approved and shared summaries, newest first.
    func list(_ context: LoreRequestContext) async throws -> Response {
        let zone = try context.requireUser().zone
        let items = try await store.sharedCustomerSummaries().map { item -> [String: Any] in
            ["key": item.incident.key, "title": item.summary.headline, "status": item.summary.status.label,
             "when": CustomerSummary.impactWindow(item.incident, timeZone: zone) ?? "",
             "approvedBy": item.summary.approvedBy ?? "", "approvedAt": ViewValues.time(item.summary.approvedAt, zone)]
        }
        return app.views.page("summaries", title: "Customer summaries", context: context, settings: try await store.settings(),
                              values: ["summaries": items, "none": items.isEmpty])
    }

    /// The card: what customer-facing teams read, copy and print.
    func card(_ context: LoreRequestContext) async throws -> Response {
        let (incident, summary) = try await readable(context)
        let user = try context.requireUser()
        return app.views.page("summary_card", title: "\(summary.headline): what to tell customers", context: context, settings: try await store.settings(),
                              values: Self.cardValues(summary, incident: incident, zone: user.zone)
                                .merging(["canEdit": user.role != .customerFacing], uniquingKeysWith: { $1 }))
    }

    static func cardValues(_ summary: CustomerSummary, incident: Incident, zone: TimeZone) -> [String: Any] {
        [
            "key": incident.key, "title": summary.headline, "when": CustomerSummary.impactWindow(incident, timeZone: zone) ?? false,
            "status": summary.status.label, "approvedBy": summary.approvedBy ?? false, "approvedAt": ViewValues.time(summary.approvedAt, zone),
            "sharedAt": summary.sharedAt.map { ViewValues.time($0, zone) } ?? false,
            "sections": summary.sections.filter { !$0.text.isEmpty && $0.key != "whatWillChange" }.map { ["heading": $0.heading, "text": $0.text] },
            "changes": summary.whatWillChange.map(\.text), "hasChanges": !summary.whatWillChange.isEmpty,
            "plainText": summary.plainText(incident: incident, timeZone: zone), "markdown": summary.markdown(incident: incident, timeZone: zone),
        ]
    }

    // MARK: Writing

    static func input(_ form: FormData, followUps: [FollowUp]) -> CustomerSummaryInput {
        var input = CustomerSummaryInput(headline: form["headline"] ?? "", whatCustomersSaw: form["whatCustomersSaw"] ?? "", whoWasAffected: form["whoWasAffected"] ?? "",
                                         whatWeDid: form["whatWeDid"] ?? "", whatToTell: form["whatToTell"] ?? "")
        for f in followUps where form["change_\(f.id.uuidString)"] == "1" {
            input.whatWillChange.append(.init(followUpID: f.id, text: form["changeText_\(f.id.uuidString)"] ?? ""))
        }
        return input
    }

    /// The checker for what customers read: the audience rules, the blame
    /// rules that are warnings, and what Lore knows of its organisation.
    func checker() async throws -> AudienceChecker {
        let catalog = AudienceChecker.Catalog(serviceSlugs: try await store.services().map(\.slug), teamNames: try await store.teams().map(\.name),
                                              people: LanguageSupport.names(of: try await store.users()))
        return try AudienceChecker(rules: app.audienceRules, blameRules: app.language.rules, catalog: catalog)
    }

    func editor(_ context: LoreRequestContext, form: FormData? = nil, errors: ValidationError? = nil, saved justSaved: Bool = false) async throws -> Response {
        let user = try context.requireUser()
        let incident = try await incident(context)
        let followUps = try await store.followUps(incidentID: incident.id, viewer: try await store.viewer(for: user))
        let saved = try await store.customerSummary(incidentID: incident.id)
        let input = form.map { Self.input($0, followUps: followUps) }
            ?? saved.map { CustomerSummaryInput(headline: $0.headline, whatCustomersSaw: $0.whatCustomersSaw, whoWasAffected: $0.whoWasAffected, whatWeDid: $0.whatWeDid,
                                                whatWillChange: $0.whatWillChange, whatToTell: $0.whatToTell) }
            ?? CustomerSummaryInput.template(for: incident, followUps: followUps)
        let checker = try await checker()
        func section(_ key: String, _ label: String, _ hint: String, _ text: String) -> [String: Any] {
            ["key": key, "label": label, "hint": hint, "text": text,
             "findings": checker.check(text).map { Self.finding($0) }]
        }
        let picked = Dictionary(input.whatWillChange.compactMap { c in c.followUpID.map { ($0, c.text) } }, uniquingKeysWith: { a, _ in a })
        let changes = followUps.map { f -> [String: Any] in
            let text = picked[f.id] ?? f.title
            return ["id": f.id.uuidString, "title": f.title, "status": f.status.rawValue, "picked": picked[f.id] != nil, "text": text,
                    "findings": picked[f.id] == nil ? [] : checker.check(text).map { Self.finding($0) }]
        }
        let zone = user.zone
        var values: [String: Any] = [
            "key": incident.key, "title": incident.title, "when": CustomerSummary.impactWindow(incident, timeZone: zone) ?? false,
            "headline": input.headline, "headlineFindings": checker.check(input.headline).map { Self.finding($0) },
            "seen": saved.map { String(Int64(($0.updatedAt.timeIntervalSince1970 * 1000).rounded())) } ?? "",
            "errorList": errors?.issues.map(\.message) ?? [], "hasErrors": errors != nil,
            "sections": [
                section("whatCustomersSaw", "What customers saw", "What they saw on their side, in their words: pages, errors, delays.", input.whatCustomersSaw),
                section("whoWasAffected", "Who was affected", "Which customers, plans, regions or features; how many, roughly.", input.whoWasAffected),
                section("whatWeDid", "What we did", "What was done to restore service, without internal names.", input.whatWeDid),
                section("whatToTell", "What to tell a customer who asks", "The few sentences support can send as they are.", input.whatToTell),
            ],
            "changes": changes, "hasFollowUps": !followUps.isEmpty,
            "errors": ViewValues.errors(errors), "saved": justSaved,
            "status": saved?.status.label ?? "Not saved yet", "isDraft": saved?.status == .draft, "isApproved": saved?.status == .approved,
            "isShared": saved?.status == .shared, "approvedBy": saved?.approvedBy ?? false, "approvedAt": ViewValues.time(saved?.approvedAt, zone),
        ]
        if let saved, saved.status != .draft {
            values.merge(Self.cardValues(saved, incident: incident, zone: zone).filter { ["plainText", "markdown"].contains($0.key) }, uniquingKeysWith: { $1 })
            values["hasCard"] = true
        }
        return app.views.page("customer_summary", title: "\(incident.key): customer summary", context: context, settings: try await store.settings(),
                              status: errors == nil ? .ok : .unprocessableContent, values: values)
    }

    static func finding(_ f: LanguageFinding) -> [String: Any] {
        ["ruleId": f.ruleID, "level": f.level.rawValue, "line": f.line, "matchedText": f.matchedText, "message": f.message,
         "suggestion": f.suggestions.first ?? false, "kept": false, "canKeep": false]
    }

    /// Marks the summary shared and sends its card to the outgoing webhooks
    /// (Slack endpoints get the plain text, JSON endpoints the text and the
    /// Markdown).
    func share(_ incident: Incident, by user: User) async throws {
        let before = try await store.customerSummary(incidentID: incident.id)
        let summary = try await store.shareCustomerSummary(incidentID: incident.id, by: user)
        guard before?.status == .approved, let sharedAt = summary.sharedAt else { return }
        let utc = TimeZone(identifier: "UTC")!
        let event = WebhookEvent(
            type: "customer_summary.shared", id: "customer_summary:\(incident.id.uuidString):\(Int64(sharedAt.timeIntervalSince1970 * 1000))", occurredAt: sharedAt,
            text: summary.plainText(incident: incident, timeZone: utc),
            data: ["incidentKey": incident.key, "title": summary.headline, "markdown": summary.markdown(incident: incident, timeZone: utc),
                   "approvedBy": summary.approvedBy ?? ""])
        try await BackgroundWork.enqueueDeliveries(of: event, store: store, now: Date())
    }
}

/// A summary in the API, as its readers get it.
struct CustomerSummaryJSON: Encodable {
    var incidentKey: String
    var title: String
    var status: String
    var impactWindow: String?
    var whatCustomersSaw: String
    var whoWasAffected: String
    var whatWeDid: String
    var whatWillChange: [String]
    var whatToTell: String
    var approvedBy: String?
    var approvedAt: String?
    var sharedAt: String?
    var markdown: String?

    init(_ s: CustomerSummary, incident: Incident, zone: TimeZone? = nil) {
        incidentKey = incident.key
        title = s.headline
        status = s.status.rawValue
        impactWindow = zone.flatMap { CustomerSummary.impactWindow(incident, timeZone: $0) }
        whatCustomersSaw = s.whatCustomersSaw
        whoWasAffected = s.whoWasAffected
        whatWeDid = s.whatWeDid
        whatWillChange = s.whatWillChange.map(\.text)
        whatToTell = s.whatToTell
        approvedBy = s.approvedBy
        approvedAt = s.approvedAt.map(LoreTime.iso)
        sharedAt = s.sharedAt.map(LoreTime.iso)
        markdown = zone.map { s.markdown(incident: incident, timeZone: $0) }
    }
}
