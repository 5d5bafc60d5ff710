import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    // MARK: Schedules

    /// When `teamSlug`'s digest goes out, or nil when the team chose none.
    public func digestSchedule(teamSlug: String) async throws -> DigestSchedule? {
        try await digestSchedules()[teamSlug]
    }

    /// Every team's schedule, by team slug.
    public func digestSchedules() async throws -> [String: DigestSchedule] {
        var out: [String: DigestSchedule] = [:]
        for row in try await sqlDatabase().raw("SELECT team_slug, weekday, hour, time_zone FROM team_digest_schedules").all() {
            out[try row.decode(column: "team_slug", as: String.self)] = DigestSchedule(
                weekday: try row.decode(column: "weekday", as: Int.self), hour: try row.decode(column: "hour", as: Int.self),
                timeZone: try row.decode(column: "time_zone", as: String.self))
        }
        return out
    }

    /// Sets (or, with nil, stops) a team's digest.
    public func setDigestSchedule(teamSlug: String, _ schedule: DigestSchedule?, by actor: AuditActor = .commandLine, now: Date = Date()) async throws {
        guard try await team(slug: teamSlug) != nil else {
            throw ValidationError(field: "team", code: "unknown", message: "Unknown team \"\(teamSlug)\".")
        }
        try await transaction { store in
            let sql = try store.sqlDatabase()
            try await sql.raw("DELETE FROM team_digest_schedules WHERE team_slug = \(bind: teamSlug)").run()
            if let s = schedule {
                try await sql.raw("INSERT INTO team_digest_schedules (team_slug, weekday, hour, time_zone, updated_at) VALUES (\(bind: teamSlug), \(bind: s.weekday), \(bind: s.hour), \(bind: s.timeZone), \(bind: Int64(now.timeIntervalSince1970 * 1000)))").run()
            }
            try await store.recordAudit(actor.event(.digestScheduleChanged, subjectType: "team", subjectID: teamSlug,
                                                    detail: schedule.map { "\($0.weekdayName) \($0.hour):00 \($0.timeZone)" } ?? "no digest", at: now))
        }
    }

    func sqlDatabase() throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("Lore needs an SQL database.") }
        return sql
    }

    // MARK: The digest

    /// `teamSlug`'s digest of `week` on `schedule` (the team's own, or the
    /// standard one), or nil for an unknown team. Only what every member of
    /// the team may see: a finding, follow-up or checkpoint of a review that
    /// one member may not open is left out, as is everything of a private
    /// review when the team has no members.
    ///
    /// `reader`, when given, must also be able to see what is quoted: the
    /// page shows someone outside the team nothing they could not open.
    public func teamDigest(teamSlug: String, week: DigestWeek, reader: Viewer? = nil, now: Date = Date()) async throws -> TeamDigest? {
        guard let team = try await team(slug: teamSlug) else { return nil }
        let schedule = try await digestSchedule(teamSlug: teamSlug) ?? .standard
        let (start, end) = schedule.period(of: week)
        let sql = try sqlDatabase()
        let limit = TeamDigest.lineLimit
        let when = Self.incidentHappened
        // The team's incidents: on a service it owns or is paged for, or naming the team.
        let ofTeam: SQLQueryString = "(EXISTS (SELECT 1 FROM incident_services s JOIN services sv ON sv.slug = s.service_slug WHERE s.incident_id = i.id AND (sv.owning_team = \(bind: teamSlug)"
            + " OR EXISTS (SELECT 1 FROM service_paged_teams p WHERE p.service_slug = sv.slug AND p.team_slug = \(bind: teamSlug))))"
            + " OR EXISTS (SELECT 1 FROM incident_teams t WHERE t.incident_id = i.id AND t.team_slug = \(bind: teamSlug)))"

        var incidents: [TeamDigest.IncidentLine] = [], incidentIDs: [UUID] = []
        for row in try await sql.raw("SELECT i.id, i.number, i.title, i.severity, i.status, " + when + " AS happened FROM incidents i WHERE " + ofTeam + " AND " + when
                                     + " >= \(bind: start) AND " + when + " < \(bind: end) ORDER BY happened, i.number LIMIT \(literal: limit)").all() {
            incidentIDs.append(try row.decode(column: "id", as: UUID.self))
            incidents.append(TeamDigest.IncidentLine(
                number: try row.decode(column: "number", as: Int.self), title: try row.decode(column: "title", as: String.self),
                severity: try row.decode(column: "severity", as: String.self), status: IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                services: [], happenedAt: try row.decode(column: "happened", as: Date.self)))
        }
        if !incidentIDs.isEmpty {
            let services = Dictionary(grouping: try await IncidentServiceRow.query(on: db).filter(\.$incidentID ~~ incidentIDs).sort(\.$position).all(), by: \.incidentID)
            for (n, id) in incidentIDs.enumerated() { incidents[n].services = services[id]?.map(\.serviceSlug) ?? [] }
        }

        // Who must all be able to see a review for it to be quoted.
        let members = try await MembershipRow.query(on: db).filter(\.$teamSlug == teamSlug).all().map(\.userID)
        // Every member's memberships in one query, whatever the team's size.
        let memberships = try await MembershipRow.query(on: db).filter(\.$userID ~~ members).all()
            .map { TeamMembership(teamSlug: $0.teamSlug, userID: $0.userID, role: TeamRole(rawValue: $0.role) ?? .member) }
        var viewers = try await UserRow.query(on: db).filter(\.$id ~~ members).all().map { Viewer(user: Self.user($0), memberships: memberships) }
        if viewers.isEmpty { viewers = [Viewer(userID: UUID(), isAdmin: false, memberships: [])] }
        if let reader, !viewers.contains(where: { $0.userID == reader.userID }) { viewers.append(reader) }
        let adminsSeeAll = try await settings().practice.adminsSeeAllReviews
        var shareable: [UUID: Bool] = [:]
        func everyMemberSees(_ reviewIDs: [UUID]) async throws {
            let unknown = Array(Set(reviewIDs).subtracting(shareable.keys))
            guard !unknown.isEmpty else { return }
            for r in try await readReviews("WHERE r.id IN (\(binds: unknown))") {
                shareable[r.id] = viewers.allSatisfy { ReviewAccess.canSee(r, viewer: $0, adminsSeeAll: adminsSeeAll) }
            }
        }

        // Findings recorded this week in reviews of the team's incidents.
        var learned: [TeamDigest.LearnedLine] = []
        let findingRows = try await sql.raw("SELECT f.review_id, f.kind, f.text, i.number FROM findings f JOIN reviews r ON r.id = f.review_id JOIN incidents i ON i.id = r.incident_id WHERE "
                                            + ofTeam + " AND f.created_at >= \(bind: start) AND f.created_at < \(bind: end) AND f.promoted_from_id IS NULL ORDER BY f.created_at, f.id LIMIT 500").all()
        try await everyMemberSees(try findingRows.map { try $0.decode(column: "review_id", as: UUID.self) })
        for row in findingRows where learned.count < limit {
            guard shareable[try row.decode(column: "review_id", as: UUID.self)] == true,
                  let kind = FindingKind(rawValue: try row.decode(column: "kind", as: String.self)), kind != .openQuestion else { continue }
            learned.append(TeamDigest.LearnedLine(incidentNumber: try row.decode(column: "number", as: Int.self), kind: kind, text: try row.decode(column: "text", as: String.self)))
        }

        // The team's follow-ups still open and due by a week after the digest, overdue first.
        var followUps: [TeamDigest.FollowUpLine] = []
        let followUpRows = try await sql.raw("SELECT f.title, f.review_id, f.due_date, f.owner_user_id, i.number FROM follow_ups f JOIN incidents i ON i.id = f.incident_id WHERE f.owner_team = \(bind: teamSlug)"
                                             + " AND f.status IN ('open', 'in_progress') AND f.due_date IS NOT NULL AND f.due_date < \(bind: end.addingTimeInterval(TeamDigest.dueSoon)) ORDER BY f.due_date, f.id LIMIT 500").all()
        try await everyMemberSees(try followUpRows.compactMap { try $0.decode(column: "review_id", as: UUID?.self) })
        var owners: [UUID: String] = [:]
        let ownerIDs = try followUpRows.compactMap { try $0.decode(column: "owner_user_id", as: UUID?.self) }
        if !ownerIDs.isEmpty {
            for u in try await UserRow.query(on: db).filter(\.$id ~~ Array(Set(ownerIDs))).all() { owners[u.id!] = u.displayName }
        }
        for row in followUpRows where followUps.count < limit {
            if let review = try row.decode(column: "review_id", as: UUID?.self), shareable[review] != true { continue }
            let due = try row.decode(column: "due_date", as: Date.self)
            followUps.append(TeamDigest.FollowUpLine(
                title: try row.decode(column: "title", as: String.self), incidentNumber: try row.decode(column: "number", as: Int.self), dueDate: due,
                overdue: due < end, owner: try row.decode(column: "owner_user_id", as: UUID?.self).flatMap { owners[$0] }))
        }

        // Follow-through readings taken this week for reviews of the team's incidents.
        var checkpoints: [TeamDigest.CheckpointLine] = []
        let readingRows = try await sql.raw("SELECT b.review_id, ft.day, ft.reading, i.number FROM follow_through_readings ft JOIN ballots b ON b.id = ft.ballot_id JOIN reviews r ON r.id = b.review_id JOIN incidents i ON i.id = r.incident_id WHERE "
                                            + ofTeam + " AND ft.taken_at >= \(bind: start) AND ft.taken_at < \(bind: end) ORDER BY ft.taken_at, ft.id LIMIT 200").all()
        try await everyMemberSees(try readingRows.map { try $0.decode(column: "review_id", as: UUID.self) })
        for row in readingRows where checkpoints.count < limit {
            guard shareable[try row.decode(column: "review_id", as: UUID.self)] == true,
                  let reading = try? JSONDecoder().decode(FollowThroughReading.self, from: Data(try row.decode(column: "reading", as: String.self).utf8)) else { continue }
            checkpoints.append(TeamDigest.CheckpointLine(incidentNumber: try row.decode(column: "number", as: Int.self), day: try row.decode(column: "day", as: Int.self), sentence: reading.sentence))
        }

        return TeamDigest(team: team, week: week, start: start, end: end, incidents: incidents, learned: learned, followUps: followUps, checkpoints: checkpoints)
    }
}
