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

    /// How many of the newest matches of the text a search examines for a
    /// filter on the incident: one that keeps few of a common word's matches
    /// (a quiet service) would otherwise read every match.
    static let searchExamined = 2_000

    /// How many of the newest documents PostgreSQL reads by key before it
    /// turns to the text index (see `search`): at most about 10 ms of
    /// reading, and enough to fill the window for any text in 2.5 % of
    /// documents.
    static let postgresKeyScan: Int64 = 20_000

    /// The share of the newest documents a text must match for PostgreSQL
    /// to look for more of its matches by key rather than through the text
    /// index: reading by key costs about 0.2 µs a document, the text index
    /// about 4 µs a match plus each word's whole list.
    static let postgresDenseText = 0.01

    func search(_ request: SearchRequest, access: ReviewScope, window: Int = searchRankWindow, examined: Int = searchExamined,
                keyScan: Int64 = postgresKeyScan) async throws -> SearchResults {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Search needs an SQL database.") }
        let postgres = isPostgres
        // Asked of PostgreSQL, "queue -queue" would read every document
        // holding the word to find nothing.
        if request.query.findsNothing { return SearchResults(hits: [], hasMore: false, rankedNewest: nil) }
        let limit = SearchRequest.pageSize, offset = (request.page - 1) * SearchRequest.pageSize
        var filter = request.filter
        // SQLite indexes the kind as a column of its own, matched in the index.
        let kind = filter.kind
        if !postgres { filter.kind = nil }
        let visible = Self.visibility(access)
        let conditions = Self.searchConditions(filter, sqlite: !postgres) + visible
        // Only a filter on the incident (on PostgreSQL also the kind, checked
        // row by row) can keep few of a common word's matches; without one,
        // the window fills from the newest matches and the scan stops there.
        let narrowed = filter.narrowsIncidents || filter.kind != nil

        // First the window: the newest matches of the text (with a filter on
        // the incident, at most `examined` of them, newest first, read from
        // the index without sorting), of those the newest the viewer may see
        // and the filters keep, with what ranking needs. Then the page of the
        // ranked window gets its ids, incidents and snippets.
        struct Match { var rowID: Int64; var title: String; var body: String?; var score: Double }
        var olderExamined = false
        var expansions: [String: [String]] = [:]
        var rows: [any SQLRow]
        if postgres {
            // GIN gives matches in no order, so the newest of a common word
            // means fetching all of its documents; read backwards by key, the
            // newest documents give them at once, but a rare word would be
            // looked for in every document. So: the newest `postgresKeyScan`
            // documents by key (`IS TRUE` keeps the planner from the text
            // index), then, if the window is not full, the older ones through
            // the text index, where what is left to find is rarer.
            let text = Self.tsquery(request.query)
            let newest = try await sql.raw("SELECT max(id) AS id FROM search_documents").first()?.decode(column: "id", as: Int64?.self) ?? 0
            let floor = newest - keyScan
            func newestMatches(byKey: Bool, above: Int64, upTo: Int64?) -> SQLQueryString {
                var q: SQLQueryString = "FROM search_documents d, (SELECT " + text + " AS query) q WHERE "
                    + (byKey ? "(d.document @@ q.query) IS TRUE" : "d.document @@ q.query") + " AND d.id > \(literal: above)"
                if let upTo { q += " AND d.id <= \(literal: upTo)" }
                return q
            }
            func matchIDs(byKey: Bool, above: Int64, upTo: Int64?, limit: Int) async throws -> [Int64] {
                var q: SQLQueryString = "SELECT d.id " + newestMatches(byKey: byKey, above: above, upTo: upTo)
                for c in visible { q += " AND " + c }
                return try await sql.raw(q + " ORDER BY d.id DESC LIMIT \(literal: limit)").all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            func ranked(_ scope: SQLQueryString, limit: Int) async throws -> [any SQLRow] {
                var q: SQLQueryString = "SELECT d.id, d.title, ts_rank_cd(d.document, q.query) AS score " + scope
                for c in conditions { q += " AND " + c }
                return try await sql.raw(q + " ORDER BY d.id DESC LIMIT \(literal: limit)").all()
            }
            // Older documents through the text index, in ranges going back
            // (each four times the last), until `limit` are found: GIN hands
            // back a text's matches in no order, so one query over all of them
            // rechecked every match in the table (57,000 for a common phrase,
            // 90 ms) to keep the newest thousand; a range lets the planner
            // intersect the text index with the key's, or walk the key when
            // the text is common, and the first range usually suffices.
            func older<Row>(than start: Int64 = floor, limit: Int, _ fetch: (_ above: Int64, _ upTo: Int64, _ limit: Int) async throws -> [Row]) async throws -> [Row] {
                var found: [Row] = [], upper = start, span = max(keyScan, 1) * 5
                while found.count < limit && upper > 0 {
                    let lower = max(0, upper - span)
                    found += try await fetch(lower, upper, limit - found.count)
                    upper = lower
                    span *= 4
                }
                return found
            }
            if narrowed {
                // The newest `examined` matches the viewer may see (so a hidden
                // review never makes "older matches exist" true) are read once,
                // as ids: by key among the newest documents, then through the
                // text index for older ones. The window then reads those by key
                // and checks the filters on them; going through the text index
                // a second time for the window cost as much as the first.
                var examinedIDs = try await matchIDs(byKey: true, above: max(floor, 0), upTo: nil, limit: examined + 1)
                var keyRead = floor
                if examinedIDs.count <= examined, floor > 0, keyScan > 0, !examinedIDs.isEmpty, Double(examinedIDs.count) >= Double(keyScan) * Self.postgresDenseText {
                    // Common text (two chat words, a phrase in every tenth
                    // message): its newest matches lie close by, and reading
                    // on by key finds them sooner than the text index, which
                    // reads every match of each word and rechecks those in
                    // range (45 ms for two words in a fifth of documents
                    // each). As far back as the density seen so far says the
                    // rest lie, with half again to spare.
                    let needed = examined + 1 - examinedIDs.count
                    let density = Double(examinedIDs.count) / Double(keyScan)
                    keyRead = max(0, floor - Int64(Double(needed) / density * 1.5))
                    examinedIDs += try await matchIDs(byKey: true, above: keyRead, upTo: floor, limit: needed)
                }
                if examinedIDs.count <= examined {
                    examinedIDs += try await older(than: keyRead, limit: examined + 1 - examinedIDs.count) { above, upTo, limit in
                        try await matchIDs(byKey: false, above: above, upTo: upTo, limit: limit)
                    }
                }
                olderExamined = examinedIDs.count > examined
                // Joined to the list rather than `IN (…)`: for a long list
                // with a kind filter the planner would ask the range index
                // once per id (2,000 of them: 870 ms).
                let ids = "{" + examinedIDs.prefix(examined).map(String.init).joined(separator: ",") + "}"
                rows = examinedIDs.isEmpty ? [] : try await ranked(
                    "FROM (SELECT " + text + " AS query) q, search_documents d JOIN unnest(\(bind: ids)::bigint[]) AS examined(id) ON d.id = examined.id WHERE TRUE",
                    limit: window + 1)
            } else {
                rows = try await ranked(newestMatches(byKey: true, above: max(floor, 0), upTo: nil), limit: window + 1)
                if rows.count <= window {
                    rows += try await older(limit: window + 1 - rows.count) { above, upTo, limit in
                        try await ranked(newestMatches(byKey: false, above: above, upTo: upTo), limit: limit)
                    }
                }
            }
        } else {
            // Without a filter on the incident, CROSS JOIN keeps the index
            // outermost, read newest first without sorting, so the scan stops
            // once the window is full; with one, the examined matches first.
            expansions = try await sqlitePrefixWords(request.query, on: sql)
            let match = Self.fts5(request.query, kind: kind, prefixWords: expansions)
            var query: SQLQueryString, newestFirst: SQLQueryString
            if narrowed {
                // The examined matches are read once, as one list of rowids;
                // the window then reads their documents by key (asking FTS5
                // again read the words' lists a second time).
                // Those the viewer may see, so a hidden review never makes
                // "older matches exist" true.
                var examinedMatches: SQLQueryString = "SELECT search_fts.rowid AS id FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH \(bind: match)"
                for c in visible { examinedMatches += " AND " + c }
                let listed = try await sql.raw("SELECT group_concat(id) AS ids FROM (" + examinedMatches + " ORDER BY search_fts.rowid DESC LIMIT \(literal: examined + 1))")
                    .first()?.decode(column: "ids", as: String?.self) ?? ""
                var ids = listed.split(separator: ",")
                olderExamined = ids.count > examined
                ids = Array(ids.prefix(examined))
                query = "SELECT d.id, d.title, d.body FROM search_documents d WHERE d.id IN (SELECT value FROM json_each(\(bind: "[" + ids.joined(separator: ",") + "]")))"
                newestFirst = " ORDER BY d.id DESC"
            } else {
                query = "SELECT d.id, d.title, d.body FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH \(bind: match)"
                // The index's own order: FTS5 reads newest first and stops
                // once the window is full, with nothing to sort.
                newestFirst = " ORDER BY search_fts.rowid DESC"
            }
            for c in conditions { query += " AND " + c }
            rows = try await sql.raw(query + newestFirst + " LIMIT \(literal: window + 1)").all()
        }
        // Older matches exist when the window filled up, or when more of the
        // text matched than were examined.
        let olderExist = rows.count > window || olderExamined
        let ranking = postgres ? nil : try await sqliteRanking(request.query, prefixWords: expansions, on: sql)
        var matches: [Match] = []
        matches.reserveCapacity(min(rows.count, window))
        for row in rows.prefix(window) {
            let title = try row.decode(column: "title", as: String.self)
            let body = postgres ? nil : try row.decode(column: "body", as: String.self)
            // The kind is one more token of each document in SQLite's index.
            let score = try ranking.map { $0.score(title: title, body: body ?? "", otherTokens: 1) } ?? row.decode(column: "score", as: Double.self)
            matches.append(Match(rowID: try row.decode(column: "id", as: Int64.self), title: title, body: body, score: score))
        }
        let rankedNewest = olderExist ? matches.count : nil
        // Best first; among equals the newest.
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.rowID > $1.rowID }
        let hasMore = matches.count > offset + limit
        let page = Array(matches.dropFirst(offset).prefix(limit))
        guard !page.isEmpty else { return SearchResults(hits: [], hasMore: false, rankedNewest: rankedNewest) }

        // What the page shows of each document and its incident.
        struct Shown { var kind: SearchKind; var docID: UUID; var incidentID: UUID; var reviewID: UUID?; var number: Int; var incidentTitle: String }
        var shown: [Int64: Shown] = [:]
        for row in try await sql.raw("SELECT d.id, d.kind, d.doc_id, d.incident_id, d.review_id, i.number, i.title FROM search_documents d JOIN incidents i ON i.id = d.incident_id WHERE d.id IN (\(binds: page.map(\.rowID)))").all() {
            guard let kind = SearchKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            shown[try row.decode(column: "id", as: Int64.self)] = Shown(
                kind: kind, docID: try row.decode(column: "doc_id", as: UUID.self), incidentID: try row.decode(column: "incident_id", as: UUID.self),
                reviewID: try row.decode(column: "review_id", as: UUID?.self), number: try row.decode(column: "number", as: Int.self), incidentTitle: try row.decode(column: "title", as: String.self))
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
            guard let s = shown[m.rowID] else { return nil }
            return SearchHit(
                kind: s.kind, id: s.docID, incidentID: s.incidentID, incidentKey: Incident.key(for: s.number), incidentTitle: s.incidentTitle,
                reviewID: s.reviewID, title: m.title, snippet: snippets[m.rowID] ?? MarkedText(parts: []))
        }
        return SearchResults(hits: hits, hasMore: hasMore, rankedNewest: rankedNewest)
    }

    /// BM25 for SQLite from what the index keeps: its document count and
    /// token totals (FTS5's "averages" record), and how many documents hold
    /// each term (through `TermCounts`).
    func sqliteRanking(_ query: SearchQuery, prefixWords: [String: [String]], on sql: any SQLDatabase) async throws -> SearchRanking {
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
        if tokens.contains(where: { known[$0] == nil }) || prefixes.contains(where: { known[$0 + "*"] == nil }) {
            let newest = try await sql.raw("SELECT max(id) AS id FROM search_documents").first()?.decode(column: "id", as: Int64?.self) ?? 0
            func documents(matching match: String) async throws -> Int {
                try await Self.documentsMatching("{title body} : " + match, documents: statistics.documents, newest: newest, on: sql)
            }
            for t in tokens where known[t] == nil { counted[t] = try await documents(matching: Self.fts5Quoted(t)) }
            for p in prefixes where known[p + "*"] == nil { counted[p + "*"] = try await documents(matching: Self.fts5Prefix([p], words: prefixWords[p])) }
        }
        termCounts.remember(counted)
        known.merge(counted) { $1 }
        let documentsWith = known.filter { !$0.key.hasSuffix("*") }
        let documentsWithPrefix = Dictionary(uniqueKeysWithValues: known.filter { $0.key.hasSuffix("*") }.map { (String($0.key.dropLast()), $0.value) })
        return SearchRanking(query: query, statistics: statistics, documentsWith: documentsWith, documentsWithPrefix: documentsWithPrefix)
    }

    /// How many documents of the `newest` rowids a match would be counted
    /// from: exact when fewer than this many match; past it, estimated.
    static let documentCountSample = 2_000

    /// How many documents `match` finds: the count itself when fewer than
    /// `documentCountSample` match, else estimated from how far back the
    /// newest `documentCountSample` matches reach. Counting every match of a
    /// word in 400,000 documents costs 40 ms; BM25 needs only its share.
    static func documentsMatching(_ match: String, documents: Int, newest: Int64, on sql: any SQLDatabase, sample: Int = documentCountSample) async throws -> Int {
        guard let row = try await sql.raw("SELECT count(*) AS n, min(rowid) AS oldest FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH \(bind: match) ORDER BY rowid DESC LIMIT \(literal: sample))").first() else { return 0 }
        let n = try row.decode(column: "n", as: Int.self)
        guard n >= sample, let oldest = try row.decode(column: "oldest", as: Int64?.self) else { return n }
        // Live documents are spread evenly enough over the rowids.
        let reach = Double(max(1, newest - oldest + 1))
        return min(max(documents, n), Int(Double(n) * Double(max(newest, 1)) / reach))
    }

    /// The indexed words each prefix of `query` starts, by the prefix's last
    /// token; a prefix with too many words is left out (FTS5 merges it).
    func sqlitePrefixWords(_ query: SearchQuery, on sql: any SQLDatabase) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for term in query.include + query.exclude {
            // Only ASCII: Lore folds letters FTS5 keeps ("ё", Greek accents),
            // so another alphabet's words are left to FTS5's own prefix.
            guard case .prefix(let text) = term, let last = IndexedText.tokens(text).last, out[last] == nil, last.allSatisfy(\.isASCII) else { continue }
            if let words = try await indexedWords(startingWith: last, on: sql) { out[last] = words }
        }
        return out
    }

    /// The query for FTS5: every term a quoted string (so FTS5 reads it as
    /// text, tokenized like the index, never as syntax), a prefix as the
    /// words it starts when `prefixWords` has them (else `"prefix"*`), `NOT`
    /// for each exclusion.
    /// Only the title and body are searched; the kind column answers the
    /// kind filter.
    static func fts5(_ q: SearchQuery, kind: SearchKind? = nil, prefixWords: [String: [String]] = [:]) -> String {
        func one(_ t: SearchQuery.Term) -> String {
            guard case .prefix(let text) = t else { return fts5Quoted(t.text) }
            // Unexpanded, the text as typed: FTS5 folds it by its own rules.
            let tokens = IndexedText.tokens(text)
            guard let last = tokens.last, let words = prefixWords[last], !words.isEmpty else { return fts5Quoted(text) + " *" }
            return fts5Prefix(tokens, words: words)
        }
        var text = "(" + q.include.map(one).joined(separator: " AND ") + ")"
        for t in q.exclude { text += " NOT " + one(t) }
        text = "{title body} : (" + text + ")"
        if let kind { text += " AND kind : kind" + kind.rawValue.replacingOccurrences(of: "_", with: "") }
        return text
    }

    /// `text` as one FTS5 string.
    static func fts5Quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A phrase whose last token is a prefix: each word it starts in full
    /// (`("edge 01" OR "edge 02")`), or FTS5's own prefix when `words` is nil
    /// or empty (nothing to expand; FTS5 finds nothing quickly).
    static func fts5Prefix(_ tokens: [String], words: [String]?) -> String {
        let leading = tokens.dropLast().map { $0 + " " }.joined()
        guard let words, !words.isEmpty else { return fts5Quoted(tokens.joined(separator: " ")) + " *" }
        return "(" + words.map { fts5Quoted(leading + $0) }.joined(separator: " OR ") + ")"
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

    /// The filters, as conditions on `d` (the document), each checked on
    /// the examined matches only: building the set of a large service's
    /// incidents first costs more than looking up a few thousand. Each is a
    /// counting subquery, which PostgreSQL runs per row through the key's
    /// index; an `EXISTS` it turns into a join that reads every incident.
    static func searchConditions(_ f: SearchFilter, sqlite: Bool) -> [SQLQueryString] {
        var out: [SQLQueryString] = []
        if let k = f.kind { out.append("d.kind = \(bind: k.rawValue)") }
        var facts: [SQLQueryString] = []
        if let s = f.severity { facts.append("i.severity = \(bind: s)") }
        if let s = f.detectionSource { facts.append("i.detection_source = \(bind: s)") }
        // When the incident happened, by the rule Insights uses.
        if let s = f.since { facts.append(Self.incidentHappened + " >= \(bind: s)") }
        if let u = f.until { facts.append(Self.incidentHappened + " < \(bind: u)") }
        if !facts.isEmpty {
            // SQLite would take the unique index on the id and then read the
            // row; the index of these facts answers without the row.
            var fact: SQLQueryString = "(SELECT count(*) FROM incidents i" + (sqlite ? " INDEXED BY idx_incidents_search_facts" : "") + " WHERE i.id = d.incident_id"
            for c in facts { fact += " AND " + c }
            out.append(fact + ") > 0")
        }
        if let s = f.service { out.append("(SELECT count(*) FROM incident_services s WHERE s.incident_id = d.incident_id AND s.service_slug = \(bind: s)) > 0") }
        if let t = f.team { out.append("(SELECT count(*) FROM incident_teams t WHERE t.incident_id = d.incident_id AND t.team_slug = \(bind: t)) > 0") }
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
        // Not even the rows of no review: a customer-facing account finds nothing.
        if viewer.readsSummariesOnly { return ["FALSE"] }
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
