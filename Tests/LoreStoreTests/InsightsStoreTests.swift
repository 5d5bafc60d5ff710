import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

@Suite("Insights from the store")
struct InsightsStoreTests {
    /// Twelve customer-noticed incidents in Q1 took 2 h each to detect and
    /// twelve in Q2 took 20 min; monitoring noticed others at once. The
    /// store streams them into the report by when they happened (impact
    /// started, else detected, else recorded), counts incidents it cannot
    /// measure apart, and leaves out what falls outside the period.
    @Test(arguments: Backend.available)
    func theReportCountsEveryIncidentOfThePeriodOnceAndMeasuresWhatItCan(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            func incident(_ title: String, source: String, services: [String] = ["checkout-api"], started: Date?, detected: Date?, resolved: Date?) async throws {
                _ = try await store.createIncident(IncidentInput(
                    title: title, severity: "SEV2", status: resolved == nil ? .open : .resolved, services: services, detectionSource: source,
                    impactStartedAt: .some(started), detectedAt: .some(detected), resolvedAt: .some(resolved)
                ), now: detected ?? started ?? t("2026-02-01T00:00:00Z"))
            }
            for day in 1...12 {
                let start = t("2026-01-\(day < 10 ? "0" : "")\(day)T08:00:00Z")
                try await incident("Q1 \(day)", source: "customer support", started: start, detected: start.addingTimeInterval(7200), resolved: start.addingTimeInterval(10_800))
                let later = t("2026-04-\(day < 10 ? "0" : "")\(day)T08:00:00Z")
                try await incident("Q2 \(day)", source: "customer support", services: ["checkout-api", "ledger"], started: later, detected: later.addingTimeInterval(1200), resolved: later.addingTimeInterval(3600))
            }
            try await incident("Paged at once", source: "monitoring alert", services: [], started: t("2026-02-10T10:00:00Z"), detected: t("2026-02-10T10:00:00Z"), resolved: nil)
            try await incident("No start known", source: "monitoring alert", started: nil, detected: t("2026-05-01T10:00:00Z"), resolved: t("2026-05-01T11:00:00Z"))
            try await incident("Last year", source: "customer support", started: t("2025-12-31T23:00:00Z"), detected: t("2026-01-01T01:00:00Z"), resolved: t("2026-01-01T02:00:00Z"))

            let period = try InsightsPeriod(since: t("2026-01-01T00:00:00Z"), until: t("2026-07-01T00:00:00Z"), split: .quarter, asOf: t("2026-07-02T00:00:00Z"))
            let report = try await store.insights(InsightsOptions(period: period, groupOrder: OrganisationSettings.defaultDetectionSources))
            #expect(report.buckets.map(\.incidentCount) == [13, 13])  // "Last year" started in 2025
            #expect(report.groups.map(\.label) == ["monitoring alert", "customer support"])
            let q1 = report.buckets[0], q2 = report.buckets[1]
            let customers = InsightsGroup(.detectionSource, "customer support")
            #expect(q1.group(customers)?.measures.toDetect.distribution.median == 7200)
            #expect(q2.group(customers)?.measures.toDetect.distribution.median == 1200)
            #expect(q1.all.toResolve.stillOpen == 1)  // "Paged at once" is still open
            #expect(q2.all.toDetect.excluded == [.startNotRecorded: 1])
            #expect(q1.detection == DetectionShares(monitoring: 1, customers: 12, other: 0))

            let change = report.changes(.toDetect, earlier: 0, later: 1).first { $0.group == customers }
            guard case .shorter(let interval) = change?.verdict else {
                Issue.record("a drop from 2 h to 20 min in twelve incidents each is a change: \(String(describing: change?.sentence))")
                return
            }
            #expect(interval.upper < 0)
            #expect(report.whole.longest.toResolve.first?.title == "Q1 1")

            // By service: an incident counts once in each of its services.
            let bySevice = try await store.insights(InsightsOptions(period: period, grouping: .service))
            #expect(bySevice.whole.group(InsightsGroup(.service, "ledger"))?.incidentCount == 12)
            #expect(bySevice.whole.group(InsightsGroup(.service, "checkout-api"))?.incidentCount == 25)
            #expect(bySevice.whole.group(InsightsGroup(.service, nil))?.incidentCount == 1)
            #expect(bySevice.whole.incidentCount == 26)

            // The incident list's filters apply.
            let ledgerOnly = try await store.insights(InsightsOptions(period: period), filter: InsightsFilter(service: "ledger"))
            #expect(ledgerOnly.whole.incidentCount == 12)
            let openOnly = try await store.insights(InsightsOptions(period: period), filter: InsightsFilter(status: .open))
            #expect(openOnly.whole.incidentCount == 1)
        }
    }
}
