import FluentKit
import Foundation
import LoreCore
import SQLKit

// One interface, one implementation per database (see `CreateSearchIndex`):
// the text match and its rank differ; the visibility rule, the filters and
// the shape of a result are the same SQL on both.

extension LoreStore {
    /// One page of what `request` finds among what `viewer` may see, best
    /// first. A review the viewer may not see is kept out inside the query,
    /// before ranking and limiting, so it never contributes a result, a
    /// snippet or a "more results" hint.
    public func search(_ request: SearchRequest, viewer: Viewer) async throws -> SearchResults {
        let adminsSeeAll = try await settings().practice.adminsSeeAllReviews
        return try await search(request, access: .viewer(viewer, adminsSeeAll: adminsSeeAll))
    }

    /// The same for the operator at the command line, who sees every review.
    public func searchForOperator(_ request: SearchRequest) async throws -> SearchResults {
        try await search(request, access: .everything)
    }

    /// Which reviews a read may draw on: all (the operator at the command
    /// line), or those `ReviewAccess` lets the viewer see.
    enum ReviewScope {
        case everything
        case viewer(Viewer, adminsSeeAll: Bool)
    }

    func search(_ request: SearchRequest, access: ReviewScope) async throws -> SearchResults {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Search needs an SQL database.") }
        let postgres = sql.dialect.name == "postgresql"
        let limit = SearchRequest.pageSize, offset = (request.page - 1) * SearchRequest.pageSize
        let conditions = Self.searchConditions(request.filter) + Self.visibility(access)

        // First the page of matches (ids and rank only), then snippets for
        // those rows alone: a snippet costs far more than a match, and a
        // common word matches thousands of rows.
        struct Match { var rowID: Int64; var kind: String; var docID: UUID; var incidentID: UUID; var reviewID: UUID?; var title: String; var number: Int; var incidentTitle: String }
        var query: SQLQueryString
        if postgres {
            query = "SELECT d.id, d.kind, d.doc_id, d.incident_id, d.review_id, d.title, i.number, i.title AS incident_title FROM search_documents d JOIN incidents i ON i.id = d.incident_id, (SELECT "
                + Self.tsquery(request.query) + " AS query) q WHERE d.document @@ q.query"
            for c in conditions { query += " AND " + c }
            query += " ORDER BY ts_rank_cd(d.document, q.query) DESC, d.id DESC LIMIT \(literal: limit + 1) OFFSET \(literal: offset)"
        } else {
            query = "SELECT d.id, d.kind, d.doc_id, d.incident_id, d.review_id, d.title, i.number, i.title AS incident_title FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid JOIN incidents i ON i.id = d.incident_id WHERE search_fts MATCH \(bind: Self.fts5(request.query))"
            for c in conditions { query += " AND " + c }
            // BM25 with the title worth ten times the body; lower is better.
            query += " ORDER BY bm25(search_fts, 10.0, 1.0), d.id DESC LIMIT \(literal: limit + 1) OFFSET \(literal: offset)"
        }
        var matches: [Match] = []
        for row in try await sql.raw(query).all() {
            matches.append(Match(
                rowID: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
                docID: try row.decode(column: "doc_id", as: UUID.self), incidentID: try row.decode(column: "incident_id", as: UUID.self),
                reviewID: try row.decode(column: "review_id", as: UUID?.self), title: try row.decode(column: "title", as: String.self),
                number: try row.decode(column: "number", as: Int.self), incidentTitle: try row.decode(column: "incident_title", as: String.self)))
        }
        let hasMore = matches.count > limit
        matches = Array(matches.prefix(limit))
        guard !matches.isEmpty else { return SearchResults(hits: [], hasMore: false) }

        let rowIDs = matches.map(\.rowID)
        var snippets: [Int64: String] = [:]
        let open = String(MarkedText.open), close = String(MarkedText.close)
        let snippetQuery: SQLQueryString
        if postgres {
            snippetQuery = "SELECT d.id, ts_headline('simple', d.body, q.query, \(bind: "StartSel=\(open), StopSel=\(close), MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"")) AS snippet FROM search_documents d, (SELECT "
                + Self.tsquery(request.query) + " AS query) q WHERE d.id IN (\(binds: rowIDs))"
        } else {
            snippetQuery = "SELECT rowid AS id, snippet(search_fts, 1, \(bind: open), \(bind: close), '…', 24) AS snippet FROM search_fts WHERE search_fts MATCH \(bind: Self.fts5(request.query)) AND rowid IN (\(binds: rowIDs))"
        }
        for row in try await sql.raw(snippetQuery).all() {
            snippets[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "snippet", as: String?.self)
        }
        let hits = matches.compactMap { m -> SearchHit? in
            guard let kind = SearchKind(rawValue: m.kind) else { return nil }
            return SearchHit(
                kind: kind, id: m.docID, incidentID: m.incidentID, incidentKey: Incident.key(for: m.number), incidentTitle: m.incidentTitle,
                reviewID: m.reviewID, title: m.title, snippet: MarkedText(marked: snippets[m.rowID] ?? ""))
        }
        return SearchResults(hits: hits, hasMore: hasMore)
    }

    /// The query for FTS5: every term a quoted string (so FTS5 reads it as
    /// text, tokenized like the index, never as syntax), `"prefix"*` for a
    /// prefix, `NOT` for each exclusion.
    static func fts5(_ q: SearchQuery) -> String {
        func quoted(_ t: SearchQuery.Term) -> String {
            let body = "\"" + t.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            if case .prefix = t { return body + " *" }
            return body
        }
        var text = "(" + q.include.map(quoted).joined(separator: " AND ") + ")"
        for t in q.exclude { text += " NOT " + quoted(t) }
        return text
    }

    /// The query for PostgreSQL: each word or phrase through
    /// `phraseto_tsquery` (the text is a bound value, parsed like the
    /// indexed text), each prefix as lexemes of letters and digits only,
    /// joined with `&&` and `&& !!`.
    static func tsquery(_ q: SearchQuery) -> SQLQueryString {
        func one(_ t: SearchQuery.Term) -> SQLQueryString {
            switch t {
            case .word(let text), .phrase(let text):
                return "phraseto_tsquery('simple', \(bind: text))"
            case .prefix(let text):
                // Letters and digits only, each quoted: nothing here can be
                // tsquery syntax. "edge-0*" is 'edge' <-> '0':*.
                let parts = text.lowercased().components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }
                let lexemes = parts.enumerated().map { i, p in "'\(p)'" + (i == parts.count - 1 ? ":*" : "") }
                return "to_tsquery('simple', \(bind: lexemes.joined(separator: " <-> ")))"
            }
        }
        var out = q.include.map(one).joined(separator: " && ")
        for t in q.exclude { out += " && !!" + one(t) }
        return "(" + out + ")"
    }

    /// The filters, as conditions on `d` (the document) and `i` (its incident).
    static func searchConditions(_ f: SearchFilter) -> [SQLQueryString] {
        var out: [SQLQueryString] = []
        if let k = f.kind { out.append("d.kind = \(bind: k.rawValue)") }
        if let s = f.severity { out.append("i.severity = \(bind: s)") }
        if let s = f.detectionSource { out.append("i.detection_source = \(bind: s)") }
        if let s = f.service { out.append("EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = d.incident_id AND s.service_slug = \(bind: s))") }
        if let t = f.team { out.append("EXISTS (SELECT 1 FROM incident_teams t WHERE t.incident_id = d.incident_id AND t.team_slug = \(bind: t))") }
        // When the incident happened, by the rule Insights uses.
        if let s = f.since { out.append(Self.incidentHappened + " >= \(bind: s)") }
        if let u = f.until { out.append(Self.incidentHappened + " < \(bind: u)") }
        return out
    }

    static func visibility(_ access: ReviewScope) -> [SQLQueryString] { visibleReview("d.review_id", access) }

    /// `ReviewAccess.canSee` as SQL over a review id column (`d.review_id`
    /// for search documents, `f.review_id` for follow-ups): rows of no
    /// review are open to everyone; the rest only when the viewer may see
    /// their review. `SearchVisibilityTests` checks it against the Swift
    /// rule on every combination of level, teams, roles and status.
    static func visibleReview(_ column: String, _ access: ReviewScope) -> [SQLQueryString] {
        guard case .viewer(let viewer, let adminsSeeAll) = access else { return [] }
        if viewer.isAdmin && adminsSeeAll { return [] }
        let member = viewer.memberships.map(\.teamSlug), manager = viewer.memberships.filter { $0.role == .manager }.map(\.teamSlug)
        func inTeams(_ teams: [String]) -> SQLQueryString {
            teams.isEmpty ? "FALSE" : "EXISTS (SELECT 1 FROM review_teams t WHERE t.review_id = r.id AND t.team_slug IN (\(binds: teams)))"
        }
        let seen: SQLQueryString = "EXISTS (SELECT 1 FROM review_participants p WHERE p.review_id = r.id AND p.user_id = \(bind: viewer.userID))"
            + " OR (NOT (r.without_managers AND r.status <> 'published' AND " + inTeams(manager) + ")"
            + " AND (r.visibility = 'organisation' OR (r.visibility = 'team' AND " + inTeams(member) + ")))"
        return ["(\(unsafeRaw: column) IS NULL OR \(unsafeRaw: column) IN (SELECT r.id FROM reviews r WHERE " + seen + "))"]
    }
}
