import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// How many candidates each way of finding them contributes before
    /// `RelatedIncidents.rank` decides: enough that the best five are among
    /// them, few enough that the cost does not grow with history.
    static let relatedCandidates = 100

    /// "Seen before" for `incident`: earlier incidents of the same services,
    /// or whose titles share its distinctive words, or with its labels,
    /// ranked by `RelatedIncidents.rank`. Incidents are open to every
    /// signed-in person, so no viewer is needed; nothing from reviews is
    /// read. Three bounded queries whatever the size of the history: the
    /// newest incidents of its services, the best text matches (titles and
    /// labels, through the search index), then those candidates' facts.
    public func relatedIncidents(to incident: Incident, limit: Int = RelatedIncidents.shown) async throws -> [RelatedIncident] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Related incidents need an SQL database.") }
        let subject = RelatedIncidents.Facts(incident)
        let when = Self.incidentHappened
        var ids: [UUID] = []

        if !incident.services.isEmpty {
            let q: SQLQueryString = "SELECT DISTINCT s.incident_id, " + when + " AS happened FROM incident_services s JOIN incidents i ON i.id = s.incident_id WHERE s.service_slug IN (\(binds: incident.services)) AND i.id <> \(bind: incident.id) AND "
                + when + " < \(bind: subject.happenedAt) ORDER BY happened DESC LIMIT \(literal: Self.relatedCandidates)"
            for row in try await sql.raw(q).all() { ids.append(try row.decode(column: "incident_id", as: UUID.self)) }
        }

        // At most eight title words: a long title's tail adds cost, not signal.
        let words = Array(RelatedIncidents.distinctiveWords(incident.title).prefix(8))
        let labels = incident.labels.filter { !RelatedIncidents.distinctiveWords($0).isEmpty }
        if !words.isEmpty || !labels.isEmpty {
            let postgres = sql.dialect.name == "postgresql"
            var q: SQLQueryString
            if postgres {
                // Title words at weight A only; each label as a phrase anywhere
                // in the incident's document (its body holds the labels).
                var match: [SQLQueryString] = words.isEmpty ? [] : ["to_tsquery('simple', \(bind: words.map { "'\($0)':A" }.joined(separator: " | ")))"]
                for l in labels { match.append("phraseto_tsquery('simple', \(bind: l))") }
                q = "SELECT d.incident_id FROM search_documents d JOIN incidents i ON i.id = d.incident_id, (SELECT (" + match.joined(separator: " || ") + ") AS query) q WHERE d.kind = 'incident' AND d.document @@ q.query"
                    + " AND i.id <> \(bind: incident.id) AND " + when + " < \(bind: subject.happenedAt) ORDER BY ts_rank_cd(d.document, q.query) DESC LIMIT \(literal: Self.relatedCandidates)"
            } else {
                var terms: [String] = []
                if !words.isEmpty { terms.append("title : (" + words.map { "\"\($0)\"" }.joined(separator: " OR ") + ")") }
                // Letters and digits only, quoted: the same tokens the index holds, never syntax.
                for l in labels { terms.append("\"" + RelatedIncidents.tokens(l).joined(separator: " ") + "\"") }
                q = "SELECT d.incident_id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid JOIN incidents i ON i.id = d.incident_id WHERE search_fts MATCH \(bind: terms.joined(separator: " OR "))"
                    + " AND d.kind = 'incident' AND i.id <> \(bind: incident.id) AND " + when + " < \(bind: subject.happenedAt) ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT \(literal: Self.relatedCandidates)"
            }
            for row in try await sql.raw(q).all() { ids.append(try row.decode(column: "incident_id", as: UUID.self)) }
        }

        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [] }
        let rows = try await IncidentRow.query(on: db).filter(\.$id ~~ unique).all()
        let candidates = try await load(rows).map(RelatedIncidents.Facts.init)
        return RelatedIncidents.rank(subject, among: candidates, limit: limit)
    }
}
