import Foundation

/// One review as practice health counts it: never its text or its people,
/// so every review counts, whoever is looking (totals may count what the
/// viewer cannot open; nothing here names it).
public struct PracticeReview: Sendable {
    public var id: UUID
    public var incidentID: UUID
    public var heldAt: Date?
    /// Wording findings in its text not kept as written by a participant;
    /// nil when the text was not checked.
    public var openWordingFindings: Int?

    public init(id: UUID, incidentID: UUID, heldAt: Date?, openWordingFindings: Int? = nil) {
        self.id = id
        self.incidentID = incidentID
        self.heldAt = heldAt
        self.openWordingFindings = openWordingFindings
    }
}

/// One follow-through reading (a closed ballot's checkpoint) as practice
/// health counts it: the counts only, never the items' titles.
public struct PracticeReading: Sendable {
    public var incidentID: UUID
    /// Days after the ballot closed (14, 28, 42 by default).
    public var day: Int
    public var focusClosed: Int
    public var focusTotal: Int
    public var othersClosed: Int
    public var othersTotal: Int

    public init(incidentID: UUID, day: Int, focusClosed: Int, focusTotal: Int, othersClosed: Int, othersTotal: Int) {
        self.incidentID = incidentID
        self.day = day
        self.focusClosed = focusClosed
        self.focusTotal = focusTotal
        self.othersClosed = othersClosed
        self.othersTotal = othersTotal
    }
}

/// What practice health reads around a period's incidents.
public struct PracticeRecords: Sendable {
    public var reviews: [PracticeReview]
    public var followUps: [PracticeFollowUp]
    public var readings: [PracticeReading]

    public init(reviews: [PracticeReview] = [], followUps: [PracticeFollowUp] = [], readings: [PracticeReading] = []) {
        self.reviews = reviews
        self.followUps = followUps
        self.readings = readings
    }
}

/// Focus follow-through at one checkpoint, summed over the readings taken:
/// did the items the team ranked highest get closed more often than the rest?
public struct CheckpointFollowThrough: Equatable, Sendable {
    public var day: Int
    /// Readings taken at this checkpoint (one per ballot).
    public var readings: Int
    public var focusClosed = 0
    public var focusTotal = 0
    public var othersClosed = 0
    public var othersTotal = 0

    public var focusShare: Double? { focusTotal > 0 ? Double(focusClosed) / Double(focusTotal) : nil }
    public var othersShare: Double? { othersTotal > 0 ? Double(othersClosed) / Double(othersTotal) : nil }

    /// "At 28 days (6 ballots): 9 of 14 focus items closed (64 %), 12 of 40 others (30 %)."
    public var sentence: String {
        func part(_ closed: Int, _ total: Int, _ share: Double?) -> String {
            "\(closed) of \(total)" + (share.map { " (\(Int(($0 * 100).rounded())) %)" } ?? "")
        }
        return "At \(day) days (\(readings) ballot\(readings == 1 ? "" : "s")): " + part(focusClosed, focusTotal, focusShare)
            + " focus item\(focusTotal == 1 ? "" : "s") closed, " + part(othersClosed, othersTotal, othersShare) + " other\(othersTotal == 1 ? "" : "s")."
    }
}

/// Wording findings left open in the period's reviews: blameful or
/// counterfactual phrasing that nobody rewrote or chose to keep.
public struct WordingHealth: Equatable, Sendable {
    public var reviewsChecked = 0
    public var openFindings = 0
    public var reviewsWithNone = 0

    public init(reviewsChecked: Int = 0, openFindings: Int = 0, reviewsWithNone: Int = 0) {
        self.reviewsChecked = reviewsChecked
        self.openFindings = openFindings
        self.reviewsWithNone = reviewsWithNone
    }

    public var perReview: Double? { reviewsChecked > 0 ? Double(openFindings) / Double(reviewsChecked) : nil }

    /// "31 open wording findings across 12 reviews (2.6 per review); 4 reviews have none."
    public var sentence: String {
        guard let per = perReview else { return "No review of this period has text to check yet." }
        return "\(openFindings) open wording finding\(openFindings == 1 ? "" : "s") across \(reviewsChecked) review\(reviewsChecked == 1 ? "" : "s")"
            + " (\(String(format: "%.1f", per)) per review); \(reviewsWithNone) review\(reviewsWithNone == 1 ? " has" : "s have") none."
    }
}

/// One follow-up as practice health counts it.
public struct PracticeFollowUp: Sendable {
    public var reviewID: UUID?
    public var incidentID: UUID
    public var status: FollowUpStatus
    public var createdAt: Date

    public init(reviewID: UUID?, incidentID: UUID, status: FollowUpStatus, createdAt: Date) {
        self.reviewID = reviewID
        self.incidentID = incidentID
        self.status = status
        self.createdAt = createdAt
    }
}

/// The health of the review practice in one period: whether incidents got a
/// review, whether it was held while memories were fresh, and what became of
/// the follow-ups. About the organisation's habit, never about a person.
public struct PracticeHealth: Equatable, Sendable {
    /// Incidents of the period whose review window has opened (mitigated or resolved).
    public var windowsOpened: Int
    /// Of those, with a review held (at any time).
    public var reviewed: Int
    /// Of those, with a review held by the close of the window.
    public var heldInWindow: Int
    /// Windows still open with no review held yet: neither kept nor missed.
    public var pending: Int
    /// From the window opening (resolution, or mitigation) to the first review held.
    public var timeToReview: DurationDistribution
    public var followUps: [FollowUpStatus: Int]
    /// Reviews of the period's incidents, held or not.
    public var reviews: Int
    /// Age of the follow-ups still open or in progress, at `asOf`.
    public var openFollowUpAge: DurationDistribution
    /// Focus follow-through per checkpoint day, earliest first.
    public var followThrough: [CheckpointFollowThrough]
    public var wording: WordingHealth

    public var followUpCount: Int { followUps.values.reduce(0, +) }

    /// Counts the practice around `incidents` (the period's, as the
    /// accumulator took them) with their reviews and follow-ups, with
    /// `windowHours` as the organisation's review window, at `asOf`.
    public static func measure(
        incidents: [(id: UUID, times: IncidentTimes)], records: PracticeRecords, windowHours: Int, asOf: Date
    ) -> PracticeHealth {
        let ids = Set(incidents.map(\.id))
        var firstHeld: [UUID: Date] = [:]
        var reviewCount = 0
        var wording = WordingHealth()
        for r in records.reviews where ids.contains(r.incidentID) {
            reviewCount += 1
            if let h = r.heldAt { firstHeld[r.incidentID] = min(firstHeld[r.incidentID] ?? h, h) }
            if let open = r.openWordingFindings {
                wording.reviewsChecked += 1
                wording.openFindings += open
                if open == 0 { wording.reviewsWithNone += 1 }
            }
        }
        var checkpoints: [Int: CheckpointFollowThrough] = [:]
        for r in records.readings where ids.contains(r.incidentID) {
            checkpoints[r.day, default: CheckpointFollowThrough(day: r.day, readings: 0)].add(r)
        }
        var opened = 0, reviewed = 0, kept = 0, pending = 0
        var delays: [Double] = []
        for i in incidents {
            guard let start = i.times.reviewWindowStart else { continue }
            opened += 1
            let window = ReviewWindow(opensAt: start, closesAt: start.addingTimeInterval(TimeInterval(windowHours) * 3600))
            if let held = firstHeld[i.id] {
                reviewed += 1
                if window.wasKept(heldAt: held) { kept += 1 }
                delays.append(max(0, held.timeIntervalSince(start)))
            } else if window.isOpen(at: asOf) {
                pending += 1
            }
        }
        var outcomes: [FollowUpStatus: Int] = [:]
        var ages: [Double] = []
        for f in records.followUps where ids.contains(f.incidentID) {
            let status: FollowUpStatus = f.status == .inProgress ? .open : f.status
            outcomes[status, default: 0] += 1
            if status == .open { ages.append(max(0, asOf.timeIntervalSince(f.createdAt))) }
        }
        return PracticeHealth(
            windowsOpened: opened, reviewed: reviewed, heldInWindow: kept, pending: pending,
            timeToReview: DurationDistribution(delays), followUps: outcomes, reviews: reviewCount,
            openFollowUpAge: DurationDistribution(ages),
            followThrough: checkpoints.values.sorted { $0.day < $1.day }, wording: wording
        )
    }

    /// "9 of 12 incidents had a review held, 7 within the window (1 window still open);
    /// median 2 d from resolution to review."
    public var sentence: String {
        guard windowsOpened > 0 else { return "No incident of this period has reached mitigation yet." }
        var s = "\(reviewed) of \(windowsOpened) incident\(windowsOpened == 1 ? "" : "s") had a review held, \(heldInWindow) within the window"
        if pending > 0 { s += " (\(pending) window\(pending == 1 ? "" : "s") still open)" }
        if let m = timeToReview.median { s += "; median \(LoreTime.duration(m)) from resolution to review" }
        return s + "."
    }

    /// "14 follow-ups from 6 reviews: 8 done, 2 not necessary, 1 folded into a plan, 3 still open (median age 40 d)."
    public var followUpSentence: String {
        let total = followUpCount
        guard total > 0 else { return "No follow-ups recorded for this period's incidents." }
        let parts: [(FollowUpStatus, String)] = [(.done, "done"), (.notNecessary, "not necessary"), (.foldedIntoPlan, "folded into a plan"), (.open, "still open")]
        var s = "\(total) follow-up\(total == 1 ? "" : "s") from \(reviews) review\(reviews == 1 ? "" : "s"): "
        s += parts.compactMap { status, label in followUps[status].map { "\($0) \(label)" } }.joined(separator: ", ")
        if let age = openFollowUpAge.median { s += " (median age \(LoreTime.duration(age)))" }
        return s + "."
    }
}

extension CheckpointFollowThrough {
    mutating func add(_ r: PracticeReading) {
        readings += 1
        focusClosed += r.focusClosed
        focusTotal += r.focusTotal
        othersClosed += r.othersClosed
        othersTotal += r.othersTotal
    }
}
