import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

@Suite("Incidents in the store")
struct IncidentStoreTests {
    @Test(arguments: Backend.available)
    func roundTripKeepsEveryFieldAndMillisecondTimes(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let detected = Date(timeIntervalSince1970: 1_767_000_000.1234)
            let created = try await store.createIncident(IncidentInput(
                title: "Checkout errors after deploy", severity: "SEV2", status: .resolved,
                services: ["checkout-api", "ledger"], teams: ["payments"], detectionSource: "customer support",
                impactStartedAt: .some(detected.addingTimeInterval(-600)), detectedAt: .some(detected),
                acknowledgedAt: .some(detected.addingTimeInterval(60)), mitigatedAt: .some(detected.addingTimeInterval(1800)),
                resolvedAt: .some(detected.addingTimeInterval(3600)), customerImpact: "Card payments failed for 12% of buyers.",
                labels: ["deploy", "payments"], externalReferences: [ExternalReference(system: "pagerduty", id: "Q1ABC", url: "https://x.pagerduty.com/incidents/Q1ABC")]),
                now: detected.addingTimeInterval(7200))
            #expect(created.key == "INC-1")
            let loaded = try #require(try await store.incident(key: "inc-1"))
            #expect(loaded == created)
            #expect(loaded.services == ["checkout-api", "ledger"])
            #expect(loaded.times.detectedAt == LoreTime.milliseconds(detected))
            #expect(loaded.times.durations.toResolve == 4200)
            #expect(try await store.incident(externalSystem: "pagerduty", id: "Q1ABC")?.id == created.id)
            let second = try await store.createIncident(IncidentInput(title: "Second", severity: "SEV4", detectionSource: "other"))
            #expect(second.key == "INC-2")
        }
    }

    @Test(arguments: Backend.available)
    func outOfOrderTimesAreRejectedNamingTheFieldAndNothingIsWritten(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let error = await #expect(throws: ValidationError.self) {
                try await store.createIncident(IncidentInput(
                    title: "Bad times", severity: "SEV3", services: ["checkout-api"], detectionSource: "other",
                    detectedAt: .some(t("2026-03-01T10:00:00Z")), acknowledgedAt: .some(t("2026-03-01T09:00:00Z"))),
                    now: t("2026-03-02T00:00:00Z"))
            }
            #expect(error?.issues.map(\.field) == ["acknowledgedAt"])
            #expect(error?.issues.first?.code == "out_of_order")
            #expect(try await store.incidentCount() == 0)
        }
    }

    @Test(arguments: Backend.available)
    func unknownSeverityServiceAndDuplicateReferenceAreRejected(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let e1 = await #expect(throws: ValidationError.self) {
                try await store.createIncident(IncidentInput(title: "x", severity: "P0", services: ["nope"], detectionSource: "telepathy"))
            }
            #expect(Set(e1?.issues.map(\.field) ?? []) == ["severity", "services", "detectionSource"])
            _ = try await store.createIncident(IncidentInput(title: "a", severity: "SEV3", detectionSource: "other", externalReferences: [ExternalReference(system: "jira", id: "OPS-1")]))
            let e2 = await #expect(throws: ValidationError.self) {
                try await store.createIncident(IncidentInput(title: "b", severity: "SEV3", detectionSource: "other", externalReferences: [ExternalReference(system: "jira", id: "OPS-1")]))
            }
            #expect(e2?.issues.first?.code == "taken")
            #expect(try await store.incidentCount() == 1)
        }
    }

    @Test(arguments: Backend.available)
    func filtersAndPages(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            for n in 1...7 {
                try await store.createIncident(IncidentInput(
                    title: "Incident \(n)", severity: n % 2 == 0 ? "SEV2" : "SEV4", status: n <= 3 ? .resolved : .open,
                    services: n % 3 == 0 ? ["ledger"] : ["checkout-api"], teams: n == 5 ? ["platform"] : ["payments"], detectionSource: "other"))
            }
            let page1 = try await store.incidents(IncidentFilter(perPage: 3))
            #expect(page1.items.map(\.key) == ["INC-7", "INC-6", "INC-5"])
            #expect(page1.total == 7 && page1.pageCount == 3)
            let page3 = try await store.incidents(IncidentFilter(page: 3, perPage: 3))
            #expect(page3.items.map(\.key) == ["INC-1"])
            #expect(try await store.incidents(IncidentFilter(status: .resolved)).items.map(\.key) == ["INC-3", "INC-2", "INC-1"])
            #expect(try await store.incidents(IncidentFilter(severity: "SEV2")).total == 3)
            #expect(try await store.incidents(IncidentFilter(service: "ledger")).items.map(\.key) == ["INC-6", "INC-3"])
            #expect(try await store.incidents(IncidentFilter(team: "platform")).items.map(\.key) == ["INC-5"])
            #expect(try await store.incidents(IncidentFilter(status: .open, service: "ledger")).items.map(\.key) == ["INC-6"])

            // Totals are kept for a few seconds, but a write here shows at
            // once: a new incident, and one that changes status or service.
            try await store.createIncident(IncidentInput(title: "Incident 8", severity: "SEV2", services: ["ledger"], detectionSource: "other"))
            #expect(try await store.incidents(IncidentFilter(perPage: 3)).total == 8)
            #expect(try await store.incidents(IncidentFilter(severity: "SEV2")).total == 4)
            try await store.updateIncident(number: 4, IncidentInput(status: .resolved, services: ["ledger"]))
            #expect(try await store.incidents(IncidentFilter(status: .resolved)).total == 4)
            #expect(try await store.incidents(IncidentFilter(service: "ledger")).total == 4)
        }
    }

    /// When a total expires, one request counts it again and the others
    /// are answered with the one just expired; a count begun before a write
    /// committed is not kept.
    @Test func expiredTotalsAreCountedByOneRequestAtATime() {
        let counts = IncidentCounts()
        let t0 = Date()
        var (total, generation) = counts.fresh("open", now: t0)
        #expect(total == nil)  // nothing counted yet: this caller counts
        counts.remember(40, for: "open", countedIn: generation, now: t0)
        #expect(counts.fresh("open", now: t0.addingTimeInterval(1)).total == 40)

        let later = t0.addingTimeInterval(IncidentCounts.freshFor + 1)
        (total, generation) = counts.fresh("open", now: later)
        #expect(total == nil)  // expired: this caller counts again…
        #expect(counts.fresh("open", now: later).total == 40)  // …the others get the last total
        counts.remember(41, for: "open", countedIn: generation, now: later)
        #expect(counts.fresh("open", now: later).total == 41)

        // A write commits while a count runs: that count is not kept.
        let again = later.addingTimeInterval(IncidentCounts.freshFor + 1)
        (total, generation) = counts.fresh("open", now: again)
        counts.forget()
        counts.remember(41, for: "open", countedIn: generation, now: again)
        #expect(counts.fresh("open", now: again).total == nil)
    }

    @Test(arguments: Backend.available)
    func concurrentCreatesGetDistinctKeys(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            try await withThrowingTaskGroup(of: String.self) { group in
                for n in 0..<8 {
                    group.addTask { try await store.createIncident(IncidentInput(title: "Race \(n)", severity: "SEV3", detectionSource: "other")).key }
                }
                var keys: [String] = []
                do { for try await k in group { keys.append(k) } } catch { Issue.record("\(String(reflecting: error))"); throw error }
                #expect(Set(keys).count == 8)
                #expect(Set(keys) == Set((1...8).map { "INC-\($0)" }))
            }
        }
    }

    @Test(arguments: Backend.available)
    func updateMergesAndKeepsRetiredSeverity(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let i = try await store.createIncident(IncidentInput(title: "Old", severity: "SEV4", detectionSource: "other"))
            var settings = try await store.settings()
            settings.severities = ["Critical", "Major", "Minor"]
            try await store.saveSettings(settings)
            let u = try await store.updateIncident(number: i.number, IncidentInput(title: "New title", status: .resolved), now: t("2026-05-01T00:00:00Z"))
            #expect(u.title == "New title" && u.severity == "SEV4")
            #expect(u.times.resolvedAt == t("2026-05-01T00:00:00Z"))
            #expect(u.times.mitigatedAt == u.times.resolvedAt)
            await #expect(throws: ValidationError.self) {
                try await store.updateIncident(number: i.number, IncidentInput(severity: "SEV1"))
            }
        }
    }
}
