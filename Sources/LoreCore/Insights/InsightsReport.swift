import Foundation

/// What an Insights report is asked for. The viewer's filters (status,
/// service, team … as in the incident list) are applied by the store before
/// incidents reach the accumulator; these are the choices that shape the
/// numbers themselves.
public struct InsightsOptions: Sendable {
    public var period: InsightsPeriod
    public var grouping: InsightsGrouping
    /// The order groups are listed in when their values appear here (the
    /// organisation's detection sources or severity scale); others follow
    /// alphabetically, and the "none" group comes last.
    public var groupOrder: [String]
    /// "Mitigated within": one hour unless the organisation says otherwise.
    public var mitigationTarget: TimeInterval
    /// How many of the longest incidents are named per period and measure.
    public var longTailCount: Int
    public var classification: DetectionClassification

    public static let defaultMitigationTarget: TimeInterval = 3600
    public static let defaultLongTailCount = 10
    /// One minute to thirty days: a target outside that says nothing useful.
    public static let mitigationTargetRange: ClosedRange<TimeInterval> = 60 ... 30 * 86_400
    public static let longTailCountRange = 1 ... 100

    public init(
        period: InsightsPeriod, grouping: InsightsGrouping = .default, groupOrder: [String] = [],
        mitigationTarget: TimeInterval = InsightsOptions.defaultMitigationTarget,
        longTailCount: Int = InsightsOptions.defaultLongTailCount,
        classification: DetectionClassification = .default
    ) {
        self.period = period
        self.grouping = grouping
        self.groupOrder = groupOrder
        self.mitigationTarget = mitigationTarget
        self.longTailCount = longTailCount
        self.classification = classification
    }

    /// Checks the numbers a person can set; fields `mitigatedWithin` and
    /// `longest`.
    public func validated() throws(ValidationError) -> InsightsOptions {
        var v = Validator()
        if !Self.mitigationTargetRange.contains(mitigationTarget) {
            v.add("mitigatedWithin", "out_of_range", "The mitigation target must be between 1 minute and 30 days.")
        }
        if !Self.longTailCountRange.contains(longTailCount) {
            v.add("longest", "out_of_range", "The number of longest incidents listed must be between \(Self.longTailCountRange.lowerBound) and \(Self.longTailCountRange.upperBound).")
        }
        try v.check()
        return self
    }
}

/// One measure for one group and period: the measured durations, and the
/// incidents that could not be measured, counted apart by why.
public struct MeasureSummary: Equatable, Sendable {
    public var distribution: DurationDistribution
    /// Not yet acknowledged, mitigated or resolved.
    public var stillOpen: Int
    /// Missing or out-of-order times, by reason.
    public var excluded: [InsightsExclusion: Int]

    public init(distribution: DurationDistribution = .empty, stillOpen: Int = 0, excluded: [InsightsExclusion: Int] = [:]) {
        self.distribution = distribution
        self.stillOpen = stillOpen
        self.excluded = excluded
    }

    public var excludedCount: Int { excluded.values.reduce(0, +) }
    /// Measured + still open + excluded: every incident of the group.
    public var incidentCount: Int { distribution.count + stillOpen + excludedCount }

    public static func merging(_ parts: [MeasureSummary]) -> MeasureSummary {
        var excluded: [InsightsExclusion: Int] = [:]
        for p in parts { excluded.merge(p.excluded, uniquingKeysWith: +) }
        return MeasureSummary(
            distribution: .merging(parts.map(\.distribution)),
            stillOpen: parts.reduce(0) { $0 + $1.stillOpen }, excluded: excluded
        )
    }
}

/// The numbers of one group in one period.
public struct InsightsGroupSummary: Equatable, Sendable {
    public var group: InsightsGroup
    public var incidentCount: Int
    public var measures: PerMeasure<MeasureSummary>

    public init(group: InsightsGroup, incidentCount: Int, measures: PerMeasure<MeasureSummary>) {
        self.group = group
        self.incidentCount = incidentCount
        self.measures = measures
    }
}

/// How many incidents each kind of detection noticed first, by
/// `DetectionClassification`. Proportions are steadier than durations: a
/// shift from customers to monitoring shows long before a median moves.
public struct DetectionShares: Equatable, Sendable {
    public var monitoring: Int
    public var customers: Int
    public var other: Int

    public init(monitoring: Int = 0, customers: Int = 0, other: Int = 0) {
        self.monitoring = monitoring
        self.customers = customers
        self.other = other
    }

    public var total: Int { monitoring + customers + other }

    public subscript(_ c: DetectionClass) -> Int {
        get {
            switch c {
            case .monitoring: monitoring
            case .customers: customers
            case .other: other
            }
        }
        set {
            switch c {
            case .monitoring: monitoring = newValue
            case .customers: customers = newValue
            case .other: other = newValue
            }
        }
    }

    /// 0 … 1; nil with no incidents.
    public func share(_ c: DetectionClass) -> Double? {
        total == 0 ? nil : Double(self[c]) / Double(total)
    }

    static func + (a: DetectionShares, b: DetectionShares) -> DetectionShares {
        DetectionShares(monitoring: a.monitoring + b.monitoring, customers: a.customers + b.customers, other: a.other + b.other)
    }
}

/// The share of incidents mitigated within a target time.
///
/// The share is of the incidents whose time to mitigate is known. Incidents
/// still open and those without the times to tell are counted beside it, not
/// in it: counting an open incident as "not within" would punish a period
/// for being recent, and counting it as "within" would flatter it.
public struct MitigatedWithin: Equatable, Sendable {
    public var target: TimeInterval
    /// Mitigated in at most `target`.
    public var within: Int
    /// Incidents with a known time to mitigate.
    public var measured: Int
    public var stillOpen: Int
    public var excluded: Int

    public init(_ summary: MeasureSummary, target: TimeInterval) {
        self.target = target
        within = summary.distribution.count(atMost: target)
        measured = summary.distribution.count
        stillOpen = summary.stillOpen
        excluded = summary.excludedCount
    }

    /// 0 … 1; nil when nothing was measured.
    public var share: Double? { measured == 0 ? nil : Double(within) / Double(measured) }

    /// "31 of 40 incidents mitigated within 1 h (78 %; not counted: 2 still
    /// open, 1 without the times to tell)."
    public var sentence: String {
        var notCounted: [String] = []
        if stillOpen > 0 { notCounted.append("\(stillOpen) still open") }
        if excluded > 0 { notCounted.append("\(excluded) without the times to tell") }
        let aside = notCounted.isEmpty ? "" : "not counted: " + notCounted.joined(separator: ", ")
        guard measured > 0 else {
            return "No incident with a known time to mitigate" + (aside.isEmpty ? "." : " (\(aside)).")
        }
        let noun = measured == 1 ? "incident" : "incidents"
        let percent = "\(Self.percent(within, of: measured)) %"
        return "\(within) of \(measured) \(noun) mitigated within \(LoreTime.duration(target)) (\(percent)\(aside.isEmpty ? "" : "; " + aside))."
    }

    /// Rounded, but never 100 while one is missing nor 0 while one is there.
    static func percent(_ part: Int, of whole: Int) -> Int {
        guard whole > 0 else { return 0 }
        let p = Int((Double(part) * 100 / Double(whole)).rounded())
        if part < whole && p == 100 { return 99 }
        if part > 0 && p == 0 { return 1 }
        return p
    }
}

/// The numbers of one bucket, or of several merged (`InsightsReport.summary`).
public struct InsightsSummary: Equatable, Sendable {
    /// "Q1 2026", or "Q1 2026–Q2 2026" for several buckets.
    public var label: String
    public var start: Date
    public var end: Date
    /// Every bucket in it is complete (`InsightsBucket.isComplete`).
    public var isComplete: Bool
    /// Which of the report's buckets it covers.
    public var buckets: Range<Int>
    /// Each incident once, whatever the grouping.
    public var incidentCount: Int
    /// All incidents, each once: for the page's first row and for
    /// "all incidents" comparisons.
    public var all: PerMeasure<MeasureSummary>
    /// In the report's group order; only groups with incidents here.
    public var groups: [InsightsGroupSummary]
    public var detection: DetectionShares
    public var mitigatedWithin: MitigatedWithin
    /// The longest incidents, per measure, longest first.
    public var longest: PerMeasure<[LongTailEntry]>

    public func group(_ g: InsightsGroup) -> InsightsGroupSummary? { groups.first { $0.group == g } }
}

/// Everything the Insights page, API and command show for one grouping and
/// period, from one pass over the incidents.
public struct InsightsReport: Equatable, Sendable {
    public var period: InsightsPeriod
    public var grouping: InsightsGrouping
    public var mitigationTarget: TimeInterval
    public var longTailCount: Int
    /// One per `period.buckets`, in time order.
    public var buckets: [InsightsSummary]
    /// Every group seen in any bucket, in display order, so tables can keep
    /// the same rows across periods.
    public var groups: [InsightsGroup]
    /// Incidents handed in that happened outside the period (the store
    /// should not send them; counted so a mismatch shows).
    public var outsidePeriod: Int

    /// The whole period in one.
    public var whole: InsightsSummary { summary(buckets.indices) }

    /// Several consecutive buckets as one (a quarter from its months, a
    /// half year from its quarters). `range` is clamped to the buckets.
    public func summary(_ range: Range<Int>) -> InsightsSummary {
        let r = range.clamped(to: buckets.indices)
        let parts = Array(buckets[r])
        guard let first = parts.first, let last = parts.last else {
            let at = period.since
            return InsightsSummary(
                label: "", start: at, end: at, isComplete: false, buckets: r, incidentCount: 0,
                all: PerMeasure { _ in MeasureSummary() }, groups: [], detection: DetectionShares(),
                mitigatedWithin: MitigatedWithin(MeasureSummary(), target: mitigationTarget), longest: PerMeasure { _ in [] }
            )
        }
        if parts.count == 1 { return first }
        let all = PerMeasure { m in MeasureSummary.merging(parts.map { $0.all[m] }) }
        let groups: [InsightsGroupSummary] = self.groups.compactMap { g in
            let present = parts.compactMap { $0.group(g) }
            guard !present.isEmpty else { return nil }
            return InsightsGroupSummary(
                group: g, incidentCount: present.reduce(0) { $0 + $1.incidentCount },
                measures: PerMeasure { m in MeasureSummary.merging(present.map { $0.measures[m] }) }
            )
        }
        return InsightsSummary(
            label: "\(first.label)–\(last.label)", start: first.start, end: last.end,
            isComplete: parts.allSatisfy(\.isComplete), buckets: r,
            incidentCount: parts.reduce(0) { $0 + $1.incidentCount }, all: all, groups: groups,
            detection: parts.reduce(DetectionShares()) { $0 + $1.detection },
            mitigatedWithin: MitigatedWithin(all.toMitigate, target: mitigationTarget),
            longest: PerMeasure { m in LongTail.longest(parts.flatMap { $0.longest[m] }, count: longTailCount) }
        )
    }

    /// The change in `measure`'s median from `earlier` to `later` (bucket
    /// ranges; usually one bucket each): first for all incidents, then per
    /// group in display order for every group with incidents in either.
    public func changes(_ measure: InsightsMeasure, earlier: Range<Int>, later: Range<Int>) -> [MedianChange] {
        let a = summary(earlier), b = summary(later)
        var result = [MedianChange(
            measure: measure, group: nil, earlier: a.all[measure].distribution, later: b.all[measure].distribution,
            earlierLabel: a.label, laterLabel: b.label
        )]
        for g in groups {
            let ga = a.group(g), gb = b.group(g)
            guard ga != nil || gb != nil else { continue }
            result.append(MedianChange(
                measure: measure, group: g,
                earlier: ga?.measures[measure].distribution ?? .empty, later: gb?.measures[measure].distribution ?? .empty,
                earlierLabel: a.label, laterLabel: b.label
            ))
        }
        return result
    }

    public func changes(_ measure: InsightsMeasure, earlier: Int, later: Int) -> [MedianChange] {
        changes(measure, earlier: earlier ..< earlier + 1, later: later ..< later + 1)
    }
}

extension InsightsReport {
    /// The incidents the long tail names: the only ones whose titles the
    /// report shows.
    public var longTailIDs: Set<UUID> {
        var ids = Set<UUID>()
        for b in buckets { for m in InsightsMeasure.allCases { ids.formUnion(b.longest[m].map(\.id)) } }
        return ids
    }

    /// The report with its long tail's titles from `titles`. A store reading
    /// a year of incidents leaves every title out (a string per incident,
    /// when a page names forty) and looks up these few afterwards.
    public func titlingLongTail(_ titles: [UUID: String]) -> InsightsReport {
        var report = self
        for b in report.buckets.indices {
            report.buckets[b].longest = report.buckets[b].longest.map { entries in
                entries.map { e in
                    var e = e
                    if let t = titles[e.id] { e.title = t }
                    return e
                }
            }
        }
        return report
    }
}
