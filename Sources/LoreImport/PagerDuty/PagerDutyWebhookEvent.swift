import Foundation
import LoreCore

/// Reads one PagerDuty v3 webhook body into the timeline line it adds.
///
/// The body is `{"event": {"id", "event_type", "resource_type", "occurred_at",
/// "agent", "client", "data"}}`. The signature has already been checked by
/// the caller; this only reads the verified bytes.
///
/// **Which incident.** When `data.type` is `incident` the incident is `data`
/// itself (status, urgency, priority, service, assignees...). Otherwise
/// (`incident_note`, `incident_responder`, `incident_status_update`,
/// `incident_conference_bridge`, `incident_workflow_instance`, ...) it is the
/// reference in `data.incident`: id, title and link only, the rest nil, so a
/// note never erases what an earlier event said about the incident. Events
/// arrive out of order and the stream may begin anywhere (a subscription made
/// mid-incident starts at `incident.escalated`): every event stands alone.
///
/// **What it says.** Each event type becomes a change to Lore's incident (if
/// any), a timeline kind and a sentence written for the review, not for a
/// log parser:
///
/// | event_type | change | kind | text |
/// |---|---|---|---|
/// | incident.triggered | triggered | alert | Triggered: <title> on <service> (high urgency) |
/// | incident.acknowledged | acknowledged | action | Acknowledged by <agent> |
/// | incident.unacknowledged | none | alert | Unacknowledged: the incident is triggered again |
/// | incident.resolved | resolved | action | Resolved by <agent> (merged into <incident>) |
/// | incident.reopened | reopened | action | Reopened by <agent> |
/// | incident.priority_updated | priorityChanged | decision | Priority changed to P1 / Priority removed |
/// | incident.reassigned | reassigned | action | Reassigned to A, B |
/// | incident.delegated | reassigned | action | Delegated to escalation policy <policy>, assigned to A |
/// | incident.escalated | none | action | Escalated to A, B (escalation policy <policy>) |
/// | incident.service_updated | none | action | Moved to service <service> |
/// | incident.annotated | none | note | the note itself |
/// | incident.responder.added | none | communication | <user> was asked to respond: <message> |
/// | incident.responder.replied | none | communication | <user> replied: accepted |
/// | incident.status_update_published | none | communication | Status update: <message> |
/// | incident.conference_bridge.updated | none | communication | Conference bridge: <url>, <numbers> |
/// | incident.workflow.started / .completed | none | action | Workflow "<name>" started: <summary> |
/// | any other incident event | none | note | PagerDuty event <type>: <summary> |
///
/// Delegation is a reassignment (to another escalation policy), so it
/// changes the incident like `incident.reassigned` and like the REST
/// `delegate_log_entry`; an escalation is PagerDuty following its policy and
/// only adds a line.
///
/// **Who.** `event.agent.summary` (a person, or the service for automatic
/// events), else `event.client.name`, else nil (the entry says "PagerDuty").
///
/// **Errors** name the JSON path and what was expected: invalid JSON (with
/// line and column), a missing `event`, a missing or blank `event.id`, an
/// `occurred_at` that is not a time, an event without an incident id, or a
/// member of the wrong type. Events about something other than an incident
/// (`service.updated`, `pagey.ping`) throw `.notAnIncidentEvent`
/// (`isIgnorable`): answer 2xx and drop them, or call
/// `parseIfAboutIncident`, which returns nil for them.
///
/// Fast enough for bursts: the captured 1–2.5 KB events take 6–9 µs each
/// in a release build on a small Linux VM (see `PagerDutyJSON`). Stateless
/// and thread-safe.
public enum PagerDutyWebhookEvent {
    typealias Value = PagerDutyJSON.Value
    typealias Failure = PagerDutyPayloadError
    typealias Reading = PagerDutyIncidentReading

    /// The activity the event adds; throws `.notAnIncidentEvent` for events
    /// that are not about an incident.
    public static func parse(_ body: Data) throws(PagerDutyPayloadError) -> PagerDutyActivity {
        let document = try PagerDutyJSON.Document.parse(body)
        let root = document.root
        guard root.isObject else { throw root.mismatch("a PagerDuty v3 webhook body, {\"event\": {...}}") }
        let event = try root.requiredObject("event", "the webhook's event object, as in {\"event\": {\"id\": ..., \"event_type\": ...}}")
        let eventType = try event.requiredText("event_type", "the event type as text, such as \"incident.acknowledged\"")
        do throws(Failure) {
            return try read(event, eventType: eventType)
        } catch {
            var e = error
            e.eventType = eventType
            throw e
        }
    }

    /// Like `parse`, but nil (instead of throwing) for a well-formed event
    /// that is not about an incident, which the endpoint should acknowledge
    /// and ignore.
    public static func parseIfAboutIncident(_ body: Data) throws(PagerDutyPayloadError) -> PagerDutyActivity? {
        do throws(Failure) {
            return try parse(body)
        } catch where error.isIgnorable {
            return nil
        }
    }

    private static func read(_ event: Value, eventType: String) throws(Failure) -> PagerDutyActivity {
        let resourceType = try event.text("resource_type")
        let aboutIncident = resourceType.map { $0 == "incident" } ?? eventType.hasPrefix("incident.")
        guard aboutIncident else {
            throw Failure(
                reason: .notAnIncidentEvent, path: "event.event_type",
                message: "\(eventType) is not about an incident; Lore records nothing for it", eventType: eventType
            )
        }
        let id = try event.requiredText("id", "the event's id as text")
        let occurredAt = try event.requiredDate("occurred_at", "when the event happened")
        let data = try event.requiredObject("data", "the event's data object")
        let dataType = try data.text("type")

        let incident: PagerDutyIncidentSnapshot
        if dataType == "incident" {
            incident = try Reading.incident(data)
        } else if let reference = try data.object("incident") {
            incident = try Reading.reference(reference)
        } else if dataType == nil {
            incident = try Reading.incident(data)
        } else {
            throw data.missing("incident", "a reference to the incident this \(dataType ?? "event") is about, with its id")
        }

        var agent: String?
        if let a = try event.object("agent") { agent = try Reading.name(a) }
        if agent == nil, let client = event.member("client") {
            if client.isObject {
                agent = try client.text("name")
                if agent == nil { agent = try Reading.name(client) }
            } else if let s = client.stringValue?.nonBlank {
                agent = s
            }
        }

        let (change, kind, text) = try describe(eventType, data: data, incident: incident, agent: agent)
        return PagerDutyActivity(
            id: id, type: eventType, change: change, occurredAt: occurredAt, agent: agent, text: text,
            kind: kind, link: incident.url, incident: incident
        )
    }

    private static func describe(
        _ eventType: String, data: Value, incident: PagerDutyIncidentSnapshot, agent: String?
    ) throws(Failure) -> (PagerDutyActivity.Change, TimelineKind, String) {
        func by(_ verb: String) -> String { agent.map { "\(verb) by \($0)" } ?? verb }
        let assignees = incident.assignees ?? []

        switch eventType {
        case "incident.triggered":
            var text = "Triggered: \(incident.title ?? "incident \(incident.id)")"
            if let service = incident.serviceName { text += " on \(service)" }
            if let urgency = incident.urgency { text += " (\(urgency) urgency)" }
            return (.triggered, .alert, text)

        case "incident.acknowledged":
            return (.acknowledged, .action, by("Acknowledged"))

        case "incident.unacknowledged":
            return (.none, .alert, "Unacknowledged: the incident is triggered again")

        case "incident.resolved":
            return (.resolved, .action, by("Resolved") + resolveReason(data))

        case "incident.reopened":
            return (.reopened, .action, by("Reopened"))

        case "incident.priority_updated":
            return (.priorityChanged, .decision, incident.priority.map { "Priority changed to \($0)" } ?? "Priority removed")

        case "incident.reassigned":
            return (.reassigned, .action, assignees.isEmpty ? "Reassigned; no one is assigned now" : "Reassigned to \(Reading.list(assignees))")

        case "incident.delegated":
            let policy = try escalationPolicy(data)
            var text = policy.map { "Delegated to escalation policy \($0)" } ?? "Delegated"
            if !assignees.isEmpty { text += (policy == nil ? " to " : ", assigned to ") + Reading.list(assignees) }
            return (.reassigned, .action, text)

        case "incident.escalated":
            var text = assignees.isEmpty ? "Escalated" : "Escalated to \(Reading.list(assignees))"
            if let policy = try escalationPolicy(data) { text += " (escalation policy \(policy))" }
            return (.none, .action, text)

        case "incident.service_updated":
            return (.none, .action, incident.serviceName.map { "Moved to service \($0)" } ?? "Moved to another service")

        case "incident.annotated":
            return (.none, .note, try data.text("content") ?? "Note added")

        case "incident.responder.added":
            let who = try responder(data)
            return (.none, .communication, "\(who) was asked to respond" + (try data.text("message").map { ": \($0)" } ?? ""))

        case "incident.responder.replied":
            let who = try responder(data)
            return (.none, .communication, "\(who) replied: \(try data.text("state") ?? "replied")")

        case "incident.status_update_published":
            return (.none, .communication, try data.text("message").map { "Status update: \($0)" } ?? "Status update published")

        case "incident.conference_bridge.updated":
            var parts: [String] = []
            if let url = try data.text("conference_url") { parts.append(url) }
            parts += conferenceNumbers(data)
            return (.none, .communication, parts.isEmpty ? "Conference bridge removed" : "Conference bridge: " + parts.joined(separator: ", "))

        case "incident.workflow.started", "incident.workflow.completed":
            let verb = eventType.hasSuffix("started") ? "started" : "completed"
            var name: String?
            if let workflow = try data.object("incident_workflow") { name = try Reading.name(workflow) }
            var text = name.map { "Workflow \"\($0)\" \(verb)" } ?? "Workflow \(verb)"
            if let summary = try data.text("summary") { text += ": \(summary)" }
            return (.none, .action, text)

        default:
            // Unknown or newer event types are kept, never refused: read
            // leniently whatever summary the data has.
            let detail = data.looseString("summary") ?? data.looseString("message") ?? data.looseString("content")
                ?? incident.title
            return (.none, .note, "PagerDuty event \(eventType)" + (detail.map { ": \($0)" } ?? ""))
        }
    }

    private static func escalationPolicy(_ data: Value) throws(Failure) -> String? {
        guard let policy = try data.object("escalation_policy") else { return nil }
        return try Reading.name(policy)
    }

    private static func responder(_ data: Value) throws(Failure) -> String {
        if let user = try data.object("user"), let name = try Reading.name(user) { return name }
        if let policy = try escalationPolicy(data) { return policy }
        return "A responder"
    }

    /// ` (merged into <incident>)`. `resolve_reason` is documented only for
    /// merges, so it is read leniently.
    private static func resolveReason(_ data: Value) -> String {
        guard let reason = data.member("resolve_reason") else { return "" }
        if let text = reason.stringValue?.nonBlank {
            return " (\(text))"
        }
        guard reason.isObject else { return "" }
        let type = reason.looseString("type") ?? ""
        if type.contains("merge") {
            let target = reason.looseObject("incident").flatMap { $0.looseString("summary") ?? $0.looseString("id") }
            return target.map { " (merged into \($0))" } ?? " (merged into another incident)"
        }
        if let summary = reason.looseString("summary") { return " (\(summary))" }
        return type.isEmpty ? "" : " (\(type.replacingOccurrences(of: "_", with: " ")))"
    }

    /// `conference_numbers` (a list of strings or of `{number, label}`) or a
    /// single `conference_number`; read leniently.
    private static func conferenceNumbers(_ data: Value) -> [String] {
        var numbers: [String] = []
        for item in data.looseArray("conference_numbers") {
            if let s = item.stringValue?.nonBlank {
                numbers.append(s)
            } else if let number = item.looseString("number") {
                numbers.append(item.looseString("label").map { "\(number) (\($0))" } ?? number)
            }
        }
        if let single = data.looseString("conference_number") { numbers.append(single) }
        return numbers
    }
}
