import Foundation
import LoreCore
import Testing

@Suite("Seen before: which earlier incidents are related, and why")
struct RelatedIncidentsTests {
    static func facts(_ n: Int, _ title: String, impact: String = "", services: [String] = [], labels: [String] = [], source: String = "monitoring alert", day: Int) -> RelatedIncidents.Facts {
        RelatedIncidents.Facts(id: UUID(), number: n, title: title, customerImpact: impact, services: services, labels: labels, detectionSource: source,
                               happenedAt: Date(timeIntervalSince1970: Double(day) * 86_400))
    }

    @Test func reasonsAreSaidInWordsAndTheStrongestComesFirst() {
        let now = Self.facts(10, "Checkout connection pool exhausted after deploy", services: ["checkout-api"], labels: ["database"], source: "customer support", day: 100)
        let sameServiceAndWords = Self.facts(3, "Connection pool exhausted on orders-db", services: ["checkout-api"], source: "customer support", day: 40)
        let wordsOnly = Self.facts(4, "Search connection pool exhausted", services: ["search"], day: 60)
        let serviceOnly = Self.facts(5, "TLS certificate expired", services: ["checkout-api"], day: 90)
        let oneCommonWord = Self.facts(6, "Deploy stuck", services: ["billing"], day: 95)
        let sourceOnly = Self.facts(7, "Login page blank", source: "customer support", day: 96)
        let later = Self.facts(11, "Checkout connection pool exhausted again", services: ["checkout-api"], day: 120)
        let label = Self.facts(8, "Replica lag", labels: ["Database"], day: 20)

        let related = RelatedIncidents.rank(now, among: [wordsOnly, serviceOnly, oneCommonWord, sourceOnly, later, label, sameServiceAndWords, now])
        #expect(related.map(\.number) == [3, 5, 4, 8])
        #expect(related[0].reason(serviceName: { $0 == "checkout-api" ? "Checkout API" : $0 })
                == "same service: Checkout API · both mention connection pool exhausted · also detected by customer support")
        #expect(related[1].reason() == "same service: checkout-api")
        #expect(related[2].reason() == "both mention connection pool exhausted")
        #expect(related[3].reason() == "same label: Database")
        #expect(RelatedIncidents.rank(now, among: [sameServiceAndWords], limit: 0).isEmpty)
    }

    @Test func distinctiveWordsSkipWhatEveryTitleSays() {
        #expect(RelatedIncidents.distinctiveWords("Elevated 503 errors on edge-03 during the incident") == ["503", "edge", "03"])
        #expect(RelatedIncidents.distinctiveWords("Outage: service down") == [])
        // Separate shared words are listed; runs both use in order become a phrase.
        let now = Self.facts(2, "Kafka consumer lag on payments queue", day: 10)
        let before = Self.facts(1, "Queue backlog: payments consumer lag grew", day: 5)
        #expect(RelatedIncidents.rank(now, among: [before]).first?.sharedWords == ["consumer lag", "payments", "queue"])
    }

    @Test func theSameMomentOrLaterIsNotSeenBefore() {
        let now = Self.facts(2, "Ledger writes failing", services: ["ledger"], day: 10)
        let sameTime = Self.facts(1, "Ledger writes failing", services: ["ledger"], day: 10)
        #expect(RelatedIncidents.rank(now, among: [sameTime]).isEmpty)
    }
}
