import Foundation
import Hummingbird
import LoreCore
import LoreStore
import Mustache

/// The page templates (Mustache, bundled as resources), the stylesheet and the
/// OpenAPI document.
///
/// Mustache escapes every `{{value}}`; the only triple-brace values in the
/// templates are HTML produced by `Markdown.html`, which escapes user text
/// itself.
struct Views: Sendable {
    let library: MustacheLibrary
    let stylesheet: String
    let openAPIDocument: String

    static func load() async throws -> Views {
        guard let base = Bundle.module.resourceURL else { throw LoreHTTPError(.internalServerError, code: "resources", message: "Lore's bundled resources are missing.") }
        let templates = base.appendingPathComponent("Templates")
        let library = try await MustacheLibrary(directory: templates.path)
        let css = try String(contentsOf: base.appendingPathComponent("Public/lore.css"), encoding: .utf8)
        let openAPI = try String(contentsOf: base.appendingPathComponent("Public/openapi.yaml"), encoding: .utf8)
        return Views(library: library, stylesheet: css, openAPIDocument: openAPI)
    }

    /// Renders a page inside the layout.
    func page(
        _ template: String, title: String, context: LoreRequestContext, settings: OrganisationSettings,
        status: HTTPResponse.Status = .ok, values: [String: Any]
    ) -> Response {
        var v = values
        v["pageTitle"] = title
        v["organisationName"] = settings.organisationName
        v["practiceName"] = settings.practiceName
        v["practiceNamePlural"] = settings.practiceNamePlural
        v["practiceNameLower"] = settings.practiceNameLowercased
        if let user = context.user {
            v["currentUser"] = ["displayName": user.displayName, "isAdmin": user.isAdmin, "handle": user.handle, "readsSummariesOnly": user.role == .customerFacing]
        }
        if let csrf = context.session?.csrfToken, v["csrf"] == nil { v["csrf"] = csrf }
        let html = library.render(v, withTemplate: template) ?? "Template \(template) is missing."
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Values for templates, so that every page formats the same things the same way.
enum ViewValues {
    static func time(_ d: Date?, _ zone: TimeZone) -> String { LoreTime.display(d, timeZone: zone) }

    /// User text as HTML (`Markdown.html`), rendered once per text while it
    /// is shown often: an incident page of 500 timeline entries otherwise
    /// renders every one of them on every view.
    static func markdown(_ text: String) -> String { RenderedMarkdown.shared.html(text) }

    static func options(_ all: [String], selected: [String]) -> [[String: Any]] {
        all.map { ["value": $0, "selected": selected.contains($0)] }
    }

    static func errors(_ e: ValidationError?) -> [String: Any] {
        var out: [String: Any] = [:]
        for i in e?.issues ?? [] where out[i.field] == nil { out[i.field] = i.message }
        return out
    }
}

/// `value ?? false` for template values: Mustache treats `false` as "absent",
/// so an optional string becomes either the string or a skipped section.
func ?? <T>(lhs: T?, rhs: Bool) -> Any {
    if let lhs { return lhs }
    return rhs
}

/// Markdown already rendered, by its text. Bounded by size: past
/// `capacity` bytes of text and HTML it starts over, which costs one
/// rendering per text shown again.
final class RenderedMarkdown: @unchecked Sendable {
    static let shared = RenderedMarkdown()
    static let capacity = 48 << 20
    private let lock = NSLock()
    private var rendered: [String: String] = [:]
    private var bytes = 0

    func html(_ text: String) -> String {
        if text.isEmpty { return "" }
        if let known = lock.withLock({ rendered[text] }) { return known }
        let html = Markdown.html(text)
        lock.withLock {
            let size = text.utf8.count + html.utf8.count
            if bytes + size > Self.capacity {
                rendered.removeAll(keepingCapacity: true)
                bytes = 0
            }
            rendered[text] = html
            bytes += size
        }
        return html
    }
}
