import Foundation

/// How a review's ballot works: how many follow-ups each participant picks,
/// and how many of the ranked list become the focus.
///
/// Why a small, fixed number of picks: a review usually produces more
/// candidate follow-ups than a team will ever do. Asking each person for their
/// top few, in order and without seeing anyone else's, surfaces what the team
/// actually believes matters instead of what the loudest or most senior voice
/// said first. The focus is deliberately short so that it stays a promise the
/// team can keep.
public struct BallotRules: Equatable, Sendable, Codable {
    /// N: how many follow-ups each participant may pick, in order.
    public var picksPerVoter: Int
    /// K: how many of the top-ranked follow-ups become the review's focus.
    public var focusSize: Int

    /// Three picks each, a focus of five (the practice described in the
    /// product: "picks their top three ... the top five become the focus").
    public static let `default` = BallotRules(picksPerVoter: 3, focusSize: 5)

    public static let picksPerVoterRange = 1...10
    public static let focusSizeRange = 1...20

    public init(picksPerVoter: Int = 3, focusSize: Int = 5) {
        self.picksPerVoter = picksPerVoter
        self.focusSize = focusSize
    }

    /// Checks proposed rules; all problems at once. More than ten picks each
    /// stops being a ranking and becomes a list of everything.
    public func validated() throws(ValidationError) -> BallotRules {
        var v = Validator()
        let n = Self.picksPerVoterRange, k = Self.focusSizeRange
        if !n.contains(picksPerVoter) {
            v.add("picksPerVoter", "out_of_range", "Picks per participant must be between \(n.lowerBound) and \(n.upperBound); got \(picksPerVoter).")
        }
        if !k.contains(focusSize) {
            v.add("focusSize", "out_of_range", "Focus size must be between \(k.lowerBound) and \(k.upperBound); got \(focusSize).")
        }
        try v.check()
        return self
    }
}

/// Whether participants can still vote. While a ballot is open nobody can see
/// anyone else's picks or a running tally (only who has voted), so that
/// nobody anchors on what others chose; once closed, the picks are final and
/// the tally is shown.
public enum BallotStatus: String, Codable, Sendable, CaseIterable {
    case open, closed

    public var label: String { rawValue.capitalized }
}

/// A candidate follow-up on the ballot.
///
/// Candidates carry their creation time because the last tie-break is the
/// order the follow-ups were written down: it is the one order everybody in
/// the review saw, and it cannot be gamed after the fact. Pass candidates in
/// creation order; candidates created at the same instant keep the order
/// given.
public struct BallotCandidate: Equatable, Sendable, Codable {
    public var followUpID: UUID
    public var createdAt: Date
    public var title: String

    public init(followUpID: UUID, createdAt: Date, title: String) {
        self.followUpID = followUpID
        self.createdAt = createdAt
        self.title = title
    }

    /// The candidate for a follow-up.
    public init(_ followUp: FollowUp) {
        self.init(followUpID: followUp.id, createdAt: followUp.createdAt, title: followUp.title)
    }
}

/// Checks one participant's picks before they are stored.
public enum BallotPicks {
    /// Validates one voter's ordered picks (first pick first): at most
    /// `rules.picksPerVoter`, no follow-up picked twice, and every pick must
    /// be a candidate on this ballot (not another review's follow-up, not one
    /// that was removed). Every problem is reported at once, under the field
    /// `picks`, with the codes `too_many`, `duplicate` and `not_a_candidate`.
    ///
    /// An empty list is allowed: a participant may withdraw their picks while
    /// the ballot is open.
    public static func validate(_ picks: [UUID], candidates: [BallotCandidate], rules: BallotRules) throws(ValidationError) {
        var v = Validator()
        if picks.count > rules.picksPerVoter {
            let limit = rules.picksPerVoter
            v.add("picks", "too_many", "You picked \(picks.count); the limit is \(limit). Keep your top \(limit == 1 ? "one" : "\(limit)"), in order.")
        }
        let titles = Dictionary(candidates.map { ($0.followUpID, $0.title) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<UUID>()
        var reportedDuplicates = Set<UUID>()
        var foreign = Set<UUID>()
        for id in picks {
            guard let title = titles[id] else {
                foreign.insert(id)
                continue
            }
            if !seen.insert(id).inserted, reportedDuplicates.insert(id).inserted {
                v.add("picks", "duplicate", "You picked \"\(title)\" more than once; each pick must be a different follow-up.")
            }
        }
        if !foreign.isEmpty {
            let message = foreign.count == 1
                ? "One of your picks is not a follow-up on this ballot."
                : "\(foreign.count) of your picks are not follow-ups on this ballot."
            v.add("picks", "not_a_candidate", message + " Pick only from the review's candidate follow-ups.")
        }
        try v.check()
    }
}

/// One follow-up's line in the closed ballot's result.
public struct TallyRow: Equatable, Sendable, Codable {
    public var followUpID: UUID
    public var title: String
    /// N for each first pick, N-1 for each second, and so on.
    public var points: Int
    /// How many participants picked it at all.
    public var pickers: Int
    /// How many participants picked it first, second, ...: always N long.
    public var picksByPosition: [Int]
    /// 1-based position in the ranking; never shared, because ties are broken.
    public var rank: Int
    /// One of the top K with at least one point.
    public var isFocus: Bool

    public init(followUpID: UUID, title: String, points: Int, pickers: Int, picksByPosition: [Int], rank: Int, isFocus: Bool) {
        self.followUpID = followUpID
        self.title = title
        self.points = points
        self.pickers = pickers
        self.picksByPosition = picksByPosition
        self.rank = rank
        self.isFocus = isFocus
    }
}

/// The result of a closed ballot: every candidate ranked, and the focus.
public struct Tally: Equatable, Sendable, Codable {
    /// Every candidate, best first, including those nobody picked (so the
    /// result shows what the team chose *not* to prioritise, too).
    public var rows: [TallyRow]
    /// Participants who picked at least one candidate.
    public var voterCount: Int

    public init(rows: [TallyRow], voterCount: Int) {
        self.rows = rows
        self.voterCount = voterCount
    }

    /// The follow-ups the team said matter most, best first.
    public var focus: [UUID] { rows.filter(\.isFocus).map(\.followUpID) }

    /// Ranks the candidates from everyone's picks.
    ///
    /// A first pick earns N points, a second N-1, and so on. Ties break on
    /// more first picks, then more second picks, ..., then creation order
    /// (earlier first), so the result is fully determined by the picks and
    /// never by the order ballots were cast or stored. The top K with at
    /// least one point become the focus: a follow-up nobody picked is never
    /// focus, however few candidates were picked.
    ///
    /// Ballots are expected to have passed `BallotPicks.validate`; anything
    /// else is counted defensively: picks that are not candidates are
    /// ignored, a repeated pick counts once (at its first position), and
    /// only the first N remaining picks count.
    public static func compute(candidates: [BallotCandidate], ballots: [[UUID]], rules: BallotRules) -> Tally {
        let n = max(rules.picksPerVoter, 0)
        // One entry per follow-up, the first occurrence winning.
        var unique: [BallotCandidate] = []
        var indexOf: [UUID: Int] = [:]
        for c in candidates where indexOf[c.followUpID] == nil {
            indexOf[c.followUpID] = unique.count
            unique.append(c)
        }

        var byPosition = Array(repeating: Array(repeating: 0, count: n), count: unique.count)
        var voters = 0
        for ballot in ballots {
            var counted: [Int] = []
            for id in ballot where counted.count < n {
                if let i = indexOf[id], !counted.contains(i) { counted.append(i) }
            }
            if !counted.isEmpty { voters += 1 }
            for (position, i) in counted.enumerated() { byPosition[i][position] += 1 }
        }

        func points(_ i: Int) -> Int {
            byPosition[i].enumerated().reduce(0) { $0 + $1.element * (n - $1.offset) }
        }
        let scores = unique.indices.map(points)
        let order = unique.indices.sorted { a, b in
            if scores[a] != scores[b] { return scores[a] > scores[b] }
            for position in 0..<n where byPosition[a][position] != byPosition[b][position] {
                return byPosition[a][position] > byPosition[b][position]
            }
            if unique[a].createdAt != unique[b].createdAt { return unique[a].createdAt < unique[b].createdAt }
            return a < b
        }

        let k = max(rules.focusSize, 0)
        let rows = order.enumerated().map { place, i in
            TallyRow(
                followUpID: unique[i].followUpID,
                title: unique[i].title,
                points: scores[i],
                pickers: byPosition[i].reduce(0, +),
                picksByPosition: byPosition[i],
                rank: place + 1,
                isFocus: place < k && scores[i] > 0
            )
        }
        return Tally(rows: rows, voterCount: voters)
    }
}
