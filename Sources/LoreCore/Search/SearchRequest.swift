import Foundation

/// The filters a search combines with its text; each narrows the results,
/// and they combine with each other.
public struct SearchFilter: Equatable, Sendable {
    public var kind: SearchKind?
    public var service: String?
    public var team: String?
    public var severity: String?
    public var detectionSource: String?
    /// When the incident happened (impact started, else detected, else recorded).
    public var since: Date?
    public var until: Date?

    public init(kind: SearchKind? = nil, service: String? = nil, team: String? = nil, severity: String? = nil,
                detectionSource: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.kind = kind
        self.service = service
        self.team = team
        self.severity = severity
        self.detectionSource = detectionSource
        self.since = since
        self.until = until
    }

    /// Whether a filter asks about the incident (anything but the kind).
    public var narrowsIncidents: Bool {
        service != nil || team != nil || severity != nil || detectionSource != nil || since != nil || until != nil
    }
}

/// A search as the page, the API and `lore search` read it from parameters:
/// `q`, `kind`, `service`, `team`, `severity`, `source`, `since`, `until`,
/// `page`.
public struct SearchRequest: Equatable, Sendable {
    public var query: SearchQuery
    public var filter: SearchFilter
    /// From 1.
    public var page: Int
    public static let pageSize = 20
    public static let maxPage = 50

    public static let parameterNames: Set<String> = ["q", "kind", "service", "team", "severity", "source", "since", "until", "page"]

    public init(query: SearchQuery, filter: SearchFilter = SearchFilter(), page: Int = 1) {
        self.query = query
        self.filter = filter
        self.page = page
    }

    /// Reads `parameters`; every problem at once, each naming its parameter.
    /// Empty values count as absent (a form's blank field).
    public static func parse(_ parameters: [String: String]) throws(ValidationError) -> SearchRequest {
        var v = Validator()
        func value(_ name: String) -> String? {
            guard let raw = parameters[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        for name in parameters.keys.sorted() where !parameterNames.contains(name) {
            v.add(name, "unknown", "Search takes no parameter \"\(name)\"; it takes \(parameterNames.sorted().joined(separator: ", ")).")
        }
        var query: SearchQuery?
        do throws(ValidationError) {
            query = try SearchQuery.parse(parameters["q"] ?? "")
        } catch {
            for issue in error.issues { v.add(issue.field, issue.code, issue.message) }
        }
        var filter = SearchFilter(service: value("service"), team: value("team"), severity: value("severity"), detectionSource: value("source"))
        if let k = value("kind") {
            if let kind = SearchKind(rawValue: k) { filter.kind = kind } else {
                v.add("kind", "unknown_kind", "The kind is \(SearchKind.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(k)\".")
            }
        }
        for (name, endOfDay) in [("since", false), ("until", true)] {
            guard let text = value(name) else { continue }
            guard let date = InsightsRequest.readTime(text, endOfDay: endOfDay) else {
                v.add(name, "invalid_time", "\"\(text)\" is not a date (2026-01-01) or an RFC 3339 time (2026-01-01T00:00:00Z).")
                continue
            }
            if name == "since" { filter.since = date } else { filter.until = date }
        }
        if let s = filter.since, let u = filter.until, s >= u {
            v.add("since", "after_until", "\"since\" must be before \"until\".")
        }
        var page = 1
        if let p = value("page") {
            if let n = Int(p), (1...maxPage).contains(n) { page = n } else {
                v.add("page", "out_of_range", "\"page\" is a whole number from 1 to \(maxPage), not \"\(p)\"; narrow the search instead of paging further.")
            }
        }
        try v.check()
        return SearchRequest(query: query!, filter: filter, page: page)
    }
}

/// A piece of text with the words that matched marked.
public struct MarkedText: Equatable, Sendable, Codable {
    public struct Part: Equatable, Sendable, Codable {
        public var text: String
        public var marked: Bool

        public init(text: String, marked: Bool) {
            self.text = text
            self.marked = marked
        }
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// The databases mark matches with these two private-use characters:
    /// data, not markup, so the text is escaped as a whole afterwards and a
    /// `<script>` in an entry stays text.
    public static let open: Character = "\u{E000}", close: Character = "\u{E001}"

    public init(marked text: String) {
        var parts: [Part] = []
        var current = "", marked = false
        for c in text {
            if c == Self.open || c == Self.close {
                if !current.isEmpty { parts.append(Part(text: current, marked: marked)) }
                current = ""
                marked = c == Self.open
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { parts.append(Part(text: current, marked: marked)) }
        self.parts = parts
    }

    public var plain: String { parts.map(\.text).joined() }
    public var isEmpty: Bool { parts.allSatisfy { $0.text.isEmpty } }
}

/// One thing a search found, with its incident.
public struct SearchHit: Equatable, Sendable {
    public var kind: SearchKind
    /// The incident, timeline entry, review, finding or follow-up.
    public var id: UUID
    public var incidentID: UUID
    public var incidentKey: String
    public var incidentTitle: String
    /// For a review, finding or follow-up of a review: that review.
    public var reviewID: UUID?
    /// The incident's, review's or follow-up's title; empty for entries and findings.
    public var title: String
    public var snippet: MarkedText

    public init(kind: SearchKind, id: UUID, incidentID: UUID, incidentKey: String, incidentTitle: String, reviewID: UUID?, title: String, snippet: MarkedText) {
        self.kind = kind
        self.id = id
        self.incidentID = incidentID
        self.incidentKey = incidentKey
        self.incidentTitle = incidentTitle
        self.reviewID = reviewID
        self.title = title
        self.snippet = snippet
    }
}

/// A page of results, best first.
public struct SearchResults: Equatable, Sendable {
    public var hits: [SearchHit]
    /// Another page exists (among what the viewer may see).
    public var hasMore: Bool
    /// Set when more documents matched than Lore ranks: only this many of the
    /// newest matches (those the filters kept and the viewer may see) were
    /// ranked, and older ones are reached by narrowing the search (another
    /// word, a phrase, a date range). Ranking every match of a common word
    /// would cost as much as the history is long.
    public var rankedNewest: Int?

    public init(hits: [SearchHit], hasMore: Bool, rankedNewest: Int? = nil) {
        self.hits = hits
        self.hasMore = hasMore
        self.rankedNewest = rankedNewest
    }
}

/// An incident whose imported timeline is still being indexed for search
/// (a large import indexes behind itself): its entries become searchable as
/// `percent` grows.
public struct SearchIndexing: Sendable, Equatable {
    public var incidentKey: String
    public var percent: Int

    public init(incidentKey: String, percent: Int) {
        self.incidentKey = incidentKey
        self.percent = percent
    }
}
