import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// The home page: the review windows still open (soonest to close first),
/// those that closed without a review, how often the window was kept, recent
/// follow-through readings and follow-ups owned by a team that is not paged.
/// Everything is counted over what the viewer may see.
struct DashboardPage {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/dashboard") { _, context in try await page(context) }
    }

    /// `GET /api/v1/dashboard`: the same facts as JSON.
    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("dashboard") { _, context in
            let user = try context.requireUser()
            let now = Date()
            let f = try await facts(viewer: try await store.viewer(for: user), now: now)
            func due(_ d: DueReview) -> DashboardJSON.DueReview {
                DashboardJSON.DueReview(incidentKey: d.incident.key, title: d.incident.title, closesAt: LoreTime.iso(d.window.closesAt),
                                        window: d.window.describe(at: now), heldAt: Representation.time(d.heldAt), reviewIds: d.reviews.map(\.id.uuidString))
            }
            let k = f.schedule.keeping
            return JSONResponse.make(DashboardJSON(
                openWindows: f.schedule.open.map(due), missedWindows: f.schedule.missed.map(due),
                openWindowCount: f.schedule.openTotal, missedWindowCount: f.schedule.missedTotal, misalignedFollowUpCount: f.misalignedTotal,
                keeping: DashboardJSON.Keeping(kept: k.kept, missed: k.missed, pending: k.pending, share: k.share, summary: k.sentence),
                followThrough: f.readings.map {
                    DashboardJSON.FollowThrough(incidentKey: $0.incident.key, reviewId: $0.review.id.uuidString, day: $0.reading.day, sentence: $0.reading.sentence)
                },
                misalignedFollowUps: f.misaligned.map {
                    DashboardJSON.MisalignedFollowUp(incidentKey: $0.incident.key, followUpId: $0.followUp.id.uuidString, title: $0.followUp.title,
                                                     alignment: $0.alignment.explanation ?? "")
                }
            ))
        }
    }

    /// The numbers behind the page, shared with `GET /api/v1/dashboard`.
    /// Each section is counted and paged in the database, so the page costs
    /// the same at any size of history.
    struct Facts: Sendable {
        var schedule: ReviewSchedule
        var readings: [(review: Review, incident: Incident, reading: FollowThroughReading)]
        var misaligned: [(followUp: FollowUp, incident: Incident, alignment: Alignment)]
        var misalignedTotal: Int
    }

    /// How many entries of each list the page and the API show.
    static let listLength = 20

    /// The facts for this viewer, kept for a few seconds (`DashboardFactsCache`).
    func facts(viewer: Viewer, now: Date) async throws -> Facts {
        if let known = app.dashboardFacts.fresh(for: viewer, now: now) { return known }
        do {
            let f = try await Self.facts(store: store, viewer: viewer, now: now)
            app.dashboardFacts.remember(f, for: viewer, now: now)
            return f
        } catch {
            app.dashboardFacts.abandon(viewer.userID)
            throw error
        }
    }

    static func facts(store: LoreStore, viewer: Viewer, now: Date) async throws -> Facts {
        let settings = try await store.settings()
        let schedule = try await store.reviewSchedule(viewer: viewer, windowHours: settings.reviewWindowHours, now: now, limit: listLength)
        let readings = try await store.recentFollowThrough(viewer: viewer, since: now.addingTimeInterval(-30 * 86400), limit: 10)
        let names = try await CatalogNames.load(store)
        let found = try await store.misalignedFollowUps(viewer: viewer, limit: listLength)
        let misaligned = found.items.compactMap { f, incident -> (FollowUp, Incident, Alignment)? in
            let a = names.alignment(of: f, incident: incident)
            return a.isMisaligned ? (f, incident, a) : nil
        }
        return Facts(schedule: schedule, readings: readings, misaligned: misaligned, misalignedTotal: found.total)
    }

    /// Reviews with open wording suggestions, most first, from the counts
    /// kept on each review (brought up to date first).
    func wording(viewer: Viewer) async throws -> (items: [(review: Review, incident: Incident, open: Int)], total: Int) {
        try await app.language.refreshWordingCounts(store: store)
        return try await store.reviewsWithOpenWording(viewer: viewer, limit: Self.listLength)
    }

    func page(_ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let now = Date()
        let settings = try await store.settings()
        let viewer = try await store.viewer(for: user)
        let f = try await facts(viewer: viewer, now: now)
        let wording = try await wording(viewer: viewer)
        func due(_ d: DueReview) -> [String: Any] {
            [
                "key": d.incident.key, "title": d.incident.title, "severity": d.incident.severity,
                "window": d.window.describe(at: now), "closesAt": ViewValues.time(d.window.closesAt, user.zone),
                "reviews": d.reviews.map { ["id": $0.id.uuidString, "label": "\($0.level.label): \($0.status.label)"] },
                "held": d.heldAt != nil, "noReview": d.reviews.isEmpty,
            ]
        }
        return app.views.page("dashboard", title: "Dashboard", context: context, settings: settings, values: [
            "open": f.schedule.open.map(due), "hasOpen": !f.schedule.open.isEmpty,
            "openMore": f.schedule.openTotal > f.schedule.open.count ? f.schedule.openTotal - f.schedule.open.count : false,
            "missed": f.schedule.missed.map(due), "hasMissed": !f.schedule.missed.isEmpty, "missedTotal": f.schedule.missedTotal,
            "missedMore": f.schedule.missedTotal > f.schedule.missed.count ? f.schedule.missedTotal - f.schedule.missed.count : false,
            "keeping": f.schedule.keeping.sentence,
            "readings": f.readings.prefix(10).map { ["key": $0.incident.key, "reviewId": $0.review.id.uuidString, "title": $0.incident.title, "day": $0.reading.day, "sentence": $0.reading.sentence] },
            "hasReadings": !f.readings.isEmpty,
            "misaligned": f.misaligned.prefix(20).map { ["key": $0.incident.key, "id": $0.followUp.id.uuidString, "title": $0.followUp.title, "alignment": $0.alignment.explanation ?? ""] },
            "misalignedCount": f.misalignedTotal, "hasMisaligned": !f.misaligned.isEmpty,
            "wordingCount": wording.total,
            "wording": wording.items.map { ["key": $0.incident.key, "id": $0.review.id.uuidString, "title": $0.review.title.isEmpty ? "\($0.review.level.label) \(settings.practiceNameLowercased)" : $0.review.title, "open": $0.open] },
            "hasWording": !wording.items.isEmpty,
        ])
    }
}

/// The dashboard's facts per viewer, kept for `freshFor`: counting the
/// review windows and the follow-ups owned by a team not paged costs tens of
/// milliseconds at a hundred thousand incidents, and the dashboard is the
/// page opened most. A viewer's own change (any request that is not a read)
/// forgets their facts at once (`DashboardFreshnessMiddleware`); others'
/// changes show within `freshFor`.
final class DashboardFactsCache: @unchecked Sendable {
    static let freshFor: TimeInterval = 5
    static let capacity = 10_000
    private let lock = NSLock()
    private var known: [UUID: (facts: DashboardPage.Facts, viewer: Viewer, at: Date)] = [:]

    /// While one request counts a viewer's facts again, the viewer's other
    /// requests are answered with the facts just expired (up to `staleFor`)
    /// instead of all counting at once.
    static let staleFor: TimeInterval = 60
    private var refreshing: Set<UUID> = []

    func fresh(for viewer: Viewer, now: Date) -> DashboardPage.Facts? {
        lock.withLock {
            // Held for the same person with the same teams and roles.
            guard let k = known[viewer.userID], k.viewer == viewer, k.at <= now else { return nil }
            let age = now.timeIntervalSince(k.at)
            if age < Self.freshFor { return k.facts }
            if age < Self.staleFor, refreshing.contains(viewer.userID) { return k.facts }
            refreshing.insert(viewer.userID)
            return nil
        }
    }

    func remember(_ facts: DashboardPage.Facts, for viewer: Viewer, now: Date) {
        lock.withLock {
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[viewer.userID] = (facts, viewer, now)
            refreshing.remove(viewer.userID)
        }
    }

    /// The counting failed: the next request counts again.
    func abandon(_ userID: UUID) { _ = lock.withLock { refreshing.remove(userID) } }

    func forget(_ userID: UUID) {
        lock.withLock {
            known.removeValue(forKey: userID)
            refreshing.remove(userID)
        }
    }
}

/// Forgets the dashboard facts of whoever just changed something, so that
/// their own change shows on their next view.
struct DashboardFreshnessMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    let app: LoreApp
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method != .get && request.method != .head, let user = context.user { app.dashboardFacts.forget(user.id) }
        return response
    }
}
