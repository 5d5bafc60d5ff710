import Foundation

/// One review as practice health counts it: never its text or its people,
/// so every review counts, whoever is looking (totals may count what the
/// viewer cannot open; nothing here names it).
public struct PracticeReview: Sendable {
    public var id: UUID
    public var incidentID: UUID
    public var heldAt: Date?

    public init(id: UUID, incidentID: UUID, heldAt: Date?) {
        self.id = id
        self.incidentID = incidentID
        self.heldAt = heldAt
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

    public var followUpCount: Int { followUps.values.reduce(0, +) }

    /// Counts the practice around `incidents` (the period's, as the
    /// accumulator took them) with their reviews and follow-ups, with
    /// `windowHours` as the organisation's review window, at `asOf`.
    public static func measure(
        incidents: [(id: UUID, times: IncidentTimes)], reviews: [PracticeReview], followUps: [PracticeFollowUp],
        windowHours: Int, asOf: Date
    ) -> PracticeHealth {
        let ids = Set(incidents.map(\.id))
        var firstHeld: [UUID: Date] = [:]
        var reviewCount = 0
        for r in reviews where ids.contains(r.incidentID) {
            reviewCount += 1
            if let h = r.heldAt { firstHeld[r.incidentID] = min(firstHeld[r.incidentID] ?? h, h) }
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
        for f in followUps where ids.contains(f.incidentID) {
            let status: FollowUpStatus = f.status == .inProgress ? .open : f.status
            outcomes[status, default: 0] += 1
            if status == .open { ages.append(max(0, asOf.timeIntervalSince(f.createdAt))) }
        }
        return PracticeHealth(
            windowsOpened: opened, reviewed: reviewed, heldInWindow: kept, pending: pending,
            timeToReview: DurationDistribution(delays), followUps: outcomes, reviews: reviewCount,
            openFollowUpAge: DurationDistribution(ages)
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
