import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/api/v1` routes for reviews, findings and ballots. Same store calls, and
/// the same visibility, as the pages: a review the token's owner may not see
/// answers 404.
struct ReviewAPI {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on api: RouterGroup<LoreRequestContext>) {
        api.get("incidents/:key/reviews") { _, context in
            let (incident, viewer) = try await incidentAndViewer(context)
            let settings = try await store.settings()
            return JSONResponse.make(ItemsJSON(try await store.reviews(incidentID: incident.id, viewer: viewer).map { Representation.review($0, incident: incident, settings: settings) }))
        }
        api.post("incidents/:key/reviews") { request, context in
            let (incident, viewer) = try await incidentAndViewer(context)
            let (input, parent) = try await Self.reviewInput(request, context, creating: true)
            let review = try await store.createReview(incidentID: incident.id, input, parentReviewID: parent, by: viewer)
            var response = try await respond(review, viewer: viewer, status: .created)
            response.headers[.location] = "/api/v1/reviews/\(review.id.uuidString)"
            return response
        }
        api.get("reviews/:id") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            return try await respond(review, viewer: viewer)
        }
        api.patch("reviews/:id") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            let (input, _) = try await Self.reviewInput(request, context, creating: false)
            return try await respond(try await store.updateReview(id: review.id, input, by: viewer), viewer: viewer)
        }
        api.put("reviews/:id/parent") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["parentReviewId"])
            let parent = body.uuid("parentReviewId") ?? nil
            try body.check()
            return try await respond(try await store.setParent(reviewID: review.id, parentReviewID: parent, by: viewer), viewer: viewer)
        }
        api.get("reviews/:id/export") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            guard let incident = try await store.incident(id: review.incidentID) else { throw LoreHTTPError.notFound("Review") }
            return try await ReviewDownload.response(
                review, incident: incident, format: try ReviewDownload.format(request), viewer: viewer, user: try context.requireUser(), store: store,
                by: try context.auditActor())
        }
        api.get("reviews/:id/export/redacted") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            guard let incident = try await store.incident(id: review.incidentID) else { throw LoreHTTPError.notFound("Review") }
            let (_, _, plan) = try await RedactedReviewDownload.plan(review, incident: incident, viewer: viewer, user: try context.requireUser(), store: store)
            return JSONResponse.make(RedactionPlanJSON(plan))
        }
        api.post("reviews/:id/export/redacted") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            guard let incident = try await store.incident(id: review.incidentID) else { throw LoreHTTPError.notFound("Review") }
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["format", "roles", "decisions"])
            let format = body.enumValue("format", ReviewExport.Format.self) ?? nil
            let roles = body.stringMap("roles") ?? [:]
            let decisions = body.stringMap("decisions")
            if decisions == nil && !body.issues.issues.contains(where: { $0.field == "decisions" }) {
                body.issues.add("decisions", "required", "\"decisions\" is required: what each link or host of GET …/export/redacted becomes (itself to keep it).")
            }
            try body.check()
            let (document, users, _) = try await RedactedReviewDownload.plan(review, incident: incident, viewer: viewer, user: try context.requireUser(), store: store)
            return try await RedactedReviewDownload.response(
                document, users: users, format: format ?? .md, roles: roles, decisions: decisions ?? [:], store: store, by: try context.auditActor())
        }
        api.get("reviews/:id/findings") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            return JSONResponse.make(ItemsJSON(try await store.findings(reviewID: review.id, viewer: viewer).map(Representation.finding)))
        }
        api.post("reviews/:id/findings") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["kind", "text"])
            let kind = body.enumValue("kind", FindingKind.self) ?? nil
            let text = body.string("text") ?? nil
            if kind == nil && !body.issues.issues.contains(where: { $0.field == "kind" }) {
                body.issues.add("kind", "required", "\"kind\" is required: one of \(FindingKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            try body.check()
            let f = try await store.addFinding(reviewID: review.id, kind: kind!, text: text ?? "", by: viewer)
            return JSONResponse.make(Representation.finding(f), status: .created)
        }
        api.post("findings/:id/promote") { _, context in
            let viewer = try await store.viewer(for: try context.requireUser())
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Finding") }
            return JSONResponse.make(Representation.finding(try await store.promoteFinding(id: id, by: viewer)), status: .created)
        }
        api.get("reviews/:id/ballot") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            guard let b = try await store.ballot(reviewID: review.id, viewer: viewer) else { throw LoreHTTPError.notFound("Ballot") }
            return JSONResponse.make(Representation.ballot(b))
        }
        api.post("reviews/:id/ballot") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            return JSONResponse.make(Representation.ballot(try await store.openBallot(reviewID: review.id, by: viewer)), status: .created)
        }
        api.put("reviews/:id/ballot/picks") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["picks"])
            let picks = body.uuids("picks")
            if picks == nil && !body.issues.issues.contains(where: { $0.field == "picks" }) {
                body.issues.add("picks", "required", "\"picks\" is required: the follow-up ids you rank highest, in order.")
            }
            try body.check()
            return JSONResponse.make(Representation.ballot(try await store.vote(reviewID: review.id, picks: picks ?? [], by: viewer)))
        }
        api.post("reviews/:id/ballot/close") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            return JSONResponse.make(Representation.ballot(try await store.closeBallot(reviewID: review.id, by: viewer)))
        }
    }

    func respond(_ review: Review, viewer: Viewer, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let incident = try await store.incident(id: review.incidentID) else { throw LoreHTTPError.notFound("Incident") }
        let settings = try await store.settings()
        // Read again as this viewer sees it (after a write, as written).
        guard let seen = try await store.seenReview(id: review.id, viewer: viewer) else { throw LoreHTTPError.notFound("Review") }
        let facts = try await ReviewFacts.gather(seen, incident: incident, viewer: viewer, store: store, settings: settings)
        let language = app.language.findings(for: seen.review, marks: facts.marks, checker: try await app.language.checker(store: store))
        return JSONResponse.make(Representation.reviewDetail(facts, settings: settings, language: language, now: Date()), status: status)
    }

    func incidentAndViewer(_ context: LoreRequestContext) async throws -> (Incident, Viewer) {
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return (incident, try await store.viewer(for: try context.requireUser()))
    }

    func reviewAndViewer(_ context: LoreRequestContext) async throws -> (Review, Viewer) {
        let viewer = try await store.viewer(for: try context.requireUser())
        guard let id = UUID(uuidString: try context.parameters.require("id")), let review = try await store.review(id: id, viewer: viewer) else {
            throw LoreHTTPError.notFound("Review")
        }
        return (review, viewer)
    }

    static func reviewInput(_ request: Request, _ context: LoreRequestContext, creating: Bool) async throws -> (ReviewInput, UUID?) {
        var body = try await JSONBody.read(request, context: context)
        var allowed: Set<String> = ["title", "level", "visibility", "teams", "withoutManagers", "status", "facilitatorId", "participantIds", "participants", "meetingAt", "sections"]
        if creating { allowed.insert("parentReviewId") }
        body.allowOnly(allowed)
        var input = ReviewInput()
        input.title = body.string("title") ?? nil
        input.level = body.enumValue("level", ReviewLevel.self) ?? nil
        input.visibility = body.enumValue("visibility", ReviewVisibility.self) ?? nil
        input.teams = body.strings("teams")
        if let w = body.bool("withoutManagers") { input.withoutManagers = w }
        input.status = body.enumValue("status", ReviewStatus.self) ?? nil
        input.facilitatorID = body.uuid("facilitatorId")
        input.participantIDs = body.uuids("participantIds")
        if let raw = body.object["participants"] {
            if let list = raw as? [[String: Any]] {
                var out: [ReviewParticipant] = []
                for p in list {
                    guard let u = (p["userId"] as? String).flatMap(UUID.init(uuidString:)), let r = (p["role"] as? String).flatMap(ParticipantRole.init(rawValue:)) else {
                        body.issues.add("participants", "invalid", "Each participant is {\"userId\": id, \"role\": facilitator|participant|observer}.")
                        break
                    }
                    out.append(ReviewParticipant(userID: u, role: r))
                }
                input.participants = out
            } else {
                body.issues.add("participants", "wrong_type", "\"participants\" must be an array of {\"userId\", \"role\"}.")
            }
        }
        input.meetingAt = body.date("meetingAt")
        if let raw = body.object["sections"] {
            if let dict = raw as? [String: Any] {
                for (k, v) in dict {
                    guard let s = ReviewSection(rawValue: k) else {
                        body.issues.add("sections.\(k)", "unknown_field", "Unknown section \"\(k)\"; sections are \(ReviewSection.allCases.map(\.rawValue).joined(separator: ", ")).")
                        continue
                    }
                    guard let text = v as? String else {
                        body.issues.add("sections.\(k)", "wrong_type", "Section \"\(k)\" must be a string.")
                        continue
                    }
                    input.sections[s] = text
                }
            } else {
                body.issues.add("sections", "wrong_type", "\"sections\" must be an object of section name to Markdown text.")
            }
        }
        let parent = creating ? (body.uuid("parentReviewId") ?? nil) : nil
        try body.check()
        return (input, parent)
    }
}
