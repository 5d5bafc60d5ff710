import Foundation
import LoreCore

/// What one PagerDuty REST export file held.
public struct PagerDutyExportContents: Equatable, Sendable {
    /// Which PagerDuty REST response a page is.
    public enum Document: String, Equatable, Sendable, CaseIterable {
        /// `GET /incidents/{id}`: `{"incident": {...}}` (or a bare incident object in an array).
        case incident
        /// `GET /incidents`: `{"incidents": [...], "limit", "offset", "more", "total"}`.
        case incidentList
        /// `GET /log_entries/{id}`: `{"log_entry": {...}}` (or a bare log entry in an array).
        case logEntry
        /// `GET /incidents/{id}/log_entries` or `GET /log_entries`: `{"log_entries": [...], ...}`.
        case logEntryList
    }

    /// One response in the file, with PagerDuty's paging fields as given.
    public struct Page: Equatable, Sendable {
        public var document: Document
        /// The file it came from, so that a missing page can be reported
        /// after files are merged.
        public var fileName: String?
        /// Where in the file: nil for the file itself, `[1]` for the second
        /// element of a concatenated array.
        public var path: String?
        /// How many incidents or log entries it held.
        public var count: Int
        public var offset: Int?
        public var limit: Int?
        /// PagerDuty's "there is a next page".
        public var more: Bool?
        /// Only when the request asked for `total=true`.
        public var total: Int?
        /// For log entries: the incident they all belong to (nil when mixed or empty).
        public var incidentID: String?

        public init(
            document: Document, fileName: String? = nil, path: String? = nil, count: Int, offset: Int? = nil,
            limit: Int? = nil, more: Bool? = nil, total: Int? = nil, incidentID: String? = nil
        ) {
            self.document = document
            self.fileName = fileName
            self.path = path
            self.count = count
            self.offset = offset
            self.limit = limit
            self.more = more
            self.total = total
            self.incidentID = incidentID
        }
    }

    /// In file order.
    public var pages: [Page]
    /// From `incident`/`incidents` documents, in file order. Incidents only
    /// named by log entries are not listed here; each activity carries its own.
    public var incidents: [PagerDutyIncidentSnapshot]
    /// From log entries, in file order (exports are often newest first);
    /// `merged` sorts them by time.
    public var activities: [PagerDutyActivity]

    public init(pages: [Page] = [], incidents: [PagerDutyIncidentSnapshot] = [], activities: [PagerDutyActivity] = []) {
        self.pages = pages
        self.incidents = incidents
        self.activities = activities
    }

    /// Listing pages that say `more: true` and whose next page (same listing,
    /// offset + count) is not among `pages`: the export is incomplete, and
    /// the person importing it should be told so.
    public var pagesWithMissingNext: [Page] {
        pages.filter { page in
            guard page.more == true, page.document == .incidentList || page.document == .logEntryList else { return false }
            let next = (page.offset ?? 0) + page.count
            return !pages.contains {
                $0.document == page.document && $0.incidentID == page.incidentID && ($0.offset ?? 0) == next
            }
        }
    }

    /// Several files (pages of a listing, an incident and its log entries)
    /// as one: incidents by id, each field taken from the last file that
    /// carries it; activities once per id (the first seen), sorted by time.
    public static func merged(_ parts: [PagerDutyExportContents]) -> PagerDutyExportContents {
        var result = PagerDutyExportContents()
        var incidentIndex: [String: Int] = [:]
        var seenActivities = Set<String>()
        for part in parts {
            result.pages += part.pages
            for incident in part.incidents {
                if let i = incidentIndex[incident.id] {
                    result.incidents[i] = filling(result.incidents[i], with: incident)
                } else {
                    incidentIndex[incident.id] = result.incidents.count
                    result.incidents.append(incident)
                }
            }
            for activity in part.activities where seenActivities.insert(activity.id).inserted {
                result.activities.append(activity)
            }
        }
        result.activities = result.activities.enumerated()
            .sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }
            .map(\.element)
        return result
    }

    private static func filling(_ old: PagerDutyIncidentSnapshot, with new: PagerDutyIncidentSnapshot) -> PagerDutyIncidentSnapshot {
        PagerDutyIncidentSnapshot(
            id: old.id, number: new.number ?? old.number, title: new.title ?? old.title, url: new.url ?? old.url,
            status: new.status ?? old.status, urgency: new.urgency ?? old.urgency, priority: new.priority ?? old.priority,
            serviceID: new.serviceID ?? old.serviceID, serviceName: new.serviceName ?? old.serviceName,
            createdAt: new.createdAt ?? old.createdAt, assignees: new.assignees ?? old.assignees,
            lastStatusChangeAt: new.lastStatusChangeAt ?? old.lastStatusChangeAt
        )
    }
}

/// Reads a file saved from PagerDuty's REST API v2 (what someone fetched
/// with curl or a script to backfill an incident that happened before the
/// webhook was set up) into incident snapshots and timeline activities.
///
/// Accepted, one response per file or several concatenated into a JSON array:
/// - `GET /incidents/{id}` → `{"incident": {...}}`
/// - `GET /incidents` → `{"incidents": [...], "limit", "offset", "more", "total"}`
/// - `GET /incidents/{id}/log_entries` (or `/log_entries`) → `{"log_entries": [...], ...}`
/// - `GET /log_entries/{id}` → `{"log_entry": {...}}`
/// - in an array, bare incident (`"type": "incident"`) and log entry objects too.
///
/// Each file is read on its own; several pages given as several files are
/// put together with `PagerDutyExportContents.merged`, and
/// `pagesWithMissingNext` says whether a page is missing.
///
/// **Incidents** (REST spelling: `incident_number`, `assignments[].assignee`)
/// become full snapshots. A log entry's `incident` is usually a reference
/// (`[#1234] Title`, id, link): its snapshot has only number, title and url;
/// with `include[]=incidents` it is a whole incident and read as one.
///
/// **Log entries** become activities (the log entry id is the activity id,
/// so importing the same file twice adds nothing). `_reference` forms read
/// as their full type:
///
/// | type | change | kind | text |
/// |---|---|---|---|
/// | trigger_log_entry | triggered | alert | Triggered: <title> on <service> |
/// | acknowledge_log_entry | acknowledged | action | Acknowledged by <agent> |
/// | unacknowledge_log_entry | none | alert | Unacknowledged: the incident is triggered again |
/// | resolve_log_entry | resolved | action | Resolved by <agent> |
/// | reopen_log_entry | reopened | action | Reopened by <agent> |
/// | assign_log_entry | reassigned | action | Assigned to A, B |
/// | delegate_log_entry | reassigned | action | Delegated to A, B (or PagerDuty's summary) |
/// | escalate_log_entry | none | action | Escalated to A, B |
/// | notify_log_entry | none | communication | Notified <user> by SMS |
/// | annotate_log_entry | none | note | the note itself (`channel.summary`) |
/// | snooze_log_entry | none | action | Snoozed by <agent> until 2026-04-01 04:00 UTC |
/// | priority_change_log_entry | priorityChanged | decision | PagerDuty's summary |
/// | urgency_change_log_entry | none | decision | PagerDuty's summary |
/// | reach_trigger_limit / reach_ack_limit / exhaust_escalation_path | none | alert | PagerDuty's summary |
/// | repeat_escalation_path_log_entry | none | action | PagerDuty's summary |
/// | link_log_entry and any other type | none | note | PagerDuty's summary |
///
/// **Errors** name the file, the JSON path (`log_entries[3].created_at`) and
/// what was expected; JSON of another shape is refused with the list of
/// accepted shapes. The whole file is refused on the first problem: an
/// export is machine-written, so one bad entry means the wrong file.
public enum PagerDutyExport {
    typealias Value = PagerDutyJSON.Value
    typealias Failure = PagerDutyPayloadError
    typealias Reading = PagerDutyIncidentReading

    static let acceptedShapes = """
        expected a PagerDuty REST API response: {"incident": {...}} (GET /incidents/{id}), \
        {"incidents": [...]} (GET /incidents), {"log_entries": [...]} (GET /incidents/{id}/log_entries), \
        {"log_entry": {...}} (GET /log_entries/{id}), or a JSON array of these
        """

    public static func parse(_ data: Data, fileName: String) throws(PagerDutyPayloadError) -> PagerDutyExportContents {
        do throws(Failure) {
            let root = try PagerDutyJSON.Document.parse(data).root
            var contents = PagerDutyExportContents()
            switch root.kind {
            case .object:
                try readObject(root, into: &contents)
            case .array:
                for element in root.elements {
                    guard element.isObject else { throw element.mismatch("an object (one PagerDuty response, incident or log entry)") }
                    try readObject(element, into: &contents)
                }
            default:
                throw root.error("\(acceptedShapes); found \(root.found)")
            }
            for i in contents.pages.indices { contents.pages[i].fileName = fileName }
            return contents
        } catch {
            throw error.inFile(fileName)
        }
    }

    private static func readObject(_ v: Value, into contents: inout PagerDutyExportContents) throws(Failure) {
        // A bare incident or log entry, as found in a hand-made array. (A log
        // entry has an `incident` member too, so its type is looked at first.)
        let type = v.looseString("type") ?? ""
        if type == "incident" {
            contents.incidents.append(try Reading.incident(v))
            contents.pages.append(.init(document: .incident, path: v.path.errorPath, count: 1))
            return
        }
        if type.hasSuffix("_log_entry") || type.hasSuffix("_log_entry_reference") {
            let activity = try logEntry(v)
            contents.pages.append(.init(document: .logEntry, path: v.path.errorPath, count: 1, incidentID: activity.incident.id))
            contents.activities.append(activity)
            return
        }

        var recognised = false
        if let list = v.member("incidents") {
            guard list.isArray else { throw list.mismatch("an array of incidents") }
            recognised = true
            var snapshots: [PagerDutyIncidentSnapshot] = []
            for item in list.elements { snapshots.append(try Reading.incident(item)) }
            contents.pages.append(try paging(v, .incidentList, count: snapshots.count))
            contents.incidents += snapshots
        }
        if let single = v.member("incident") {
            recognised = true
            contents.incidents.append(try Reading.incident(single))
            contents.pages.append(.init(document: .incident, path: v.path.errorPath, count: 1))
        }
        if let list = v.member("log_entries") {
            guard list.isArray else { throw list.mismatch("an array of log entries") }
            recognised = true
            var activities: [PagerDutyActivity] = []
            for item in list.elements { activities.append(try logEntry(item)) }
            var page = try paging(v, .logEntryList, count: activities.count)
            let ids = Set(activities.map(\.incident.id))
            page.incidentID = ids.count == 1 ? ids.first : nil
            contents.pages.append(page)
            contents.activities += activities
        }
        if let single = v.member("log_entry") {
            recognised = true
            let activity = try logEntry(single)
            contents.pages.append(.init(document: .logEntry, path: v.path.errorPath, count: 1, incidentID: activity.incident.id))
            contents.activities.append(activity)
        }
        guard !recognised else { return }
        let names = v.memberNames.prefix(5).map { "\"\($0)\"" }
        let found = names.isEmpty ? "an empty object" : "an object with " + names.joined(separator: ", ")
        throw v.error("\(acceptedShapes); found \(found)")
    }

    /// PagerDuty's classic paging fields, all optional.
    private static func paging(
        _ v: Value, _ document: PagerDutyExportContents.Document, count: Int
    ) throws(Failure) -> PagerDutyExportContents.Page {
        PagerDutyExportContents.Page(
            document: document, path: v.path.errorPath, count: count,
            offset: try v.int("offset"), limit: try v.int("limit"), more: try v.bool("more"), total: try v.int("total")
        )
    }

    // MARK: - Log entries

    static func logEntry(_ v: Value) throws(Failure) -> PagerDutyActivity {
        guard v.isObject else { throw v.mismatch("a log entry object") }
        let id = try v.requiredText("id", "the log entry's id")
        let type = try v.requiredText("type", "the log entry's type, such as \"acknowledge_log_entry\"")
        let createdAt = try v.requiredDate("created_at", "when it happened")
        let incident = try Reading.reference(try v.requiredObject("incident", "the incident it belongs to, with its id"))
        var agent: String?
        if let a = try v.object("agent") { agent = try Reading.name(a) }
        let (change, kind, text) = try describe(v, type: type, incident: incident, agent: agent)
        return PagerDutyActivity(
            id: id, type: type, change: change, occurredAt: createdAt, agent: agent, text: text,
            kind: kind, link: incident.url, incident: incident
        )
    }

    private static func describe(
        _ v: Value, type: String, incident: PagerDutyIncidentSnapshot, agent: String?
    ) throws(Failure) -> (PagerDutyActivity.Change, TimelineKind, String) {
        let summary = try v.text("summary")
        // `channel` is polymorphic (its members depend on its type): read leniently.
        let channel = v.looseObject("channel")
        func by(_ verb: String) -> String { agent.map { "\(verb) by \($0)" } ?? summary ?? verb }
        func people(_ key: StaticString) throws(Failure) -> [String] {
            guard let list = try v.array(key) else { return [] }
            return try Reading.names(list)
        }

        let base = type.hasSuffix("_reference") ? String(type.dropLast("_reference".count)) : type
        switch base {
        case "trigger_log_entry":
            let what = incident.title ?? v.looseObject("event_details")?.looseString("description") ?? summary
            var text = what.map { "Triggered: \($0)" } ?? "Triggered"
            if let service = try v.object("service"), let name = try Reading.name(service) { text += " on \(name)" }
            return (.triggered, .alert, text)

        case "acknowledge_log_entry":
            return (.acknowledged, .action, by("Acknowledged"))

        case "unacknowledge_log_entry":
            return (.none, .alert, "Unacknowledged: the incident is triggered again")

        case "resolve_log_entry":
            return (.resolved, .action, by("Resolved"))

        case "reopen_log_entry":
            return (.reopened, .action, by("Reopened"))

        case "assign_log_entry":
            let names = try people("assignees")
            return (.reassigned, .action, names.isEmpty ? summary ?? "Reassigned" : "Assigned to \(Reading.list(names))")

        case "delegate_log_entry":
            let names = try people("assignees")
            return (.reassigned, .action, names.isEmpty ? summary ?? "Delegated" : "Delegated to \(Reading.list(names))")

        case "escalate_log_entry":
            let names = try people("assignees")
            return (.none, .action, names.isEmpty ? summary ?? "Escalated" : "Escalated to \(Reading.list(names))")

        case "notify_log_entry":
            var user: String?
            if let u = try v.object("user") { user = try Reading.name(u) }
            guard let user else { return (.none, .communication, summary ?? "Notification sent") }
            let how = channel?.looseString("type").map { " by \(Reading.channelName($0))" } ?? ""
            return (.none, .communication, "Notified \(user)\(how)")

        case "annotate_log_entry":
            let note = channel?.looseString("summary") ?? channel?.looseString("notes") ?? summary ?? "Note added"
            return (.none, .note, note)

        case "snooze_log_entry":
            // `changed_actions`: what PagerDuty will do when the snooze ends, and when.
            let until = v.looseArray("changed_actions").compactMap { $0.looseDate("at") }.min()
            if let until {
                return (.none, .action, (agent.map { "Snoozed by \($0)" } ?? "Snoozed") + " until \(PagerDutyTime.display(until))")
            }
            return (.none, .action, by("Snoozed"))

        case "priority_change_log_entry":
            return (.priorityChanged, .decision, summary ?? "Priority changed")

        case "urgency_change_log_entry":
            return (.none, .decision, summary ?? "Urgency changed")

        case "reach_trigger_limit_log_entry":
            return (.none, .alert, summary ?? "Trigger limit reached: further alerts were not added")

        case "reach_ack_limit_log_entry":
            return (.none, .alert, summary ?? "Acknowledgement limit reached")

        case "exhaust_escalation_path_log_entry":
            return (.none, .alert, summary ?? "Escalation policy exhausted: no one acknowledged")

        case "repeat_escalation_path_log_entry":
            return (.none, .action, summary ?? "Escalation policy repeated from the first level")

        default:
            return (.none, .note, summary ?? "PagerDuty log entry \(type)")
        }
    }
}
