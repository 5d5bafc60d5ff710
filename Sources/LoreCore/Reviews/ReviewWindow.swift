import Foundation

/// The review window: the time within which the team means to hold its
/// review, because memory of *why* responders did what they did fades fast
/// and sense-making done days later is rebuilt through hindsight.
///
/// The window opens when the incident is resolved (or mitigated, while it is
/// not yet resolved) and closes a set number of hours later (72 by default,
/// an organisation setting). It is a commitment the team keeps for itself,
/// not an SLA imposed on it: Lore shows the clock, reminds before it runs
/// out and reports how often it was kept. Nothing here locks a review or
/// stops anyone from holding one late.
public struct ReviewWindow: Equatable, Sendable {
    /// When the incident was resolved (or mitigated, if not yet resolved).
    public var opensAt: Date
    /// The moment the commitment runs out. A review held exactly now still
    /// counts as kept.
    public var closesAt: Date

    public init(opensAt: Date, closesAt: Date) {
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// The window for an incident, `hours` long. Nil while impact is ongoing
    /// (neither mitigated nor resolved): the clock has not started, and a
    /// review held during the incident would take people away from it.
    ///
    /// If the incident is resolved later than it was mitigated, the window
    /// moves with it: the team's attention was still on the incident.
    public init?(incident: Incident, hours: Int) {
        guard let start = incident.reviewWindowStart else { return nil }
        self.opensAt = start
        self.closesAt = start.addingTimeInterval(TimeInterval(hours) * 3600)
    }

    /// Open (with the time left) up to and including `closesAt`; closed (and
    /// how long ago) after it.
    public enum State: Equatable, Sendable {
        case open(remaining: TimeInterval)
        case closed(ago: TimeInterval)
    }

    public func state(at now: Date) -> State {
        let remaining = closesAt.timeIntervalSince(now)
        return remaining >= 0 ? .open(remaining: remaining) : .closed(ago: -remaining)
    }

    public func isOpen(at now: Date) -> Bool {
        if case .open = state(at: now) { return true }
        return false
    }

    /// The clock as pages and the API show it: "1 d 17 h left",
    /// "2 d 3 h left", "closes in 12 min", "closes now", "closed 3 d ago".
    /// Amounts come from `LoreTime.duration`, so they read the same as every
    /// other duration in Lore. The last hour reads "closes in …" because
    /// that is when a reminder is most useful.
    public func describe(at now: Date) -> String {
        switch state(at: now) {
        case .open(let remaining):
            if remaining < 1 { return "closes now" }
            if remaining < 3600 { return "closes in \(LoreTime.duration(remaining))" }
            return "\(LoreTime.duration(remaining)) left"
        case .closed(let ago):
            return "closed \(LoreTime.duration(ago)) ago"
        }
    }

    /// True if the review was held (`heldAt`) at or before `closesAt`. A
    /// review held before the window opened (say, between mitigation and a
    /// later resolution) kept the commitment too.
    public func wasKept(heldAt: Date?) -> Bool {
        guard let heldAt else { return false }
        return heldAt <= closesAt
    }

    /// When to remind the team: for each point in `hoursBefore` (by default
    /// 24 hours before the close, and at the close), the moment
    /// `closesAt - hoursBefore × 1 h`. Points that would fall before the
    /// window opened are dropped (a 24-hour reminder makes no sense for a
    /// 12-hour window); duplicates are ignored. Sorted, earliest first.
    public func reminderTimes(hoursBefore points: [Int]) -> [(hoursBefore: Int, at: Date)] {
        var seen = Set<Int>()
        return points
            .filter { seen.insert($0).inserted }
            .map { (hoursBefore: $0, at: closesAt.addingTimeInterval(-TimeInterval($0) * 3600)) }
            .filter { $0.at >= opensAt }
            .sorted { $0.at < $1.at }
    }
}

/// How often the team kept its review window over a period. It is feedback
/// on the practice — are reviews happening while memory is fresh? — not a
/// target to be met: a team that misses often probably needs time made for
/// reviews, not pressure.
public struct WindowKeeping: Equatable, Sendable {
    /// Reviews held within their window.
    public var kept: Int
    /// Windows that closed without a review, or with a review held late.
    public var missed: Int
    /// Windows still open with no review held yet: no verdict either way.
    public var pending: Int
    /// The period measured, for the sentence.
    public var period: TimeInterval

    public init(kept: Int, missed: Int, pending: Int, period: TimeInterval = WindowKeeping.defaultPeriod) {
        self.kept = kept
        self.missed = missed
        self.pending = pending
        self.period = period
    }

    /// Ninety days: long enough to have a handful of incidents, short enough
    /// to reflect how the team works now.
    public static let defaultPeriod: TimeInterval = 90 * 86400

    /// Kept out of those with a verdict; nil when there is none yet.
    public var share: Double? { kept + missed == 0 ? nil : Double(kept) / Double(kept + missed) }

    /// Counts each window against `now`:
    /// - closed (`closesAt` before `now`) within the period, i.e. `closesAt`
    ///   in `[now - period, now]`: kept if the review was held by `closesAt`,
    ///   otherwise missed (held late, or not held at all); older ones are
    ///   left out;
    /// - still open and held: kept (the outcome is already known);
    /// - still open and not held: pending.
    ///
    /// A `heldAt` later than `now` is treated as not yet held, so a report
    /// for a past moment reads as it would have then.
    public static func measure(_ windows: [(window: ReviewWindow, heldAt: Date?)], now: Date, period: TimeInterval = WindowKeeping.defaultPeriod) -> WindowKeeping {
        var result = WindowKeeping(kept: 0, missed: 0, pending: 0, period: period)
        let from = now.addingTimeInterval(-period)
        for (window, heldAt) in windows {
            let held = heldAt.flatMap { $0 <= now ? $0 : nil }
            if window.isOpen(at: now) {
                if held != nil { result.kept += 1 } else { result.pending += 1 }
            } else if window.closesAt >= from {
                if window.wasKept(heldAt: held) { result.kept += 1 } else { result.missed += 1 }
            }
        }
        return result
    }

    /// "8 of 10 reviews held within their window over the last 90 days (80%)",
    /// or "No review windows closed in the last 90 days".
    public var sentence: String {
        let over = Self.periodText(period)
        let total = kept + missed
        guard total > 0 else { return "No review windows closed in the last \(over)" }
        let noun = total == 1 ? "review" : "reviews"
        let their = total == 1 ? "its" : "their"
        return "\(kept) of \(total) \(noun) held within \(their) window over the last \(over) (\(percent)%)"
    }

    /// Rounded, but never "100%" while one was missed nor "0%" while one was kept.
    var percent: Int {
        guard let share else { return 0 }
        let p = Int((share * 100).rounded())
        if missed > 0 && p == 100 { return 99 }
        if kept > 0 && p == 0 { return 1 }
        return p
    }

    static func periodText(_ period: TimeInterval) -> String {
        let days = period / 86400
        if days >= 1, days == days.rounded() {
            let n = Int(days)
            return n == 1 ? "day" : "\(n) days"
        }
        return LoreTime.duration(period)
    }
}
