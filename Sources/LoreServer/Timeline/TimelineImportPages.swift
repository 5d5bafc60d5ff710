import Foundation
import Hummingbird
import LoreCore
import LoreImport
import LoreStore

/// Pasting a CSV or Markdown timeline table into an incident: first a preview
/// of the entries that will be added, then confirming adds them, all or
/// nothing, skipping rows already imported.
struct TimelineImportPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/incidents/:key/import") { _, context in try await page(context, text: "", timeZone: nil, date: "", result: nil, error: nil) }
        group.post("/incidents/:key/import") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let key = try context.parameters.require("key")
            guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
            let text = form["table"] ?? ""
            let zoneName = (form["timeZone"] ?? "").isEmpty ? user.timeZone : form["timeZone"]!
            guard let zone = TimeZone(identifier: zoneName) else {
                return try await page(context, text: text, timeZone: zoneName, date: form["date"] ?? "", result: nil, error: "Unknown time zone \"\(zoneName)\"; use an IANA name such as Europe/Berlin.")
            }
            var day: Date?
            if let d = form["date"], !d.isEmpty {
                guard let parsed = LoreTime.parseLocal(d + "T00:00", timeZone: zone) else {
                    return try await page(context, text: text, timeZone: zoneName, date: d, result: nil, error: "\"\(d)\" is not a date (YYYY-MM-DD).")
                }
                day = parsed
            }
            let table: TimelineTableResult
            do {
                table = try TimelineTable.parse(text, fileName: "pasted table", timeZone: zone, date: day, skipBadRows: form["skipBadRows"] == "1")
            } catch let e as TimelineTableError {
                return try await page(context, text: text, timeZone: zoneName, date: form["date"] ?? "", result: nil, error: e.description + " Nothing was imported.")
            }
            guard form["confirm"] == "1" else {
                return try await page(context, text: text, timeZone: zoneName, date: form["date"] ?? "", result: table, error: nil, skipBadRows: form["skipBadRows"] == "1")
            }
            try await store.importTimeline(table.entries(incidentID: incident.id, now: Date()))
            return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
        }
    }

    func page(_ context: LoreRequestContext, text: String, timeZone: String?, date: String, result: TimelineTableResult?, error: String?, skipBadRows: Bool = false) async throws -> Response {
        let user = try context.requireUser()
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return app.views.page("timeline_import", title: "Import a timeline · \(incident.key)", context: context, settings: try await store.settings(),
                              status: error == nil ? .ok : .unprocessableContent, values: [
            "incident": ["key": incident.key, "title": incident.title],
            "table": text, "timeZone": timeZone ?? user.timeZone, "date": date, "skipBadRows": skipBadRows,
            "error": error ?? false,
            "preview": result.map { r -> [String: Any] in
                [
                    "format": r.format.rawValue, "count": r.rows.count,
                    "rows": r.rows.map { ["line": $0.line, "time": ViewValues.time($0.occurredAt, user.zone), "author": $0.author, "text": $0.text, "kind": $0.kind?.rawValue ?? "note"] },
                    "skipped": r.skipped.map { ["line": $0.line, "reason": $0.reason] }, "hasSkipped": !r.skipped.isEmpty,
                ]
            } ?? false,
        ])
    }
}
