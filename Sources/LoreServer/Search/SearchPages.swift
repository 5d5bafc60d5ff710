import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// Search across incidents, timelines, reviews, findings and follow-ups:
/// `/search` (the box on every page), `GET /api/v1/search` and
/// `lore search` answer the same `SearchRequest` through
/// `LoreStore.search`, which keeps out what the viewer may not see.
struct SearchPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/search") { request, context in try await page(request, context) }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("search") { request, context in
            let viewer = try await store.viewer(for: try context.requireUser())
            let parsed = try SearchRequest.parse(InsightsPages.parameters(request))
            return JSONResponse.make(SearchJSON(parsed, try await store.search(parsed, viewer: viewer), indexing: try await store.searchBacklog()))
        }
    }

    func page(_ request: Request, _ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let settings = try await store.settings()
        let parameters = InsightsPages.parameters(request)
        let catalog = try await CatalogNames.load(store)
        var values: [String: Any] = ["form": Self.form(parameters, settings: settings, catalog: catalog), "q": parameters["q"] ?? ""]
        // An empty box is an invitation, not an error.
        guard !(parameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            values["empty"] = true
            return app.views.page("search", title: "Search", context: context, settings: settings, values: values)
        }
        let parsed: SearchRequest
        do {
            parsed = try SearchRequest.parse(parameters)
        } catch {
            values["hasErrors"] = true
            values["errorList"] = error.issues.map { ["field": $0.field, "message": $0.message] }
            return app.views.page("search", title: "Search", context: context, settings: settings, status: .unprocessableContent, values: values)
        }
        let results = try await store.search(parsed, viewer: try await store.viewer(for: user))
        values["indexing"] = try await store.searchBacklog().map { ["incidentKey": $0.incidentKey, "percent": $0.percent] }
        values["hits"] = results.hits.map(Self.hit)
        values["hasHits"] = !results.hits.isEmpty
        values["none"] = results.hits.isEmpty
        values["query"] = parsed.query.text
        if let newest = results.rankedNewest { values["rankedNewest"] = newest.formatted(.number.grouping(.automatic)) }
        if results.hasMore || parsed.page > 1 {
            var pages: [String: Any] = [:]
            func link(_ page: Int) -> String {
                var p = parameters
                p["page"] = String(page)
                return "/search?" + p.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            }
            if parsed.page > 1 { pages["previous"] = link(parsed.page - 1) }
            if results.hasMore && parsed.page < SearchRequest.maxPage { pages["next"] = link(parsed.page + 1) }
            pages["page"] = parsed.page
            values["pages"] = pages
        }
        return app.views.page("search", title: "Search: \(parsed.query.text)", context: context, settings: settings, values: values)
    }

    /// Where a result leads: the incident, its timeline, the review, its findings or follow-ups.
    static func link(_ h: SearchHit) -> String {
        let incident = "/incidents/\(h.incidentKey)"
        switch (h.kind, h.reviewID) {
        case (.incident, _): return incident
        case (.timeline, _): return incident + "#timeline"
        case (.review, _): return incident + "/reviews/\(h.id.uuidString)"
        case (.finding, let r?): return incident + "/reviews/\(r.uuidString)#findings"
        case (.followUp, let r?): return incident + "/reviews/\(r.uuidString)#follow-ups"
        case (.finding, nil), (.followUp, nil): return incident + "#follow-ups"
        }
    }

    static func hit(_ h: SearchHit) -> [String: Any] {
        [
            "kind": h.kind.label, "kindValue": h.kind.rawValue, "link": link(h), "title": h.title.isEmpty ? h.kind.label : h.title,
            "incidentKey": h.incidentKey, "incidentTitle": h.incidentTitle,
            "snippet": h.snippet.parts.map { ["text": $0.text, "marked": $0.marked] }, "hasSnippet": !h.snippet.isEmpty,
        ]
    }

    /// The filter form's values, with what was asked selected.
    static func form(_ p: [String: String], settings: OrganisationSettings, catalog: CatalogNames) -> [String: Any] {
        func choices(_ all: [(String, String)], _ selected: String?) -> [[String: Any]] {
            all.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (selected ?? "")] }
        }
        return [
            "kind": choices([("", "Everything")] + SearchKind.allCases.map { ($0.rawValue, $0.label + "s") }, p["kind"]),
            "severity": choices([("", "Any")] + settings.severities.map { ($0, $0) }, p["severity"]),
            "source": choices([("", "Any")] + settings.detectionSources.map { ($0, $0) }, p["source"]),
            "service": choices([("", "Any")] + catalog.services.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }, p["service"]),
            "team": choices([("", "Any")] + catalog.teams.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }, p["team"]),
            "since": p["since"] ?? "", "until": p["until"] ?? "",
        ]
    }
}

/// `GET /api/v1/search` and `lore search --json`.
public struct SearchJSON: Encodable {
    public struct Hit: Encodable {
        /// `incident`, `timeline`, `review`, `finding` or `follow_up`.
        public var kind: String
        public var id: String
        public var incidentKey: String
        public var incidentTitle: String
        @Nullable public var reviewId: String?
        public var title: String
        /// The matching passage; `parts` mark the words that matched.
        public var snippet: String
        public var parts: [MarkedText.Part]
        /// The page that shows it.
        public var path: String
    }

    /// An incident whose large import is still being indexed: its entries
    /// are not all findable yet.
    public struct Indexing: Encodable {
        public var incidentKey: String
        public var percent: Int
    }

    public var query: String
    public var page: Int
    public var hits: [Hit]
    public var hasMore: Bool
    /// Only the newest this many matches were ranked (see `SearchResults.rankedNewest`).
    @Nullable public var rankedNewest: Int?
    public var indexing: [Indexing]

    public init(_ request: SearchRequest, _ results: SearchResults, indexing: [SearchIndexing] = []) {
        self.indexing = indexing.map { Indexing(incidentKey: $0.incidentKey, percent: $0.percent) }
        query = request.query.text
        page = request.page
        hasMore = results.hasMore
        rankedNewest = results.rankedNewest
        hits = results.hits.map { h in
            Hit(kind: h.kind.rawValue, id: h.id.uuidString, incidentKey: h.incidentKey, incidentTitle: h.incidentTitle, reviewId: h.reviewID?.uuidString,
                title: h.title, snippet: h.snippet.plain, parts: h.snippet.parts, path: SearchPages.link(h))
        }
    }
}
