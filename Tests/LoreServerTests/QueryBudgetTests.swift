import Foundation
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// Every page and list route asks the database a fixed number of questions,
/// whatever the size of the organisation's history: no query per incident,
/// review, follow-up, entry or person in a loop. Each route is read on an
/// organisation and on one ten times its size (more incidents, entries,
/// reviews, follow-ups, ballots, wording marks and people, and an incident
/// page with ten times the entries and reviews), and the count of
/// statements in the database's log must not grow.
@Suite struct QueryBudgetTests {
    /// What the routes are read with.
    struct Seeded: Sendable {
        var key: String
        var reviewID: UUID
        var followUpID: UUID
    }

    /// An organisation of `3 × scale` incidents spread over the last 16 days
    /// (open review windows, missed ones, kept ones), each with timeline
    /// entries, a review held by two people with wording the checker flags
    /// (one phrase kept as written), follow-ups (one owned by a team that is
    /// not paged for its service), and a closed ballot with a reading. The
    /// first incident carries `scale` reviews and `20 × scale` entries.
    static func seed(_ store: LoreStore, _ f: Fixture, scale: Int) async throws -> Seeded {
        let now = Date()
        let admin = try await store.viewer(for: f.admin)
        try await store.setMembership(teamSlug: "payments", userID: f.member.id, role: .member)
        var people = [f.admin.id, f.member.id]
        // Twelve people per scale: the larger organisation has more people
        // than a form lists (`PeoplePicker.listedLimit`), the smaller fewer.
        for n in 0 ..< 12 * scale {
            let u = try await store.createUser(UserInput(displayName: "Person \(n)", email: "person\(n)@example.com", role: .member))
            try await store.setMembership(teamSlug: n.isMultiple(of: 2) ? "payments" : "platform", userID: u.id, role: .member)
            people.append(u.id)
        }
        var first: Seeded?
        for n in 0 ..< 3 * scale {
            // Spread over the same sixteen days at every scale, so that each
            // section (an open window, a missed one, last week's digest) has
            // something in it on the small organisation too.
            let resolved = now.addingTimeInterval(-Double(n) * 16 * 86400 / Double(3 * scale))
            let started = resolved.addingTimeInterval(-7200)
            let incident = try await store.createIncident(IncidentInput(
                title: "Checkout latency \(n)", severity: n.isMultiple(of: 3) ? "SEV1" : "SEV2", status: .resolved,
                services: ["checkout-api"], teams: ["payments"], detectionSource: "monitoring alert",
                impactStartedAt: .some(started), detectedAt: .some(started.addingTimeInterval(300)), resolvedAt: .some(resolved), labels: ["latency"]
            ), now: started)
            for e in 0 ..< (n == 0 ? 20 * scale : 3) {
                try await store.addTimelineEntry(TimelineEntry(
                    incidentID: incident.id, occurredAt: started.addingTimeInterval(Double(e) * 30), recordedAt: started.addingTimeInterval(Double(e) * 30),
                    author: "Ada Admin", source: .manual, kind: .note,
                    text: "Replica lag on orders-db reached \(e) s; **paged** the [database team](https://example.com/\(e))."))
            }
            for r in 0 ..< (n == 0 ? scale : 1) {
                let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                    title: "Review \(n).\(r)", level: .joint, visibility: .organisation, teams: ["payments"], status: .held,
                    participantIDs: [f.admin.id, f.member.id, people[(n + r) % people.count]],
                    sections: [.summary: "The outage was caused by human error. The operator should have checked the replica lag first."]
                ), by: admin, now: resolved.addingTimeInterval(n.isMultiple(of: 2) ? 3600 : 5 * 86400))
                let followUps = try await ["Alert on replica lag \(n).\(r)", "Runbook for failover \(n).\(r)"].asyncMapAll { title in
                    try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(
                        title: title, ownerTeam: title.hasPrefix("Alert") ? "payments" : "platform", service: "checkout-api"), by: admin, now: resolved)
                }
                try await store.openBallot(reviewID: review.id, by: admin, now: resolved.addingTimeInterval(3700))
                try await store.vote(reviewID: review.id, picks: [followUps[0].id], by: admin, now: resolved.addingTimeInterval(3800))
                let ballot = try await store.closeBallot(reviewID: review.id, by: admin, now: resolved.addingTimeInterval(3900))
                _ = try await store.takeFollowThroughReading(ballotID: ballot.id, day: 14, now: resolved.addingTimeInterval(4000))
                try await store.keepAsWritten(reviewID: review.id, section: "summary", ruleID: "error-label", matchedText: "human error", note: "quoting the ticket", by: admin)
                if first == nil { first = Seeded(key: incident.key, reviewID: review.id, followUpID: followUps[0].id) }
            }
        }
        return try #require(first)
    }

    static func pages(_ s: Seeded) -> [String] {
        [
            "/dashboard", "/incidents", "/incidents?service=checkout-api&severity=SEV1&page=1", "/incidents?team=payments&status=resolved",
            "/incidents/\(s.key)", "/incidents/\(s.key)/edit", "/incidents/\(s.key)/follow-ups/\(s.followUpID)/edit",
            "/incidents/\(s.key)/reviews/\(s.reviewID)", "/incidents/\(s.key)/reviews/\(s.reviewID)/edit", "/incidents/\(s.key)/reviews/new",
            "/incidents/\(s.key)/import", "/search?q=replica", "/search?q=replica&service=checkout-api", "/insights",
            "/services/checkout-api", "/teams/payments/digest", "/account",
        ]
    }

    static func apiRoutes(_ s: Seeded) -> [String] {
        [
            "/dashboard", "/incidents", "/incidents?service=checkout-api&team=payments", "/incidents/\(s.key)", "/incidents/\(s.key)/timeline",
            "/incidents/\(s.key)/timeline/removed", "/incidents/\(s.key)/related", "/incidents/\(s.key)/follow-ups", "/incidents/\(s.key)/reviews",
            "/reviews/\(s.reviewID)", "/reviews/\(s.reviewID)/findings", "/reviews/\(s.reviewID)/ballot", "/reviews/\(s.reviewID)/language",
            "/reviews/\(s.reviewID)/history", "/follow-ups/\(s.followUpID)", "/follow-ups/\(s.followUpID)/history",
            "/search?q=replica", "/insights", "/teams", "/services", "/users", "/teams/payments/digest", "/me",
        ]
    }

    /// The statements each route ran, as a team member sees it, on an
    /// organisation of this scale.
    static func measure(_ backend: Backend, scale: Int) async throws -> [String: [String]] {
        let log = QueryLog()
        let out = LockedBox<[String: [String]]>([:])
        try await withApp(backend, logger: log.logger) { client, store, f in
            let seeded = try await seed(store, f, scale: scale)
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "budget")
            let api = APIClient(client: client, token: token)
            var found: [String: [String]] = [:]
            for path in pages(seeded) {
                // Read twice: the first read may fill what is kept between requests.
                _ = try await b.get(path)
                found["GET " + Self.shape(path, seeded)] = try await log.recording {
                    let r = try await b.get(path)
                    #expect(r.status == .ok, "\(path): \(r.status)")
                }
            }
            for path in apiRoutes(seeded) {
                _ = try await api.call(.get, path)
                found["GET /api/v1" + Self.shape(path, seeded)] = try await log.recording {
                    let r = try await api.call(.get, path)
                    #expect(r.status == .ok, "/api/v1\(path): \(r.status) \(r.text.prefix(200))")
                }
            }
            out.value = found
        }
        return out.value
    }

    /// The route with its ids named, so that both scales compare by name.
    static func shape(_ path: String, _ s: Seeded) -> String {
        path.replacingOccurrences(of: s.key, with: ":key").replacingOccurrences(of: s.reviewID.uuidString, with: ":review")
            .replacingOccurrences(of: s.followUpID.uuidString, with: ":followUp")
    }

    @Test(arguments: Backend.available)
    func noRouteAsksMoreQuestionsOfALargerOrganisation(backend: Backend) async throws {
        let small = try await Self.measure(backend, scale: 1)
        let large = try await Self.measure(backend, scale: 10)
        #expect(small.count == Self.pages(Seeded(key: "", reviewID: UUID(), followUpID: UUID())).count + Self.apiRoutes(Seeded(key: "", reviewID: UUID(), followUpID: UUID())).count)
        // The settings and the catalog are read at most once every two
        // seconds per process (`SettingsCache`, `CatalogCache`): whether a
        // request is the one that reads them depends on the clock, not on
        // the data, so they are not counted.
        func counted(_ statements: [String]) -> [String] {
            statements.filter { !$0.contains("\"organisation_settings\"") && !$0.contains("/* catalog */") }
        }
        for route in small.keys.sorted() {
            let s = counted(small[route]!), l = counted(large[route] ?? [])
            #expect(!s.isEmpty, "\(route) ran no statement: is the log being read?")
            #expect(l.count <= s.count, "\(route): \(s.count) statements at scale 1, \(l.count) at scale 10:\n\(l.joined(separator: "\n"))")
            if let dir = ProcessInfo.processInfo.environment["LORE_PRINT_QUERY_BUDGET"] {
                print("budget \(backend) \(route): \(s.count) → \(l.count)")
                let name = route.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: " ", with: "")
                try? s.joined(separator: "\n").write(toFile: "\(dir)/\(backend)\(name).small", atomically: true, encoding: .utf8)
                try? l.joined(separator: "\n").write(toFile: "\(dir)/\(backend)\(name).large", atomically: true, encoding: .utf8)
            }
        }
    }
}

/// A value written from inside an escaping test body.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
