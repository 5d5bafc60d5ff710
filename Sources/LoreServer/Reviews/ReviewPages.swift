import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// The pages of a review: starting one at a level of trust, writing it,
/// findings and their promotion, follow-ups and the ballot that ranks them.
struct ReviewPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/incidents/:key/reviews/new") { request, context in
            try await form(context, review: nil, values: nil, errors: nil, parentID: request.uri.queryParameters["parent"].map(String.init))
        }
        group.post("/incidents/:key/reviews") { request, context in
            var form = try await FormData.read(request, context: context)
            let (incident, viewer, user) = try await load(context)
            do {
                try await PeoplePicker.readTyped(&form, [.facilitator, .participants, .observers], store: store)
                let (input, issues) = Self.reviewInput(form, zone: user.zone, creating: true)
                try Validator.throwing(issues)
                let parent = form["parentReviewId"].flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
                let review = try await store.createReview(incidentID: incident.id, input, parentReviewID: parent, by: viewer)
                return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)", type: .normal)
            } catch let e as ValidationError {
                return try await self.form(context, review: nil, values: form, errors: e, parentID: form["parentReviewId"])
            }
        }
        group.get("/incidents/:key/reviews/:id") { _, context in try await show(context) }
        group.get("/incidents/:key/reviews/:id/export") { request, context in
            let (incident, viewer, user) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            return try await ReviewDownload.response(
                review, incident: incident, format: try ReviewDownload.format(request), viewer: viewer, user: user, store: store, by: try context.auditActor())
        }
        group.get("/incidents/:key/reviews/:id/export/redacted") { _, context in
            let (incident, viewer, user) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            let (_, _, plan) = try await RedactedReviewDownload.plan(review, incident: incident, viewer: viewer, user: user, store: store)
            return try await redactionForm(context, incident: incident, review: review, plan: plan, error: nil)
        }
        group.post("/incidents/:key/reviews/:id/export/redacted") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, user) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            let (document, users, plan) = try await RedactedReviewDownload.plan(review, incident: incident, viewer: viewer, user: user, store: store)
            var roles: [String: String] = [:]
            var decisions: [String: String] = [:]
            for (index, person) in plan.people.enumerated() where form["person.\(index)"] == person.name {
                roles[person.name] = form["role.\(index)"]
            }
            for (index, reference) in plan.references.enumerated() where form["reference.\(index)"] == reference {
                decisions[reference] = form["decision.\(index)"]
            }
            guard form["checked"] == "1" else {
                return try await redactionForm(context, incident: incident, review: review, plan: plan, error: "Tick \"I have checked every person and every link\" once you have: nothing leaves without that step.")
            }
            do {
                return try await RedactedReviewDownload.response(
                    document, users: users, format: ReviewExport.Format(rawValue: form["format"] ?? "md") ?? .md, roles: roles, decisions: decisions,
                    store: store, by: try context.auditActor())
            } catch let e as ValidationError {
                return try await redactionForm(context, incident: incident, review: review, plan: plan, error: e.issues.map(\.message).joined(separator: " "))
            }
        }
        group.get("/incidents/:key/reviews/:id/edit") { _, context in
            let (incident, viewer, _) = try await load(context)
            return try await form(context, review: try await review(context, viewer, in: incident), values: nil, errors: nil, parentID: nil)
        }
        group.post("/incidents/:key/reviews/:id") { request, context in
            var form = try await FormData.read(request, context: context)
            let (incident, viewer, user) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            // "Check wording" shows the findings next to the text without saving.
            if form["preview"] == "1" {
                return try await self.form(context, review: review, values: form, errors: nil, parentID: nil, preview: true)
            }
            do {
                try await PeoplePicker.readTyped(&form, [.facilitator, .participants, .observers], store: store)
                let (input, issues) = Self.reviewInput(form, zone: user.zone, creating: false)
                try Validator.throwing(issues)
                try await store.updateReview(id: review.id, input, by: viewer)
                return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)", type: .normal)
            } catch let e as ValidationError {
                return try await self.form(context, review: review, values: form, errors: e, parentID: nil)
            }
        }
        group.post("/incidents/:key/reviews/:id/language/keep") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                try await store.keepAsWritten(reviewID: review.id, section: form["section"] ?? "", ruleID: form["ruleId"] ?? "", matchedText: form["matchedText"] ?? "", note: form["note"], by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#language", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/parent") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                try await store.setParent(reviewID: review.id, parentReviewID: form["parentReviewId"].flatMap { UUID(uuidString: $0) }, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/findings") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                guard let kind = form["kind"].flatMap(FindingKind.init(rawValue:)) else {
                    throw ValidationError(field: "kind", code: "unknown", message: "Choose what kind of finding this is.")
                }
                try await store.addFinding(reviewID: review.id, kind: kind, text: form["text"] ?? "", by: viewer)
            } catch let e as ValidationError {
                return try await show(context, findingValues: form, findingErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#findings", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/findings/:finding/tags") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            guard let fid = UUID(uuidString: try context.parameters.require("finding")) else { throw LoreHTTPError.notFound("Finding") }
            do {
                try await store.setFindingTags(findingID: fid, tags: form.all("tags"), by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#findings", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/findings/:finding/promote") { request, context in
            _ = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            guard let fid = UUID(uuidString: try context.parameters.require("finding")) else { throw LoreHTTPError.notFound("Finding") }
            do {
                try await store.promoteFinding(id: fid, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#findings", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/follow-ups") { request, context in
            var form = try await FormData.read(request, context: context)
            let (incident, viewer, user) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                try await PeoplePicker.readTyped(&form, [.owner], store: store)
                let input = try IncidentPages.followUpInput(form, zone: user.zone)
                try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, input, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, followUpValues: form, followUpErrors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#follow-ups", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/ballot") { request, context in
            _ = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                try await store.openBallot(reviewID: review.id, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#ballot", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/ballot/picks") { request, context in
            let form = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            // One select per position ("pick1", "pick2", …); blanks are skipped.
            let picks = (1...20).compactMap { form["pick\($0)"] }.filter { !$0.isEmpty }
            do {
                let ids = try picks.map { p throws(ValidationError) -> UUID in
                    guard let u = UUID(uuidString: p) else { throw ValidationError(field: "picks", code: "not_a_candidate", message: "That is not one of the candidates.") }
                    return u
                }
                try await store.vote(reviewID: review.id, picks: ids, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.map(\.message).joined(separator: " "), status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#ballot", type: .normal)
        }
        group.post("/incidents/:key/reviews/:id/ballot/close") { request, context in
            _ = try await FormData.read(request, context: context)
            let (incident, viewer, _) = try await load(context)
            let review = try await review(context, viewer, in: incident)
            do {
                try await store.closeBallot(reviewID: review.id, by: viewer)
            } catch let e as ValidationError {
                return try await show(context, notice: e.issues.first?.message, status: .unprocessableContent)
            }
            return Response.redirect(to: "/incidents/\(incident.key)/reviews/\(review.id.uuidString)#ballot", type: .normal)
        }
    }

    func redactionForm(_ context: LoreRequestContext, incident: Incident, review: Review, plan: RedactionPlan, error: String?) async throws -> Response {
        let base = "/incidents/\(incident.key)/reviews/\(review.id.uuidString)"
        return app.views.page("review_redact", title: "Export for publishing · \(incident.key)", context: context, settings: try await store.settings(),
                              status: error == nil ? .ok : .unprocessableContent, values: [
            "key": incident.key, "base": base, "reviewTitle": review.title.isEmpty ? "Review" : review.title, "error": error ?? false,
            "people": plan.people.enumerated().map { ["index": $0.offset, "name": $0.element.name, "role": $0.element.role] },
            "references": plan.references.enumerated().map { i, reference -> [String: Any] in
                ["index": i, "reference": reference, "proposed": ReviewRedaction.proposedReplacement(for: reference)]
            },
        ])
    }

    // MARK: Loading

    func load(_ context: LoreRequestContext) async throws -> (Incident, Viewer, User) {
        let user = try context.requireUser()
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return (incident, try await store.viewer(for: user), user)
    }

    /// The review, if it belongs to this incident and the viewer may see it.
    func review(_ context: LoreRequestContext, _ viewer: Viewer, in incident: Incident) async throws -> Review {
        try await seenReview(context, viewer, in: incident).review
    }

    func seenReview(_ context: LoreRequestContext, _ viewer: Viewer, in incident: Incident) async throws -> SeenReview {
        guard let id = UUID(uuidString: try context.parameters.require("id")),
              let seen = try await store.seenReview(id: id, viewer: viewer), seen.review.incidentID == incident.id else {
            throw LoreHTTPError.notFound("Review")
        }
        return seen
    }

    /// Review fields from a form, and the problems reading them.
    static func reviewInput(_ form: FormData, zone: TimeZone, creating: Bool) -> (ReviewInput, [FieldIssue]) {
        var v = Validator()
        var input = ReviewInput()
        input.title = form["title"]
        if let l = form["level"] {
            if let level = ReviewLevel(rawValue: l) { input.level = level } else { v.add("level", "unknown", "Unknown level \"\(l)\".") }
        }
        // Empty: "the level's default", the form's first choice.
        if let vis = form["visibility"], !vis.isEmpty {
            if let visibility = ReviewVisibility(rawValue: vis) { input.visibility = visibility } else { v.add("visibility", "unknown", "Unknown visibility \"\(vis)\".") }
        }
        if form["teamsPresent"] != nil { input.teams = form.all("teams").filter { !$0.isEmpty } }
        if form["teamsPresent"] != nil || creating { input.withoutManagers = form["withoutManagers"] == "1" }
        if let s = form["status"] {
            if let st = ReviewStatus(rawValue: s) { input.status = st } else { v.add("status", "unknown", "Unknown status \"\(s)\".") }
        }
        if let f = form["facilitatorId"] { input.facilitatorID = .some(f.isEmpty ? nil : UUID(uuidString: f)) }
        if form["participantsPresent"] != nil {
            // Roles: the facilitator, then participants, then observers (who
            // watch and learn but do not vote or edit).
            let observers = Set(form.all("observerIds").compactMap(UUID.init(uuidString:)))
            let facilitator = form["facilitatorId"].flatMap { UUID(uuidString: $0) }
            var people: [ReviewParticipant] = facilitator.map { [ReviewParticipant(userID: $0, role: .facilitator)] } ?? []
            for id in form.all("participantIds").compactMap(UUID.init(uuidString:)) where id != facilitator && !observers.contains(id) {
                people.append(ReviewParticipant(userID: id, role: .participant))
            }
            for id in observers where id != facilitator { people.append(ReviewParticipant(userID: id, role: .observer)) }
            input.participants = people
            input.facilitatorID = nil
        }
        input.meetingAt = form.date("meetingAt", zone: zone, into: &v, label: "Meeting time")
        for s in ReviewSection.allCases { if let t = form[s.rawValue] { input.sections[s] = t } }
        return (input, v.issues)
    }
}

extension Validator {
    /// Throws the issues found while reading a form, if any.
    static func throwing(_ issues: [FieldIssue]) throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}
