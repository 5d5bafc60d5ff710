import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// How many candidates each way of finding them contributes before
    /// `RelatedIncidents.rank` decides: enough that the best five are among
    /// them, few enough that the cost does not grow with history.
    static let relatedCandidates = 100
    /// How many of the newest incident documents PostgreSQL reads by key
    /// before going to the text index: a title pair in one incident of fifty
    /// fills the candidates from them.
    static let relatedKeyScan = 5_000

    /// "Seen before" for `incident`: earlier incidents of the same services,
    /// or whose titles share its distinctive words, or with its labels,
    /// ranked by `RelatedIncidents.rank`. Incidents are open to every
    /// signed-in person, so no viewer is needed; nothing from reviews is
    /// read. Three bounded queries whatever the size of the history: the
    /// newest incidents of its services, the best text matches (titles and
    /// labels, through the search index, newest first), then those
    /// candidates' facts.
    public func relatedIncidents(to incident: Incident, limit: Int = RelatedIncidents.shown) async throws -> [RelatedIncident] {
        try await relatedIncidents(to: incident, limit: limit, keyScan: Self.relatedKeyScan)
    }

    /// `keyScan` moves PostgreSQL's split between reading by key and through
    /// the text index, so tests can check that it never changes the answer.
    func relatedIncidents(to incident: Incident, limit: Int, keyScan: Int) async throws -> [RelatedIncident] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Related incidents need an SQL database.") }
        let subject = RelatedIncidents.Facts(incident)
        let when = Self.incidentHappened
        var ids: [UUID] = []

        // Walks the index on when incidents happened backwards from this one.
        if !incident.services.isEmpty {
            let q: SQLQueryString = "SELECT i.id FROM incidents i WHERE EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_slug IN (\(binds: incident.services)))"
                + " AND i.id <> \(bind: incident.id) AND " + when + " < \(bind: subject.happenedAt) ORDER BY " + when + " DESC LIMIT \(literal: Self.relatedCandidates)"
            for row in try await sql.raw(q).all() { ids.append(try row.decode(column: "id", as: UUID.self)) }
        }

        // At most eight title words: a long title's tail adds cost, not signal.
        // Words count only in pairs (one shared word is a coincidence, as
        // `RelatedIncidents.rank` says), which keeps a common word from
        // matching thousands of incidents; a label counts alone. The newest
        // matches first.
        let words = Array(RelatedIncidents.distinctiveWords(incident.title).prefix(8))
        var pairs: [(String, String)] = []
        for (n, a) in words.enumerated() { for b in words.dropFirst(n + 1) { pairs.append((a, b)) } }
        let labels = incident.labels.map(IndexedText.tokens).filter { !$0.isEmpty }
        if !pairs.isEmpty || !labels.isEmpty {
            let postgres = isPostgres
            // Documents written before this incident's, read newest first from
            // there: an old incident's page does not wade through every newer match.
            // An incident's own document carries its id as `doc_id`: one probe
            // of the (kind, doc_id) key, where the incident_id index walked
            // every timeline entry's document too (11–160 ms for 500 entries
            // on PostgreSQL).
            let before: Int64 = try await sql.raw("SELECT x.id FROM search_documents x WHERE x.kind = 'incident' AND x.doc_id = \(bind: incident.id)")
                .first()?.decode(column: "id", as: Int64.self) ?? Int64.max
            let others: SQLQueryString = " AND i.id <> \(bind: incident.id) AND " + when + " < \(bind: subject.happenedAt)"
            if postgres {
                // Title words at weight A only; each label as a phrase anywhere
                // in the incident's document (its body holds the labels).
                var match: [SQLQueryString] = pairs.isEmpty ? [] : ["to_tsquery('simple', \(bind: pairs.map { "('\($0.0)':A & '\($0.1)':A)" }.joined(separator: " | ")))"]
                for l in incident.labels where !IndexedText.tokens(l).isEmpty { match.append("phraseto_tsquery('simple', \(bind: l))") }
                let text = "(" + match.joined(separator: " || ") + ")"
                // GIN gives matches in no order: a common pair meant fetching
                // and sorting thousands of incident documents to keep the newest
                // hundred. So the newest `relatedKeyScan` incident documents
                // before this one are read by key first (`IS TRUE` keeps the
                // planner from the text index), and the older ones through the
                // text index only when those held too few matches.
                let floor = try await sql.raw("SELECT x.id FROM search_documents x WHERE x.kind = 'incident' AND x.id < \(literal: before) ORDER BY x.id DESC LIMIT 1 OFFSET \(literal: keyScan)")
                    .first()?.decode(column: "id", as: Int64.self)
                func newest(byKey: Bool, above: Int64?, below: Int64, limit: Int) async throws -> [UUID] {
                    var q: SQLQueryString = "SELECT d.incident_id FROM search_documents d JOIN incidents i ON i.id = d.incident_id WHERE d.kind = 'incident' AND "
                        + (byKey ? "(d.document @@ " + text + ") IS TRUE" : "d.document @@ " + text) + " AND d.id < \(literal: below)"
                    if let above { q += " AND d.id > \(literal: above)" }
                    return try await sql.raw(q + others + " ORDER BY d.id DESC LIMIT \(literal: limit)").all().map { try $0.decode(column: "incident_id", as: UUID.self) }
                }
                let found = try await newest(byKey: true, above: floor, below: before, limit: Self.relatedCandidates)
                ids += found
                if let floor, found.count < Self.relatedCandidates {
                    ids += try await newest(byKey: false, above: nil, below: floor + 1, limit: Self.relatedCandidates - found.count)
                }
            } else {
                // Letters and digits only, quoted: the same tokens the index holds, never syntax.
                var terms = pairs.map { "title : (\"\($0.0)\" AND \"\($0.1)\")" }
                terms += labels.map { "{title body} : \"" + $0.joined(separator: " ") + "\"" }
                let q: SQLQueryString = "SELECT d.incident_id FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid CROSS JOIN incidents i ON i.id = d.incident_id WHERE search_fts MATCH \(bind: "(" + terms.joined(separator: " OR ") + ") AND kind : kindincident")"
                    + " AND search_fts.rowid < \(literal: before)" + others + " ORDER BY search_fts.rowid DESC LIMIT \(literal: Self.relatedCandidates)"
                for row in try await sql.raw(q).all() { ids.append(try row.decode(column: "incident_id", as: UUID.self)) }
            }
        }

        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [] }
        return RelatedIncidents.rank(subject, among: try await relatedFacts(unique, on: sql), limit: limit)
    }

    /// What ranking reads of each candidate, in two plain queries: loading
    /// whole incidents (teams, references, every time) for two hundred
    /// candidates cost more than finding them.
    func relatedFacts(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [RelatedIncidents.Facts] {
        var services: [UUID: [String]] = [:]
        for row in try await sql.raw("SELECT incident_id, service_slug FROM incident_services WHERE incident_id IN (\(binds: ids)) ORDER BY position").all() {
            services[try row.decode(column: "incident_id", as: UUID.self), default: []].append(try row.decode(column: "service_slug", as: String.self))
        }
        return try await sql.raw("SELECT i.id, i.number, i.title, i.customer_impact, i.labels, i.detection_source, " + Self.incidentHappened
                                 + " AS happened FROM incidents i WHERE i.id IN (\(binds: ids))").all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            return RelatedIncidents.Facts(
                id: id, number: try row.decode(column: "number", as: Int.self), title: try row.decode(column: "title", as: String.self),
                customerImpact: try row.decode(column: "customer_impact", as: String?.self) ?? "", services: services[id] ?? [],
                labels: try row.decode(column: "labels", as: [String].self), detectionSource: try row.decode(column: "detection_source", as: String.self),
                happenedAt: try row.decode(column: "happened", as: Date.self))
        }
    }
}
