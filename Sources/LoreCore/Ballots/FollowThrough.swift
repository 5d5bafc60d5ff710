import Foundation

/// Days after a ballot closes at which Lore looks at what got done.
///
/// Why look at all: a team's ranking is a statement of what it believes
/// matters. Whether the focus items were the ones actually closed — or
/// whether the work that got done was what the team ranked lower — is
/// itself a finding about how the organisation makes room for remediation.
/// Two, four and six weeks give the work time to happen without letting
/// the review be forgotten.
public struct FollowThroughSchedule: Equatable, Sendable, Codable {
    /// Days after the close, strictly increasing.
    public var days: [Int]

    /// Two, four and six weeks.
    public static let `default` = FollowThroughSchedule(days: [14, 28, 42])

    public static let dayRange = 1...365

    public init(days: [Int]) {
        self.days = days
    }

    /// When each checkpoint falls: whole days of 24 hours after the close,
    /// so that a checkpoint does not move with daylight saving time or with
    /// the viewer's time zone.
    public func dueDates(closedAt: Date) -> [(day: Int, at: Date)] {
        days.map { (day: $0, at: LoreTime.milliseconds(closedAt.addingTimeInterval(TimeInterval($0) * 86_400))) }
    }

    /// Checks a proposed schedule; all problems at once. Field
    /// `checkpointDays`.
    public func validated() throws(ValidationError) -> FollowThroughSchedule {
        var v = Validator()
        let range = Self.dayRange
        if days.isEmpty {
            v.add("checkpointDays", "required", "At least one checkpoint is required: without one, nobody looks at what got done.")
        }
        let outside = days.filter { !range.contains($0) }
        if !outside.isEmpty {
            let list = outside.map(String.init).joined(separator: ", ")
            v.add("checkpointDays", "out_of_range", "Checkpoints must be between \(range.lowerBound) and \(range.upperBound) days after the ballot closes; got \(list).")
        }
        if zip(days, days.dropFirst()).contains(where: { $0 >= $1 }) {
            v.add("checkpointDays", "not_increasing", "Checkpoints must be in increasing order, each day once (for example 14, 28, 42).")
        }
        try v.check()
        return self
    }
}

/// A follow-up that was closed by a checkpoint: which one, how, and when.
/// "How" matters because closing as *not necessary* or *folding into a plan*
/// are honest outcomes, but they are not the same as the work being done.
public struct FollowThroughClosure: Equatable, Sendable, Codable {
    public var followUpID: UUID
    public var title: String
    public var status: FollowUpStatus
    public var closedAt: Date
    public var isFocus: Bool

    public init(followUpID: UUID, title: String, status: FollowUpStatus, closedAt: Date, isFocus: Bool) {
        self.followUpID = followUpID
        self.title = title
        self.status = status
        self.closedAt = closedAt
        self.isFocus = isFocus
    }
}

/// What had been closed at one checkpoint, focus items and the others apart,
/// with the reading stated in a sentence a team can discuss.
public struct FollowThroughReading: Equatable, Sendable, Codable {
    /// The checkpoint: days after the ballot closed.
    public var day: Int
    public var takenAt: Date
    public var focusClosed: Int
    public var focusTotal: Int
    public var othersClosed: Int
    public var othersTotal: Int
    /// Everything closed by `takenAt`, earliest first.
    public var closures: [FollowThroughClosure]
    /// The reading in plain words, e.g. "2 of 5 focus items closed, 6 of 10
    /// others: more of what the team ranked lower got done."
    public var sentence: String

    public init(
        day: Int, takenAt: Date, focusClosed: Int, focusTotal: Int, othersClosed: Int, othersTotal: Int,
        closures: [FollowThroughClosure], sentence: String
    ) {
        self.day = day
        self.takenAt = takenAt
        self.focusClosed = focusClosed
        self.focusTotal = focusTotal
        self.othersClosed = othersClosed
        self.othersTotal = othersTotal
        self.closures = closures
        self.sentence = sentence
    }

    /// Takes the reading of a review's follow-ups at `takenAt`.
    ///
    /// A follow-up counts as closed if its status is closed (done, not
    /// necessary, folded into a plan) and it was closed no later than
    /// `takenAt`; a follow-up that was reopened is open, whatever happened
    /// before. Rates are compared, not counts: closing 3 of 10 others is
    /// less than closing 2 of 5 focus items. How things were closed (not
    /// necessary, folded into a plan) is named in the sentence when it
    /// happened, because "closed" should not hide "dropped".
    public static func take(day: Int, at takenAt: Date, followUps: [FollowUp], focus: Set<UUID>) -> FollowThroughReading {
        var focusClosed = 0, focusTotal = 0, othersClosed = 0, othersTotal = 0
        var closures: [(index: Int, closure: FollowThroughClosure)] = []
        var seen = Set<UUID>()
        for (index, f) in followUps.enumerated() where seen.insert(f.id).inserted {
            let isFocus = focus.contains(f.id)
            if isFocus { focusTotal += 1 } else { othersTotal += 1 }
            guard f.status.isClosed, let closedAt = f.closedAt, closedAt <= takenAt else { continue }
            if isFocus { focusClosed += 1 } else { othersClosed += 1 }
            closures.append((index, FollowThroughClosure(followUpID: f.id, title: f.title, status: f.status, closedAt: closedAt, isFocus: isFocus)))
        }
        closures.sort { a, b in
            a.closure.closedAt != b.closure.closedAt ? a.closure.closedAt < b.closure.closedAt : a.index < b.index
        }
        let closed = closures.map(\.closure)
        let sentence = Self.sentence(
            focusClosed: focusClosed, focusTotal: focusTotal, othersClosed: othersClosed, othersTotal: othersTotal,
            notNecessary: closed.filter { $0.status == .notNecessary }.count,
            folded: closed.filter { $0.status == .foldedIntoPlan }.count
        )
        return FollowThroughReading(
            day: day, takenAt: takenAt, focusClosed: focusClosed, focusTotal: focusTotal,
            othersClosed: othersClosed, othersTotal: othersTotal, closures: closed, sentence: sentence
        )
    }

    /// The reading in words. Deterministic: the same counts always give the
    /// same sentence.
    static func sentence(focusClosed: Int, focusTotal: Int, othersClosed: Int, othersTotal: Int, notNecessary: Int, folded: Int) -> String {
        var text: String
        if focusTotal == 0 && othersTotal == 0 {
            text = "There were no follow-ups to look at."
        } else if focusTotal == 0 {
            text = "There were no focus items; \(othersClosed) of \(othersTotal) other \(items(othersTotal)) closed."
        } else {
            let focusPart: String
            if focusClosed == 0 {
                focusPart = "No focus items closed yet"
            } else if focusClosed == focusTotal {
                switch focusTotal {
                case 1: focusPart = "1 of 1 focus item closed"
                case 2: focusPart = "Both focus items closed"
                default: focusPart = "All \(focusTotal) focus items closed"
                }
            } else {
                focusPart = "\(focusClosed) of \(focusTotal) focus \(items(focusTotal)) closed"
            }

            if othersTotal == 0 {
                text = focusPart + " (there were no other items)."
            } else {
                let othersPart: String
                if othersClosed == othersTotal {
                    switch othersTotal {
                    case 1: othersPart = "1 of 1 other"
                    case 2: othersPart = "both others"
                    default: othersPart = "all \(othersTotal) others"
                    }
                } else if othersClosed == 0 {
                    othersPart = othersTotal == 1 ? "0 of 1 other" : "none of \(othersTotal) others"
                } else {
                    othersPart = "\(othersClosed) of \(othersTotal) others"
                }

                // Compare rates without division: focusClosed/focusTotal vs othersClosed/othersTotal.
                let focusRate = focusClosed * othersTotal, othersRate = othersClosed * focusTotal
                let verdict: String?
                if focusClosed == 0 && othersClosed == 0 {
                    verdict = nil
                } else if focusClosed == focusTotal && othersClosed == othersTotal {
                    verdict = "every follow-up is closed"
                } else if focusRate == othersRate {
                    verdict = "focus and other items closed at the same rate"
                } else if focusRate > othersRate {
                    verdict = focusClosed == focusTotal ? "the ranking held" : "the team worked on what it ranked highest"
                } else {
                    verdict = "more of what the team ranked lower got done"
                }
                text = focusPart + ", " + othersPart + (verdict.map { ": " + $0 } ?? "") + "."
            }
        }

        var how: [String] = []
        if notNecessary > 0 {
            how.append("\(notNecessary) \(notNecessary == 1 ? "was" : "were") closed as not necessary")
        }
        if folded > 0 {
            let plan = folded == 1 ? "a plan" : "plans"
            how.append(how.isEmpty ? "\(folded) \(folded == 1 ? "was" : "were") folded into \(plan)" : "\(folded) folded into \(plan)")
        }
        if !how.isEmpty { text += " " + how.joined(separator: ", ") + "." }
        return text
    }

    private static func items(_ count: Int) -> String { count == 1 ? "item" : "items" }
}
