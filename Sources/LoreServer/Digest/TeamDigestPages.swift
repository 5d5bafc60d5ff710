import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/teams/{slug}/digest`: a team's weekly digest for any week (the newest
/// by default), the same text its webhooks received, and the form where the
/// team chooses its day and hour. `GET /api/v1/teams/{slug}/digest` answers
/// the same as JSON.
struct TeamDigestPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/teams/:slug/digest") { request, context in try await page(request, context) }
        group.post("/teams/:slug/digest/schedule") { request, context in
            let form = try await FormData.read(request, context: context)
            let (team, viewer) = try await teamAndViewer(context)
            try mayChoose(team, viewer)
            do {
                let schedule = form["weekday"] == "none" ? nil : try DigestSchedule.validated(weekday: form["weekday"], hour: form["hour"], timeZone: form["timeZone"])
                try await store.setDigestSchedule(teamSlug: team.slug, schedule, by: try context.auditActor())
                return Response.redirect(to: "/teams/\(team.slug)/digest", type: .normal)
            } catch let e as ValidationError {
                return try await page(request, context, values: form, errors: e)
            }
        }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("teams/:slug/digest") { request, context in
            let (team, viewer) = try await teamAndViewer(context)
            let (week, schedule) = try await weekAndSchedule(request, team: team)
            guard let digest = try await store.teamDigest(teamSlug: team.slug, week: week, reader: viewer) else { throw LoreHTTPError.notFound("Team") }
            let names = try await CatalogNames.load(store)
            return JSONResponse.make(TeamDigestJSON(digest, schedule: schedule, text: digest.text(serviceName: names.service)))
        }
    }

    func teamAndViewer(_ context: LoreRequestContext) async throws -> (Team, Viewer) {
        let slug = try context.parameters.require("slug")
        guard let team = try await store.team(slug: slug) else { throw LoreHTTPError.notFound("Team \(slug)") }
        return (team, try await store.viewer(for: try context.requireUser()))
    }

    /// The team's members (and admins) choose when it hears from Lore.
    func mayChoose(_ team: Team, _ viewer: Viewer) throws {
        guard viewer.isAdmin || viewer.memberships.contains(where: { $0.teamSlug == team.slug }) else {
            throw LoreHTTPError(.forbidden, code: "forbidden", message: "Only members of \(team.name) or an admin may change when its digest goes out.")
        }
    }

    func weekAndSchedule(_ request: Request, team: Team) async throws -> (DigestWeek, DigestSchedule?) {
        let schedule = try await store.digestSchedule(teamSlug: team.slug)
        guard let text = request.uri.queryParameters["week"].map(String.init), !text.isEmpty else {
            return ((schedule ?? .standard).latestWeek(atOrBefore: Date()), schedule)
        }
        guard let week = DigestWeek.parse(text) else {
            throw ValidationError(field: "week", code: "invalid", message: "A week is written like 2026-W48 (an ISO week: year, W, week number).")
        }
        return (week, schedule)
    }

    func page(_ request: Request, _ context: LoreRequestContext, values: FormData? = nil, errors: ValidationError? = nil) async throws -> Response {
        let (team, viewer) = try await teamAndViewer(context)
        let (week, schedule) = try await weekAndSchedule(request, team: team)
        guard let digest = try await store.teamDigest(teamSlug: team.slug, week: week, reader: viewer) else { throw LoreHTTPError.notFound("Team") }
        let settings = try await store.settings()
        let names = try await CatalogNames.load(store)
        let zone = try context.requireUser().zone
        let current = (schedule ?? .standard).latestWeek(atOrBefore: Date())
        func day(_ d: Date) -> String { String(LoreTime.localInput(d, timeZone: zone).prefix(10)) }
        let chosen = schedule ?? .standard
        let weekday = values?["weekday"] ?? (schedule == nil ? "none" : String(chosen.weekday))
        return app.views.page("team_digest", title: "\(team.name): weekly digest \(week)", context: context, settings: settings,
                              status: errors == nil ? .ok : .unprocessableContent, values: [
            "team": ["name": team.name, "slug": team.slug],
            "week": week.description, "from": ViewValues.time(digest.start, zone), "to": ViewValues.time(digest.end, zone),
            "previous": "/teams/\(team.slug)/digest?week=\(week.previous)",
            "next": week < current ? "/teams/\(team.slug)/digest?week=\(week.next)" : false,
            "upcoming": week > current,
            "quiet": digest.isQuiet, "hasIncidents": !digest.incidents.isEmpty, "hasLearned": !digest.learned.isEmpty,
            "hasFollowUps": !digest.followUps.isEmpty, "hasCheckpoints": !digest.checkpoints.isEmpty,
            "incidents": digest.incidents.map { ["key": $0.key, "title": $0.title, "severity": $0.severity, "status": $0.status.rawValue, "statusLabel": $0.status.label,
                                                 "services": $0.services.map { ["slug": $0, "name": names.service($0)] }, "when": day($0.happenedAt)] },
            "learned": digest.learned.map { ["kind": $0.kind.label, "text": $0.text, "key": Incident.key(for: $0.incidentNumber)] },
            "followUps": digest.followUps.map { ["title": $0.title, "key": Incident.key(for: $0.incidentNumber), "due": day($0.dueDate), "overdue": $0.overdue, "owner": $0.owner ?? false] },
            "checkpoints": digest.checkpoints.map { ["day": $0.day, "sentence": $0.sentence, "key": Incident.key(for: $0.incidentNumber)] },
            "text": digest.text(serviceName: names.service),
            "schedule": schedule.map { "\($0.weekdayName)s at \($0.hour):00 (\($0.timeZone))" } ?? false,
            "form": [
                "weekdays": [["value": "none", "label": "No digest", "selected": weekday == "none"]]
                    + DigestSchedule.weekdayNames.enumerated().map { ["value": String($0.offset + 1), "label": $0.element, "selected": weekday == String($0.offset + 1)] },
                "hour": values?["hour"] ?? String(chosen.hour), "timeZone": values?["timeZone"] ?? chosen.timeZone,
                "errors": ViewValues.errors(errors),
            ] as [String: Any],
        ])
    }
}

/// A digest through the API: its facts, and the text the webhooks send.
public struct TeamDigestJSON: Encodable {
    struct Line: Encodable { var key: String; var title: String; var severity: String; var status: String; var services: [String]; var happenedAt: String }
    struct Learned: Encodable { var incidentKey: String; var kind: String; var text: String }
    struct Due: Encodable { var incidentKey: String; var title: String; var dueDate: String; var overdue: Bool; @Nullable var owner: String? }
    struct Checkpoint: Encodable { var incidentKey: String; var day: Int; var sentence: String }
    struct Schedule: Encodable { var weekday: Int; var hour: Int; var timeZone: String }
    var team: String
    var week: String
    var from: String
    var to: String
    @Nullable var schedule: Schedule?
    var incidents: [Line]
    var learned: [Learned]
    var followUps: [Due]
    var checkpoints: [Checkpoint]
    var text: String

    public init(_ d: TeamDigest, schedule: DigestSchedule?, text: String) {
        team = d.team.slug
        week = d.week.description
        from = LoreTime.iso(d.start)
        to = LoreTime.iso(d.end)
        self.schedule = schedule.map { Schedule(weekday: $0.weekday, hour: $0.hour, timeZone: $0.timeZone) }
        incidents = d.incidents.map { Line(key: $0.key, title: $0.title, severity: $0.severity, status: $0.status.rawValue, services: $0.services, happenedAt: LoreTime.iso($0.happenedAt)) }
        learned = d.learned.map { Learned(incidentKey: Incident.key(for: $0.incidentNumber), kind: $0.kind.rawValue, text: $0.text) }
        followUps = d.followUps.map { Due(incidentKey: Incident.key(for: $0.incidentNumber), title: $0.title, dueDate: String(LoreTime.iso($0.dueDate).prefix(10)), overdue: $0.overdue, owner: $0.owner) }
        checkpoints = d.checkpoints.map { Checkpoint(incidentKey: Incident.key(for: $0.incidentNumber), day: $0.day, sentence: $0.sentence) }
        self.text = text
    }
}
