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
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(ReviewExport.fileName(document, format: format))\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ReviewExport.render(document, as: format))))
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
