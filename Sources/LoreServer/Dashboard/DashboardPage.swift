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
            let f = try await Self.facts(store: store, viewer: try await store.viewer(for: user), now: now)
            func due(_ d: DueReview) -> DashboardJSON.DueReview {
                DashboardJSON.DueReview(incidentKey: d.incident.key, title: d.incident.title, closesAt: LoreTime.iso(d.window.closesAt),
                                        window: d.window.describe(at: now), heldAt: Representation.time(d.heldAt), reviewIds: d.reviews.map(\.id.uuidString))
            }
            let k = f.schedule.keeping
            return JSONResponse.make(DashboardJSON(
                openWindows: f.schedule.open.map(due), missedWindows: f.schedule.missed.map(due),
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
    struct Facts: Sendable {
        var schedule: ReviewSchedule
        var readings: [(review: Review, incident: Incident, reading: FollowThroughReading)]
        var misaligned: [(followUp: FollowUp, incident: Incident, alignment: Alignment)]
        /// The incidents the facts were drawn from, by id.
        var incidents: [UUID: Incident] = [:]
    }

    static func facts(store: LoreStore, viewer: Viewer, now: Date) async throws -> Facts {
        let settings = try await store.settings()
        let incidents = try await store.incidents(IncidentFilter(perPage: 200)).items
        let recent = incidents.filter { ($0.reviewWindowStart ?? .distantPast) > now.addingTimeInterval(-120 * 86400) || $0.reviewWindowStart == nil }
        let reviews = try await store.allReviews(viewer: viewer)
        let schedule = ReviewSchedule.build(incidents: recent, reviews: reviews, windowHours: settings.reviewWindowHours, now: now)
        let byID = Dictionary(uniqueKeysWithValues: incidents.map { ($0.id, $0) })
        var readings: [(Review, Incident, FollowThroughReading)] = []
        for r in reviews {
            guard let incident = byID[r.incidentID], let b = try await store.ballot(reviewID: r.id, viewer: viewer) else { continue }
            for reading in b.readings where now.timeIntervalSince(reading.takenAt) < 30 * 86400 { readings.append((r, incident, reading)) }
        }
        readings.sort { $0.2.takenAt > $1.2.takenAt }
        let names = try await CatalogNames.load(store)
        var misaligned: [(FollowUp, Incident, Alignment)] = []
        for incident in incidents {
            for f in try await store.followUps(incidentID: incident.id, viewer: viewer) where !f.status.isClosed {
                let a = names.alignment(of: f, incident: incident)
                if a.isMisaligned { misaligned.append((f, incident, a)) }
            }
        }
        return Facts(schedule: schedule, readings: readings, misaligned: misaligned, incidents: byID)
    }

    /// Reviews with open wording suggestions, most first.
    func wording(viewer: Viewer, incidents: [UUID: Incident]) async throws -> [(review: Review, incident: Incident, open: Int)] {
        let checker = try await app.language.checker(store: store)
        var out: [(Review, Incident, Int)] = []
        for r in try await store.allReviews(viewer: viewer) {
            guard let incident = incidents[r.incidentID] else { continue }
            let open = app.language.findings(for: r, marks: try await store.languageMarks(reviewID: r.id, viewer: viewer), checker: checker).filter { $0.kept == nil }.count
            if open > 0 { out.append((r, incident, open)) }
        }
        return out.sorted { $0.2 > $1.2 }
    }

    func page(_ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let now = Date()
        let settings = try await store.settings()
        let viewer = try await store.viewer(for: user)
        let f = try await Self.facts(store: store, viewer: viewer, now: now)
        let wording = try await wording(viewer: viewer, incidents: f.incidents)
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
            "missed": f.schedule.missed.prefix(20).map(due), "hasMissed": !f.schedule.missed.isEmpty,
            "keeping": f.schedule.keeping.sentence,
            "readings": f.readings.prefix(10).map { ["key": $0.incident.key, "reviewId": $0.review.id.uuidString, "title": $0.incident.title, "day": $0.reading.day, "sentence": $0.reading.sentence] },
            "hasReadings": !f.readings.isEmpty,
            "misaligned": f.misaligned.prefix(20).map { ["key": $0.incident.key, "id": $0.followUp.id.uuidString, "title": $0.followUp.title, "alignment": $0.alignment.explanation ?? ""] },
            "misalignedCount": f.misaligned.count, "hasMisaligned": !f.misaligned.isEmpty,
            "wording": wording.prefix(20).map { ["key": $0.incident.key, "id": $0.review.id.uuidString, "title": $0.review.title.isEmpty ? "\($0.review.level.label) \(settings.practiceNameLowercased)" : $0.review.title, "open": $0.open] },
            "hasWording": !wording.isEmpty,
        ])
    }
}
