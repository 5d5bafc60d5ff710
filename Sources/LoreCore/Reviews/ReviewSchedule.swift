import Foundation

/// An incident whose review window is running or has run.
public struct DueReview: Equatable, Sendable {
    public var incident: Incident
    public var window: ReviewWindow
    /// The incident's reviews the viewer may see.
    public var reviews: [Review]
    /// When the first of them was held, if any was.
    public var heldAt: Date?

    public var kept: Bool { window.wasKept(heldAt: heldAt) }

    public init(incident: Incident, window: ReviewWindow, reviews: [Review], heldAt: Date?) {
        self.incident = incident
        self.window = window
        self.reviews = reviews
        self.heldAt = heldAt
    }
}

/// What the dashboard shows about the 72-hour commitment: the windows still
/// open (soonest to close first), the ones that closed without a review being
/// held, and how often the window was kept. Feedback for the team, never a
/// lock: nothing here stops anyone from holding a review late.
public struct ReviewSchedule: Equatable, Sendable {
    public var open: [DueReview]
    public var missed: [DueReview]
    public var keeping: WindowKeeping
    /// How many windows are open and how many were missed in the period:
    /// the lists may hold only the first of them.
    public var openTotal: Int
    public var missedTotal: Int

    public init(open: [DueReview], missed: [DueReview], keeping: WindowKeeping, openTotal: Int? = nil, missedTotal: Int? = nil) {
        self.open = open
        self.missed = missed
        self.keeping = keeping
        self.openTotal = openTotal ?? open.count
        self.missedTotal = missedTotal ?? missed.count
    }

    public static func build(incidents: [Incident], reviews: [Review], windowHours: Int, now: Date, period: TimeInterval = WindowKeeping.defaultPeriod) -> ReviewSchedule {
        let byIncident = Dictionary(grouping: reviews, by: \.incidentID)
        var open: [DueReview] = [], missed: [DueReview] = []
        var measured: [(window: ReviewWindow, heldAt: Date?)] = []
        for incident in incidents {
            guard let window = ReviewWindow(incident: incident, hours: windowHours) else { continue }
            let rs = byIncident[incident.id] ?? []
            let heldAt = rs.compactMap(\.heldAt).min()
            let due = DueReview(incident: incident, window: window, reviews: rs, heldAt: heldAt)
            measured.append((window, heldAt))
            if window.isOpen(at: now) {
                open.append(due)
            } else if !due.kept, now.timeIntervalSince(window.closesAt) <= period {
                missed.append(due)
            }
        }
        open.sort { $0.window.closesAt < $1.window.closesAt }
        missed.sort { $0.window.closesAt > $1.window.closesAt }
        return ReviewSchedule(open: open, missed: missed, keeping: WindowKeeping.measure(measured, now: now, period: period))
    }
}
