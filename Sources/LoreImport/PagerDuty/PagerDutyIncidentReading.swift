import Foundation
import LoreCore

/// Reading incidents and references, shared by webhook events and REST exports.
///
/// PagerDuty spells the same incident differently by channel: webhooks say
/// `number` and `assignees: [user]`, the REST API `incident_number` and
/// `assignments: [{assignee: user}]`; both are read. A reference
/// (`incident_reference`, on notes, responders and log entries) carries only
/// id, summary and link, so the snapshot leaves everything else nil. A REST
/// reference's summary is `[#1234] The server is on fire.`: the number and
/// title are taken apart. An unknown `status` is left nil rather than
/// refusing the payload.
enum PagerDutyIncidentReading {
    typealias Value = PagerDutyJSON.Value
    typealias Failure = PagerDutyPayloadError

    /// A whole incident object (webhook `data` of type `incident`, REST `incident`).
    static func incident(_ v: Value) throws(Failure) -> PagerDutyIncidentSnapshot {
        guard v.isObject else { throw v.mismatch("an incident object") }
        var s = PagerDutyIncidentSnapshot(id: try v.requiredText("id", "the incident's id"))
        let fromSummary = try v.text("summary").map(splitSummary)
        s.number = try v.int("number")
        if s.number == nil { s.number = try v.int("incident_number") }
        if s.number == nil { s.number = fromSummary?.number }
        s.title = try v.text("title") ?? fromSummary?.title
        s.url = try v.text("html_url")
        // An unknown status is left out rather than failing the event.
        s.status = try v.text("status").flatMap(PagerDutyStatus.init(rawValue:))
        s.urgency = try v.text("urgency")
        if let priority = try v.object("priority") { s.priority = try name(priority) }
        if let service = try v.object("service") {
            s.serviceID = try service.text("id")
            s.serviceName = try name(service)
        }
        s.createdAt = try v.date("created_at")
        s.lastStatusChangeAt = try v.date("last_status_change_at")
        if let assignees = try v.array("assignees") {
            s.assignees = try names(assignees)
        } else if let assignments = try v.array("assignments") {
            var list: [String] = []
            for a in assignments {
                guard a.isObject else { throw a.mismatch("an assignment object") }
                guard let who = try a.object("assignee") else { continue }
                if let n = try name(who) { list.append(n) }
            }
            s.assignees = list
        }
        return s
    }

    /// An `incident_reference` (or, when the export asked for
    /// `include[]=incidents`, a whole incident).
    static func reference(_ v: Value) throws(Failure) -> PagerDutyIncidentSnapshot {
        guard v.isObject else { throw v.mismatch("an incident reference object") }
        if try v.text("type") == "incident" { return try incident(v) }
        var s = PagerDutyIncidentSnapshot(id: try v.requiredText("id", "the incident's id"))
        if let summary = try v.text("summary") {
            let parts = splitSummary(summary)
            s.number = parts.number
            s.title = parts.title
        }
        s.url = try v.text("html_url")
        return s
    }

    /// `[#1234] The server is on fire.` → (1234, "The server is on fire.").
    static func splitSummary(_ summary: String) -> (number: Int?, title: String) {
        guard summary.hasPrefix("[#"), let close = summary.firstIndex(of: "]") else { return (nil, summary) }
        let digits = summary[summary.index(summary.startIndex, offsetBy: 2)..<close]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits) else { return (nil, summary) }
        let rest = String(summary[summary.index(after: close)...]).trimmed
        return rest.isEmpty ? (n, summary) : (n, rest)
    }

    /// A reference's display name: `summary`, else `name`.
    static func name(_ v: Value) throws(Failure) -> String? {
        if let s = try v.text("summary") { return s }
        return try v.text("name")
    }

    /// Display names of a list of references (`assignees`), in order; an
    /// entry without a name is skipped.
    static func names(_ list: [Value]) throws(Failure) -> [String] {
        var result: [String] = []
        for item in list {
            guard item.isObject else { throw item.mismatch("an object with a \"summary\"") }
            if let n = try name(item) { result.append(n) }
        }
        return result
    }

    /// "A, B, C".
    static func list(_ names: [String]) -> String { names.joined(separator: ", ") }

    /// `push_notification` → "push notification", `sms` → "SMS".
    static func channelName(_ type: String) -> String {
        switch type.lowercased() {
        case "sms": return "SMS"
        case "push_notification", "push": return "push notification"
        case "phone", "voice": return "phone"
        case "email": return "email"
        case "api": return "the API"
        case "web_ui", "website", "web_trigger": return "the web app"
        case "mobile": return "the mobile app"
        default: return type.replacingOccurrences(of: "_", with: " ")
        }
    }
}
