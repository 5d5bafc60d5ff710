import Foundation

/// Where an incident stands. Lore keeps it deliberately coarse: the review,
/// not the status, is where the detail lives.
public enum IncidentStatus: String, CaseIterable, Codable, Sendable {
    case open, mitigated, resolved

    public var label: String { rawValue.capitalized }
}

/// A pointer to the same incident in another system (PagerDuty, Jira, a
/// status page). Unique per system so that imports can find an incident again.
public struct ExternalReference: Equatable, Hashable, Codable, Sendable {
    public var system: String
    public var id: String
    public var url: String?

    public init(system: String, id: String, url: String? = nil) {
        self.system = system
        self.id = id
        self.url = url
    }
}

/// The key moments of an incident. Any may be unknown; the known ones must be
/// in this order, because durations (time to detect, to acknowledge, to
/// mitigate, to resolve) are measured between them.
public struct IncidentTimes: Equatable, Codable, Sendable {
    public var impactStartedAt: Date?
    public var detectedAt: Date?
    public var acknowledgedAt: Date?
    public var mitigatedAt: Date?
    public var resolvedAt: Date?

    public init(
        impactStartedAt: Date? = nil, detectedAt: Date? = nil, acknowledgedAt: Date? = nil,
        mitigatedAt: Date? = nil, resolvedAt: Date? = nil
    ) {
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.mitigatedAt = mitigatedAt
        self.resolvedAt = resolvedAt
    }

    /// Field names in the order the moments must occur, with a readable label.
    public static let order: [(field: String, label: String, keyPath: KeyPath<IncidentTimes, Date?> & Sendable)] = [
        ("impactStartedAt", "Impact started", \.impactStartedAt),
        ("detectedAt", "Detected", \.detectedAt),
        ("acknowledgedAt", "Acknowledged", \.acknowledgedAt),
        ("mitigatedAt", "Mitigated", \.mitigatedAt),
        ("resolvedAt", "Resolved", \.resolvedAt),
    ]

    /// Adds an issue for each known moment that comes before an earlier one.
    /// The later field is named, since that is usually the one mistyped.
    public func check(into v: inout Validator) {
        var previous: (field: String, label: String, date: Date)?
        for moment in Self.order {
            guard let date = self[keyPath: moment.keyPath] else { continue }
            if let p = previous, date < p.date {
                v.add(
                    moment.field, "out_of_order",
                    "\(moment.label) is before \(p.label.lowercased()); the known times must be in the order impact started, detected, acknowledged, mitigated, resolved."
                )
            }
            if previous == nil || date >= previous!.date {
                previous = (moment.field, moment.label, date)
            }
        }
    }

    public var durations: IncidentDurations { IncidentDurations(self) }

    /// When the review window opens: resolution, or mitigation until then.
    public var reviewWindowStart: Date? { resolvedAt ?? mitigatedAt }
}

/// Time to detect, acknowledge, mitigate and resolve, measured from the start
/// of impact (or from detection for acknowledgement). Computed here only, so
/// every page, report and export agrees.
public struct IncidentDurations: Equatable, Sendable, Codable {
    public var toDetect: TimeInterval?
    public var toAcknowledge: TimeInterval?
    public var toMitigate: TimeInterval?
    public var toResolve: TimeInterval?

    public init(_ t: IncidentTimes) {
        let start = t.impactStartedAt ?? t.detectedAt
        toDetect = Self.between(t.impactStartedAt, t.detectedAt)
        toAcknowledge = Self.between(t.detectedAt, t.acknowledgedAt)
        toMitigate = Self.between(start, t.mitigatedAt)
        toResolve = Self.between(start, t.resolvedAt)
    }

    static func between(_ a: Date?, _ b: Date?) -> TimeInterval? {
        guard let a, let b else { return nil }
        // Whole milliseconds, like the times themselves (no 242.92499995 s).
        return (b.timeIntervalSince(a) * 1000).rounded() / 1000
    }
}

/// An incident as Lore knows it.
public struct Incident: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    /// Sequence number; the human key is `INC-<number>`.
    public var number: Int
    public var title: String
    public var severity: String
    public var status: IncidentStatus
    /// Service slugs.
    public var services: [String]
    /// Team slugs.
    public var teams: [String]
    public var detectionSource: String
    public var times: IncidentTimes
    public var customerImpact: String
    public var labels: [String]
    public var externalReferences: [ExternalReference]
    public var createdAt: Date
    public var updatedAt: Date

    public var key: String { Incident.key(for: number) }

    public static func key(for number: Int) -> String { "INC-\(number)" }

    /// Parses `INC-42` (any case) or `42` into 42.
    public static func number(fromKey key: String) -> Int? {
        let k = key.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = k.hasPrefix("INC-") ? String(k.dropFirst(4)) : k
        guard !digits.isEmpty, digits.count < 10, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0 else { return nil }
        return n
    }

    public init(
        id: UUID = UUID(), number: Int, title: String, severity: String, status: IncidentStatus,
        services: [String] = [], teams: [String] = [], detectionSource: String,
        times: IncidentTimes = IncidentTimes(), customerImpact: String = "", labels: [String] = [],
        externalReferences: [ExternalReference] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.severity = severity
        self.status = status
        self.services = services
        self.teams = teams
        self.detectionSource = detectionSource
        self.times = times
        self.customerImpact = customerImpact
        self.labels = labels
        self.externalReferences = externalReferences
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// When the review window starts: resolution, or mitigation while the
    /// incident is not yet resolved. Nil while impact is ongoing.
    public var reviewWindowStart: Date? { times.reviewWindowStart }
}

/// What a person submits to create or change an incident. Every field is
/// optional so that the same type serves a full form and a partial API PATCH;
/// `resolve(over:)` applies it to an existing incident (or defaults) and
/// validates the result as a whole.
public struct IncidentInput: Equatable, Sendable {
    public var title: String?
    public var severity: String?
    public var status: IncidentStatus?
    public var services: [String]?
    public var teams: [String]?
    public var detectionSource: String?
    public var impactStartedAt: Date??
    public var detectedAt: Date??
    public var acknowledgedAt: Date??
    public var mitigatedAt: Date??
    public var resolvedAt: Date??
    public var customerImpact: String?
    public var labels: [String]?
    public var externalReferences: [ExternalReference]?

    public init(
        title: String? = nil, severity: String? = nil, status: IncidentStatus? = nil,
        services: [String]? = nil, teams: [String]? = nil, detectionSource: String? = nil,
        impactStartedAt: Date?? = nil, detectedAt: Date?? = nil, acknowledgedAt: Date?? = nil,
        mitigatedAt: Date?? = nil, resolvedAt: Date?? = nil, customerImpact: String? = nil,
        labels: [String]? = nil, externalReferences: [ExternalReference]? = nil
    ) {
        self.title = title
        self.severity = severity
        self.status = status
        self.services = services
        self.teams = teams
        self.detectionSource = detectionSource
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.mitigatedAt = mitigatedAt
        self.resolvedAt = resolvedAt
        self.customerImpact = customerImpact
        self.labels = labels
        self.externalReferences = externalReferences
    }

    /// The validated fields of an incident, ready to store.
    public struct Resolved: Equatable, Sendable {
        public var title: String
        public var severity: String
        public var status: IncidentStatus
        public var services: [String]
        public var teams: [String]
        public var detectionSource: String
        public var times: IncidentTimes
        public var customerImpact: String
        public var labels: [String]
        public var externalReferences: [ExternalReference]
    }

    /// Applies this input over `existing` (nil when creating) and validates it
    /// against the organisation's scales and the known catalog.
    ///
    /// Marking an incident mitigated or resolved without giving the time fills
    /// it with `now`: the person is telling Lore it happened, and a missing
    /// time would drop the incident out of every duration report.
    public func resolve(
        over existing: Incident?, settings: OrganisationSettings,
        knownServices: Set<String>, knownTeams: Set<String>, now: Date
    ) throws(ValidationError) -> Resolved {
        var v = Validator()
        let title: String
        if existing == nil || self.title != nil {
            title = v.requireText(self.title, field: "title", label: "Title", max: Limits.title)
        } else {
            title = existing!.title
        }

        let severity = (self.severity ?? existing?.severity ?? "").trimmingCharacters(in: .whitespaces)
        if severity.isEmpty {
            v.add("severity", "required", "Severity is required; one of \(settings.severities.joined(separator: ", ")).")
        } else if let existing, severity == existing.severity {
            // An incident keeps a severity that has since been removed from the scale.
        } else if !settings.severities.contains(severity) {
            v.add("severity", "unknown", "Unknown severity \"\(severity)\"; expected one of \(settings.severities.joined(separator: ", ")).")
        }

        let source = (self.detectionSource ?? existing?.detectionSource ?? "").trimmingCharacters(in: .whitespaces)
        if source.isEmpty {
            v.add("detectionSource", "required", "Detection source is required; one of \(settings.detectionSources.joined(separator: ", ")).")
        } else if let existing, source == existing.detectionSource {
        } else if !settings.detectionSources.contains(source) {
            v.add("detectionSource", "unknown", "Unknown detection source \"\(source)\"; expected one of \(settings.detectionSources.joined(separator: ", ")).")
        }

        let status = self.status ?? existing?.status ?? .open
        let services = Self.unique(self.services ?? existing?.services ?? [])
        for s in services where !knownServices.contains(s) {
            v.add("services", "unknown", "Unknown service \"\(s)\"; add it to the service catalog first.")
        }
        let teams = Self.unique(self.teams ?? existing?.teams ?? [])
        for t in teams where !knownTeams.contains(t) {
            v.add("teams", "unknown", "Unknown team \"\(t)\".")
        }

        var times = existing?.times ?? IncidentTimes()
        if let x = impactStartedAt { times.impactStartedAt = x.map(LoreTime.milliseconds) }
        if let x = detectedAt { times.detectedAt = x.map(LoreTime.milliseconds) }
        if let x = acknowledgedAt { times.acknowledgedAt = x.map(LoreTime.milliseconds) }
        if let x = mitigatedAt { times.mitigatedAt = x.map(LoreTime.milliseconds) }
        if let x = resolvedAt { times.resolvedAt = x.map(LoreTime.milliseconds) }
        let nowMs = LoreTime.milliseconds(now)
        if status == .resolved, times.resolvedAt == nil { times.resolvedAt = nowMs }
        if status != .open, times.mitigatedAt == nil {
            times.mitigatedAt = status == .resolved ? times.resolvedAt : nowMs
        }
        times.check(into: &v)
        for (field, label, kp) in IncidentTimes.order {
            if let d = times[keyPath: kp], d > nowMs.addingTimeInterval(24 * 3600) {
                v.add(field, "in_future", "\(label) is more than a day in the future.")
            }
        }

        let impact = v.optionalText(self.customerImpact ?? existing?.customerImpact, field: "customerImpact", label: "Customer impact", max: Limits.longText)

        let labels = Self.unique((self.labels ?? existing?.labels ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if labels.count > Limits.labelsPerIncident {
            v.add("labels", "too_many", "At most \(Limits.labelsPerIncident) labels; got \(labels.count).")
        }
        if let long = labels.first(where: { $0.count > Limits.label }) {
            v.add("labels", "too_long", "Label \"\(long.prefix(20))…\" is longer than \(Limits.label) characters.")
        }

        let refs = self.externalReferences ?? existing?.externalReferences ?? []
        var systems = Set<String>()
        for (i, r) in refs.enumerated() {
            let system = r.system.trimmingCharacters(in: .whitespaces)
            if system.isEmpty || r.id.trimmingCharacters(in: .whitespaces).isEmpty {
                v.add("externalReferences[\(i)]", "required", "An external reference needs both a system and an id.")
            } else if system.count > Limits.slug || r.id.count > Limits.externalId || (r.url?.count ?? 0) > Limits.shortText {
                v.add("externalReferences[\(i)]", "too_long", "External reference is too long (system ≤ \(Limits.slug), id ≤ \(Limits.externalId) characters).")
            } else if let url = r.url, !url.isEmpty, !(url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://")) {
                v.add("externalReferences[\(i)]", "invalid", "The link of \(system) \(r.id) must start with https:// or http://.")
            } else if !systems.insert(system.lowercased()).inserted {
                v.add("externalReferences[\(i)]", "duplicate", "Only one reference per system; \"\(system)\" appears twice.")
            }
        }
        try v.check()
        return Resolved(
            title: title, severity: severity, status: status, services: services, teams: teams,
            detectionSource: source, times: times, customerImpact: impact, labels: labels,
            externalReferences: refs
        )
    }

    static func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}

/// Filters for the incidents list.
public struct IncidentFilter: Equatable, Sendable {
    public var status: IncidentStatus?
    public var severity: String?
    public var service: String?
    public var team: String?
    public var page: Int
    public var perPage: Int

    public init(status: IncidentStatus? = nil, severity: String? = nil, service: String? = nil, team: String? = nil, page: Int = 1, perPage: Int = 25) {
        self.status = status
        self.severity = severity
        self.service = service
        self.team = team
        // Bounded so that no page number can overflow an offset. The API
        // refuses values outside these bounds rather than cutting them.
        self.page = min(max(1, page), Self.pages.upperBound)
        self.perPage = min(max(1, perPage), Self.perPageRange.upperBound)
    }

    public static let pages = 1...1_000_000
    public static let perPageRange = 1...200
}

/// One page of a list, with what is needed to link to the others.
public struct ListPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int

    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }
}
