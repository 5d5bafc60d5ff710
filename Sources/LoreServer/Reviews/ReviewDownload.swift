import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// Review exports (Markdown or a self-contained HTML page), shared by the
/// review page and the API. The review is one the viewer may see; what it
/// holds is gathered with the same visibility (`LoreStore.reviewDocument`).
enum ReviewDownload {
    static func response(
        _ review: Review, incident: Incident, format: ReviewExport.Format, viewer: Viewer, user: User, store: LoreStore, by actor: AuditActor
    ) async throws -> Response {
        let document = try await store.reviewDocument(review, incident: incident, viewer: viewer, timeZone: user.zone, now: Date())
        try await store.recordAudit(actor.event(.reviewExported, subjectType: "review", subjectID: review.id.uuidString, detail: format.rawValue.uppercased()))
        return file(document, format: format, name: ReviewExport.fileName(document, format: format))
    }

    /// The document as a download.
    static func file(_ document: ReviewDocument, format: ReviewExport.Format, name: String) -> Response {
        .attachment(ReviewExport.render(document, as: format), contentType: format.contentType, fileName: name)
    }

    /// `?format=md` (the default) or `?format=html`.
    static func format(_ request: Request) throws -> ReviewExport.Format {
        guard let raw = request.uri.queryParameters["format"].map(String.init) else { return .md }
        guard let format = ReviewExport.Format(rawValue: raw.lowercased()) else {
            throw LoreHTTPError.badRequest("format must be md or html, not \"\(raw)\"", field: "format")
        }
        return format
    }
}

/// The redacted export: the plan (who becomes which role, which links and
/// hosts need a decision) and the file, once every reference is decided.
enum RedactedReviewDownload {
    static func plan(_ review: Review, incident: Incident, viewer: Viewer, user: User, store: LoreStore) async throws -> (ReviewDocument, [User], RedactionPlan) {
        let document = try await store.reviewDocument(review, incident: incident, viewer: viewer, timeZone: user.zone, now: Date())
        let users = try await store.users()
        return (document, users, ReviewRedaction.plan(document, users: users))
    }

    /// The file, or a 422 naming every reference still undecided.
    static func response(
        _ document: ReviewDocument, users: [User], format: ReviewExport.Format, roles: [String: String], decisions: [String: String],
        store: LoreStore, by actor: AuditActor
    ) async throws -> Response {
        let redacted: ReviewDocument
        do {
            redacted = try ReviewRedaction.apply(document, users: users, roleNames: roles, decisions: decisions)
        } catch {
            throw ValidationError([FieldIssue(
                field: "decisions", code: "undecided",
                message: "Decide what each internal link or host becomes before the review leaves (keep it, or replace it): \(error.references.joined(separator: ", "))")])
        }
        try await store.recordAudit(actor.event(.reviewExported, subjectType: "review", subjectID: document.review.id.uuidString, detail: "\(format.rawValue.uppercased()), redacted"))
        let name = ReviewExport.fileName(redacted, format: format).replacingOccurrences(of: "-review-", with: "-public-review-")
        return ReviewDownload.file(redacted, format: format, name: name)
    }
}

/// `GET /api/v1/reviews/{id}/export/redacted`: what the author must decide.
struct RedactionPlanJSON: Encodable {
    struct Person: Encodable {
        var name: String
        var role: String
    }
    var people: [Person]
    var references: [String]

    init(_ plan: RedactionPlan) {
        people = plan.people.map { Person(name: $0.name, role: $0.role) }
        references = plan.references
    }
}
