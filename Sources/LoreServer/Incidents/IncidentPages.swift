import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// The incident pages: list, create, edit, and the incident page with its
/// timeline, review and follow-ups.
struct IncidentPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/incidents") { request, context in try await list(request, context) }
        group.get("/incidents/new") { _, context in try await form(context, incident: nil, values: nil, errors: nil) }
        group.post("/incidents") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            do {
                let (input, parseIssues) = Self.incidentInput(form, zone: user.zone)
                try await check(parseIssues, input, number: nil)
                let incident = try await store.createIncident(input)
                return Response.redirect(to: "/incidents/\(incident.key)", type: .normal)
            } catch let e as ValidationError {
                return try await self.form(context, incident: nil, values: form, errors: e)
            }
        }
        group.get("/incidents/:key") { _, context in try await show(context) }
        group.get("/incidents/:key/timeline.csv") { _, context in try await TimelineDownload.csv(try await incident(context), store: store, by: try context.auditActor()) }
        group.get("/incidents/:key/timeline.json") { _, context in try await TimelineDownload.json(try await incident(context), store: store, by: try context.auditActor()) }
        group.get("/incidents/:key/edit") { _, context in
            try await form(context, incident: try await incident(context), values: nil, errors: nil)
        }
        group.post("/incidents/:key") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let incident = try await incident(context)
            do {
                let (input, parseIssues) = Self.incidentInput(form, zone: user.zone, existing: incident)
                try await check(parseIssues, input, number: incident.number)
                try await store.updateIncident(number: incident.number, input)
                return Response.redirect(to: "/incidents/\(incident.key)", type: .normal)
            } catch let e as ValidationError {
                return try await self.form(context, incident: incident, values: form, errors: e)
            }
        }
        group.post("/incidents/:key/timeline") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let incident = try await incident(context)
            do {
                var v = Validator()
                let occurred = form.date("occurredAt", zone: user.zone, into: &v, label: "When")
                let kind = form.choice("kind", TimelineKind.self, into: &v, label: "Kind")
                let marker = form.choice("marker", TimelineMarker.self, into: &v, label: "Marker")
                try v.check()
                let input = TimelineEntryInput(
                    occurredAt: occurred ?? nil, kind: kind, text: form["text"], reflection: form["reflection"], marker: marker)
                let entry = try input.entry(incidentID: incident.id, source: .manual, defaultAuthor: user.displayName, authorUserID: user.id, now: Date())
                try await store.addTimelineEntry(entry)
                return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
            } catch let e as ValidationError {
                return try await show(context, entryValues: form, entryErrors: e, status: .unprocessableContent)
            }
        }
        group.post("/incidents/:key/timeline/:id/delete") { request, context in
            _ = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            let viewer = try await store.viewer(for: try context.requireUser())
            try await store.removeTimelineEntry(id: try IncidentAPI.entryID(context), incidentID: incident.id, by: viewer)
            return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
        }
        group.post("/incidents/:key/timeline/:id/restore") { request, context in
            _ = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            let viewer = try await store.viewer(for: try context.requireUser())
            try await store.restoreTimelineEntry(id: try IncidentAPI.entryID(context), incidentID: incident.id, by: viewer)
            return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
        }
        group.post("/incidents/:key/follow-ups") { request, context in
            var form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let incident = try await incident(context)
            do {
                try await PeoplePicker.readTyped(&form, [.owner], store: store)
                let input = try Self.followUpInput(form, zone: user.zone)
                try await store.createFollowUp(incidentID: incident.id, input, by: try await store.viewer(for: user))
                return Response.redirect(to: "/incidents/\(incident.key)#follow-ups", type: .normal)
            } catch let e as ValidationError {
                return try await show(context, followUpValues: form, followUpErrors: e, status: .unprocessableContent)
            }
        }
        group.post("/incidents/:key/earlier-follow-ups") { request, context in
            let form = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            guard let id = form["followUpId"].flatMap(UUID.init(uuidString:)) else { throw LoreHTTPError.notFound("Follow-up") }
            guard let effect = FollowUpLink.Effect(rawValue: form["effect"] ?? "") else {
                throw ValidationError(field: "effect", code: "unknown", message: "Choose whether the follow-up would have prevented or shortened this incident.")
            }
            try await store.linkFollowUp(id, toIncident: incident.key, effect: effect, note: form["note"] ?? "", by: try context.requireUser())
            return Response.redirect(to: "/incidents/\(incident.key)#earlier-follow-ups", type: .normal)
        }
        group.post("/incidents/:key/follow-ups/:id/links") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, followUp) = try await followUp(context)
            do {
                guard let effect = FollowUpLink.Effect(rawValue: form["effect"] ?? "") else {
                    throw ValidationError(field: "incident", code: "effect", message: "Choose whether the follow-up would have prevented or shortened the later incident.")
                }
                try await store.linkFollowUp(followUp.id, toIncident: form["incident"] ?? "", effect: effect, note: form["note"] ?? "", by: try context.requireUser())
            } catch let e as ValidationError {
                return try await followUpForm(context, values: form, errors: e)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/follow-ups/\(followUp.id.uuidString)/edit#later-incidents", type: .normal)
        }
        group.post("/incidents/:key/follow-ups/:id/push") { request, context in
            _ = try await FormData.read(request, context: context)
            let (incident, followUp) = try await followUp(context)
            if let problem = try await store.trackerPushProblem(followUpID: followUp.id) {
                return try await followUpForm(context, values: nil, errors: ValidationError(field: "tracker", code: "cannot_push", message: problem))
            }
            try await store.requestTrackerPush(followUpID: followUp.id)
            return Response.redirect(to: "/incidents/\(incident.key)/follow-ups/\(followUp.id.uuidString)/edit#tracker", type: .normal)
        }
        group.get("/incidents/:key/follow-ups/:id/edit") { _, context in
            try await followUpForm(context, values: nil, errors: nil)
        }
        group.post("/incidents/:key/follow-ups/:id") { request, context in
            var form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let (incident, followUp) = try await followUp(context)
            do {
                try await PeoplePicker.readTyped(&form, [.owner], store: store)
                let input = try Self.followUpInput(form, zone: user.zone)
                try await store.updateFollowUp(id: followUp.id, input, by: try await store.viewer(for: user))
                return Response.redirect(to: "/incidents/\(incident.key)#follow-ups", type: .normal)
            } catch let e as ValidationError {
                return try await followUpForm(context, values: form, errors: e)
            }
        }
    }

    // MARK: Loading

    func incident(_ context: LoreRequestContext) async throws -> Incident {
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return incident
    }

    func followUp(_ context: LoreRequestContext) async throws -> (Incident, FollowUp) {
        let incident = try await incident(context)
        let viewer = try await store.viewer(for: try context.requireUser())
        guard let id = UUID(uuidString: try context.parameters.require("id")),
              let f = try await store.followUp(id: id, viewer: viewer), f.incidentID == incident.id else { throw LoreHTTPError.notFound("Follow-up") }
        return (incident, f)
    }

    // MARK: Form parsing

    /// When the form itself could not be read (a mistyped time), still checks
    /// the rest, so that the person sees every problem in one go.
    func check(_ parseIssues: [FieldIssue], _ input: IncidentInput, number: Int?) async throws {
        guard !parseIssues.isEmpty else { return }
        var issues = parseIssues
        do {
            try await store.checkIncident(input, number: number)
        } catch let e as ValidationError {
            issues += e.issues.filter { issue in !parseIssues.contains { $0.field == issue.field } }
        }
        throw ValidationError(issues)
    }

    /// The incident fields of a form, and the problems reading them.
    /// When editing, a time left as the form showed it (to the minute) keeps
    /// its stored seconds and milliseconds instead of being rounded down.
    static func incidentInput(_ form: FormData, zone: TimeZone, existing: Incident? = nil) -> (IncidentInput, [FieldIssue]) {
        var v = Validator()
        var input = IncidentInput(
            title: form["title"], severity: form["severity"], detectionSource: form["detectionSource"],
            customerImpact: form["customerImpact"])
        if let s = form["status"] {
            if let st = IncidentStatus(rawValue: s) { input.status = st } else { v.add("status", "unknown", "Unknown status \"\(s)\".") }
        }
        input.services = form.all("services").filter { !$0.isEmpty }
        input.teams = form.all("teams").filter { !$0.isEmpty }
        input.labels = form.list("labels")
        func time(_ field: String, _ label: String, _ keyPath: KeyPath<IncidentTimes, Date?>) -> Date?? {
            if let existing, form[field]?.trimmingCharacters(in: .whitespaces) == LoreTime.localInput(existing.times[keyPath: keyPath], timeZone: zone),
               existing.times[keyPath: keyPath] != nil {
                return nil
            }
            return form.date(field, zone: zone, into: &v, label: label)
        }
        input.impactStartedAt = time("impactStartedAt", "Impact started", \.impactStartedAt)
        input.detectedAt = time("detectedAt", "Detected", \.detectedAt)
        input.acknowledgedAt = time("acknowledgedAt", "Acknowledged", \.acknowledgedAt)
        input.mitigatedAt = time("mitigatedAt", "Mitigated", \.mitigatedAt)
        input.resolvedAt = time("resolvedAt", "Resolved", \.resolvedAt)
        if form["externalReferences"] != nil {
            var refs: [ExternalReference] = []
            for (n, line) in form.lines("externalReferences").enumerated() {
                let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
                guard parts.count >= 2 else {
                    v.add("externalReferences", "invalid", "Line \(n + 1) of external references: write \"system id [url]\", for example \"pagerduty Q1W2E3 https://…\".")
                    continue
                }
                refs.append(ExternalReference(system: parts[0], id: parts[1], url: parts.count > 2 ? parts[2] : nil))
            }
            input.externalReferences = refs
        }
        return (input, v.issues)
    }

    static func followUpInput(_ form: FormData, zone: TimeZone) throws(ValidationError) -> FollowUpInput {
        var v = Validator()
        var input = FollowUpInput(title: form["title"], description: form["description"], ownerTeam: form["ownerTeam"])
        if let o = form["ownerUserId"] { input.ownerUserID = .some(o.isEmpty ? nil : UUID(uuidString: o)) }
        if let s = form["service"] { input.service = .some(s) }
        if let t = form["trackerReference"] { input.trackerReference = .some(t) }
        if let d = form["dueDate"] {
            let t = d.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { input.dueDate = .some(nil) }
            else if let date = LoreTime.parseLocal(t + (t.count == 10 ? "T00:00" : ""), timeZone: zone) { input.dueDate = .some(date) }
            else { v.add("dueDate", "invalid_date", "Due date \"\(t)\" is not a date (expected YYYY-MM-DD).") }
        }
        if let s = form["status"] {
            if let st = FollowUpStatus(rawValue: s) { input.status = st } else { v.add("status", "unknown", "Unknown status \"\(s)\".") }
        }
        input.reason = form["reason"]
        input.plan = form["plan"]
        try v.check()
        return input
    }
}
