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
    /// The one script pages load: a table pasted into a Markdown field becomes Markdown.
    let pasteTablesScript: String
    let openAPIDocument: String

    static func load() async throws -> Views {
        guard let base = Bundle.module.resourceURL else { throw LoreHTTPError(.internalServerError, code: "resources", message: "Lore's bundled resources are missing.") }
        let templates = base.appendingPathComponent("Templates")
        let library = try await MustacheLibrary(directory: templates.path)
        let css = try String(contentsOf: base.appendingPathComponent("Public/lore.css"), encoding: .utf8)
        let script = try String(contentsOf: base.appendingPathComponent("Public/paste-tables.js"), encoding: .utf8)
        let openAPI = try String(contentsOf: base.appendingPathComponent("Public/openapi.yaml"), encoding: .utf8)
        return Views(library: library, stylesheet: css, pasteTablesScript: script, openAPIDocument: openAPI)
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

/// Markdown already rendered, by its text (`BoundedCache`: past
/// `capacity` bytes of text and HTML it starts over, which costs one
/// rendering per text shown again).
final class RenderedMarkdown: Sendable {
    static let shared = RenderedMarkdown()
    static let capacity = 48 << 20
    private let rendered = BoundedCache<String, String>(capacity: capacity)

    func html(_ text: String) -> String {
        if text.isEmpty { return "" }
        if let known = rendered.value(text) { return known }
        let html = Markdown.html(text)
        rendered.keep(html, for: text, bytes: text.utf8.count + html.utf8.count)
        return html
    }
}

/// Timelines already written as HTML, by incident and time zone, each
/// kept while the timeline's revision (`TimelineSnapshot`) and what marks
/// an entry "recalled later" (resolution, the review window) stand. Shared
/// by every viewer: what differs between them, the Remove buttons, is
/// added per view. A 500-entry incident page otherwise formats 500 times
/// and escapes 300 KB on every view, while a review meeting opens the
/// same page again and again. Bounded like `RenderedMarkdown` (`BoundedCache`).
final class RenderedTimelines: Sendable {
    static let shared = RenderedTimelines()
    static let capacity = 48 << 20
    /// Longer timelines are written anew on each view (a 20,000-entry
    /// timeline is about 12 MB of HTML, a quarter of `capacity`).
    static let keptEntries = 20_000

    private struct Key: Hashable {
        let incidentID: UUID
        let zone: String
    }

    private struct Rendered {
        let revision: Int64
        let resolvedAt: Date?
        let reviewWindow: TimeInterval
        /// Each entry's HTML up to its Remove button (`IncidentPages.timelineEntryHTML`),
        /// and the entry's id, so that a button never lands under another entry.
        let entries: [String]
        let ids: [UUID]
        let bytes: Int
    }

    private let kept = BoundedCache<Key, Rendered>(capacity: capacity)

    /// The timeline's entries as HTML: each with a Remove button when
    /// `mayRemove` allows it (one form below the list carries the token,
    /// and each button posts it to its entry's address: a form per entry
    /// was a fifth of a long timeline's bytes).
    func html(
        _ snapshot: TimelineSnapshot, incident: Incident, zone: TimeZone, reviewWindow: TimeInterval, mayRemove: (TimelineEntry) -> Bool
    ) -> String {
        let resolvedAt = incident.times.resolvedAt
        let incidentKey = Markdown.escape(incident.key)
        func button(_ entry: TimelineEntry) -> String {
            "    <button form=\"remove-entry\" formaction=\"/incidents/\(incidentKey)/timeline/\(entry.id.uuidString)/delete\" class=\"link small\">Remove</button>\n"
        }
        // A timeline that may not be kept (read while it changed, or too
        // large: an imported channel of a million messages) is written
        // straight out, without a copy per entry.
        guard snapshot.isExact, snapshot.entries.count <= Self.keptEntries else {
            var out = ""
            out.reserveCapacity(min(snapshot.entries.count, 100_000) * 900)
            for entry in snapshot.entries {
                out += IncidentPages.timelineEntryHTML(entry, resolvedAt: resolvedAt, zone: zone, reviewWindow: reviewWindow)
                if mayRemove(entry) { out += button(entry) }
                out += "  </div>\n</li>\n"
            }
            return out
        }
        let key = Key(incidentID: snapshot.incidentID, zone: zone.identifier)
        var rendered = kept.value(key)
        if let r = rendered, r.revision != snapshot.revision || r.resolvedAt != resolvedAt || r.reviewWindow != reviewWindow || !r.ids.elementsEqual(snapshot.entries.lazy.map(\.id)) {
            rendered = nil
        }
        if rendered == nil {
            let entries = snapshot.entries.map { IncidentPages.timelineEntryHTML($0, resolvedAt: resolvedAt, zone: zone, reviewWindow: reviewWindow) }
            let made = Rendered(revision: snapshot.revision, resolvedAt: resolvedAt, reviewWindow: reviewWindow, entries: entries,
                                ids: snapshot.entries.map(\.id), bytes: entries.reduce(0) { $0 + $1.utf8.count })
            rendered = made
            kept.keep(made, for: key, bytes: made.bytes, revision: made.revision)
        }
        guard let rendered else { return "" }
        var out = ""
        out.reserveCapacity(rendered.bytes + snapshot.entries.count * 160)
        for (entry, html) in zip(snapshot.entries, rendered.entries) {
            out += html
            if mayRemove(entry) { out += button(entry) }
            out += "  </div>\n</li>\n"
        }
        return out
    }
}
