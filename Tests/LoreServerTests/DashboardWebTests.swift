import Foundation
import HummingbirdTesting
import LoreCore
@testable import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite struct DashboardWebTests {
    /// Requests for one viewer that find no usable facts wait for the count
    /// under way rather than each counting (a stampede that, at 100,000
    /// incidents on PostgreSQL, let no request finish); a viewer's own change
    /// during a count is not hidden by that count's result.
    @Test func requestsArrivingTogetherShareOneCount() async throws {
        let cache = DashboardFactsCache()
        let viewer = Viewer(userID: UUID(), isAdmin: false, memberships: [])
        let counts = CallCount()
        @Sendable func facts(_ total: Int) -> DashboardPage.Facts {
            DashboardPage.Facts(schedule: ReviewSchedule(open: [], missed: [], keeping: WindowKeeping(kept: 0, missed: 0, pending: 0)), readings: [], misaligned: [], misalignedTotal: total)
        }
        let now = Date()
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await cache.facts(for: viewer, now: now) {
                        await counts.tick()
                        try await Task.sleep(for: .milliseconds(100))
                        return facts(7)
                    }.misalignedTotal
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(totals == Array(repeating: 7, count: 16))
        #expect(await counts.value == 1)

        // Fresh facts are reused; once stale, one request counts again while
        // the others are answered with the facts just expired.
        #expect(try await cache.facts(for: viewer, now: now.addingTimeInterval(1)) { await counts.tick(); return facts(8) }.misalignedTotal == 7)
        #expect(await counts.value == 1)
        let later = now.addingTimeInterval(DashboardFactsCache.freshFor + 1)
        let release = Gate()
        async let slow = cache.facts(for: viewer, now: later) { await counts.tick(); await release.wait(); return facts(9) }
        try await counts.waitFor(2)  // the recount has begun
        #expect(try await cache.facts(for: viewer, now: later) { await counts.tick(); return facts(10) }.misalignedTotal == 7)
        await release.open()
        #expect(try await slow.misalignedTotal == 9)
        #expect(await counts.value == 2)

        // The viewer changes something while a count runs: that count's
        // result is not kept, and the next view counts anew.
        let after = later.addingTimeInterval(DashboardFactsCache.freshFor + 1)
        let hold = Gate()
        async let during = cache.facts(for: viewer, now: after) { await counts.tick(); await hold.wait(); return facts(11) }
        try await counts.waitFor(3)
        cache.forget(viewer.userID)
        await hold.open()
        _ = try await during
        #expect(try await cache.facts(for: viewer, now: after) { facts(12) }.misalignedTotal == 12)
    }

    /// The dashboard's facts are kept for a few seconds per viewer; a
    /// viewer's own change shows on their next view at once.
    @Test(arguments: Backend.available)
    func yourOwnChangeShowsOnYourNextView(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            #expect(try await b.get("/dashboard").text.contains("No review window is open."))
            let now = LoreTime.localInput(Date().addingTimeInterval(-3600), timeZone: f.admin.zone)
            let created = try await b.post("/incidents", [
                ("title", "Queue backed up"), ("severity", "SEV2"), ("status", "resolved"), ("detectionSource", "monitoring alert"),
                ("detectedAt", now), ("resolvedAt", now),
            ])
            #expect(created.status == .seeOther)
            let page = try await b.get("/dashboard").text
            #expect(page.contains("Queue backed up"))
            #expect(!page.contains("No review window is open."))
            let json = try await APIClient(client: client, token: try await store.createAPIToken(userID: f.admin.id, name: "t").secret).call(.get, "/dashboard").json
            #expect(json["openWindowCount"] as? Int == 1)
            #expect((json["openWindows"] as? [[String: Any]])?.first?["title"] as? String == "Queue backed up")
        }
    }

    /// Each list of the dashboard (written as HTML in Swift) shows what a
    /// facilitator needs, with every value people wrote escaped.
    @Test(arguments: Backend.available)
    func theDashboardShowsEachListEscaped(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let admin = try await store.viewer(for: f.admin)
            let now = Date()
            func incident(_ title: String, resolvedHoursAgo: Double) async throws -> Incident {
                let at = now.addingTimeInterval(-resolvedHoursAgo * 3600)
                return try await store.createIncident(IncidentInput(
                    title: title, severity: "SEV2", status: .resolved, services: ["checkout-api"], teams: ["payments"], detectionSource: "monitoring alert",
                    detectedAt: .some(at.addingTimeInterval(-600)), resolvedAt: .some(at)), now: at)
            }
            let open = try await incident("<img src=x onerror=alert(1)> & \"Q\"", resolvedHoursAgo: 1)
            _ = try await incident("Missed <b>one</b>", resolvedHoursAgo: 24 * 10)
            try await store.createFollowUp(incidentID: open.id, FollowUpInput(title: "<script>alert(2)</script>", ownerTeam: "platform", service: "checkout-api"), by: admin, now: now)
            let review = try await store.createReview(incidentID: open.id, ReviewInput(
                title: "<i>Wording</i>", level: .team, visibility: .organisation, teams: ["payments"], status: .draft, participantIDs: [f.admin.id],
                sections: [.summary: "The operator should have checked the replica lag."]), by: admin, now: now)
            // An open window with no review yet, and a held review with a
            // closed ballot and a follow-through reading.
            let bare = try await incident("Queue & <u>backlog</u>", resolvedHoursAgo: 2)
            let held = try await incident("Held one", resolvedHoursAgo: 3)
            let heldReview = try await store.createReview(incidentID: held.id, ReviewInput(
                title: "Held", level: .team, visibility: .organisation, teams: ["payments"], status: .held, participantIDs: [f.admin.id],
                sections: [.summary: "Pool sizes were per host."]), by: admin, now: now.addingTimeInterval(-3600))
            let fu = try await store.createFollowUp(incidentID: held.id, reviewID: heldReview.id, FollowUpInput(title: "Alert on pools", ownerTeam: "payments"), by: admin, now: now)
            try await store.openBallot(reviewID: heldReview.id, by: admin, now: now.addingTimeInterval(-3000))
            try await store.vote(reviewID: heldReview.id, picks: [fu.id], by: admin, now: now.addingTimeInterval(-2900))
            let ballot = try await store.closeBallot(reviewID: heldReview.id, by: admin, now: now.addingTimeInterval(-2800))
            _ = try await store.takeFollowThroughReading(ballotID: ballot.id, day: 14, now: now.addingTimeInterval(-60))
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let page = try await b.get("/dashboard").text
            let practice = try await store.settings().practiceNameLowercased
            #expect(page.contains("\(bare.key)</a> Queue &amp; &lt;u&gt;backlog&lt;/u&gt; <span class=\"sev\">SEV2</span>"))
            #expect(page.contains("No \(practice) started. <a href=\"/incidents/\(bare.key)/reviews/new\">Start one</a>"))
            #expect(page.contains("\">Team: Held</a>  · held</span>"), "a held review is marked held")
            #expect(page.contains("<a href=\"/incidents/\(held.key)/reviews/\(heldReview.id.uuidString)#ballot\">\(held.key)</a> day 14: "), "the follow-through reading")
            #expect(!page.contains("<img src=x") && !page.contains("<script>alert") && !page.contains("<b>one") && !page.contains("<i>Wording"))
            #expect(page.contains("<a href=\"/incidents/\(open.key)#reviews\">\(open.key)</a> &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Q&quot; <span class=\"sev\">SEV2</span>"))
            #expect(page.contains("<a href=\"/incidents/\(open.key)/reviews/\(review.id.uuidString)\">Team: Draft</a>"), "the open window's review")
            #expect(page.contains("Missed &lt;b&gt;one&lt;/b&gt; · <span class=\"window-closed\">"))
            #expect(page.contains("No \(try await store.settings().practiceNameLowercased) yet: it can still be held."))
            #expect(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;</a> <span class=\"meta\">\(open.key) · "), "a follow-up owned by a team not paged")
            #expect(page.contains("\(open.key) · &lt;i&gt;Wording&lt;/i&gt;</a> <span class=\"meta\">1 open suggestion(s)</span>"))
        }
    }
}

/// Counts calls across tasks.
private actor CallCount {
    private(set) var value = 0
    func tick() { value += 1 }

    /// Returns once `value` reaches `n` (a count has begun), without
    /// guessing how long a busy machine takes to start a task.
    func waitFor(_ n: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while value < n {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// Holds a count open until the test lets it finish.
private actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }
    func open() {
        isOpen = true
        for w in waiting { w.resume() }
        waiting = []
    }
}
