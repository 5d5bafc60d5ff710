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

    /// How many of the newest matches (after filters and visibility) a
    /// search ranks. Ranking every match costs as much as the term is common
    /// (a word in 400,000 chat messages); the newest few hundred hold what a
    /// responder looks for, and the page says when older matches exist.
    static let searchRankWindow = 500

    /// How many of the newest matches of the text a search examines for the
    /// filters and visibility: a filter that keeps few of a common word's
    /// matches (a quiet service, a kind) would otherwise read every match.
    static let searchExamined = 5_000

    func search(_ request: SearchRequest, access: ReviewScope, window: Int = searchRankWindow, examined: Int = searchExamined) async throws -> SearchResults {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Search needs an SQL database.") }
        let postgres = sql.dialect.name == "postgresql"
        let limit = SearchRequest.pageSize, offset = (request.page - 1) * SearchRequest.pageSize
        var filter = request.filter
        // SQLite indexes the kind as a column of its own, matched in the index.
        let kind = filter.kind
        if !postgres { filter.kind = nil }
        let conditions = Self.searchConditions(filter) + Self.visibility(access)
        // The incident is joined only when a filter asks about it.
        let incident: SQLQueryString = [filter.severity, filter.detectionSource].contains { $0 != nil } || filter.since != nil || filter.until != nil
            ? (postgres ? " JOIN" : " CROSS JOIN") + " incidents i ON i.id = d.incident_id" : ""

        // First the window: the newest matches of the text (at most
        // `searchExamined`, newest first, read from the index without sorting),
        // of those the newest the viewer may see and the filters keep, with
        // what ranking needs. Then the page of the ranked window gets its
        // incidents and snippets (a snippet costs far more than a match).
        struct Match { var rowID: Int64; var kind: String; var docID: UUID; var incidentID: UUID; var reviewID: UUID?; var title: String; var body: String?; var score: Double }
        let newestMatches: SQLQueryString
        var query: SQLQueryString
        var olderExamined: Bool?
        if postgres {
            newestMatches = "SELECT d.id FROM search_documents d WHERE d.document @@ " + Self.tsquery(request.query) + " ORDER BY d.id DESC"
            query = "SELECT d.id, d.kind, d.doc_id, d.incident_id, d.review_id, d.title, ts_rank_cd(d.document, q.query) AS score FROM ("
                + newestMatches + " LIMIT \(literal: examined)) m JOIN search_documents d ON d.id = m.id" + incident
                + ", (SELECT " + Self.tsquery(request.query) + " AS query) q WHERE TRUE"
        } else {
            // The examined matches as a rowid bound FTS5 takes into its own
            // scan; CROSS JOIN keeps the index outermost, read newest first
            // without sorting, so the scan stops once the window is full.
            let match = Self.fts5(request.query, kind: kind)
            newestMatches = "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH \(bind: match) ORDER BY rowid DESC"
            let bound = try await sql.raw(newestMatches + " LIMIT 1 OFFSET \(literal: examined)").first()?.decode(column: "id", as: Int64.self)
            query = "SELECT d.id, d.kind, d.doc_id, d.incident_id, d.review_id, d.title, d.body FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid" + incident
                + " WHERE search_fts MATCH \(bind: match) AND search_fts.rowid > \(literal: bound ?? 0)"
            olderExamined = bound != nil
        }
        for c in conditions { query += " AND " + c }
        query += postgres ? " ORDER BY d.id DESC" : " ORDER BY search_fts.rowid DESC"
        query += " LIMIT \(literal: window + 1)"
        let rows = try await sql.raw(query).all()
        // Older matches exist when the window filled up, or when more of the
        // text matched than were examined.
        var olderExist = rows.count > window || olderExamined == true
        if olderExamined == nil && !olderExist { olderExist = try await sql.raw(newestMatches + " LIMIT 1 OFFSET \(literal: examined)").first() != nil }
        let ranking = postgres ? nil : try await sqliteRanking(request.query, on: sql)
        var matches: [Match] = []
        for row in rows.prefix(window) {
            let title = try row.decode(column: "title", as: String.self)
            let kind = try row.decode(column: "kind", as: String.self)
            // The kind is one more token of each document in SQLite's index.
            let body = postgres ? nil : try row.decode(column: "body", as: String.self)
            let score = try ranking.map { $0.score(title: title, body: body ?? "", otherTokens: 1) } ?? row.decode(column: "score", as: Double.self)
            matches.append(Match(
                rowID: try row.decode(column: "id", as: Int64.self), kind: kind,
                docID: try row.decode(column: "doc_id", as: UUID.self), incidentID: try row.decode(column: "incident_id", as: UUID.self),
                reviewID: try row.decode(column: "review_id", as: UUID?.self), title: title, body: body, score: score))
        }
        let rankedNewest = olderExist ? matches.count : nil
        // Best first; among equals the newest.
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.rowID > $1.rowID }
        let hasMore = matches.count > offset + limit
        let page = Array(matches.dropFirst(offset).prefix(limit))
        guard !page.isEmpty else { return SearchResults(hits: [], hasMore: false, rankedNewest: rankedNewest) }

        var incidents: [UUID: (number: Int, title: String)] = [:]
        for row in try await sql.raw("SELECT id, number, title FROM incidents WHERE id IN (\(binds: Array(Set(page.map(\.incidentID)))))").all() {
            incidents[try row.decode(column: "id", as: UUID.self)] = (try row.decode(column: "number", as: Int.self), try row.decode(column: "title", as: String.self))
        }
        // Snippets: PostgreSQL's headline of each page row; on SQLite made
        // from the bodies the window read.
        var snippets: [Int64: MarkedText] = [:]
        if postgres {
            let open = String(MarkedText.open), close = String(MarkedText.close)
            let snippetQuery: SQLQueryString = "SELECT d.id, ts_headline('simple', d.body, q.query, \(bind: "StartSel=\(open), StopSel=\(close), MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"")) AS snippet FROM search_documents d, (SELECT "
                + Self.tsquery(request.query) + " AS query) q WHERE d.id IN (\(binds: page.map(\.rowID)))"
            for row in try await sql.raw(snippetQuery).all() {
                snippets[try row.decode(column: "id", as: Int64.self)] = MarkedText(marked: try row.decode(column: "snippet", as: String?.self) ?? "")
            }
        } else if let ranking {
            for m in page { snippets[m.rowID] = ranking.snippet(m.body ?? "") }
        }
        let hits = page.compactMap { m -> SearchHit? in
            guard let kind = SearchKind(rawValue: m.kind), let incident = incidents[m.incidentID] else { return nil }
            return SearchHit(
                kind: kind, id: m.docID, incidentID: m.incidentID, incidentKey: Incident.key(for: incident.number), incidentTitle: incident.title,
                reviewID: m.reviewID, title: m.title, snippet: snippets[m.rowID] ?? MarkedText(parts: []))
        }
        return SearchResults(hits: hits, hasMore: hasMore, rankedNewest: rankedNewest)
    }

    /// BM25 for SQLite from what the index keeps: its document count and
    /// token totals (FTS5's "averages" record) and each term's document
    /// count (the `search_vocab` table, through `TermCounts`).
    func sqliteRanking(_ query: SearchQuery, on sql: any SQLDatabase) async throws -> SearchRanking {
        var statistics = SearchRanking.Statistics(documents: 0, tokens: 0)
        if let block = try await sql.raw("SELECT block FROM search_fts_data WHERE id = 1").first()?.decode(column: "block", as: Data.self) {
            // Varints: the row count, then the tokens of each column (title, body, kind).
            let values = Self.fts5Varints([UInt8](block))
            if values.count >= 2 { statistics = .init(documents: Int(values[0]), tokens: Int(values.dropFirst().reduce(0, +))) }
        }
        let tokens = SearchRanking.countedTokens(query)
        let prefixes = SearchRanking.countedPrefixes(query)
        // Prefix counts are kept under a key no token can be.
        var known = termCounts.fresh(tokens + prefixes.map { $0 + "*" }), counted: [String: Int] = [:]
        let unknown = tokens.filter { known[$0] == nil }
        if !unknown.isEmpty {
            for t in unknown { counted[t] = 0 }
            for row in try await sql.raw("SELECT term, doc FROM search_vocab WHERE term IN (\(binds: unknown))").all() {
                counted[try row.decode(column: "term", as: String.self)] = try row.decode(column: "doc", as: Int.self)
            }
        }
        for last in prefixes where known[last + "*"] == nil {
            // Documents of the words it starts, summed (a document holding two counts twice: an estimate).
            let row = try await sql.raw("SELECT SUM(doc) AS doc FROM search_vocab WHERE term >= \(bind: last) AND term < \(bind: last + "\u{10FFFF}")").first()
            counted[last + "*"] = min(statistics.documents, try row?.decode(column: "doc", as: Int?.self) ?? 0)
        }
        termCounts.remember(counted)
        known.merge(counted) { $1 }
        let documentsWith = known.filter { !$0.key.hasSuffix("*") }
        let documentsWithPrefix = Dictionary(uniqueKeysWithValues: known.filter { $0.key.hasSuffix("*") }.map { (String($0.key.dropLast()), $0.value) })
        return SearchRanking(query: query, statistics: statistics, documentsWith: documentsWith, documentsWithPrefix: documentsWithPrefix)
    }

    /// SQLite's variable-length integers, as FTS5 writes its records.
    static func fts5Varints(_ bytes: [UInt8]) -> [UInt64] {
        var out: [UInt64] = [], i = 0
        while i < bytes.count {
            var value: UInt64 = 0, n = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                n += 1
                if n == 9 {
                    value = (value << 8) | UInt64(b)
                    break
                }
                value = (value << 7) | UInt64(b & 0x7f)
                if b & 0x80 == 0 { break }
            }
            out.append(value)
        }
        return out
    }

    /// The query for FTS5: every term a quoted string (so FTS5 reads it as
    /// text, tokenized like the index, never as syntax), `"prefix"*` for a
    /// prefix, `NOT` for each exclusion.
    /// Only the title and body are searched; the kind column answers the
    /// kind filter.
    static func fts5(_ q: SearchQuery, kind: SearchKind? = nil) -> String {
        func quoted(_ t: SearchQuery.Term) -> String {
            let body = "\"" + t.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            if case .prefix = t { return body + " *" }
            return body
        }
        var text = "(" + q.include.map(quoted).joined(separator: " AND ") + ")"
        for t in q.exclude { text += " NOT " + quoted(t) }
        text = "{title body} : (" + text + ")"
        if let kind { text += " AND kind : kind" + kind.rawValue.replacingOccurrences(of: "_", with: "") }
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
        // Correlated, so only rows of a review pay for the check (an `IN`
        // over every visible review would weigh them all on each search).
        return ["(\(unsafeRaw: column) IS NULL OR EXISTS (SELECT 1 FROM reviews r WHERE r.id = \(unsafeRaw: column) AND (" + seen + ")))"]
    }
}
