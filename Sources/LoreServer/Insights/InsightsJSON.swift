import Foundation
import LoreCore
import LoreStore
import NIOConcurrencyHelpers

/// `GET /api/v1/insights` and `lore report trends --json`: the same numbers
/// as the Insights page. Durations are in seconds. There is no mean anywhere:
/// durations are long-tailed, and a mean moves with a single long incident.
public struct InsightsJSON: Encodable {
    public struct Bucket: Encodable {
        public var id: String
        public var label: String
        public var start: String
        public var end: String
        /// The whole month or quarter lies in the period and has ended.
        public var complete: Bool
    }

    public struct Period: Encodable {
        public var since: String
        public var until: String
        public var split: String
        public var buckets: [Bucket]
    }

    public struct Filter: Encodable {
        @Nullable public var status: String?
        @Nullable public var severity: String?
        @Nullable public var service: String?
        @Nullable public var team: String?
    }

    /// One measure of one group: the distribution and what could not be measured.
    public struct Distribution: Encodable {
        public var count: Int
        @Nullable public var median: Double?
        @Nullable public var p90: Double?
        @Nullable public var min: Double?
        @Nullable public var max: Double?
        /// Not yet acknowledged, mitigated or resolved.
        public var stillOpen: Int
        /// Times missing or out of order, by reason (`startNotRecorded`, `endNotRecorded`, `outOfOrder`).
        public var excluded: [String: Int]
    }

    public struct Measures: Encodable {
        public var toDetect: Distribution
        public var toAcknowledge: Distribution
        public var toMitigate: Distribution
        public var toResolve: Distribution
    }

    public struct Group: Encodable {
        /// The detection source, service or team slug, or severity; null for
        /// incidents with none (no service, no team).
        @Nullable public var value: String?
        public var label: String
        public var incidentCount: Int
        public var measures: Measures
    }

    public struct Detection: Encodable {
        public var monitoring: Int
        public var customers: Int
        public var other: Int
    }

    public struct MitigatedWithin: Encodable {
        public var targetSeconds: Double
        public var within: Int
        public var measured: Int
        public var stillOpen: Int
        public var excluded: Int
        @Nullable public var share: Double?
        public var sentence: String
    }

    /// The review practice around the period's incidents (all reviews are
    /// counted; none is named).
    public struct Practice: Encodable {
        public var windowsOpened: Int
        public var reviewed: Int
        public var heldInWindow: Int
        public var pending: Int
        @Nullable public var medianTimeToReview: Double?
        public var reviews: Int
        /// By status: `done`, `not_necessary`, `folded_into_plan`, `open` (in progress counts as open).
        public var followUps: [String: Int]
        @Nullable public var medianOpenFollowUpAge: Double?
        public var sentence: String
        public var followUpSentence: String
        public var followThrough: [Checkpoint]
        public var wording: Wording
    }

    /// Focus follow-through at one checkpoint day, summed over the readings taken.
    public struct Checkpoint: Encodable {
        public var day: Int
        public var readings: Int
        public var focusClosed: Int
        public var focusTotal: Int
        public var othersClosed: Int
        public var othersTotal: Int
        public var sentence: String
    }

    public struct Wording: Encodable {
        public var reviewsChecked: Int
        public var openFindings: Int
        public var reviewsWithNone: Int
        @Nullable public var perReview: Double?
        public var sentence: String
    }

    public struct Summary: Encodable {
        public var practice: Practice
        public var label: String
        public var incidentCount: Int
        public var all: Measures
        public var groups: [Group]
        public var detection: Detection
        public var mitigatedWithin: MitigatedWithin
    }

    public struct Change: Encodable {
        /// Null for all incidents.
        @Nullable public var group: String?
        public var groupLabel: String
        public var earlierCount: Int
        public var laterCount: Int
        @Nullable public var earlierMedian: Double?
        @Nullable public var laterMedian: Double?
        /// `shorter`, `longer` or `cannotTell`.
        public var verdict: String
        /// Why it cannot tell: `tooFewIncidents` or `intervalIncludesZero`.
        @Nullable public var reason: String?
        /// Later median minus earlier, and its 95 % interval (seconds).
        @Nullable public var difference: Double?
        @Nullable public var lower: Double?
        @Nullable public var upper: Double?
        public var sentence: String
    }

    public struct Comparison: Encodable {
        public var earlier: String
        public var later: String
        public var changes: [Change]
    }

    public struct ReviewLink: Encodable {
        public var id: String
        public var title: String
    }

    public struct LongIncident: Encodable {
        public var key: String
        public var title: String
        public var durationSeconds: Double
        public var occurredAt: String
        /// Only the reviews the viewer may open.
        public var reviews: [ReviewLink]
    }

    public var note: String
    public var groupBy: String
    public var measure: String
    public var period: Period
    public var filter: Filter
    public var whole: Summary
    public var buckets: [Summary]
    @Nullable public var comparison: Comparison?
    public var longest: [LongIncident]
    public var longestNote: String
}

/// The report behind the Insights page, API and command: the streamed
/// numbers, the comparison and the long tail with the reviews the viewer may
/// open (never a review they may not: totals count every incident, but names
/// and links stop at `ReviewAccess`).
public struct InsightsView: Sendable {
    public var request: InsightsRequest
    public var report: InsightsReport
    public var changes: [MedianChange]
    /// Per bucket, then the whole period.
    public var practice: [PracticeHealth]
    public var wholePractice: PracticeHealth
    /// The longest incidents of the whole period for the request's measure,
    /// with the reviews the viewer may open.
    public var longest: [(entry: LongTailEntry, reviews: [Review])]

    /// The sentence the page, API and command all carry once.
    public static let note = "These figures are feedback for the organisation about how incidents go, not targets for anyone: there is no figure per person, and a number that moves between two periods is shown as a change only when the data can tell it from noise."

    /// Every incident of the period with the request's measure known, by
    /// group: the strip plot's dots. Filled only when `make` is asked for them
    /// (the page draws them; the API and command do not).
    var dots: [String?: [StripPoint]] = [:]

    /// One pass over the period's incidents feeds the report, the dots and
    /// the practice counts; then the practice records of those incidents and
    /// the long tail's reviews are read in one batch each.
    /// `viewer` nil: the operator at the command line, who sees every review.
    /// `language` counts the wording findings left open in each review.
    public static func make(_ request: InsightsRequest, store: LoreStore, viewer: Viewer?, language: LanguageSupport?, withDots: Bool = false) async throws -> InsightsView {
        let period = request.options.period, grouping = request.options.grouping, measure = request.measure
        struct Pass: Sendable {
            var accumulator: InsightsAccumulator
            var byBucket: [[(id: UUID, times: IncidentTimes)]]
            var dots: [String?: [StripPoint]] = [:]
        }
        let pass = NIOLockedValueBox(Pass(accumulator: InsightsAccumulator(request.options), byBucket: period.buckets.map { _ in [] }))
        try await store.forEachInsightsIncident(in: period, filter: request.filter, withServicesAndTeams: grouping.needsMembership) { incident in
            pass.withLockedValue { p in
                p.accumulator.add(incident)
                guard let b = period.bucketIndex(of: incident.occurredAt) else { return }
                p.byBucket[b].append((incident.id, incident.times))
                if withDots, let d = InsightsMeasure.outcomes(times: incident.times, status: incident.status)[measure].duration {
                    let point = StripPoint(duration: d, key: incident.key, title: incident.title)
                    for g in grouping.groups(of: incident) { p.dots[g, default: []].append(point) }
                }
            }
        }
        let gathered = pass.withLockedValue { $0 }
        let report = gathered.accumulator.finish()
        let changes = request.comparison.map { report.changes(measure, earlier: $0.earlier, later: $0.later) } ?? []

        let entries = report.whole.longest[measure]
        let reviews = try await store.reviewsByIncident(entries.map(\.id), viewer: viewer)
        let longest = entries.map { ($0, reviews[$0.id] ?? []) }

        // The wording counts kept on each review, brought up to date first
        // (the same counts the dashboard reads).
        try await language?.refreshWordingCounts(store: store)
        let records = try await store.practiceRecords(in: period, filter: request.filter)
        let windowHours = try await store.settings().reviewWindowHours
        func health(_ incidents: [(id: UUID, times: IncidentTimes)]) -> PracticeHealth {
            PracticeHealth.measure(incidents: incidents, records: records, windowHours: windowHours, asOf: period.asOf)
        }
        return InsightsView(request: request, report: report, changes: changes, practice: gathered.byBucket.map(health),
                            wholePractice: health(gathered.byBucket.flatMap { $0 }), longest: longest, dots: gathered.dots)
    }

    public var json: InsightsJSON {
        let period = report.period
        func distribution(_ m: MeasureSummary) -> InsightsJSON.Distribution {
            let d = m.distribution
            return InsightsJSON.Distribution(count: d.count, median: d.median, p90: d.p90, min: d.min, max: d.max, stillOpen: m.stillOpen,
                                             excluded: Dictionary(uniqueKeysWithValues: m.excluded.map { ($0.key.rawValue, $0.value) }))
        }
        func measures(_ p: PerMeasure<MeasureSummary>) -> InsightsJSON.Measures {
            InsightsJSON.Measures(toDetect: distribution(p.toDetect), toAcknowledge: distribution(p.toAcknowledge),
                                  toMitigate: distribution(p.toMitigate), toResolve: distribution(p.toResolve))
        }
        func summary(_ s: InsightsSummary, _ p: PracticeHealth) -> InsightsJSON.Summary {
            let w = s.mitigatedWithin
            return InsightsJSON.Summary(
                practice: InsightsJSON.Practice(
                    windowsOpened: p.windowsOpened, reviewed: p.reviewed, heldInWindow: p.heldInWindow, pending: p.pending,
                    medianTimeToReview: p.timeToReview.median, reviews: p.reviews,
                    followUps: Dictionary(uniqueKeysWithValues: p.followUps.map { ($0.key.rawValue, $0.value) }),
                    medianOpenFollowUpAge: p.openFollowUpAge.median, sentence: p.sentence, followUpSentence: p.followUpSentence,
                    followThrough: p.followThrough.map {
                        InsightsJSON.Checkpoint(day: $0.day, readings: $0.readings, focusClosed: $0.focusClosed, focusTotal: $0.focusTotal,
                                                othersClosed: $0.othersClosed, othersTotal: $0.othersTotal, sentence: $0.sentence)
                    },
                    wording: InsightsJSON.Wording(reviewsChecked: p.wording.reviewsChecked, openFindings: p.wording.openFindings,
                                                  reviewsWithNone: p.wording.reviewsWithNone, perReview: p.wording.perReview, sentence: p.wording.sentence)
                ),
                label: s.label, incidentCount: s.incidentCount, all: measures(s.all),
                groups: s.groups.map { InsightsJSON.Group(value: $0.group.value, label: $0.group.label, incidentCount: $0.incidentCount, measures: measures($0.measures)) },
                detection: InsightsJSON.Detection(monitoring: s.detection.monitoring, customers: s.detection.customers, other: s.detection.other),
                mitigatedWithin: InsightsJSON.MitigatedWithin(targetSeconds: w.target, within: w.within, measured: w.measured, stillOpen: w.stillOpen,
                                                              excluded: w.excluded, share: w.share, sentence: w.sentence)
            )
        }
        let comparison = request.comparison.map { c in
            InsightsJSON.Comparison(earlier: period.buckets[c.earlier].id, later: period.buckets[c.later].id, changes: changes.map(Self.change))
        }
        return InsightsJSON(
            note: Self.note, groupBy: report.grouping.parameter, measure: request.measure.parameter,
            period: InsightsJSON.Period(
                since: LoreTime.iso(period.since), until: LoreTime.iso(period.until), split: period.split.rawValue,
                buckets: period.buckets.map { InsightsJSON.Bucket(id: $0.id, label: $0.label, start: LoreTime.iso($0.start), end: LoreTime.iso($0.end), complete: $0.isComplete) }
            ),
            filter: InsightsJSON.Filter(status: request.filter.status?.rawValue, severity: request.filter.severity, service: request.filter.service, team: request.filter.team),
            whole: summary(report.whole, wholePractice), buckets: zip(report.buckets, practice).map(summary), comparison: comparison,
            longest: longest.map { e, reviews in
                InsightsJSON.LongIncident(key: e.key, title: e.title, durationSeconds: e.duration, occurredAt: LoreTime.iso(e.occurredAt),
                                          reviews: reviews.map { InsightsJSON.ReviewLink(id: $0.id.uuidString, title: $0.title) })
            },
            longestNote: LongTail.note
        )
    }

    static func change(_ c: MedianChange) -> InsightsJSON.Change {
        let i = c.interval
        return InsightsJSON.Change(
            group: c.group?.value, groupLabel: c.group?.label ?? "All incidents", earlierCount: c.earlierCount, laterCount: c.laterCount,
            earlierMedian: c.earlierMedian, laterMedian: c.laterMedian, verdict: c.verdict.name, reason: c.verdict.reasonName,
            difference: c.difference, lower: i?.lower, upper: i?.upper, sentence: c.sentence
        )
    }
}
