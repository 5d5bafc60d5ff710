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
        let store = store
        return try await app.dashboardFacts.facts(for: viewer, now: now) { try await Self.facts(store: store, viewer: viewer, now: now) }
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
        let practice = settings.practiceNameLowercased
        return app.views.page("dashboard", title: "Dashboard", context: context, settings: settings, values: [
            "openHTML": DashboardHTML.open(f.schedule.open, now: now, practice: practice), "hasOpen": !f.schedule.open.isEmpty,
            "openMore": f.schedule.openTotal > f.schedule.open.count ? f.schedule.openTotal - f.schedule.open.count : false,
            "missedHTML": DashboardHTML.missed(f.schedule.missed, now: now, practice: practice), "hasMissed": !f.schedule.missed.isEmpty,
            "missedTotal": f.schedule.missedTotal,
            "missedMore": f.schedule.missedTotal > f.schedule.missed.count ? f.schedule.missedTotal - f.schedule.missed.count : false,
            "keeping": f.schedule.keeping.sentence,
            "readingsHTML": DashboardHTML.readings(f.readings.prefix(10)), "hasReadings": !f.readings.isEmpty,
            "misalignedHTML": DashboardHTML.misaligned(f.misaligned.prefix(20)),
            "misalignedCount": f.misalignedTotal, "hasMisaligned": !f.misaligned.isEmpty,
            "wordingCount": wording.total,
            "wordingHTML": DashboardHTML.wording(wording.items, practice: practice),
            "hasWording": !wording.items.isEmpty,
        ])
    }
}

/// The dashboard's lists as HTML, written here rather than by the template:
/// its lookups through the context stack (`practiceNameLower` from inside
/// every row) were a third of the page's time. Every value from people is
/// escaped.
enum DashboardHTML {
    private static func e(_ s: String) -> String { Markdown.escape(s) }

    static func open(_ items: [DueReview], now: Date, practice: String) -> String {
        var out = ""
        for d in items {
            let key = e(d.incident.key)
            out += "<li><a href=\"/incidents/\(key)#reviews\">\(key)</a> \(e(d.incident.title)) <span class=\"sev\">\(e(d.incident.severity))</span>"
            out += " · <span class=\"window-open\">\(e(d.window.describe(at: now)))</span>\n  <span class=\"meta\">"
            if d.reviews.isEmpty { out += "No \(e(practice)) started. <a href=\"/incidents/\(key)/reviews/new\">Start one</a>" }
            for r in d.reviews {
                out += "<a href=\"/incidents/\(key)/reviews/\(r.id.uuidString)\">\(e("\(r.level.label): \(r.status.label)"))</a> "
            }
            if d.heldAt != nil { out += " · held" }
            out += "</span></li>\n"
        }
        return out
    }

    static func missed(_ items: [DueReview], now: Date, practice: String) -> String {
        var out = ""
        for d in items {
            let key = e(d.incident.key)
            out += "<li><a href=\"/incidents/\(key)#reviews\">\(key)</a> \(e(d.incident.title)) · <span class=\"window-closed\">\(e(d.window.describe(at: now)))</span>"
            if d.reviews.isEmpty { out += " <span class=\"meta\">No \(e(practice)) yet: it can still be held.</span>" }
            out += "</li>\n"
        }
        return out
    }

    static func readings(_ items: ArraySlice<(review: Review, incident: Incident, reading: FollowThroughReading)>) -> String {
        var out = ""
        for r in items {
            let key = e(r.incident.key)
            out += "<li><a href=\"/incidents/\(key)/reviews/\(r.review.id.uuidString)#ballot\">\(key)</a> day \(r.reading.day): \(e(r.reading.sentence))</li>"
        }
        return out
    }

    static func misaligned(_ items: ArraySlice<(followUp: FollowUp, incident: Incident, alignment: Alignment)>) -> String {
        var out = ""
        for m in items {
            let key = e(m.incident.key)
            out += "<li><a href=\"/incidents/\(key)/follow-ups/\(m.followUp.id.uuidString)/edit\">\(e(m.followUp.title))</a>"
            out += " <span class=\"meta\">\(key) · \(e(m.alignment.explanation ?? ""))</span></li>"
        }
        return out
    }

    static func wording(_ items: [(review: Review, incident: Incident, open: Int)], practice: String) -> String {
        var out = ""
        for w in items {
            let key = e(w.incident.key)
            let title = w.review.title.isEmpty ? "\(w.review.level.label) \(practice)" : w.review.title
            out += "<li><a href=\"/incidents/\(key)/reviews/\(w.review.id.uuidString)#language\">\(key) · \(e(title))</a>"
            out += " <span class=\"meta\">\(w.open) open suggestion(s)</span></li>"
        }
        return out
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
    /// While the facts are counted again, the viewer's other requests are
    /// answered with the facts just expired, up to this age.
    static let staleFor: TimeInterval = 60
    static let capacity = 10_000
    private let lock = NSLock()
    private var known: [UUID: (facts: DashboardPage.Facts, viewer: Viewer, at: Date)] = [:]
    /// One count per viewer at a time: a request that finds none usable
    /// waits for the count under way instead of starting another (64
    /// requests arriving together after a quiet minute each counted before,
    /// and on PostgreSQL none finished within five seconds).
    private var counting: [UUID: (viewer: Viewer, token: UUID, task: Task<DashboardPage.Facts, any Error>)] = [:]

    func facts(for viewer: Viewer, now: Date, count: @escaping @Sendable () async throws -> DashboardPage.Facts) async throws -> DashboardPage.Facts {
        enum Answer { case known(DashboardPage.Facts), wait(Task<DashboardPage.Facts, any Error>) }
        let answer: Answer = lock.withLock {
            // Held for the same person with the same teams and roles.
            let k = known[viewer.userID].flatMap { $0.viewer == viewer && $0.at <= now ? $0 : nil }
            if let k, now.timeIntervalSince(k.at) < Self.freshFor { return .known(k.facts) }
            if let c = counting[viewer.userID], c.viewer == viewer {
                if let k, now.timeIntervalSince(k.at) < Self.staleFor { return .known(k.facts) }
                return .wait(c.task)
            }
            let token = UUID()
            let task = Task<DashboardPage.Facts, any Error> {
                do {
                    let facts = try await count()
                    self.finish(viewer, token: token, facts: facts, at: now)
                    return facts
                } catch {
                    self.finish(viewer, token: token, facts: nil, at: now)
                    throw error
                }
            }
            counting[viewer.userID] = (viewer, token, task)
            return .wait(task)
        }
        switch answer {
        case .known(let facts): return facts
        case .wait(let task): return try await task.value
        }
    }

    /// Keeps what a count found, unless the viewer changed something while
    /// it ran (`forget` dropped its token): then the next view counts anew.
    private func finish(_ viewer: Viewer, token: UUID, facts: DashboardPage.Facts?, at: Date) {
        lock.withLock {
            guard counting[viewer.userID]?.token == token else { return }
            counting.removeValue(forKey: viewer.userID)
            guard let facts else { return }
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[viewer.userID] = (facts, viewer, at)
        }
    }

    func forget(_ userID: UUID) {
        lock.withLock {
            known.removeValue(forKey: userID)
            counting.removeValue(forKey: userID)
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
