import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

@Suite("Accounts, sessions and tokens")
struct AccountStoreTests {
    @Test(arguments: Backend.available)
    func passwordsSessionsAndLinks(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let f = try await Fixture.make(store)
            #expect(try await store.authenticate(email: "ADA@example.com ", password: "correct horse battery")?.id == f.admin.id)
            #expect(try await store.authenticate(email: "ada@example.com", password: "wrong password!") == nil)
            #expect(try await store.authenticate(email: "nobody@example.com", password: "correct horse battery") == nil)
            let dup = await #expect(throws: ValidationError.self) {
                try await store.createUser(UserInput(displayName: "Ada again", email: "ada@example.com"))
            }
            #expect(dup?.issues.first?.field == "email")

            // Started two hours ago: reading it now records that it was used now.
            let started = Date().addingTimeInterval(-7200)
            let (token, session) = try await store.createSession(userID: f.member.id, lifetime: 3 * 3600, now: started)
            let read = try await store.session(token: token)
            #expect(read?.user == f.member)
            #expect(read?.csrfToken == session.csrfToken)
            #expect(read?.id == session.id)
            // Use is recorded (at most once a minute), and an expired session is gone for good.
            let used = try await store.sessions(userID: f.member.id)
            #expect(used.count == 1 && (used.first?.lastUsedAt).map { $0.timeIntervalSinceNow > -60 } == true)
            #expect(try await store.session(token: token, now: Date().addingTimeInterval(7200)) == nil)
            #expect(try await store.sessions(userID: f.member.id).isEmpty)
            #expect(try await store.session(token: token) == nil)

            let link = try await store.createSignInLink(userID: f.member.id, lifetime: 600)
            #expect(try await store.redeemSignInLink(link)?.id == f.member.id)
            #expect(try await store.redeemSignInLink(link) == nil)  // one time only
            let expired = try await store.createSignInLink(userID: f.member.id, lifetime: 600, now: Date().addingTimeInterval(-3600))
            #expect(try await store.redeemSignInLink(expired) == nil)

            // A new password ends existing sessions.
            let (other, _) = try await store.createSession(userID: f.member.id, lifetime: 3600)
            try await store.setPassword(userID: f.member.id, password: "a brand new password")
            #expect(try await store.session(token: other) == nil)
            #expect(try await store.authenticate(email: "mo@example.com", password: "a brand new password")?.id == f.member.id)
        }
    }

    @Test(arguments: Backend.available)
    func apiTokensAreStoredHashedAndCanBeRevoked(backend: Backend) async throws {
        try await withTestDatabase(backend) { db, store in
            let f = try await Fixture.make(store)
            let (secret, token) = try await store.createAPIToken(userID: f.admin.id, name: "ci")
            #expect(secret.hasPrefix("lore_") && secret.count > 40)
            #expect(secret.hasPrefix(token.prefix))
            #expect(try await store.user(apiToken: secret) == f.admin)
            #expect(try await store.apiTokens(userID: f.admin.id).first?.lastUsedAt != nil)
            #expect(try await store.user(apiToken: secret + "x") == nil)
            // The stored form is SHA-256 in lowercase hex (FIPS 180-2's "abc" vector).
            #expect(Secrets.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(try await db.storedTokenHashes().allSatisfy { $0 != secret && $0.count == 64 })
            try await store.revokeAPIToken(token.prefix)
            #expect(try await store.user(apiToken: secret) == nil)
            await #expect(throws: StoreError.self) { try await store.revokeAPIToken("lore_nothing") }
        }
    }

    @Test(arguments: Backend.available)
    func settingsValidateAndPersist(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            #expect(try await store.settings() == .default)
            var s = OrganisationSettings.default
            s.practiceName = "Retrospective"
            s.reviewWindowHours = 48
            try await store.saveSettings(s)
            #expect(try await store.settings().practiceName == "Retrospective")
            #expect(try await store.settings().reviewWindowHours == 48)
            s.severities = []
            s.reviewWindowHours = 0
            let e = await #expect(throws: ValidationError.self) { try await store.saveSettings(s) }
            #expect(Set(e?.issues.map(\.field) ?? []) == ["severities", "reviewWindowHours"])
            #expect(try await store.settings().reviewWindowHours == 48)
        }
    }

    @Test(arguments: Backend.available)
    func demoDataLoadsWholeOnlyIntoAnEmptyDatabase(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let at = t("2026-11-01T00:00:00Z")
            let data = DemoData.generate(now: at)
            let n = try await store.loadDemo(data, now: at)
            #expect(n == data.incidents.count && n > 250)
            #expect(try await store.incidentCount() == n)
            #expect(try await store.teams().count == 3)
            #expect(try await store.services().count == 6)
            let all = try await store.incidents(IncidentFilter(perPage: 200)).items
            var reviews = 0, followUps = 0, entries = 0
            for i in all {
                if !(try await store.reviewsForOperator(incidentID: i.id)).isEmpty { reviews += 1 }
                followUps += try await store.followUps(incidentID: i.id).count
                entries += try await store.timeline(incidentID: i.id).count
            }
            #expect(reviews > 10 && followUps > 20 && entries > 100)

            // The history (written in batches) and the featured incidents
            // (one by one) are numbered in the order they happened.
            for k in [0, 1, n / 2, n - 1] {
                let stored = try #require(try await store.incident(number: k + 1))
                let d = data.incidents[k]
                #expect(stored.title == d.title && stored.times == d.times && stored.status == d.status && stored.detectionSource == d.detectionSource)
                #expect(stored.services == d.services && stored.teams == d.teams && Set(stored.externalReferences) == Set(d.externalReferences))
                #expect(try await store.timeline(incidentID: stored.id).map(\.text) == d.timeline.map(\.text))
                #expect(try await store.reviewsForOperator(incidentID: stored.id).map(\.status) == (d.review.map { [$0.status] } ?? []))
                #expect(try await store.followUps(incidentID: stored.id).count == d.followUps.count)
            }
            // Insights read from the store find the demo's story: customer
            // support's time to detect fell after the escalation change, and
            // monitoring's cannot be told apart from noise.
            let change = DemoData.escalationChange(now: at)
            let period = try InsightsPeriod(since: InsightsPeriod.lastTwelveMonths(asOf: change).since, until: at, split: .quarter, asOf: at)
            let report = try await store.insights(InsightsOptions(period: period, groupOrder: OrganisationSettings.defaultDetectionSources))
            #expect(report.buckets.map(\.incidentCount).reduce(0, +)
                == data.incidents.filter { (period.since ..< period.until).contains($0.times.impactStartedAt ?? $0.times.detectedAt!) }.count)
            let c = try #require(period.bucketIndex(of: change))
            let changes = report.changes(.toDetect, earlier: 0 ..< c, later: c + 1 ..< report.buckets.count)
            if case .shorter = changes.first(where: { $0.group?.value == "customer support" })?.verdict {} else {
                Issue.record("customer support: \(String(describing: changes.first { $0.group?.value == "customer support" }?.sentence))")
            }
            if case .cannotTell = changes.first(where: { $0.group?.value == "monitoring alert" })?.verdict {} else {
                Issue.record("monitoring alert: \(String(describing: changes.first { $0.group?.value == "monitoring alert" }?.sentence))")
            }
            await #expect(throws: ValidationError.self) {
                try await store.loadDemo(DemoData.generate(now: Date()))
            }
            #expect(try await store.incidentCount() == n)
        }
    }
}
