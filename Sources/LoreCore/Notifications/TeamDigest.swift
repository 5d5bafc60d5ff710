import Foundation

/// An ISO week (`2026-W48`): the name of one team digest.
public struct DigestWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    static var calendar: Calendar {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    /// Reads `2026-W48` (or `2026-w48`); nil for anything else or a week the year does not have.
    public static func parse(_ text: String) -> DigestWeek? {
        let parts = text.trimmingCharacters(in: .whitespaces).uppercased().split(separator: "-W", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
              let y = Int(parts[0]), let w = Int(parts[1]), (1970...9999).contains(y), (1...53).contains(w) else { return nil }
        let week = DigestWeek(year: y, week: w)
        return week.monday.map { DigestWeek.containing($0, in: TimeZone(identifier: "UTC")!) } == week ? week : nil
    }

    /// The ISO week that holds `date` in `zone`.
    public static func containing(_ date: Date, in zone: TimeZone) -> DigestWeek {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = zone
        let parts = c.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return DigestWeek(year: parts.yearForWeekOfYear ?? 1970, week: parts.weekOfYear ?? 1)
    }

    /// Midnight UTC on the week's Monday.
    var monday: Date? { Self.calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)) }

    public var previous: DigestWeek { shifted(-7) }
    public var next: DigestWeek { shifted(7) }

    func shifted(_ days: Int) -> DigestWeek {
        guard let m = monday else { return self }
        return Self.containing(m.addingTimeInterval(Double(days) * 86_400 + 3600), in: TimeZone(identifier: "UTC")!)
    }

    public var description: String { String(format: "%04d-W%02d", year, week) }

    public static func < (a: DigestWeek, b: DigestWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }
}

/// When a team's weekly digest goes out: a weekday and hour in the team's
/// time zone. Each ISO week has one such moment; the digest of that week
/// covers the seven days before it, so nothing falls between two digests.
public struct DigestSchedule: Equatable, Sendable, Codable {
    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int
    /// 0–23, on the team's clock.
    public var hour: Int
    /// An IANA zone such as `Europe/Berlin`.
    public var timeZone: String

    public init(weekday: Int, hour: Int, timeZone: String) {
        self.weekday = weekday
        self.hour = hour
        self.timeZone = timeZone
    }

    /// Monday 09:00 UTC: what a page shows for a team that chose nothing.
    public static let standard = DigestSchedule(weekday: 1, hour: 9, timeZone: "UTC")

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    public var weekdayName: String { Self.weekdayNames[(weekday - 1) % 7] }

    /// Checks a schedule as a person enters it; each problem names its field.
    public static func validated(weekday: String?, hour: String?, timeZone: String?) throws(ValidationError) -> DigestSchedule {
        var v = Validator()
        let day = (weekday ?? "").trimmingCharacters(in: .whitespaces)
        let dayNumber = Int(day) ?? Self.weekdayNames.firstIndex { $0.lowercased() == day.lowercased() || $0.prefix(3).lowercased() == day.lowercased() }.map { $0 + 1 }
        if dayNumber == nil || !(1...7).contains(dayNumber!) {
            v.add("weekday", "invalid", "Choose a day of the week: Monday to Sunday (or 1 to 7).")
        }
        let h = Int((hour ?? "").trimmingCharacters(in: .whitespaces))
        if h == nil || !(0...23).contains(h!) { v.add("hour", "invalid", "The hour is a whole number from 0 to 23.") }
        let zone = (timeZone ?? "").trimmingCharacters(in: .whitespaces)
        if zone.isEmpty || zone.count > 64 || TimeZone(identifier: zone) == nil {
            v.add("timeZone", "invalid", "Unknown time zone \"\(zone.prefix(64))\"; use a name such as Europe/Berlin or UTC.")
        }
        try v.check()
        return DigestSchedule(weekday: dayNumber!, hour: h!, timeZone: zone)
    }

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// The moment `week`'s digest is due. A local hour that a daylight-saving
    /// change skips is taken as the next hour that exists.
    public func sendMoment(of week: DigestWeek) -> Date {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = zone
        let calendarWeekday = weekday % 7 + 1  // Calendar counts Sunday as 1
        let parts = DateComponents(hour: hour, minute: 0, second: 0, weekday: calendarWeekday, weekOfYear: week.week, yearForWeekOfYear: week.year)
        return c.date(from: parts) ?? Date(timeIntervalSince1970: 0)
    }

    /// The stretch `week`'s digest covers: from the previous digest's moment up to its own.
    public func period(of week: DigestWeek) -> (start: Date, end: Date) {
        (sendMoment(of: week.previous), sendMoment(of: week))
    }

    /// The newest week whose digest is due at or before `now`.
    public func latestWeek(atOrBefore now: Date) -> DigestWeek {
        let w = DigestWeek.containing(now, in: zone)
        return sendMoment(of: w) <= now ? w : w.previous
    }
}

/// One team's week, as its digest says it: the incidents on the team's
/// services, what their reviews learned, the team's follow-ups that are due
/// or overdue, and focus items that reached a checkpoint. Built only from
/// what every member of the team may see, so that a digest posted to a
/// shared channel leaks nothing from a private review.
public struct TeamDigest: Sendable, Equatable {
    public struct IncidentLine: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var severity: String
        public var status: IncidentStatus
        public var services: [String]
        public var happenedAt: Date
        public var key: String { Incident.key(for: number) }
        public init(number: Int, title: String, severity: String, status: IncidentStatus, services: [String], happenedAt: Date) {
            self.number = number
            self.title = title
            self.severity = severity
            self.status = status
            self.services = services
            self.happenedAt = happenedAt
        }
    }

    public struct LearnedLine: Sendable, Equatable {
        public var incidentNumber: Int
        public var kind: FindingKind
        public var text: String
        public init(incidentNumber: Int, kind: FindingKind, text: String) {
            self.incidentNumber = incidentNumber
            self.kind = kind
            self.text = text
        }
    }

    public struct FollowUpLine: Sendable, Equatable {
        public var title: String
        public var incidentNumber: Int
        public var dueDate: Date
        public var overdue: Bool
        public var owner: String?
        public init(title: String, incidentNumber: Int, dueDate: Date, overdue: Bool, owner: String?) {
            self.title = title
            self.incidentNumber = incidentNumber
            self.dueDate = dueDate
            self.overdue = overdue
            self.owner = owner
        }
    }

    public struct CheckpointLine: Sendable, Equatable {
        public var incidentNumber: Int
        public var day: Int
        public var sentence: String
        public init(incidentNumber: Int, day: Int, sentence: String) {
            self.incidentNumber = incidentNumber
            self.day = day
            self.sentence = sentence
        }
    }

    public var team: Team
    public var week: DigestWeek
    public var start: Date
    public var end: Date
    public var incidents: [IncidentLine]
    public var learned: [LearnedLine]
    public var followUps: [FollowUpLine]
    public var checkpoints: [CheckpointLine]

    public init(team: Team, week: DigestWeek, start: Date, end: Date, incidents: [IncidentLine], learned: [LearnedLine],
                followUps: [FollowUpLine], checkpoints: [CheckpointLine]) {
        self.team = team
        self.week = week
        self.start = start
        self.end = end
        self.incidents = incidents
        self.learned = learned
        self.followUps = followUps
        self.checkpoints = checkpoints
    }

    /// At most this many lines per section: a digest is read in a minute.
    public static let lineLimit = 25
    /// Follow-ups due within this long after the digest count as "due".
    public static let dueSoon: TimeInterval = 7 * 86_400

    public var isQuiet: Bool { incidents.isEmpty && learned.isEmpty && followUps.isEmpty && checkpoints.isEmpty }

    /// The digest as plain text for a chat channel; `link` makes an absolute
    /// address of a path when Lore knows its public URL.
    public func text(serviceName: (String) -> String = { $0 }, link: (String) -> String? = { _ in nil }) -> String {
        func day(_ d: Date) -> String { String(LoreTime.iso(d).prefix(10)) }
        func ref(_ n: Int) -> String {
            let key = Incident.key(for: n)
            return link("/incidents/\(key)").map { "<\($0)|\(key)>" } ?? key
        }
        var lines = ["Weekly digest for \(team.name), \(week) (\(day(start)) to \(day(end)))"]
        if isQuiet { lines.append("A quiet week: no incidents on the team's services, nothing learned, nothing due.") }
        if !incidents.isEmpty {
            lines.append("")
            lines.append("Incidents (\(incidents.count)):")
            for i in incidents {
                let services = i.services.isEmpty ? "" : " · " + i.services.map(serviceName).joined(separator: ", ")
                lines.append("• \(ref(i.number)) \(i.severity) \(i.title) (\(i.status.label.lowercased()))\(services)")
            }
        }
        if !learned.isEmpty {
            lines.append("")
            lines.append("What the reviews learned:")
            for l in learned { lines.append("• \(l.kind.label): \(l.text) (\(ref(l.incidentNumber)))") }
        }
        if !followUps.isEmpty {
            lines.append("")
            lines.append("Follow-ups due or overdue:")
            for f in followUps {
                lines.append("• \(f.title) (\(ref(f.incidentNumber))) \(f.overdue ? "overdue since" : "due") \(day(f.dueDate))\(f.owner.map { ", \($0)" } ?? "")")
            }
        }
        if !checkpoints.isEmpty {
            lines.append("")
            lines.append("Focus items at a checkpoint:")
            for c in checkpoints { lines.append("• Day \(c.day) after ranking (\(ref(c.incidentNumber))): \(c.sentence)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The digest as JSON-compatible values for the generic webhook format.
    public var data: [String: any Sendable] {
        [
            "team": team.slug, "teamName": team.name, "week": week.description, "from": LoreTime.iso(start), "to": LoreTime.iso(end),
            "incidents": incidents.map { ["key": $0.key, "title": $0.title, "severity": $0.severity, "status": $0.status.rawValue, "services": $0.services, "happenedAt": LoreTime.iso($0.happenedAt)] as [String: any Sendable] },
            "learned": learned.map { ["incidentKey": Incident.key(for: $0.incidentNumber), "kind": $0.kind.rawValue, "text": $0.text] as [String: any Sendable] },
            "followUps": followUps.map { ["title": $0.title, "incidentKey": Incident.key(for: $0.incidentNumber), "dueDate": String(LoreTime.iso($0.dueDate).prefix(10)), "overdue": $0.overdue, "owner": $0.owner ?? ""] as [String: any Sendable] },
            "checkpoints": checkpoints.map { ["incidentKey": Incident.key(for: $0.incidentNumber), "day": $0.day, "sentence": $0.sentence] as [String: any Sendable] },
        ]
    }
}
