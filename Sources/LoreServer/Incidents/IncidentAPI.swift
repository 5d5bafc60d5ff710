import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/api/v1` routes for incidents, their timelines, reviews and follow-ups.
/// They call the same store methods as the pages.
struct IncidentAPI {
    let app: LoreApp
    var store: LoreStore { app.store }

    static let incidentFields: Set<String> = [
        "title", "severity", "status", "services", "teams", "detectionSource", "impactStartedAt", "detectedAt",
        "acknowledgedAt", "mitigatedAt", "resolvedAt", "customerImpact", "labels", "externalReferences",
    ]

    func register(on api: RouterGroup<LoreRequestContext>) {
        api.get("incidents") { request, _ in
            let q = request.uri.queryParameters
            func param(_ n: String) -> String? { q[Substring(n)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            var status: IncidentStatus?
            if let s = q["status"].map(String.init) {
                guard let st = IncidentStatus(rawValue: s) else {
                    throw ValidationError(field: "status", code: "unknown", message: "Unknown status \"\(s)\"; expected open, mitigated or resolved.")
                }
                status = st
            }
            let pageNumber = try Self.int(param("page"), field: "page", in: IncidentFilter.pages) ?? 1
            let perPage = try Self.int(param("perPage"), field: "perPage", in: IncidentFilter.perPageRange) ?? 25
            let page = try await store.incidents(IncidentFilter(status: status, severity: param("severity"), service: param("service"), team: param("team"), page: pageNumber, perPage: perPage))
            let settings = try await store.settings()
            return JSONResponse.make(Representation.page(page.items.map { Representation.incident($0, settings: settings) }, page))
        }
        api.post("incidents") { request, context in
            let input = try await Self.incidentInput(request, context)
            let incident = try await store.createIncident(input)
            var response = JSONResponse.make(Representation.incident(incident, settings: try await store.settings()), status: .created)
            response.headers[.location] = "/api/v1/incidents/\(incident.key)"
            return response
        }
        api.get("incidents/:key") { _, context in
            let incident = try await incident(context)
            return JSONResponse.make(Representation.incident(incident, settings: try await store.settings()))
        }
        api.patch("incidents/:key") { request, context in
            let incident = try await incident(context)
            let input = try await Self.incidentInput(request, context)
            let updated = try await store.updateIncident(number: incident.number, input)
            return JSONResponse.make(Representation.incident(updated, settings: try await store.settings()))
        }
        api.get("incidents/:key/timeline") { _, context in
            let incident = try await incident(context)
            let settings = try await store.settings()
            return JSONResponse.make(ItemsJSON(try await store.timeline(incidentID: incident.id).map { Representation.entry($0, incident: incident, settings: settings) }))
        }
        api.get("incidents/:key/related") { _, context in
            let incident = try await incident(context)
            return JSONResponse.make(ItemsJSON(try await store.relatedIncidents(to: incident).map(Representation.related)))
        }
        api.get("incidents/:key/timeline.csv") { _, context in
            let incident = try await incident(context)
            return try await TimelineDownload.csv(incident, store: store, by: try context.auditActor())
        }
        api.post("incidents/:key/timeline") { request, context in
            let user = try context.requireUser()
            let incident = try await incident(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["occurredAt", "kind", "text", "reflection", "marker", "author", "externalId"])
            let input = TimelineEntryInput(
                occurredAt: body.date("occurredAt") ?? nil, kind: body.enumValue("kind", TimelineKind.self) ?? nil,
                text: body.string("text") ?? nil, reflection: body.string("reflection") ?? nil,
                marker: body.enumValue("marker", TimelineMarker.self) ?? nil, author: body.string("author") ?? nil,
                externalID: body.string("externalId") ?? nil)
            try body.check()
            let entry = try input.entry(incidentID: incident.id, source: .api, defaultAuthor: user.displayName, authorUserID: user.id, now: Date())
            let (stored, created) = try await store.addTimelineEntry(entry)
            return JSONResponse.make(Representation.entry(stored, incident: incident, settings: try await store.settings()), status: created ? .created : .ok)
        }
        api.delete("incidents/:key/timeline/:id") { _, context in
            let incident = try await incident(context)
            let viewer = try await store.viewer(for: try context.requireUser())
            try await store.removeTimelineEntry(id: try Self.entryID(context), incidentID: incident.id, by: viewer)
            return Response(status: .noContent)
        }
        api.get("incidents/:key/timeline/removed") { _, context in
            let incident = try await incident(context)
            let settings = try await store.settings()
            return JSONResponse.make(ItemsJSON(try await store.removedTimeline(incidentID: incident.id).map { Representation.entry($0, incident: incident, settings: settings) }))
        }
        api.post("incidents/:key/timeline/:id/restore") { _, context in
            let incident = try await incident(context)
            let viewer = try await store.viewer(for: try context.requireUser())
            let entry = try await store.restoreTimelineEntry(id: try Self.entryID(context), incidentID: incident.id, by: viewer)
            return JSONResponse.make(Representation.entry(entry, incident: incident, settings: try await store.settings()))
        }
        api.get("incidents/:key/follow-ups") { _, context in
            let incident = try await incident(context)
            let names = try await CatalogNames.load(store)
            let viewer = try await store.viewer(for: try context.requireUser())
            return JSONResponse.make(ItemsJSON(try await store.followUps(incidentID: incident.id, viewer: viewer).map {
                Representation.followUp($0, incidentKey: incident.key, alignment: names.alignment(of: $0, incident: incident))
            }))
        }
        api.post("incidents/:key/follow-ups") { request, context in
            let incident = try await incident(context)
            let (input, reviewID) = try await Self.followUpInput(request, context, allowReview: true)
            let viewer = try await store.viewer(for: try context.requireUser())
            let f = try await store.createFollowUp(incidentID: incident.id, reviewID: reviewID, input, by: viewer)
            let names = try await CatalogNames.load(store)
            var response = JSONResponse.make(Representation.followUp(f, incidentKey: incident.key, alignment: names.alignment(of: f, incident: incident)), status: .created)
            response.headers[.location] = "/api/v1/follow-ups/\(f.id.uuidString)"
            return response
        }
        api.get("follow-ups/:id") { _, context in
            let (f, incident) = try await followUp(context)
            let names = try await CatalogNames.load(store)
            return JSONResponse.make(Representation.followUp(f, incidentKey: incident.key, alignment: names.alignment(of: f, incident: incident)))
        }
        api.patch("follow-ups/:id") { request, context in
            let (f, incident) = try await followUp(context)
            let (input, _) = try await Self.followUpInput(request, context, allowReview: false)
            let viewer = try await store.viewer(for: try context.requireUser())
            let updated = try await store.updateFollowUp(id: f.id, input, by: viewer)
            let names = try await CatalogNames.load(store)
            return JSONResponse.make(Representation.followUp(updated, incidentKey: incident.key, alignment: names.alignment(of: updated, incident: incident)))
        }
        // Pushes the follow-up to its team's GitHub repository: 202 while
        // queued, 200 with the issue once it exists, 409 when the team has none.
        api.post("follow-ups/:id/push") { _, context in
            let (f, _) = try await followUp(context)
            if let issue = try await store.trackerIssue(followUpID: f.id) {
                return JSONResponse.make(TrackerPushJSON(status: "pushed", repository: issue.project.repository, number: issue.number, url: issue.url))
            }
            if let problem = try await store.trackerPushProblem(followUpID: f.id) {
                throw LoreHTTPError(.conflict, code: "cannot_push", message: problem)
            }
            guard let project = try await store.requestTrackerPush(followUpID: f.id) else {
                throw LoreHTTPError(.conflict, code: "cannot_push", message: "Team \(f.ownerTeam) has no GitHub repository; map it in Settings → Issue tracker.")
            }
            return JSONResponse.make(TrackerPushJSON(status: "queued", repository: project.repository, number: nil, url: nil), status: .accepted)
        }
        api.get("follow-ups/:id/history") { _, context in
            let (f, _) = try await followUp(context)
            return JSONResponse.make(ItemsJSON(try await store.history(followUpID: f.id).map(Representation.change)))
        }
    }

    static func entryID(_ context: LoreRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Timeline entry") }
        return id
    }

    func incident(_ context: LoreRequestContext) async throws -> Incident {
        let key = try context.parameters.require("key")
        guard let i = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return i
    }

    func followUp(_ context: LoreRequestContext) async throws -> (FollowUp, Incident) {
        let viewer = try await store.viewer(for: try context.requireUser())
        guard let id = UUID(uuidString: try context.parameters.require("id")), let f = try await store.followUp(id: id, viewer: viewer),
              let incident = try await store.incident(id: f.incidentID) else { throw LoreHTTPError.notFound("Follow-up") }
        return (f, incident)
    }

    /// A whole-number query parameter within its documented bounds.
    static func int(_ s: String?, field: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let s else { return nil }
        guard let n = Int(s), range.contains(n) else {
            throw ValidationError(field: field, code: "out_of_range", message: "\"\(field)\" must be a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(s)\".")
        }
        return n
    }

    static func incidentInput(_ request: Request, _ context: LoreRequestContext) async throws -> IncidentInput {
        var body = try await JSONBody.read(request, context: context)
        body.allowOnly(incidentFields)
        var input = IncidentInput()
        input.title = body.string("title") ?? nil
        if body.has("title"), input.title == nil { input.title = "" }
        input.severity = body.string("severity") ?? nil
        input.status = body.enumValue("status", IncidentStatus.self) ?? nil
        input.services = body.strings("services")
        input.teams = body.strings("teams")
        input.detectionSource = body.string("detectionSource") ?? nil
        input.impactStartedAt = body.date("impactStartedAt")
        input.detectedAt = body.date("detectedAt")
        input.acknowledgedAt = body.date("acknowledgedAt")
        input.mitigatedAt = body.date("mitigatedAt")
        input.resolvedAt = body.date("resolvedAt")
        input.customerImpact = body.string("customerImpact") ?? nil
        input.labels = body.strings("labels")
        if let raw = body.object["externalReferences"] {
            if let list = raw as? [[String: Any]] {
                input.externalReferences = list.map { ExternalReference(system: $0["system"] as? String ?? "", id: $0["id"] as? String ?? "", url: $0["url"] as? String) }
            } else if !(raw is NSNull) {
                body.issues.add("externalReferences", "wrong_type", "\"externalReferences\" must be an array of {\"system\", \"id\", \"url\"} objects.")
            } else {
                input.externalReferences = []
            }
        }
        try body.check()
        return input
    }

    static func followUpInput(_ request: Request, _ context: LoreRequestContext, allowReview: Bool) async throws -> (FollowUpInput, UUID?) {
        var body = try await JSONBody.read(request, context: context)
        let fields: Set<String> = ["title", "description", "ownerTeam", "ownerUserId", "service", "dueDate", "trackerReference", "status", "reason", "plan"]
        body.allowOnly(allowReview ? fields.union(["reviewId"]) : fields)
        var input = FollowUpInput()
        input.title = body.string("title") ?? nil
        if body.has("title"), input.title == nil { input.title = "" }
        input.description = body.string("description") ?? nil
        input.ownerTeam = body.string("ownerTeam") ?? nil
        if body.has("ownerTeam"), input.ownerTeam == nil { input.ownerTeam = "" }
        input.ownerUserID = body.uuid("ownerUserId")
        input.service = body.string("service")
        input.dueDate = body.date("dueDate")
        input.trackerReference = body.string("trackerReference")
        input.status = body.enumValue("status", FollowUpStatus.self) ?? nil
        input.reason = body.string("reason") ?? nil
        input.plan = body.string("plan") ?? nil
        let reviewID = body.uuid("reviewId") ?? nil
        try body.check()
        return (input, reviewID)
    }
}

/// Timeline downloads, shared by the page and the API.
enum TimelineDownload {
    static func csv(_ incident: Incident, store: LoreStore, by actor: AuditActor) async throws -> Response {
        try await store.recordAudit(actor.event(.timelineExported, subjectType: "incident", subjectID: incident.key, detail: "CSV"))
        let settings = try await store.settings()
        let body = TimelineCSV.render(try await store.timeline(incidentID: incident.id), resolvedAt: incident.times.resolvedAt, reviewWindow: settings.reviewWindow)
        return .attachment(body, contentType: "text/csv; charset=utf-8", fileName: "\(incident.key)-timeline.csv")
    }

    static func json(_ incident: Incident, store: LoreStore, by actor: AuditActor) async throws -> Response {
        try await store.recordAudit(actor.event(.timelineExported, subjectType: "incident", subjectID: incident.key, detail: "JSON"))
        let settings = try await store.settings()
        var response = JSONResponse.make(TimelineExportJSON(incident: incident, entries: try await store.timeline(incidentID: incident.id), settings: settings))
        response.headers[.contentDisposition] = "attachment; filename=\"\(incident.key)-timeline.json\""
        return response
    }
}
