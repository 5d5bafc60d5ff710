import Foundation

/// How a period is cut for comparison: calendar months or calendar quarters.
/// Quarters are the default because they hold three times as many incidents,
/// and a change in a median can only be told from noise with enough of them.
public enum InsightsSplit: String, CaseIterable, Codable, Sendable {
    case month, quarter

    public static let `default` = InsightsSplit.quarter

    /// Calendar months in one bucket.
    public var months: Int { self == .month ? 1 : 3 }

    /// Reads `month`/`months`/`monthly` or `quarter`/`quarters`/`quarterly`,
    /// any case; nil otherwise, so the caller can name the parameter.
    public init?(parameter: String) {
        switch parameter.trimmingCharacters(in: .whitespaces).lowercased() {
        case "month", "months", "monthly": self = .month
        case "quarter", "quarters", "quarterly": self = .quarter
        default: return nil
        }
    }
}

/// One month or quarter of an Insights period. Boundaries are UTC calendar
/// boundaries (the first of the month at 00:00 Z), so every viewer, the CLI
/// and both databases put an incident in the same bucket whatever their time
/// zone.
public struct InsightsBucket: Equatable, Sendable {
    /// `2026-03` or `2026-Q1`: stable, for URLs, JSON and CSV.
    public var id: String
    /// `March 2026` or `Q1 2026`: for pages.
    public var label: String
    /// The part of the month or quarter inside the period: from `start`
    /// (included) to `end` (excluded).
    public var start: Date
    public var end: Date
    /// True when the bucket is a whole month or quarter that had ended by the
    /// time of the report. A partial bucket (the current quarter, or one cut
    /// by `since`/`until`) holds fewer incidents; its counts are not
    /// comparable with a whole one's, though its median is.
    public var isComplete: Bool

    public init(id: String, label: String, start: Date, end: Date, isComplete: Bool) {
        self.id = id
        self.label = label
        self.start = start
        self.end = end
        self.isComplete = isComplete
    }
}

/// The time Insights looks at, cut into buckets. An incident belongs to the
/// bucket in which it *happened*: see `InsightsIncident.occurredAt`.
public struct InsightsPeriod: Equatable, Sendable {
    /// Included.
    public let since: Date
    /// Excluded.
    public let until: Date
    public let split: InsightsSplit
    /// The moment the report is made, which decides whether the last bucket
    /// is complete.
    public let asOf: Date
    /// In time order; never empty.
    public let buckets: [InsightsBucket]
    /// The month index (year × 12 + month − 1) where the first bucket starts.
    let firstMonth: Int

    /// Ten years of calendar months: longer says little about how the
    /// organisation works now, and the bound keeps a request's memory and
    /// time bounded.
    public static let longestMonths = 120

    /// Calendar months with at least a moment in `since ..< until`.
    static func monthsTouched(since: Date, until: Date) -> Int {
        let u = monthIndex(until)
        let last = until == startOfMonth(u) ? u - 1 : u
        return last - monthIndex(since) + 1
    }

    /// A period from `since` to `until`, cut at UTC month or quarter
    /// boundaries; the first and last bucket may be partial. Problems are
    /// reported under `since` (the field a person usually changes):
    /// `since` not before `until`, or a period longer than ten years.
    public init(since: Date, until: Date, split: InsightsSplit = .default, asOf: Date) throws(ValidationError) {
        var v = Validator()
        if !LoreTime.representable.contains(since) || !LoreTime.representable.contains(until) {
            v.add("since", "out_of_range", "The period must be between the years 0001 and 9999.")
        } else if since >= until {
            v.add("since", "after_until", "Since (\(LoreTime.iso(since))) must be before until (\(LoreTime.iso(until))).")
        } else if Self.monthsTouched(since: since, until: until) > Self.longestMonths {
            v.add("since", "too_long", "A period can cover at most \(Self.longestMonths) calendar months (10 years); move since later or until earlier.")
        }
        try v.check()
        self.init(checkedSince: since, until: until, split: split, asOf: asOf)
    }

    /// The default view: the last twelve months in whole UTC months or
    /// quarters, ending with the one `asOf` falls in (which is then partial,
    /// so that a fresh incident shows up). With quarters that is the current
    /// quarter and the three before it.
    public static func lastTwelveMonths(asOf: Date, split: InsightsSplit = .default) -> InsightsPeriod {
        let current = Self.monthIndex(asOf)
        let endMonth = Self.floor(current, to: split.months) + split.months
        return InsightsPeriod(
            checkedSince: Self.startOfMonth(endMonth - 12), until: Self.startOfMonth(endMonth), split: split, asOf: asOf
        )
    }

    init(checkedSince since: Date, until: Date, split: InsightsSplit, asOf: Date) {
        self.since = since
        self.until = until
        self.split = split
        self.asOf = asOf
        let step = split.months
        let first = Self.floor(Self.monthIndex(since), to: step)
        firstMonth = first
        var buckets: [InsightsBucket] = []
        var k = first
        while Self.startOfMonth(k) < until {
            let civilStart = Self.startOfMonth(k), civilEnd = Self.startOfMonth(k + step)
            let start = Swift.max(since, civilStart), end = Swift.min(until, civilEnd)
            let year = Self.floorDiv(k, 12), month = k - year * 12 + 1
            let id: String, label: String
            if split == .month {
                id = "\(Self.pad(year, 4))-\(Self.pad(month, 2))"
                label = "\(Self.monthNames[month - 1]) \(year)"
            } else {
                let q = (month - 1) / 3 + 1
                id = "\(Self.pad(year, 4))-Q\(q)"
                label = "Q\(q) \(year)"
            }
            buckets.append(InsightsBucket(
                id: id, label: label, start: start, end: end,
                isComplete: start == civilStart && end == civilEnd && civilEnd <= asOf
            ))
            k += step
        }
        self.buckets = buckets
    }

    /// The bucket `date` falls in, or nil outside `since ..< until`.
    public func bucketIndex(of date: Date) -> Int? {
        guard date >= since, date < until else { return nil }
        let i = (Self.monthIndex(date) - firstMonth) / split.months
        return i >= 0 && i < buckets.count ? i : nil
    }

    /// The two most recent complete buckets, for the default comparison
    /// (a partial bucket has too few incidents to compare fairly); the last
    /// two buckets when fewer than two are complete; nil with one bucket.
    public var defaultComparison: (earlier: Int, later: Int)? {
        let complete = buckets.indices.filter { buckets[$0].isComplete }
        if complete.count >= 2 { return (complete[complete.count - 2], complete[complete.count - 1]) }
        return buckets.count >= 2 ? (buckets.count - 2, buckets.count - 1) : nil
    }

    // MARK: UTC calendar arithmetic (CivilDate underneath)

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// year × 12 + month − 1 of the UTC calendar month `date` falls in.
    static func monthIndex(_ date: Date) -> Int {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (y, m, _) = CivilDate.date(daysSinceEpoch: days)
        return y * 12 + m - 1
    }

    /// 00:00 Z on the first day of month index `k`.
    static func startOfMonth(_ k: Int) -> Date {
        let year = floorDiv(k, 12)
        let days = CivilDate.daysSinceEpoch(year: year, month: k - year * 12 + 1, day: 1)
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floor(_ a: Int, to step: Int) -> Int { floorDiv(a, step) * step }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
