import Foundation

/// The four durations Insights shows. Each is a span between two of an
/// incident's key moments, and each is computed by `IncidentDurations`, the
/// one rule every page, report and export shares; this type only adds what
/// Insights needs on top: names, and what to do when a span cannot be measured.
public enum InsightsMeasure: String, CaseIterable, Codable, Sendable {
    /// Impact started → detected.
    case toDetect
    /// Detected → acknowledged.
    case toAcknowledge
    /// Impact started (or detected, when the start of impact is not known) →
    /// mitigated.
    case toMitigate
    /// Impact started (or detected, when the start of impact is not known) →
    /// resolved.
    case toResolve

    /// "Time to detect": for headings and table columns.
    public var label: String {
        switch self {
        case .toDetect: "Time to detect"
        case .toAcknowledge: "Time to acknowledge"
        case .toMitigate: "Time to mitigate"
        case .toResolve: "Time to resolve"
        }
    }

    /// "time to detect": inside a sentence.
    public var phrase: String { label.lowercased() }

    /// What is measured, in words, for the page and the CLI's legend. It
    /// follows `IncidentDurations`: mitigation and resolution count from
    /// detection when the start of impact was never recorded.
    public var explanation: String {
        switch self {
        case .toDetect: "from the start of impact to detection"
        case .toAcknowledge: "from detection to acknowledgement"
        case .toMitigate: "from the start of impact (or detection, when the start is not known) to mitigation"
        case .toResolve: "from the start of impact (or detection, when the start is not known) to resolution"
        }
    }

    /// `to-detect`: how the CLI and query strings spell it.
    public var parameter: String {
        switch self {
        case .toDetect: "to-detect"
        case .toAcknowledge: "to-acknowledge"
        case .toMitigate: "to-mitigate"
        case .toResolve: "to-resolve"
        }
    }

    /// Reads `to-detect`, `toDetect`, `to_detect` or the bare verb `detect`,
    /// in any case. Nil for anything else, so the caller can name the
    /// parameter in its error.
    public init?(parameter: String) {
        let p = parameter.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        guard let m = Self.allCases.first(where: { $0.rawValue.lowercased() == p || $0.rawValue.lowercased() == "to" + p }) else { return nil }
        self = m
    }

    /// What became of one incident for one measure: a duration, "not yet"
    /// (the incident has not reached the end moment), or a reason it cannot
    /// be measured. Every incident in a group lands in exactly one of the
    /// three, so `measured + stillOpen + excluded` always adds up to the
    /// group's incident count and nothing disappears silently.
    ///
    /// The rule, in order:
    /// 1. The end moment is not recorded and the incident has not reached it
    ///    yet — not acknowledged or not mitigated while its status is open,
    ///    not resolved while its status is not resolved — so it is *still
    ///    open*. Its duration is not known yet; counting it as measured would
    ///    favour quick incidents, dropping it would hide it. Detection has no
    ///    "still open": an incident in Lore has been noticed.
    /// 2. A moment the measure needs is not recorded: *excluded*, naming the
    ///    start when both are missing (that is the one to fix first).
    /// 3. The end is before the start: *excluded* as out of order.
    ///    `IncidentTimes.check` refuses this for times entered in Lore; old
    ///    imports may still hold it, and a negative duration would drag a
    ///    median down.
    /// 4. Otherwise the duration, zero included: a time to detect of zero is
    ///    common and true when the start of impact is only known from the
    ///    alert that detected it. (A log time axis must place zero somewhere
    ///    on its own.)
    public static func outcomes(times: IncidentTimes, status: IncidentStatus) -> PerMeasure<InsightsOutcome> {
        let d = times.durations
        let start = times.impactStartedAt ?? times.detectedAt
        return PerMeasure(
            toDetect: outcome(d.toDetect, start: times.impactStartedAt, end: times.detectedAt, notReachedYet: false),
            toAcknowledge: outcome(d.toAcknowledge, start: times.detectedAt, end: times.acknowledgedAt, notReachedYet: status == .open),
            toMitigate: outcome(d.toMitigate, start: start, end: times.mitigatedAt, notReachedYet: status == .open),
            toResolve: outcome(d.toResolve, start: start, end: times.resolvedAt, notReachedYet: status != .resolved)
        )
    }

    static func outcome(_ duration: TimeInterval?, start: Date?, end: Date?, notReachedYet: Bool) -> InsightsOutcome {
        if end == nil && notReachedYet { return .stillOpen }
        if start == nil { return .excluded(.startNotRecorded) }
        if end == nil { return .excluded(.endNotRecorded) }
        guard let duration else { return .excluded(.startNotRecorded) }
        return duration < 0 ? .excluded(.outOfOrder) : .measured(duration)
    }
}

/// One incident, one measure: see `InsightsMeasure.outcomes(times:status:)`.
public enum InsightsOutcome: Equatable, Sendable {
    case measured(TimeInterval)
    /// The incident has not reached the end moment yet.
    case stillOpen
    case excluded(InsightsExclusion)

    public var duration: TimeInterval? {
        if case .measured(let d) = self { return d }
        return nil
    }
}

/// Why an incident's duration cannot be measured. Counted and shown beside
/// each distribution ("3 without a recorded start of impact"), because a
/// group where half the incidents lack a time is a different story from one
/// where all are measured.
public enum InsightsExclusion: String, CaseIterable, Codable, Sendable {
    /// The moment the measure starts from was never recorded.
    case startNotRecorded
    /// The incident is past the end moment, but its time was never recorded.
    case endNotRecorded
    /// The end moment is recorded before the start.
    case outOfOrder

    /// "start not recorded": after a count, as in "3 with the start not recorded".
    public var label: String {
        switch self {
        case .startNotRecorded: "start not recorded"
        case .endNotRecorded: "end not recorded"
        case .outOfOrder: "times out of order"
        }
    }
}

/// One value per measure, so that a summary cannot forget one and a caller
/// can write `summary.all[.toMitigate]`.
public struct PerMeasure<Value> {
    public var toDetect: Value
    public var toAcknowledge: Value
    public var toMitigate: Value
    public var toResolve: Value

    public init(toDetect: Value, toAcknowledge: Value, toMitigate: Value, toResolve: Value) {
        self.toDetect = toDetect
        self.toAcknowledge = toAcknowledge
        self.toMitigate = toMitigate
        self.toResolve = toResolve
    }

    public init(_ make: (InsightsMeasure) throws -> Value) rethrows {
        self.init(toDetect: try make(.toDetect), toAcknowledge: try make(.toAcknowledge), toMitigate: try make(.toMitigate), toResolve: try make(.toResolve))
    }

    public subscript(_ measure: InsightsMeasure) -> Value {
        get {
            switch measure {
            case .toDetect: toDetect
            case .toAcknowledge: toAcknowledge
            case .toMitigate: toMitigate
            case .toResolve: toResolve
            }
        }
        // In place, so that appending to a measure's durations while
        // incidents stream in does not copy the array each time.
        _modify {
            switch measure {
            case .toDetect: yield &toDetect
            case .toAcknowledge: yield &toAcknowledge
            case .toMitigate: yield &toMitigate
            case .toResolve: yield &toResolve
            }
        }
    }

    public func map<T>(_ transform: (Value) throws -> T) rethrows -> PerMeasure<T> {
        try PerMeasure<T> { try transform(self[$0]) }
    }
}

extension PerMeasure: Equatable where Value: Equatable {}
extension PerMeasure: Sendable where Value: Sendable {}
