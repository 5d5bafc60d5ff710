import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// The audit log for admins: `/settings/audit` and `GET /api/v1/audit`, with
/// the same filters. To anyone else neither exists (404).
struct AuditPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.group("settings/audit").add(middleware: RequireAdminMiddleware()).get { request, context in
            let user = try context.requireUser()
            let filter = try Self.filter(request, emptyMeansAbsent: true)
            let events = try await store.auditEvents(filter, viewer: try await store.viewer(for: user))
            let q = request.uri.queryParameters
            return app.views.page("audit", title: "Audit log", context: context, settings: try await store.settings(), values: [
                "events": events.map { Self.row($0, zone: user.zone) }, "hasEvents": !events.isEmpty,
                "actions": AuditAction.allCases.map { ["value": $0.rawValue, "selected": $0 == filter.action] },
                "subjectType": q["subjectType"].map(String.init) ?? "", "since": q["since"].map(String.init) ?? "",
                "until": q["until"].map(String.init) ?? "", "limit": filter.limit,
            ])
        }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("audit") { request, context in
            let viewer = try await store.viewer(for: try context.requireUser())
            guard viewer.isAdmin else { throw LoreHTTPError.notFound("Audit log") }
            return JSONResponse.make(ItemsJSON(try await store.auditEvents(try Self.filter(request), viewer: viewer).map(Representation.auditEvent)))
        }
        api.get("reviews/:id/history") { _, context in
            let viewer = try await store.viewer(for: try context.requireUser())
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Review") }
            return JSONResponse.make(ItemsJSON(try await store.reviewHistory(reviewID: id, viewer: viewer).map(Representation.auditEvent)))
        }
    }

    /// `action`, `actorId`, `subjectType`, `subjectId`, `since`, `until`
    /// (RFC 3339), `limit` (1–500). The page's form sends empty fields for
    /// "any"; through the API an empty value is as wrong as any other.
    static func filter(_ request: Request, emptyMeansAbsent: Bool = false) throws -> AuditFilter {
        let q = request.uri.queryParameters
        func param(_ n: String) -> String? { q[Substring(n)].map(String.init).flatMap { $0.isEmpty && emptyMeansAbsent ? nil : $0 } }
        var v = Validator()
        var f = AuditFilter()
        if let a = param("action") {
            if let action = AuditAction(rawValue: a) { f.action = action } else { v.add("action", "unknown", "\"action\" must be one of \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(a)\".") }
        }
        if let a = param("actorId") {
            if let id = UUID(uuidString: a) { f.actorID = id } else { v.add("actorId", "invalid_id", "\"actorId\" must be an id (UUID); got \"\(a)\".") }
        }
        f.subjectType = param("subjectType")
        f.subjectID = param("subjectId")
        for (name, keyPath) in [("since", \AuditFilter.since), ("until", \AuditFilter.until)] as [(String, WritableKeyPath<AuditFilter, Date?>)] {
            guard let s = param(name) else { continue }
            if let d = LoreTime.parseISO(s) { f[keyPath: keyPath] = d } else { v.add(name, "invalid_time", "\"\(name)\" must be an RFC 3339 time such as 2026-03-01T00:00:00Z; got \"\(s)\".") }
        }
        if let l = param("limit") {
            if let n = Int(l), (1...AuditFilter.maxLimit).contains(n) { f.limit = n } else { v.add("limit", "out_of_range", "\"limit\" must be a whole number from 1 to \(AuditFilter.maxLimit); got \"\(l)\".") }
        }
        try v.check()
        return f
    }

    static func row(_ e: AuditEvent, zone: TimeZone) -> [String: Any] {
        ["at": ViewValues.time(e.at, zone), "actor": e.actorName, "action": e.action.rawValue, "subject": [e.subjectType, e.subjectID].compactMap { $0 }.joined(separator: " "),
         "change": [e.from, e.to].allSatisfy { $0 == nil } ? "" : "\(e.from ?? "—") → \(e.to ?? "—")", "detail": e.detail ?? "", "address": e.address ?? ""]
    }
}
