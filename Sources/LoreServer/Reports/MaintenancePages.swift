import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/reports/maintenance` and `GET /api/v1/reports/maintenance`: the
/// maintenance report (`MaintenanceReport`) for the reader, with what its
/// numbers can and cannot show.
struct MaintenancePages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/reports/maintenance") { request, context in
            let user = try context.requireUser()
            let (since, until) = try Self.period(request.uri.queryParameters, blankIsDefault: true)
            let report = try await store.maintenanceReport(since: since, until: until, viewer: try await store.viewer(for: user))
            let names = try await CatalogNames.load(store)
            let utc = TimeZone(identifier: "UTC")!
            func day(_ d: Date) -> String { String(LoreTime.localInput(d, timeZone: utc).prefix(10)) }
            return app.views.page("maintenance", title: "Maintenance and recurrence", context: context, settings: try await store.settings(), values: [
                "since": day(since), "until": day(until.addingTimeInterval(-1)),
                "chart": Self.chart(report), "hasRows": !report.rows.isEmpty,
                "rows": report.rows.map { r -> [String: Any] in
                    ["quarter": r.quarter.description, "service": r.service.isEmpty ? "no service" : names.service(r.service), "incidents": r.incidents,
                     "minutes": r.incidentMinutes, "done": r.followUpsDone,
                     "byTag": r.doneByTag.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
                },
                "recurrences": report.recurrences.map { ["service": names.service($0.service), "tag": $0.tag, "keys": $0.incidentKeys, "count": $0.incidentKeys.count] },
                "hasRecurrences": !report.recurrences.isEmpty,
                "links": report.links.map { l -> [String: Any] in
                    ["followUp": l.followUpTitle, "followUpId": l.followUpID.uuidString, "from": l.fromIncidentKey, "status": l.followUpStatus.label,
                     "effect": l.effect.label, "key": l.incidentKey, "title": l.incidentTitle, "note": l.note.isEmpty ? false : l.note]
                },
                "hasLinks": !report.links.isEmpty,
                "caveats": MaintenanceReport.caveats,
            ])
        }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("reports/maintenance") { request, context in
            let user = try context.requireUser()
            let (since, until) = try Self.period(request.uri.queryParameters)
            return JSONResponse.make(MaintenanceReportJSON(try await store.maintenanceReport(since: since, until: until, viewer: try await store.viewer(for: user))))
        }
    }

    /// The period from the query: `since` and `until` only. The page's form
    /// sends an empty field for a date left blank: that is the default there.
    static func period(_ parameters: some Sequence<(key: Substring, value: Substring)>, blankIsDefault: Bool = false) throws -> (Date, Date) {
        var since: String?, until: String?
        for (name, value) in parameters where !(blankIsDefault && value.isEmpty) {
            switch name {
            case "since": since = String(value)
            case "until": until = String(value)
            default: throw ValidationError(field: String(name), code: "unknown", message: "The report takes since and until, not \"\(name)\".")
            }
        }
        return try MaintenanceReport.period(since: since, until: until)
    }

    /// Incidents and follow-ups done per quarter, side by side, as SVG.
    static func chart(_ report: MaintenanceReport) -> String {
        let quarters = report.totals
        guard !quarters.isEmpty else { return "" }
        let width = 720.0, height = 220.0, left = 40.0, bottom = 30.0, top = 20.0
        let top1 = Double(max(1, quarters.map { max($0.incidents, $0.followUpsDone) }.max() ?? 1))
        let slot = (width - left - 10) / Double(quarters.count), bar = min(28, slot / 3)
        var body = "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(height - bottom)\" y2=\"\(height - bottom)\" stroke=\"#30353a\"/>"
        for (i, q) in quarters.enumerated() {
            let x = left + Double(i) * slot + slot / 2
            for (j, value, colour) in [(0, q.incidents, "#b3541e"), (1, q.followUpsDone, "#2f6f4e")] {
                let h = (height - bottom - top) * Double(value) / top1
                let bx = x - bar + Double(j) * bar
                body += "<rect x=\"\(InsightsCharts.num(bx))\" y=\"\(InsightsCharts.num(height - bottom - h))\" width=\"\(InsightsCharts.num(bar - 2))\" height=\"\(InsightsCharts.num(h))\" fill=\"\(colour)\"/>"
                body += "<text x=\"\(InsightsCharts.num(bx + bar / 2 - 1))\" y=\"\(InsightsCharts.num(height - bottom - h - 4))\" text-anchor=\"middle\" font-size=\"11\">\(value)</text>"
            }
            body += "<text x=\"\(InsightsCharts.num(x))\" y=\"\(InsightsCharts.num(height - 10))\" text-anchor=\"middle\">\(InsightsCharts.xml(q.quarter.description))</text>"
        }
        body += "<rect x=\"\(left)\" y=\"4\" width=\"10\" height=\"10\" fill=\"#b3541e\"/><text x=\"\(left + 14)\" y=\"13\">incidents</text>"
        body += "<rect x=\"\(left + 90)\" y=\"4\" width=\"10\" height=\"10\" fill=\"#2f6f4e\"/><text x=\"\(left + 104)\" y=\"13\">follow-ups done</text>"
        let desc = quarters.map { "\($0.quarter): \($0.incidents) incidents, \($0.followUpsDone) follow-ups done" }
        return InsightsCharts.document(id: "maintenance", height: height, title: "Incidents and follow-ups done per quarter", desc: desc, body: body)
    }
}

/// The maintenance report in the API (and `lore report maintenance --json`).
public struct MaintenanceReportJSON: Encodable {
    struct Row: Encodable { var quarter: String; var service: String?; var incidents: Int; var incidentMinutes: Int; var followUpsDone: Int; var followUpsDoneByTag: [String: Int] }
    struct Recurrence: Encodable { var service: String; var tag: String; var incidents: [String] }
    struct Link: Encodable { var followUpId: String; var followUpTitle: String; var followUpStatus: String; var fromIncident: String; var incident: String; var effect: String; var note: String }
    var since: String
    var until: String
    var rows: [Row]
    var recurrences: [Recurrence]
    var links: [Link]
    var caveats: [String]

    public init(_ r: MaintenanceReport) {
        since = LoreTime.iso(r.since)
        until = LoreTime.iso(r.until)
        rows = r.rows.map { Row(quarter: $0.quarter.description, service: $0.service.isEmpty ? nil : $0.service, incidents: $0.incidents,
                                incidentMinutes: $0.incidentMinutes, followUpsDone: $0.followUpsDone, followUpsDoneByTag: $0.doneByTag) }
        recurrences = r.recurrences.map { Recurrence(service: $0.service, tag: $0.tag, incidents: $0.incidentKeys) }
        links = r.links.map { Link(followUpId: $0.followUpID.uuidString, followUpTitle: $0.followUpTitle, followUpStatus: $0.followUpStatus.rawValue,
                                   fromIncident: $0.fromIncidentKey, incident: $0.incidentKey, effect: $0.effect.rawValue, note: $0.note) }
        caveats = MaintenanceReport.caveats
    }
}
