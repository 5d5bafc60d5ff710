import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

/// Teams and services are read at most once every two seconds per process:
/// a change made here is seen at once, one made by another process within
/// those two seconds, and never hidden behind a read that raced it.
@Suite struct CatalogCacheTests {
    @Test(arguments: Backend.available)
    func aChangeMadeHereIsSeenAtOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let before = try await store.teams()
            _ = try await store.services()
            try await store.createTeam(TeamInput(name: "Edge Network", slug: "edge"))
            let after = try await store.teams()
            #expect(Set(after.map(\.slug)) == Set(before.map(\.slug) + ["edge"]))
            #expect(after.map(\.name) == after.map(\.name).sorted(), "by name")
            try await store.createService(ServiceInput(name: "CDN", slug: "cdn", owningTeam: "edge", pagedTeams: ["edge", "payments"]))
            var cdn = try #require(try await store.services().first { $0.slug == "cdn" })
            #expect(cdn.pagedTeams == ["edge", "payments"])
            #expect(cdn.owningTeam == "edge")
            try await store.updateService(slug: "cdn", ServiceInput(name: "Content delivery", owningTeam: "edge", pagedTeams: ["payments", "edge"], pagerDutyServiceID: "PCDN1"))
            cdn = try #require(try await store.services().first { $0.slug == "cdn" })
            #expect(cdn.name == "Content delivery")
            #expect(cdn.pagedTeams == ["payments", "edge"], "paged teams keep their order")
            #expect(cdn.pagerDutyServiceID == "PCDN1")
            // The one-statement read says what the row-by-row read says.
            for s in try await store.services() { #expect(try await store.service(slug: s.slug) == s) }
            #expect(try await store.services().map(\.name) == (try await store.services()).map(\.name).sorted())
        }
    }

    @Test func aChangeMadeByAnotherProcessIsSeenWithinFreshFor() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lore.sqlite").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let serving = try await LoreDatabase.open(.sqlite(path: path))
        let other = try await LoreDatabase.open(.sqlite(path: path))
        do {
            try await serving.migrate()
            #expect(try await serving.store.teams().isEmpty)
            try await other.store.createTeam(TeamInput(name: "Edge Network", slug: "edge"))
            try await Task.sleep(for: .seconds(CatalogCache.freshFor + 0.2))
            #expect(try await serving.store.teams().map(\.slug) == ["edge"])
        } catch {
            await serving.shutdown()
            await other.shutdown()
            throw error
        }
        await serving.shutdown()
        await other.shutdown()
    }

    /// A read fills the cache (the next page does not ask the database) and
    /// a transaction empties it.
    @Test func aReadIsKeptAndATransactionForgetsIt() async throws {
        try await withTestDatabase(.sqlite) { _, store in
            _ = try await Fixture.make(store)
            let cache = try #require(store.catalogCache)
            cache.forget()
            #expect(cache.fresh(now: .distantPast) == nil)
            let teams = try await store.teams()
            #expect(cache.fresh(now: .distantPast)?.teams == teams, "kept after one read")
            try await store.createTeam(TeamInput(name: "Edge Network", slug: "edge"))
            #expect(cache.fresh(now: .distantPast) == nil, "forgotten by the write")
        }
    }

    @Test func aReadThatRacedAWriteIsNotRemembered() {
        let cache = CatalogCache()
        let old = (teams: [Team(name: "Old", slug: "old")], services: [Service]())
        let began = cache.generation
        cache.forget() // a transaction committed while the read was under way
        cache.remember(old, generation: began)
        #expect(cache.fresh() == nil)
        cache.remember(old, generation: cache.generation)
        #expect(cache.fresh()?.teams.map(\.slug) == ["old"])
        #expect(cache.fresh(now: Date().addingTimeInterval(CatalogCache.freshFor + 1)) == nil)
    }
}
