import Foundation

/// How far Lore's copy of a PagerDuty incident has been brought up to date:
/// the time of the newest event that set each field. Deliveries repeat and
/// arrive out of order, so a field only changes for an event newer than the
/// one that last set it — a late `acknowledged` never reopens a resolved
/// incident.
public struct PagerDutySyncState: Equatable, Sendable {
    public var statusAt: Date?
    public var priorityAt: Date?
    public var titleAt: Date?

    public init(statusAt: Date? = nil, priorityAt: Date? = nil, titleAt: Date? = nil) {
        self.statusAt = statusAt
        self.priorityAt = priorityAt
        self.titleAt = titleAt
    }
}

/// The rules that turn PagerDuty activity into Lore incident fields.
public enum PagerDutySync {
    /// The external reference system name for PagerDuty incidents.
    public static let system = "pagerduty"

    /// A PagerDuty priority (`P1` … `P5`) mapped onto the organisation's
    /// severity scale by position (P1 → the first severity; beyond the end of
    /// the scale → the last). Without a priority, urgency decides: high → the
    /// second severity (a high-urgency page is serious but not yet declared
    /// the worst), low → the last.
    public static func severity(priority: String?, urgency: String?, scale: [String]) -> String? {
        guard !scale.isEmpty else { return nil }
        if let p = priority?.trimmingCharacters(in: .whitespaces).uppercased(), p.hasPrefix("P"),
           let n = Int(p.dropFirst()), n >= 1 {
            return scale[min(n - 1, scale.count - 1)]
        }
        switch urgency?.lowercased() {
        case "high": return scale[min(1, scale.count - 1)]
        case "low": return scale[scale.count - 1]
        default: return nil
        }
    }

    /// The detection source for incidents PagerDuty opens: the organisation's
    /// monitoring source when it has one (PagerDuty pages come from alerts).
    public static func detectionSource(_ sources: [String]) -> String {
        sources.first { $0.lowercased().contains("monitoring") } ?? sources.first { $0.lowercased().contains("alert") }
            ?? sources.first ?? "monitoring alert"
    }

    /// A new Lore incident for the first activity seen of a PagerDuty incident.
    /// Deliveries can start mid-life (no `triggered` ever seen), so whatever
    /// the first payload carries is used, and `apply` then fills in the rest.
    public static func newIncident(
        for a: PagerDutyActivity, number: Int, services: [String], settings: OrganisationSettings, now: Date
    ) -> (Incident, PagerDutySyncState) {
        let snap = a.incident
        let title = String((snap.title?.isEmpty == false ? snap.title! : "PagerDuty incident \(snap.number.map { "#\($0)" } ?? snap.id)").prefix(Limits.title))
        let severity = severity(priority: snap.priority, urgency: snap.urgency, scale: settings.severities)
            ?? settings.severities[min(1, max(settings.severities.count - 1, 0))]
        var incident = Incident(
            number: number, title: title, severity: severity, status: .open, services: services,
            detectionSource: detectionSource(settings.detectionSources),
            externalReferences: [ExternalReference(system: system, id: snap.id, url: snap.url)],
            createdAt: LoreTime.milliseconds(now), updatedAt: LoreTime.milliseconds(now)
        )
        var state = PagerDutySyncState(priorityAt: snap.priority == nil ? nil : a.occurredAt, titleAt: snap.title == nil ? nil : a.occurredAt)
        apply(a, to: &incident, state: &state, settings: settings, now: now)
        return (incident, state)
    }

    /// Applies one activity to the incident. Facts with a time of their own
    /// (first detection, first acknowledgement) are kept whatever the order
    /// they arrive in; states (status, priority, title) change only for an
    /// activity newer than the one that last set them.
    public static func apply(
        _ a: PagerDutyActivity, to incident: inout Incident, state: inout PagerDutySyncState,
        settings: OrganisationSettings, now: Date
    ) {
        let at = LoreTime.milliseconds(a.occurredAt)
        let snap = a.incident
        var times = incident.times

        // Detection: when PagerDuty opened the incident, or the trigger itself.
        var detected = [times.detectedAt, snap.createdAt.map(LoreTime.milliseconds)]
        if a.change == .triggered { detected.append(at) }
        times.detectedAt = detected.compactMap { $0 }.min()
        // The first acknowledgement is what "time to acknowledge" measures.
        if a.change == .acknowledged { times.acknowledgedAt = [times.acknowledgedAt, at].compactMap { $0 }.min() }

        // The status this activity reports, true from the activity's time.
        var reported: PagerDutyStatus? = snap.status
        switch a.change {
        case .triggered, .reopened: reported = reported ?? .triggered
        case .acknowledged: reported = reported ?? .acknowledged
        case .resolved: reported = .resolved
        default: break
        }
        if let reported, state.statusAt.map({ at >= $0 }) ?? true {
            state.statusAt = at
            let wasResolved = incident.status == .resolved
            incident.status = reported.incidentStatus
            if reported == .resolved {
                if a.change == .resolved || times.resolvedAt == nil { times.resolvedAt = at }
                if times.mitigatedAt == nil { times.mitigatedAt = times.resolvedAt }
            } else if wasResolved {
                // Reopened: the earlier resolution no longer ends the impact.
                if times.mitigatedAt == times.resolvedAt { times.mitigatedAt = nil }
                times.resolvedAt = nil
            }
        }
        // Keep the known moments in order even when PagerDuty's clocks disagree
        // by a few milliseconds (an acknowledgement "before" the trigger).
        if let d = times.detectedAt, let ack = times.acknowledgedAt, ack < d { times.detectedAt = ack }
        if let m = times.mitigatedAt, let ack = times.acknowledgedAt, m < ack { times.mitigatedAt = ack }
        if let r = times.resolvedAt, let m = times.mitigatedAt, r < m { times.resolvedAt = m }
        incident.times = times

        if let p = snap.priority, state.priorityAt.map({ at >= $0 }) ?? true,
           let sev = severity(priority: p, urgency: snap.urgency, scale: settings.severities) {
            state.priorityAt = at
            incident.severity = sev
        }
        if let t = snap.title, !t.isEmpty, state.titleAt.map({ at >= $0 }) ?? true {
            state.titleAt = at
            incident.title = String(t.prefix(Limits.title))
        }
        if let url = snap.url, let i = incident.externalReferences.firstIndex(where: { $0.system == system && $0.id == snap.id }),
           incident.externalReferences[i].url == nil {
            incident.externalReferences[i].url = url
        }
        incident.updatedAt = LoreTime.milliseconds(now)
    }

    /// The catalog service a PagerDuty service is: by PagerDuty service id
    /// first, then by name (case-insensitive) against the service's name or slug.
    public static func matchService(id: String?, name: String?, in services: [Service]) -> Service? {
        if let id, !id.isEmpty, let s = services.first(where: { $0.pagerDutyServiceID == id }) { return s }
        guard let name = name?.trimmingCharacters(in: .whitespaces).lowercased(), !name.isEmpty else { return nil }
        return services.first { $0.name.lowercased() == name || $0.slug.lowercased() == name }
    }
}
