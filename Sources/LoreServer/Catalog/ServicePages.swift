import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/services/{slug}`: everything Lore knows about a service, for the
/// engineer going on call for it — its incidents on a time axis, what the
/// reviews learned, contributing factors that keep coming back, follow-ups
/// still open and recently closed, and the teams paged for it. Every
/// mention of a service links here.
struct ServicePages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/services/:slug") { _, context in try await page(context) }
    }

    func page(_ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let slug = try context.parameters.require("slug")
        let viewer = try await store.viewer(for: user)
        guard let history = try await store.serviceHistory(slug: slug, viewer: viewer) else {
            throw LoreHTTPError.notFound("There is no service \"\(slug)\".")
        }
        let settings = try await store.settings()
        let names = try await CatalogNames.load(store, people: (history.openFollowUps + history.recentlyClosedFollowUps).map(\.ownerUserID))
        let zone = user.zone
        let s = history.service
        func day(_ d: Date) -> String { String(LoreTime.localInput(d, timeZone: zone).prefix(10)) }
        func followUp(_ f: FollowUp) -> [String: Any] {
            [
                "title": f.title, "status": f.status.rawValue, "statusLabel": f.status.label, "ownerTeam": names.team(f.ownerTeam),
                "owner": names.user(f.ownerUserID) ?? false, "dueDate": f.dueDate.map(day) ?? false,
                "overdue": f.isOverdue(at: Date()),
                "incidentKey": history.incidentNumbers[f.incidentID].map(Incident.key(for:)) ?? false, "id": f.id.uuidString,
            ]
        }
        var searchLink = URLComponents()
        return app.views.page("service", title: s.name, context: context, settings: settings, values: [
            "service": ["name": s.name, "slug": s.slug, "owningTeam": s.owningTeam.map(names.team) ?? false] as [String: Any],
            "pagedTeams": s.pagedTeams.map(names.team), "hasPagedTeams": !s.pagedTeams.isEmpty,
            "incidentCount": history.incidentCount, "incidentsInPeriod": history.incidentsInPeriod,
            "capped": history.incidentsInPeriod > history.incidents.count ? history.incidents.count : false,
            "strip": ServiceStrip.make(history, zone: zone),
            "recent": history.incidents.prefix(10).map { ["key": $0.key, "title": $0.title, "severity": $0.severity, "statusLabel": $0.status.label, "status": $0.status.rawValue, "when": day($0.happenedAt)] },
            "hasIncidents": !history.incidents.isEmpty,
            "learned": history.learned.map { l -> [String: Any] in
                ["kind": l.kind.label, "text": l.text, "incidentKey": Incident.key(for: l.incidentNumber), "incidentTitle": l.incidentTitle,
                 "reviewID": l.reviewID.uuidString, "when": day(l.at)]
            },
            "hasLearned": !history.learned.isEmpty,
            "recurring": history.recurringFactors.map { r -> [String: Any] in
                searchLink.queryItems = [URLQueryItem(name: "q", value: r.word), URLQueryItem(name: "service", value: s.slug), URLQueryItem(name: "kind", value: "finding")]
                return ["word": r.word, "count": r.incidents.count, "incidents": r.incidents.prefix(5).map { ["key": Incident.key(for: $0)] }, "search": "/search" + (searchLink.string ?? "")]
            },
            "hasRecurring": !history.recurringFactors.isEmpty,
            "openFollowUps": history.openFollowUps.map(followUp), "hasOpenFollowUps": !history.openFollowUps.isEmpty,
            "closedFollowUps": history.recentlyClosedFollowUps.map(followUp), "hasClosedFollowUps": !history.recentlyClosedFollowUps.isEmpty,
            "teams": history.teams.map { ["name": names.team($0.team), "slug": $0.team, "count": $0.incidents] }, "hasTeams": !history.teams.isEmpty,
            "incidentsLink": "/incidents?service=" + (s.slug.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s.slug),
        ])
    }
}

/// The service's year as a strip of dots, one per incident, placed by when
/// it happened and coloured by severity; month ticks below. Values for the
/// template, which escapes every text.
enum ServiceStrip {
    static let width = 720.0, left = 10.0, height = 56.0

    static func make(_ h: ServiceHistory, zone: TimeZone) -> [String: Any] {
        let span = max(h.until.timeIntervalSince(h.since), 1)
        func x(_ d: Date) -> String { String(format: "%.1f", left + (width - 2 * left) * d.timeIntervalSince(h.since) / span) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var ticks: [[String: Any]] = []
        var month = calendar.date(from: calendar.dateComponents([.year, .month], from: h.since)) ?? h.since
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_GB")
        formatter.dateFormat = "MMM"
        while month <= h.until {
            if month >= h.since { ticks.append(["x": x(month), "label": formatter.string(from: month)]) }
            guard let next = calendar.date(byAdding: .month, value: 1, to: month) else { break }
            month = next
        }
        let dots = h.incidents.map { i -> [String: Any] in
            // Three rows so that incidents days apart do not hide each other.
            ["x": x(i.happenedAt), "y": String(12 + (i.number % 3) * 9), "key": i.key, "title": i.title, "severity": i.severity,
             "severityClass": i.severity.lowercased().filter { $0.isLetter || $0.isNumber }]
        }
        return ["width": Int(width), "height": Int(height), "dots": dots, "ticks": ticks, "axisY": 40, "labelY": 52]
    }
}
