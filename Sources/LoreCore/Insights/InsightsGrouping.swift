import Foundation

/// What Insights needs of one incident, and nothing more, so the store can
/// build it from one row of one streaming query. The accumulator keeps only
/// its durations (a number per measure per group), never the value itself.
public struct InsightsIncident: Sendable {
    public var id: UUID
    /// `INC-42`.
    public var key: String
    public var title: String
    public var severity: String
    /// Decides "still open" versus "time not recorded"; see
    /// `InsightsMeasure.outcomes(times:status:)`.
    public var status: IncidentStatus
    public var detectionSource: String
    /// Service slugs.
    public var services: [String]
    /// Team slugs.
    public var teams: [String]
    public var times: IncidentTimes
    public var createdAt: Date

    public init(
        id: UUID, key: String, title: String, severity: String, status: IncidentStatus,
        detectionSource: String, services: [String] = [], teams: [String] = [],
        times: IncidentTimes, createdAt: Date
    ) {
        self.id = id
        self.key = key
        self.title = title
        self.severity = severity
        self.status = status
        self.detectionSource = detectionSource
        self.services = services
        self.teams = teams
        self.times = times
        self.createdAt = createdAt
    }

    public init(_ incident: Incident) {
        self.init(
            id: incident.id, key: incident.key, title: incident.title, severity: incident.severity,
            status: incident.status, detectionSource: incident.detectionSource, services: incident.services,
            teams: incident.teams, times: incident.times, createdAt: incident.createdAt
        )
    }

    /// When the incident happened, which decides its period: the start of
    /// impact, else detection, else when it was recorded in Lore. Not the
    /// resolution: an incident that began in March belongs to March even if
    /// it was resolved in April, and an open incident has a period too.
    /// A store that filters by period in SQL must use the same order
    /// (`COALESCE(impact_started_at, detected_at, created_at)`).
    public var occurredAt: Date { Self.occurredAt(times: times, createdAt: createdAt) }

    public static func occurredAt(times: IncidentTimes, createdAt: Date) -> Date {
        times.impactStartedAt ?? times.detectedAt ?? createdAt
    }
}

/// How incidents are grouped. Detection source is the default because it is
/// the question the product exists for: are incidents that customers notice
/// first getting noticed sooner?
public enum InsightsGrouping: String, CaseIterable, Codable, Sendable {
    case detectionSource, service, team, severity

    public static let `default` = InsightsGrouping.detectionSource

    /// "Detection source": for headings and the grouping control.
    public var label: String {
        switch self {
        case .detectionSource: "Detection source"
        case .service: "Service"
        case .team: "Team"
        case .severity: "Severity"
        }
    }

    /// `detection-source`: how the CLI (`--by`) and query strings spell it.
    public var parameter: String { self == .detectionSource ? "detection-source" : rawValue }

    /// Reads `detection-source`, `detectionSource` or `detection_source`
    /// (any case), `service`, `team`, `severity` (plurals too). Nil for
    /// anything else, so the caller can name the parameter in its error.
    public init?(parameter: String) {
        let p = parameter.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        switch p {
        case "detectionsource", "detectionsources": self = .detectionSource
        case "service", "services": self = .service
        case "team", "teams": self = .team
        case "severity", "severities": self = .severity
        default: return nil
        }
    }

    /// The groups `incident` counts in: exactly one for detection source and
    /// severity; for services and teams, one per distinct service or team,
    /// because an incident that touched two services is part of the story of
    /// both. Group totals can then add up to more than the incident count;
    /// the report's own `incidentCount` counts each incident once. An
    /// incident with none (or only blank values) counts in the "none" group
    /// (`InsightsGroup.value == nil`), so it is never left out.
    public func groups(of incident: InsightsIncident) -> [String?] {
        func one(_ s: String) -> [String?] {
            let t = Self.trimmed(s)
            return [t.isEmpty ? nil : t]
        }
        func many(_ list: [String]) -> [String?] {
            // Lists are short (a few services or teams), so a linear check
            // beats building a set for every incident.
            var values: [String?] = []
            for s in list {
                let t = Self.trimmed(s)
                if !t.isEmpty && !values.contains(t) { values.append(t) }
            }
            return values.isEmpty ? [nil] : values
        }
        switch self {
        case .detectionSource: return one(incident.detectionSource)
        case .severity: return one(incident.severity)
        case .service: return many(incident.services)
        case .team: return many(incident.teams)
        }
    }

    /// Trimmed of spaces and tabs. Stored values are already trimmed, so the
    /// common case returns at once instead of going through Foundation's
    /// trimming, which dominated the time of a 100,000-incident report.
    static func trimmed(_ s: String) -> String {
        func isSpace(_ b: UInt8?) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard isSpace(s.utf8.first) || isSpace(s.utf8.last) else { return s }
        return s.trimmingCharacters(in: .whitespaces)
    }
}

/// One group of incidents: a detection source, a service, a team, a
/// severity, or none of them.
public struct InsightsGroup: Hashable, Sendable {
    public var grouping: InsightsGrouping
    /// The source, slug or severity; nil for incidents without one.
    public var value: String?

    public init(_ grouping: InsightsGrouping, _ value: String?) {
        self.grouping = grouping
        self.value = value
    }

    /// The value, or "No service" (and so on) for the none group.
    public var label: String {
        if let value { return value }
        switch grouping {
        case .detectionSource: return "No detection source"
        case .service: return "No service"
        case .team: return "No team"
        case .severity: return "No severity"
        }
    }

    /// How a sentence names the group: "for incidents first noticed by
    /// customer support", "for incidents affecting checkout", "for SEV2
    /// incidents", "for incidents with no team".
    public var phrase: String {
        guard let value else { return "for incidents with " + label.lowercased() }
        switch grouping {
        case .detectionSource:
            return value.lowercased() == "other" ? "for incidents first noticed some other way" : "for incidents first noticed by \(value)"
        case .service: return "for incidents affecting \(value)"
        case .team: return "for incidents involving team \(value)"
        case .severity: return "for \(value) incidents"
        }
    }
}

/// Who noticed first, in three classes, because the share noticed by people
/// outside (customers, support, the call centre) is steadier than any
/// duration and says directly whether monitoring is catching what matters.
public enum DetectionClass: String, CaseIterable, Codable, Sendable {
    case monitoring, customers, other

    public var label: String {
        switch self {
        case .monitoring: "By our monitoring"
        case .customers: "By customers, support or the call centre"
        case .other: "Some other way"
        }
    }
}

/// Which detection sources count as monitoring and which as customers.
///
/// The default rule, for the default sources: *monitoring alert* and
/// *synthetic check* are our monitoring; *customer support* and *call centre*
/// (or *call center*) are customers; everything else — an employee report, a
/// third party, "other", and any source an organisation adds — is other,
/// because Lore cannot guess what a new source means. Names are compared
/// trimmed and ignoring case.
public struct DetectionClassification: Equatable, Sendable {
    public var monitoring: Set<String>
    public var customers: Set<String>

    public init(monitoring: [String], customers: [String]) {
        self.monitoring = Set(monitoring.map(Self.normalised))
        self.customers = Set(customers.map(Self.normalised))
    }

    public static let `default` = DetectionClassification(
        monitoring: ["monitoring alert", "synthetic check"],
        customers: ["customer support", "call centre", "call center"]
    )

    public func classify(_ source: String) -> DetectionClass {
        let s = Self.normalised(source)
        if monitoring.contains(s) { return .monitoring }
        if customers.contains(s) { return .customers }
        return .other
    }

    static func normalised(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
}

extension InsightsGrouping {
    /// Grouping by service or team needs each incident's services or teams.
    public var needsMembership: Bool { self == .service || self == .team }
}
