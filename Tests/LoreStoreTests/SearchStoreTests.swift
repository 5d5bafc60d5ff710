import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

@Suite("Search in the store")
struct SearchStoreTests {
    /// What an engineer types when paged: error codes, host names, quoted
    /// log fragments, phrases, prefixes, exclusions; titles rank above
    /// bodies; filters narrow; edits and removals reach the index at once.
    @Test(arguments: Backend.available)
    func findsWhatEngineersTypeRankedAndFiltered(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let other = try await store.createIncident(IncidentInput(
                title: "Connection pool exhausted on orders-db", severity: "SEV1", status: .resolved, services: ["ledger"],
                detectionSource: "customer support", impactStartedAt: .some(t("2025-11-03T08:00:00Z")), detectedAt: .some(t("2025-11-03T09:00:00Z")),
                resolvedAt: .some(t("2025-11-03T10:00:00Z")), customerImpact: "Checkout returned 503 for a third of requests", labels: ["database"]
            ), now: t("2025-11-03T10:00:00Z"))
            func entry(_ incident: Incident, _ text: String, reflection: String? = nil, source: TimelineSource = .slack) async throws -> TimelineEntry {
                try await store.addTimelineEntry(TimelineEntry(
                    incidentID: incident.id, occurredAt: t("2026-03-01T10:05:00Z"), recordedAt: t("2026-03-01T10:05:00Z"), author: "ana",
                    source: source, kind: .communication, text: text, reflection: reflection)).entry
            }
            let reset = try await entry(c.incident, "edge-03 logs show read ECONNRESET from the ledger replica", reflection: "I thought the replica was still catching up")
            _ = try await entry(c.incident, "dial tcp 10.0.4.7:5432: i/o timeout while failing over", source: .pagerduty)
            _ = try await entry(other, "the connection pool on orders-db hit its limit of 200")
            _ = try await entry(other, "staging connection pool is fine")
            _ = try await entry(c.incident, "edge 7 and 03 are unrelated words here")

            func find(_ q: String, _ filter: SearchFilter = SearchFilter(), as viewer: Viewer? = nil) async throws -> [SearchHit] {
                try await store.search(SearchRequest(query: try SearchQuery.parse(q), filter: filter), viewer: viewer ?? ana).hits
            }
            // A host name is its parts next to each other, not each part anywhere.
            #expect(try await find("edge-03").map(\.id) == [reset.id])
            #expect(try await find("ECONNRESET").map(\.id) == [reset.id])
            #expect(try await find("econnreset").first?.snippet.parts.contains { $0.marked && $0.text == "ECONNRESET" } == true)
            #expect(try await find("\"i/o timeout\"").first?.kind == .timeline)
            #expect(try await find("503").map(\.kind) == [.incident])
            #expect(try await find("catching").first?.id == reset.id)  // "what I was seeing" is searched too
            #expect(try await find("replic*").map(\.id).contains(reset.id))

            // The title outranks the body; an exclusion leaves out.
            let pool = try await find("connection pool")
            #expect(pool.first?.kind == .incident && pool.first?.id == other.id)
            #expect(pool.count == 3)
            #expect(try await find("\"connection pool\" -staging").count == 2)
            #expect(try await find("pool staging").count == 1)

            // Filters combine with the text and with each other.
            #expect(try await find("connection pool", SearchFilter(kind: .timeline)).count == 2)
            #expect(try await find("pool", SearchFilter(severity: "SEV2")).isEmpty)
            #expect(try await find("pool", SearchFilter(service: "ledger")).count == 3)
            #expect(try await find("pool", SearchFilter(detectionSource: "monitoring alert")).isEmpty)
            #expect(try await find("pool", SearchFilter(since: t("2026-01-01T00:00:00Z"))).isEmpty)
            #expect(try await find("pool", SearchFilter(until: t("2026-01-01T00:00:00Z"))).count == 3)
            #expect(try await find("replica", SearchFilter(team: "payments")).count == 1)

            // An edited incident is found by its new words at once; a removed entry is not found.
            var edit = IncidentInput()
            edit.title = "Ledger writes failing behind a saturated pgbouncer"
            _ = try await store.updateIncident(number: c.incident.number, edit, now: t("2026-03-02T10:00:00Z"))
            #expect(try await find("pgbouncer").map(\.id) == [c.incident.id])
            _ = try await store.removeTimelineEntry(id: reset.id, incidentID: c.incident.id, by: try await c.viewer(store, c.f.admin), now: t("2026-03-02T10:00:00Z"))
            #expect(try await find("ECONNRESET").isEmpty)

            // Reviews, findings and follow-ups.
            let review = try await store.createReview(incidentID: c.incident.id, ReviewInput(
                title: "Payments review", level: .team, teams: ["payments"], participantIDs: [c.ana.id],
                sections: [.contributingFactors: "The failover runbook assumed a warm standby."]), by: ana)
            _ = try await store.addFinding(reviewID: review.id, kind: .surprise, text: "Nobody knew the standby had been cold for months", by: ana)
            _ = try await store.createFollowUp(incidentID: c.incident.id, reviewID: review.id, FollowUpInput(title: "Keep the standby warm", ownerTeam: "payments"), by: ana)
            #expect(Set(try await find("standby").map(\.kind)) == [.review, .finding, .followUp])
            #expect(try await find("standby").first?.kind == .followUp)  // in its title

            // Paging: 20 a page, and whether there is more.
            for i in 0 ..< 23 { _ = try await entry(other, "flapping health check number \(i)") }
            let first = try await store.search(SearchRequest(query: try SearchQuery.parse("flapping")), viewer: ana)
            #expect(first.hits.count == 20 && first.hasMore)
            let second = try await store.search(SearchRequest(query: try SearchQuery.parse("flapping"), page: 2), viewer: ana)
            #expect(second.hits.count == 3 && !second.hasMore)
            #expect(Set(first.hits.map(\.id)).isDisjoint(with: second.hits.map(\.id)))
        }
    }

    /// A review the viewer may not see never contributes a result, a
    /// snippet or a "more" hint. For every combination of visibility,
    /// "without managers", status and viewer, search agrees with
    /// `ReviewAccess.canSee`, the rule every other page uses.
    @Test(arguments: Backend.available)
    func searchSeesExactlyTheReviewsReviewAccessAllows(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            var planted: [(review: Review, token: String)] = []
            var n = 0
            for visibility in ReviewVisibility.allCases {
                for withoutManagers in [false, true] {
                    for publish in [false, true] {
                        n += 1
                        let token = "quokka\(n)zanzibar"
                        var review = try await store.createReview(incidentID: c.incident.id, ReviewInput(
                            title: "Review \(n)", level: .team, visibility: visibility, teams: ["payments"], withoutManagers: withoutManagers,
                            participantIDs: [c.ana.id], sections: [.surprises: "The \(token) cache was shared."]), by: ana)
                        _ = try await store.addFinding(reviewID: review.id, kind: .learning, text: "finding \(token)", by: ana)
                        _ = try await store.createFollowUp(incidentID: c.incident.id, reviewID: review.id, FollowUpInput(title: "Fix \(token)", ownerTeam: "payments"), by: ana)
                        if publish { review = try await store.updateReview(id: review.id, ReviewInput(status: .published), by: ana) }
                        planted.append((review, token))
                    }
                }
            }
            var settings = try await store.settings()
            for adminsSeeAll in [false, true] {
                settings.practice.adminsSeeAllReviews = adminsSeeAll
                try await store.saveSettings(settings)
                for user in [c.ana, c.ben, c.manager, c.outsider, c.f.admin, c.f.member] {
                    let viewer = try await c.viewer(store, user)
                    for (review, token) in planted {
                        let shouldSee = ReviewAccess.canSee(review, viewer: viewer, adminsSeeAll: adminsSeeAll)
                        let results = try await store.search(SearchRequest(query: try SearchQuery.parse(token)), viewer: viewer)
                        #expect(results.hits.count == (shouldSee ? 3 : 0), "\(user.displayName), adminsSeeAll \(adminsSeeAll), \(review.visibility) without managers \(review.withoutManagers) \(review.status)")
                        #expect(!results.hasMore)
                        // With a filter on the incident and fewer matches examined
                        // than exist: the "older matches" hint counts only what
                        // the viewer may see.
                        let narrowed = try await store.search(
                            SearchRequest(query: try SearchQuery.parse(token), filter: SearchFilter(since: t("2000-01-01T00:00:00Z"))),
                            access: .viewer(viewer, adminsSeeAll: adminsSeeAll), window: 5, examined: 2)
                        #expect(narrowed.rankedNewest == (shouldSee ? 2 : nil) && narrowed.hits.count == (shouldSee ? 2 : 0), "\(user.displayName) \(review.visibility)")
                        // The same when PostgreSQL reads only the newest few documents
                        // by key and the rest by key again or through the text index.
                        for keyScan: Int64 in [1, 3] {
                            let split = try await store.search(
                                SearchRequest(query: try SearchQuery.parse(token), filter: SearchFilter(since: t("2000-01-01T00:00:00Z"))),
                                access: .viewer(viewer, adminsSeeAll: adminsSeeAll), window: 5, examined: 2, keyScan: keyScan)
                            #expect(split.rankedNewest == (shouldSee ? 2 : nil) && split.hits.count == (shouldSee ? 2 : 0), "\(user.displayName) \(review.visibility) \(keyScan)")
                        }
                    }
                }
            }
            // The operator sees every review: 12 reviews, each with a finding and a follow-up.
            let all = try await store.searchForOperator(SearchRequest(query: try SearchQuery.parse("quokka*")))
            #expect(all.hits.count == 20 && all.hasMore)
        }
    }

    /// The index is written in the same transaction as the data: what a
    /// failed write leaves behind is nothing, in the data and in search.
    @Test(arguments: Backend.available)
    func aRolledBackWriteLeavesNothingToFind(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await store.transaction { tx in
                    _ = try await tx.addTimelineEntry(TimelineEntry(
                        incidentID: c.incident.id, occurredAt: t("2026-03-01T10:05:00Z"), recordedAt: t("2026-03-01T10:05:00Z"), author: "ana",
                        source: .slack, kind: .communication, text: "wombat-9 rebooted"))
                    throw Abandon()
                }
            }
            #expect(try await store.searchForOperator(SearchRequest(query: try SearchQuery.parse("wombat-9"))).hits.isEmpty)
            #expect(try await store.timeline(incidentID: c.incident.id).isEmpty)
        }
    }

    /// Hostile queries (attack strings, SQL, FTS and tsquery syntax) are
    /// read as text or refused with a message; the database never sees
    /// syntax from them.
    @Test(arguments: Backend.available)
    func hostileQueriesAreTextNeverSyntax(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let queries = [
                "'; DROP TABLE incidents; --", "\" OR 1=1 --\"", "a AND OR NOT b", "NEAR(a b)", "title:secret", "a:* & !b | c", "(((", "^start",
                "<script>alert(1)</script>", "\"<img src=x onerror=alert(1)>\"", "x' || (SELECT 1) || '", "ab*", "-a b", "\\\" \\\\", "%_%", "NOT",
                "\u{E000}marked\u{E001}", "emoji 🔥 fire", "ÉCLAIR éclair", "a\0b",
            ]
            for q in queries {
                do {
                    let parsed = try SearchQuery.parse(q)
                    _ = try await store.search(SearchRequest(query: parsed), viewer: ana)
                } catch is ValidationError {
                    // Refused with a message: fine.
                }
            }
            for bad in ["\"unclosed", "- * \"\"", "-staging", String(repeating: "a", count: 10_000)] {
                #expect(throws: ValidationError.self, "\(bad.prefix(20))") { try SearchQuery.parse(bad) }
            }
        }
    }

    /// A large import into SQLite commits without waiting for search and is
    /// indexed behind itself: every entry becomes findable, the mark goes,
    /// and a failed import leaves no mark and nothing to find.
    /// An import into an incident whose earlier large import is still being
    /// indexed leaves its entries to the catch-up: indexing from the earlier
    /// mark inside its own commit would index that whole backlog while
    /// holding the write lock.
    @Test func anImportIntoAnIncidentStillBeingIndexedLeavesItToTheCatchUp() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let c = try await Cast.make(store)
            try await store.sqlDatabase().raw("INSERT INTO search_backlog (incident_id, after_rowid, cursor) VALUES (\(bind: c.incident.id.uuidString), 0, 0)").run()
            let path = try #require(store.sqliteFile?.path)
            let small = try await SQLiteTimelineImport.begin(path: path, incidentID: c.incident.id)
            let behind = try await small.run { try small.commit() }
            await small.finish()
            #expect(behind)
            #expect(try await store.searchBacklog().count == 1)
            try await store.catchUpSearchIndex()
            #expect(try await store.searchBacklog().isEmpty)
            // A first import of a few entries marks and indexes in its own commit, as before.
            let other = try await store.createIncident(IncidentInput(title: "Another", severity: "SEV3", detectionSource: "other"))
            let fresh = try await SQLiteTimelineImport.begin(path: path, incidentID: other.id)
            let freshBehind = try await fresh.run { try fresh.commit() }
            await fresh.finish()
            #expect(!freshBehind)
        }
    }

    @Test func aLargeImportIsIndexedBehindItself() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            let c = try await Cast.make(store)
            let ana = try await c.viewer(store, c.ana)
            let count = LoreStore.searchIndexInlineLimit + 500
            let at = t("2026-03-01T10:00:00Z")
            // The last entry names another incident: it is indexed too.
            let other = try await store.createIncident(IncidentInput(title: "Another", severity: "SEV3", detectionSource: "other"))
            @Sendable func entries(_ tag: String) -> [TimelineEntry] {
                (0 ..< count).map { n in
                    TimelineEntry(incidentID: n == count - 1 ? other.id : c.incident.id, occurredAt: at.addingTimeInterval(Double(n)), recordedAt: at, author: "bot", source: .slack,
                                  kind: .communication, text: n == count - 1 ? "needle-\(tag) ECONNRESET on edge-7" : "chatter \(n)", externalID: "\(tag)-\(n)")
                }
            }
            let added = try await store.importTimelineStream(incidentID: c.incident.id) { sink in try await sink.add(entries("big")).added }
            #expect(added == count)
            for i in try await store.searchBacklog() { #expect(i.incidentKey == c.incident.key && (0 ... 99).contains(i.percent)) }
            try await store.catchUpSearchIndex()
            #expect(try await store.searchBacklog().isEmpty)
            let found = try await store.search(SearchRequest(query: try SearchQuery.parse("needle-big")), viewer: ana).hits
            #expect(found.count == 1 && found.first?.kind == .timeline && found.first?.incidentID == other.id)
            #expect(try await store.search(SearchRequest(query: try SearchQuery.parse("chatter"), filter: SearchFilter(kind: .timeline)), viewer: ana).hasMore)

            struct Cut: Error {}
            await #expect(throws: Cut.self) {
                try await store.importTimelineStream(incidentID: c.incident.id) { sink in
                    _ = try await sink.add(entries("cut"))
                    throw Cut()
                }
            }
            #expect(try await store.searchBacklog().isEmpty)
            #expect(try await store.search(SearchRequest(query: try SearchQuery.parse("needle-cut")), viewer: ana).hits.isEmpty)
            // Entries written the ordinary way are indexed at once, as before.
            _ = try await store.addTimelineEntry(TimelineEntry(incidentID: c.incident.id, occurredAt: at, recordedAt: at, author: "ana", source: .manual, kind: .note, text: "needle-manual"))
            #expect(try await store.search(SearchRequest(query: try SearchQuery.parse("needle-manual")), viewer: ana).hits.count == 1)
        }
    }
}
