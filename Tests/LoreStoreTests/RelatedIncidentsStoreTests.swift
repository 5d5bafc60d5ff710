import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

@Suite("Seen before, from the store")
struct RelatedIncidentsStoreTests {
    /// Earlier incidents come by service, by title words and by label (through
    /// the search index on each database), never later ones, and edits reach
    /// the answer at once.
    @Test(arguments: Backend.available)
    func earlierIncidentsBySharedServiceWordsAndLabels(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            func incident(_ title: String, services: [String] = [], labels: [String] = [], source: String = "monitoring alert", day: Int) async throws -> Incident {
                let at = t("2026-01-01T00:00:00Z").addingTimeInterval(Double(day) * 86_400)
                return try await store.createIncident(IncidentInput(
                    title: title, severity: "SEV2", status: .resolved, services: services, detectionSource: source,
                    detectedAt: .some(at), resolvedAt: .some(at.addingTimeInterval(3600)), labels: labels), now: at.addingTimeInterval(7200))
            }
            let byService = try await incident("TLS certificate expired", services: ["checkout-api"], day: 1)
            let byWords = try await incident("Connection pool exhausted on orders-db", services: ["ledger"], day: 2)
            let byLabel = try await incident("Replica lag", labels: ["db-failover"], day: 3)
            _ = try await incident("Login page blank", source: "customer support", day: 4)
            let now = try await incident("Checkout connection pool exhausted after deploy", services: ["checkout-api"], labels: ["db-failover"], day: 10)
            let later = try await incident("Checkout connection pool exhausted again", services: ["checkout-api"], day: 20)

            let related = try await store.relatedIncidents(to: now)
            // Words and the service weigh the same here; the more recent comes first.
            #expect(related.map(\.number) == [byWords.number, byService.number, byLabel.number])
            #expect(related.first { $0.id == byWords.id }?.sharedWords == ["connection pool exhausted"])
            #expect(related.first { $0.id == byLabel.id }?.sharedLabels == ["db-failover"])
            #expect(!related.contains { $0.id == later.id })
            // The later one sees all of them, the closest first.
            #expect(try await store.relatedIncidents(to: later).first?.id == now.id)

            // A new service on an old incident is seen at once.
            try await store.updateIncident(number: byWords.number, IncidentInput(services: ["ledger", "checkout-api"]))
            #expect(try await store.relatedIncidents(to: now).first?.id == byWords.id)
            // Where PostgreSQL stops reading by key and goes to the text index
            // changes nothing (none, one, or every earlier incident by key).
            let expected = try await store.relatedIncidents(to: later).map(\.id)
            for keyScan in [0, 1, 2, 10_000] {
                #expect(try await store.relatedIncidents(to: later, limit: RelatedIncidents.shown, keyScan: keyScan).map(\.id) == expected, "keyScan \(keyScan)")
            }
            // An incident with nothing to match on finds nothing, without error.
            let bare = try await incident("Down", day: 30)
            #expect(try await store.relatedIncidents(to: bare).isEmpty)
        }
    }
}
