import Foundation

/// PagerDuty's own incident states.
public enum PagerDutyStatus: String, Codable, Sendable, CaseIterable {
    case triggered, acknowledged, resolved

    /// Lore's coarser status: an incident is open until PagerDuty resolves it.
    public var incidentStatus: IncidentStatus { self == .resolved ? .resolved : .open }
}

/// What a PagerDuty event or log entry says about its incident. Fields are
/// nil when the payload does not carry them (a note event names the incident
/// and nothing else), so that a thin payload never erases what a fuller one
/// said earlier.
public struct PagerDutyIncidentSnapshot: Equatable, Sendable {
    /// PagerDuty's incident id (`PQ1K5C8`, `Q3B15VLMF3ASBD`).
    public var id: String
    public var number: Int?
    public var title: String?
    /// The incident's page in PagerDuty (`html_url`).
    public var url: String?
    public var status: PagerDutyStatus?
    /// `high` or `low`.
    public var urgency: String?
    /// The priority's name (`P1` … `P5`), nil when the account has none.
    public var priority: String?
    public var serviceID: String?
    public var serviceName: String?
    /// When PagerDuty opened the incident: Lore's "detected" moment.
    public var createdAt: Date?
    /// Names of the people it is assigned to.
    public var assignees: [String]?
    /// When PagerDuty last changed the status (`last_status_change_at` in REST
    /// listings): lets a snapshot with no event time be ordered against events.
    public var lastStatusChangeAt: Date?

    public init(
        id: String, number: Int? = nil, title: String? = nil, url: String? = nil, status: PagerDutyStatus? = nil,
        urgency: String? = nil, priority: String? = nil, serviceID: String? = nil, serviceName: String? = nil,
        createdAt: Date? = nil, assignees: [String]? = nil, lastStatusChangeAt: Date? = nil
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.url = url
        self.status = status
        self.urgency = urgency
        self.priority = priority
        self.serviceID = serviceID
        self.serviceName = serviceName
        self.createdAt = createdAt
        self.assignees = assignees
        self.lastStatusChangeAt = lastStatusChangeAt
    }
}

/// One thing that happened to a PagerDuty incident, from a webhook v3 event
/// or a REST log entry, already turned into the line it adds to the timeline.
public struct PagerDutyActivity: Equatable, Sendable {
    /// What the activity changes on Lore's incident, beyond adding a line.
    public enum Change: String, Equatable, Sendable {
        case triggered, acknowledged, resolved, reopened, priorityChanged, reassigned
        /// Only a timeline line (notes, escalations, notifications, workflows, unknown types).
        case none
    }

    /// The event id (webhooks) or log entry id (REST): the timeline entry's
    /// external id, so the same delivery or export never adds a second line.
    public var id: String
    /// PagerDuty's name for it: `incident.acknowledged`, `acknowledge_log_entry`.
    public var type: String
    public var change: Change
    public var occurredAt: Date
    /// Who did it (a person's name, an integration, "PagerDuty").
    public var agent: String?
    /// The timeline text.
    public var text: String
    public var kind: TimelineKind
    /// Where to see it in PagerDuty (the incident's page).
    public var link: String?
    public var incident: PagerDutyIncidentSnapshot

    public init(
        id: String, type: String, change: Change, occurredAt: Date, agent: String?, text: String,
        kind: TimelineKind, link: String?, incident: PagerDutyIncidentSnapshot
    ) {
        self.id = id
        self.type = type
        self.change = change
        self.occurredAt = occurredAt
        self.agent = agent
        self.text = text
        self.kind = kind
        self.link = link
        self.incident = incident
    }

    /// The timeline entry this activity adds to a Lore incident.
    public func entry(incidentID: UUID, now: Date) -> TimelineEntry {
        TimelineEntry(
            incidentID: incidentID, occurredAt: LoreTime.milliseconds(occurredAt), recordedAt: LoreTime.milliseconds(now),
            author: agent.flatMap { $0.isEmpty ? nil : String($0.prefix(Limits.name)) } ?? "PagerDuty",
            source: .pagerduty, kind: kind, text: String(text.prefix(Limits.longText)),
            externalID: String(id.prefix(Limits.externalId)), sourceURL: link
        )
    }
}
