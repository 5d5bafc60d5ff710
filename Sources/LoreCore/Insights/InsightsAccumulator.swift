import Foundation

/// Builds an `InsightsReport` from incidents handed in one at a time, so the
/// store can stream rows instead of loading every incident. It keeps one
/// number per measure for "all incidents" and one per measure per group an
/// incident belongs to, plus a few counters and the `longTailCount` longest
/// per bucket; never the incidents themselves.
public struct InsightsAccumulator: Sendable {
    public let options: InsightsOptions
    var tallies: [BucketTally]
    var outsidePeriod = 0
    /// Each detection source's class, worked out once: an organisation has
    /// a handful of sources and a report may see 100,000 incidents.
    var detectionClasses: [String: DetectionClass] = [:]

    public init(_ options: InsightsOptions) {
        self.options = options
        tallies = options.period.buckets.map { _ in BucketTally(longTailCount: options.longTailCount) }
    }

    public mutating func add(_ incident: InsightsIncident) {
        let at = incident.occurredAt
        guard let b = options.period.bucketIndex(of: at) else {
            outsidePeriod += 1
            return
        }
        let outcomes = InsightsMeasure.outcomes(times: incident.times, status: incident.status)
        let source = incident.detectionSource
        let detection: DetectionClass
        if let known = detectionClasses[source] {
            detection = known
        } else {
            detection = options.classification.classify(source)
            detectionClasses[source] = detection
        }
        tallies[b].add(
            incident, occurredAt: at, outcomes: outcomes, groups: options.grouping.groups(of: incident), detection: detection
        )
    }

    public mutating func add(contentsOf incidents: some Sequence<InsightsIncident>) {
        for i in incidents { add(i) }
    }

    /// Sorts what was gathered into the report.
    public func finish() -> InsightsReport {
        let order = Dictionary(options.groupOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String?>()
        for t in tallies { seen.formUnion(t.groups.keys) }
        let groups = seen.sorted { a, b in
            switch (a, b) {
            case (nil, _): return false
            case (_, nil): return true
            case let (x?, y?):
                switch (order[x], order[y]) {
                case let (i?, j?): return i < j
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil):
                    let (lx, ly) = (x.lowercased(), y.lowercased())
                    return lx != ly ? lx < ly : x < y
                }
            }
        }.map { InsightsGroup(options.grouping, $0) }

        let target = options.mitigationTarget
        let summaries = tallies.enumerated().map { i, t -> InsightsSummary in
            let bucket = options.period.buckets[i]
            let all = t.all.map { $0.summary() }
            return InsightsSummary(
                label: bucket.label, start: bucket.start, end: bucket.end, isComplete: bucket.isComplete,
                buckets: i ..< i + 1, incidentCount: t.incidentCount, all: all,
                groups: groups.compactMap { g in
                    t.groups[g.value].map { InsightsGroupSummary(group: g, incidentCount: $0.incidentCount, measures: $0.measures.map { $0.summary() }) }
                },
                detection: t.detection, mitigatedWithin: MitigatedWithin(all.toMitigate, target: target),
                longest: t.longest.map(\.entries)
            )
        }
        return InsightsReport(
            period: options.period, grouping: options.grouping, mitigationTarget: target,
            longTailCount: options.longTailCount, buckets: summaries, groups: groups, outsidePeriod: outsidePeriod
        )
    }
}

/// What the accumulator keeps for one measure of one group: the durations,
/// and the counts of those it could not measure.
struct MeasureTally: Sendable {
    var values: [Double] = []
    var stillOpen = 0
    var excluded: [InsightsExclusion: Int] = [:]

    mutating func add(_ outcome: InsightsOutcome) {
        switch outcome {
        case .measured(let d): values.append(d)
        case .stillOpen: stillOpen += 1
        case .excluded(let reason): excluded[reason, default: 0] += 1
        }
    }

    func summary() -> MeasureSummary {
        MeasureSummary(distribution: DurationDistribution(values), stillOpen: stillOpen, excluded: excluded)
    }
}

struct GroupTally: Sendable {
    var incidentCount = 0
    var measures = PerMeasure { _ in MeasureTally() }
}

struct BucketTally: Sendable {
    var incidentCount = 0
    var all = PerMeasure { _ in MeasureTally() }
    var groups: [String?: GroupTally] = [:]
    var detection = DetectionShares()
    var longest: PerMeasure<LongTail>

    init(longTailCount: Int) {
        longest = PerMeasure { _ in LongTail(capacity: longTailCount) }
    }

    mutating func add(
        _ incident: InsightsIncident, occurredAt: Date, outcomes: PerMeasure<InsightsOutcome>,
        groups keys: [String?], detection kind: DetectionClass
    ) {
        incidentCount += 1
        detection[kind] += 1
        for m in InsightsMeasure.allCases {
            let outcome = outcomes[m]
            all[m].add(outcome)
            if let d = outcome.duration, longest[m].wouldKeep(duration: d, occurredAt: occurredAt) {
                longest[m].add(LongTailEntry(id: incident.id, key: incident.key, title: incident.title, duration: d, occurredAt: occurredAt))
            }
        }
        for key in keys {
            groups[key, default: GroupTally()].add(outcomes)
        }
    }
}

extension GroupTally {
    mutating func add(_ outcomes: PerMeasure<InsightsOutcome>) {
        incidentCount += 1
        for m in InsightsMeasure.allCases { measures[m].add(outcomes[m]) }
    }
}
