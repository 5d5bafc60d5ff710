import Foundation

/// Which incidents an Insights report draws on: the incident list's filters
/// (status, severity, service, team) over the report's period.
public struct InsightsFilter: Equatable, Sendable {
    public var status: IncidentStatus?
    public var severity: String?
    public var service: String?
    public var team: String?

    public init(status: IncidentStatus? = nil, severity: String? = nil, service: String? = nil, team: String? = nil) {
        self.status = status
        self.severity = severity
        self.service = service
        self.team = team
    }
}

/// What a person asks Insights for, read from the page's query string, the
/// API's parameters or the command line's options, by one rule, so the three
/// answer the same question with the same numbers and the same errors.
///
/// Parameters (all optional): `by` (detection-source, service, team,
/// severity), `measure` (to-detect, to-acknowledge, to-mitigate, to-resolve),
/// `since` and `until` (a date, `2026-01-01`, or an RFC 3339 time; a date as
/// `until` includes that day), `split` (quarter, month), `earlier` and
/// `later` (bucket ids such as `2026-Q1` or `2026-03`, to compare),
/// `mitigatedWithin` (minutes), `longest` (how many incidents to name), and
/// the incident list's `status`, `severity`, `service`, `team`.
public struct InsightsRequest: Equatable, Sendable {
    public var options: InsightsOptions
    public var filter: InsightsFilter
    /// The measure the change, the dots and the long tail are about.
    public var measure: InsightsMeasure
    /// Bucket indices to compare; nil when the period has a single bucket.
    public var comparison: (earlier: Int, later: Int)?

    public static let defaultMeasure = InsightsMeasure.toDetect
    public static let parameterNames: Set<String> = [
        "by", "measure", "since", "until", "split", "earlier", "later", "mitigatedWithin", "longest",
        "status", "severity", "service", "team",
    ]

    public static func == (a: InsightsRequest, b: InsightsRequest) -> Bool {
        a.options.period == b.options.period && a.options.grouping == b.options.grouping && a.filter == b.filter
            && a.measure == b.measure && a.comparison?.earlier == b.comparison?.earlier && a.comparison?.later == b.comparison?.later
            && a.options.mitigationTarget == b.options.mitigationTarget && a.options.longTailCount == b.options.longTailCount
    }

    /// The API's spellings of the parameters that take one of a few values:
    /// the OpenAPI document's enums. The page and the command line read more
    /// (a blank field is absent; any case; "detect" for "to-detect"); a client
    /// of the API gets told instead of a silent default.
    public static let exactValues: [String: Set<String>] = [
        "by": Set(InsightsGrouping.allCases.map(\.parameter)),
        "measure": Set(InsightsMeasure.allCases.map(\.parameter)),
        "split": Set(InsightsSplit.allCases.map(\.rawValue)),
        "status": Set(IncidentStatus.allCases.map(\.rawValue)),
    ]

    /// Refuses any of `exactValues`' parameters not spelled exactly, naming each.
    public static func requireExactValues(_ parameters: [String: String]) throws(ValidationError) {
        var v = Validator()
        for (name, allowed) in exactValues.sorted(by: { $0.key < $1.key }) {
            guard let value = parameters[name], !allowed.contains(value) else { continue }
            v.add(name, "invalid", "\"\(name)\" is one of \(allowed.sorted().joined(separator: ", ")); got \"\(value.prefix(100))\".")
        }
        try v.check()
    }

    /// Reads `parameters`; every problem is reported at once, each naming its
    /// parameter. Empty values count as absent (a form's blank field).
    public static func parse(_ parameters: [String: String], settings: OrganisationSettings, asOf: Date) throws(ValidationError) -> InsightsRequest {
        var v = Validator()
        func value(_ name: String) -> String? {
            guard let raw = parameters[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        for name in parameters.keys.sorted() where !parameterNames.contains(name) {
            v.add(name, "unknown", "Insights takes no parameter \"\(name)\"; it takes \(parameterNames.sorted().joined(separator: ", ")).")
        }

        var grouping = InsightsGrouping.default
        if let by = value("by") {
            if let g = InsightsGrouping(parameter: by) { grouping = g } else {
                v.add("by", "unknown_grouping", "Group by detection-source, service, team or severity, not \"\(by)\".")
            }
        }
        var measure = defaultMeasure
        if let m = value("measure") {
            if let known = InsightsMeasure(parameter: m) { measure = known } else {
                v.add("measure", "unknown_measure", "The measure is to-detect, to-acknowledge, to-mitigate or to-resolve, not \"\(m)\".")
            }
        }
        var split = InsightsSplit.default
        if let s = value("split") {
            if let known = InsightsSplit(parameter: s) { split = known } else {
                v.add("split", "unknown_split", "Split the period by quarter or month, not \"\(s)\".")
            }
        }
        let since = value("since").map { ($0, readTime($0, endOfDay: false)) }
        let until = value("until").map { ($0, readTime($0, endOfDay: true)) }
        if let (text, date) = since, date == nil {
            v.add("since", "invalid_time", "\"\(text)\" is not a date (2026-01-01) or an RFC 3339 time (2026-01-01T00:00:00Z).")
        }
        if let (text, date) = until, date == nil {
            v.add("until", "invalid_time", "\"\(text)\" is not a date (2026-06-30) or an RFC 3339 time (2026-07-01T00:00:00Z).")
        }
        var mitigationTarget = InsightsOptions.defaultMitigationTarget
        if let m = value("mitigatedWithin") {
            let range = InsightsOptions.mitigationTargetRange
            if let minutes = Int(m), range.contains(TimeInterval(minutes) * 60) { mitigationTarget = TimeInterval(minutes) * 60 } else {
                v.add("mitigatedWithin", "out_of_range",
                      "\"mitigatedWithin\" is a whole number of minutes from \(Int(range.lowerBound / 60)) to \(Int(range.upperBound / 60)) (30 days), not \"\(m)\".")
            }
        }
        var longest = InsightsOptions.defaultLongTailCount
        if let l = value("longest") {
            if let n = Int(l), InsightsOptions.longTailCountRange.contains(n) { longest = n } else {
                v.add("longest", "out_of_range", "\"longest\" is a whole number from 1 to \(InsightsOptions.longTailCountRange.upperBound), not \"\(l)\".")
            }
        }
        var filter = InsightsFilter(severity: value("severity"), service: value("service"), team: value("team"))
        if let s = value("status") {
            if let known = IncidentStatus(rawValue: s) { filter.status = known } else {
                v.add("status", "unknown_status", "The status is open, mitigated or resolved, not \"\(s)\".")
            }
        }
        try v.check()

        let period: InsightsPeriod
        switch (since?.1, until?.1) {
        case (nil, nil):
            period = .lastTwelveMonths(asOf: asOf, split: split)
        case let (s?, nil):
            period = try InsightsPeriod(since: s, until: Swift.max(asOf, s.addingTimeInterval(1)), split: split, asOf: asOf)
        case let (nil, u?):
            period = try InsightsPeriod(since: twelveMonths(before: u), until: u, split: split, asOf: asOf)
        case let (s?, u?):
            period = try InsightsPeriod(since: s, until: u, split: split, asOf: asOf)
        }

        var comparison = period.defaultComparison
        let ids = period.buckets.map(\.id)
        func bucket(_ name: String) -> Int? {
            guard let id = value(name) else { return nil }
            if let i = ids.firstIndex(where: { $0.caseInsensitiveCompare(id) == .orderedSame }) { return i }
            v.add(name, "unknown_bucket", "\"\(id)\" is not one of this period's \(split == .month ? "months" : "quarters") (\(ids.joined(separator: ", "))).")
            return nil
        }
        let earlier = bucket("earlier"), later = bucket("later")
        if let e = earlier, let l = later {
            if e >= l { v.add("earlier", "not_before_later", "Compare an earlier \(split.rawValue) with a later one: \(ids[e]) is not before \(ids[l]).") }
            comparison = (e, l)
        } else if let e = earlier {
            if e + 1 < ids.count { comparison = (e, comparison.map { Swift.max($0.later, e + 1) } ?? e + 1) } else {
                v.add("earlier", "not_before_later", "\(ids[e]) is the period's last \(split.rawValue); there is nothing later to compare it with.")
            }
        } else if let l = later {
            if l > 0 { comparison = (comparison.map { Swift.min($0.earlier, l - 1) } ?? l - 1, l) } else {
                v.add("later", "not_before_later", "\(ids[l]) is the period's first \(split.rawValue); there is nothing earlier to compare it with.")
            }
        }
        try v.check()

        let options = try InsightsOptions(
            period: period, grouping: grouping, groupOrder: grouping == .detectionSource ? settings.detectionSources : grouping == .severity ? settings.severities : [],
            mitigationTarget: mitigationTarget, longTailCount: longest
        ).validated()
        return InsightsRequest(options: options, filter: filter, measure: measure, comparison: comparison)
    }

    /// `2026-01-01` (00:00 UTC that day, or the next day's when it ends a
    /// period, so the day is included) or an RFC 3339 time.
    static func readTime(_ text: String, endOfDay: Bool) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           (1...9999).contains(y), (1...12).contains(m), (1...CivilDate.daysIn(month: m, year: y)).contains(d) {
            let days = CivilDate.daysSinceEpoch(year: y, month: m, day: d) + (endOfDay ? 1 : 0)
            return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
        }
        return LoreTime.parseISO(text)
    }

    /// The same day and time twelve calendar months earlier (the default
    /// span when only `until` is given).
    static func twelveMonths(before date: Date) -> Date {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let seconds = date.timeIntervalSince1970 - TimeInterval(days) * 86_400
        let (y, m, d) = CivilDate.date(daysSinceEpoch: days)
        let earlier = CivilDate.daysSinceEpoch(year: y - 1, month: m, day: Swift.min(d, CivilDate.daysIn(month: m, year: y - 1)))
        return Date(timeIntervalSince1970: TimeInterval(earlier) * 86_400 + seconds)
    }
}
