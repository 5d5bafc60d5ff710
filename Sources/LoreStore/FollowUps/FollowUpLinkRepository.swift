import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// Whose reviews a query may count: the viewer's, or (nil: the operator
    /// at the command line) everyone's.
    func reviewScope(_ viewer: Viewer?) async throws -> ReviewScope {
        guard let viewer else { return .everything }
        return .viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
    }

    /// Records that `followUpID` would have prevented or shortened the later
    /// incident `incidentKey` (once per pair; saying it again replaces the
    /// effect and the note).
    public func linkFollowUp(_ followUpID: UUID, toIncident incidentKey: String, effect: FollowUpLink.Effect, note: String, by user: User, now: Date = Date()) async throws {
        let viewer = try await viewer(for: user)
        guard let followUp = try await followUp(id: followUpID, viewer: viewer) else { throw StoreError.notFound("Follow-up") }
        var v = Validator()
        let key = incidentKey.trimmingCharacters(in: .whitespaces)
        let later = key.isEmpty ? nil : try await incident(key: key)
        if key.isEmpty {
            v.add("incident", "required", "Name the later incident, e.g. INC-58.")
        } else if later == nil {
            v.add("incident", "unknown", "There is no incident \(key.uppercased()).")
        } else if later?.id == followUp.incidentID {
            v.add("incident", "same", "A follow-up is linked to a later incident, not to its own.")
        } else if let later, let origin = try await incident(id: followUp.incidentID), later.number < origin.number {
            v.add("incident", "earlier", "\(later.key) came before \(origin.key), where this follow-up was decided; link it to an incident that came after.")
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > 1000 { v.add("note", "too_long", "The note is \(text.count) characters; at most 1000.") }
        try v.check()
        let incidentID = later!.id
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded())
        try await transaction { store in
            let sql = try store.sqlDatabase()
            try await sql.raw("DELETE FROM follow_up_links WHERE follow_up_id = \(bind: followUpID) AND incident_id = \(bind: incidentID)").run()
            try await sql.raw("""
                INSERT INTO follow_up_links (follow_up_id, incident_id, effect, note, linked_by, linked_at)
                VALUES (\(bind: followUpID), \(bind: incidentID), \(bind: effect.rawValue), \(bind: text), \(bind: user.displayName), \(bind: at))
                """).run()
        }
    }

    /// Follow-ups of earlier incidents that a new incident's review may
    /// point back at: still open (or in progress) or closed as not
    /// necessary, of incidents that share a service with `incident` (any
    /// incident when it names none), newest first, that the viewer may see.
    public func earlierFollowUpCandidates(for incident: Incident, viewer: Viewer, limit: Int = 50) async throws -> [(id: UUID, title: String, status: FollowUpStatus, incidentKey: String)] {
        // Without statistics SQLite prefers the status index, which reads
        // every unfinished follow-up of the history before sorting them.
        let walk = isPostgres ? "" : " INDEXED BY idx_follow_ups_unfinished"
        var query: SQLQueryString = """
            SELECT f.id, f.title, f.status, i.number FROM follow_ups f\(unsafeRaw: walk) JOIN incidents i ON i.id = f.incident_id
            WHERE f.incident_id <> \(bind: incident.id) AND f.\(unsafeRaw: CreateUnfinishedFollowUpsIndex.unfinished) AND i.created_at <= \(bind: incident.createdAt)
            """
        if !incident.services.isEmpty {
            query += " AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = f.incident_id AND s.service_slug IN (\(binds: incident.services)))"
        }
        for c in Self.visibleReview("f.review_id", try await reviewScope(viewer)) { query += " AND " + c }
        query += " ORDER BY f.created_at DESC LIMIT \(literal: max(1, min(limit, 200)))"
        return try await sqlDatabase().raw(query).all().map { row in
            (try row.decode(column: "id", as: UUID.self), try row.decode(column: "title", as: String.self),
             FollowUpStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
             Incident.key(for: try row.decode(column: "number", as: Int.self)))
        }
    }

    public func unlinkFollowUp(_ followUpID: UUID, fromIncident incidentID: UUID, by user: User) async throws {
        guard try await followUp(id: followUpID, viewer: try await viewer(for: user)) != nil else { throw StoreError.notFound("Follow-up") }
        try await sqlDatabase().raw("DELETE FROM follow_up_links WHERE follow_up_id = \(bind: followUpID) AND incident_id = \(bind: incidentID)").run()
    }

    /// Links of one follow-up (the later incidents), or to one incident
    /// (the earlier follow-ups), whichever is given; follow-ups the viewer
    /// may not see (of a review hidden from them) are left out.
    public func followUpLinks(followUpID: UUID? = nil, incidentID: UUID? = nil, viewer: Viewer?) async throws -> [FollowUpLink] {
        var query: SQLQueryString = """
            SELECT l.follow_up_id, l.effect, l.note, l.linked_by, l.linked_at, f.title AS follow_up_title, f.status AS follow_up_status,
                   fi.number AS from_number, i.number AS incident_number, i.title AS incident_title
            FROM follow_up_links l JOIN follow_ups f ON f.id = l.follow_up_id JOIN incidents fi ON fi.id = f.incident_id JOIN incidents i ON i.id = l.incident_id
            WHERE 1 = 1
            """
        if let followUpID { query += " AND l.follow_up_id = \(bind: followUpID)" }
        if let incidentID { query += " AND l.incident_id = \(bind: incidentID)" }
        for c in Self.visibleReview("f.review_id", try await reviewScope(viewer)) { query += " AND " + c }
        query += " ORDER BY l.linked_at"
        return try await sqlDatabase().raw(query).all().map { row in
            FollowUpLink(
                followUpID: try row.decode(column: "follow_up_id", as: UUID.self), followUpTitle: try row.decode(column: "follow_up_title", as: String.self),
                followUpStatus: FollowUpStatus(rawValue: try row.decode(column: "follow_up_status", as: String.self)) ?? .open,
                fromIncidentKey: Incident.key(for: try row.decode(column: "from_number", as: Int.self)),
                incidentKey: Incident.key(for: try row.decode(column: "incident_number", as: Int.self)),
                incidentTitle: try row.decode(column: "incident_title", as: String.self),
                effect: FollowUpLink.Effect(rawValue: try row.decode(column: "effect", as: String.self)) ?? .shortened,
                note: try row.decode(column: "note", as: String.self), linkedBy: try row.decode(column: "linked_by", as: String.self),
                linkedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "linked_at", as: Int64.self)) / 1000))
        }
    }
}
