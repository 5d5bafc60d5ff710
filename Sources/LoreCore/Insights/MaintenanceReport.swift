import Foundation

/// The argument a team takes to the people who fund maintenance: per service
/// and quarter, the follow-ups done (by the tags of the contributing factors
/// they answered) beside the incidents and their minutes; the incidents that
/// share a service and a tag (recurrences); and the follow-ups people linked
/// to later incidents they would have prevented or shortened. No figure is
/// per person.
public struct MaintenanceReport: Sendable, Equatable, Codable {
    /// A calendar quarter in UTC, `2026-Q3`.
    public struct Quarter: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
        public var year: Int
        public var quarter: Int

        public init(year: Int, quarter: Int) {
            self.year = year
            self.quarter = quarter
        }

        public static func containing(_ date: Date) -> Quarter {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let c = calendar.dateComponents([.year, .month], from: date)
            return Quarter(year: c.year ?? 1970, quarter: ((c.month ?? 1) - 1) / 3 + 1)
        }

        public var description: String { "\(year)-Q\(quarter)" }
        public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }
    }

    public struct Row: Sendable, Equatable, Codable {
        public var quarter: Quarter
        /// A service slug, or "" for incidents and follow-ups of no service.
        public var service: String
        public var incidents: Int
        public var incidentMinutes: Int
        public var followUpsDone: Int
        /// Follow-ups done, by the tags of their review's contributing factors.
        public var doneByTag: [String: Int]
    }

    public struct Recurrence: Sendable, Equatable, Codable {
        public var service: String
        public var tag: String
        public var incidentKeys: [String]
    }

    /// One incident as the report counts it.
    public struct IncidentFact: Sendable {
        public var key: String
        public var services: [String]
        public var happenedAt: Date
        /// From the impact's start (or detection) to mitigation (or
        /// resolution); nil when the incident does not say.
        public var minutes: Int?
        public var tags: [String]

        public init(key: String, services: [String], happenedAt: Date, minutes: Int?, tags: [String]) {
            self.key = key
            self.services = services
            self.happenedAt = happenedAt
            self.minutes = minutes
            self.tags = tags
        }
    }

    /// One follow-up done, as the report counts it.
    public struct FollowUpFact: Sendable {
        public var service: String?
        public var closedAt: Date
        public var tags: [String]

        public init(service: String?, closedAt: Date, tags: [String]) {
            self.service = service
            self.closedAt = closedAt
            self.tags = tags
        }
    }

    /// Every service's figures of a quarter, each incident counted once
    /// (an incident of two services is a row of each).
    public struct QuarterTotal: Sendable, Equatable, Codable {
        public var quarter: Quarter
        public var incidents: Int
        public var minutes: Int
        public var followUpsDone: Int
    }

    public var since: Date
    public var until: Date
    public var rows: [Row]
    public var totals: [QuarterTotal]
    public var recurrences: [Recurrence]
    public var links: [FollowUpLink]

    /// What the numbers can and cannot show, printed with them.
    public static let caveats = [
        "Few incidents make noisy numbers: one bad week moves a quarter. Read the trend over several quarters, not the last one.",
        "Incident minutes have a long tail: one long incident can outweigh many short ones, so a quarter's total says more about its worst incident than its typical one.",
        "Follow-ups done and fewer incidents may coincide without one causing the other. The links people recorded (\"would have prevented\") are the direct evidence; the table is context.",
        "Only what people recorded is counted: untagged contributing factors, follow-ups without a service and incidents without times are missing from their columns.",
    ]

    public static func build(incidents: [IncidentFact], followUpsDone: [FollowUpFact], links: [FollowUpLink], since: Date, until: Date) -> MaintenanceReport {
        struct Key: Hashable { var quarter: Quarter; var service: String }
        var rows: [Key: Row] = [:]
        func row(_ k: Key) -> Row { rows[k] ?? Row(quarter: k.quarter, service: k.service, incidents: 0, incidentMinutes: 0, followUpsDone: 0, doneByTag: [:]) }
        var recurring: [String: [String: Set<String>]] = [:]
        var totals: [Quarter: QuarterTotal] = [:]
        func total(_ q: Quarter) -> QuarterTotal { totals[q] ?? QuarterTotal(quarter: q, incidents: 0, minutes: 0, followUpsDone: 0) }
        for i in incidents {
            let quarter = Quarter.containing(i.happenedAt)
            var t = total(quarter)
            t.incidents += 1
            t.minutes += i.minutes ?? 0
            totals[quarter] = t
            for service in i.services.isEmpty ? [""] : i.services {
                var r = row(Key(quarter: quarter, service: service))
                r.incidents += 1
                r.incidentMinutes += i.minutes ?? 0
                rows[Key(quarter: quarter, service: service)] = r
                guard !service.isEmpty else { continue }
                for tag in Set(i.tags) { recurring[service, default: [:]][tag, default: []].insert(i.key) }
            }
        }
        for f in followUpsDone {
            let k = Key(quarter: Quarter.containing(f.closedAt), service: f.service ?? "")
            var t = total(k.quarter)
            t.followUpsDone += 1
            totals[k.quarter] = t
            var r = row(k)
            r.followUpsDone += 1
            for tag in Set(f.tags) { r.doneByTag[tag, default: 0] += 1 }
            rows[k] = r
        }
        let recurrences = recurring.flatMap { service, byTag in
            byTag.filter { $0.value.count >= 2 }.map { Recurrence(service: service, tag: $0.key, incidentKeys: $0.value.sorted { (Int($0.dropFirst(4)) ?? 0) < (Int($1.dropFirst(4)) ?? 0) }) }
        }.sorted { ($0.incidentKeys.count, $1.service, $1.tag) > ($1.incidentKeys.count, $0.service, $0.tag) }
        return MaintenanceReport(
            since: since, until: until,
            rows: rows.values.sorted { ($0.quarter, $0.service) < ($1.quarter, $1.service) },
            totals: totals.values.sorted { $0.quarter < $1.quarter },
            recurrences: recurrences, links: links)
    }

    /// `since` and `until` (dates, `until` included), in UTC like the
    /// quarters; by default the last four quarters and this one, to now.
    public static func period(since: String?, until: String?, now: Date = Date()) throws(ValidationError) -> (Date, Date) {
        let zone = TimeZone(identifier: "UTC")!
        var v = Validator()
        /// A date exactly as written (`2026-02-30` or ` 2026-02-01` are not dates).
        func day(_ text: String?, _ field: String) -> Date? {
            guard let t = text else { return nil }
            guard t.count == 10, let d = LoreTime.parseLocal(t + "T00:00", timeZone: zone),
                  LoreTime.formatter("yyyy-MM-dd", zone).string(from: d) == t else {
                v.add(field, "invalid", "\(field == "since" ? "The first day (since)" : "The last day (until)"), \"\(t)\", is not a date (YYYY-MM-DD).")
                return nil
            }
            return d
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let end = day(until, "until").flatMap { calendar.date(byAdding: .day, value: 1, to: $0) } ?? now
        // The quarter of the period's last moment (the end itself is excluded).
        let current = Quarter.containing(end.addingTimeInterval(-1))
        let start = day(since, "since") ?? calendar.date(from: DateComponents(year: current.year - 1, month: (current.quarter - 1) * 3 + 1, day: 1)) ?? end
        if start >= end && v.issues.isEmpty { v.add("since", "order", "The first day (since) must come before the last (until).") }
        try v.check()
        return (start, end)
    }


}
