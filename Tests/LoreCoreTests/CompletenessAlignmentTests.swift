import Foundation
import Testing
@testable import LoreCore

private let created = Date(timeIntervalSince1970: 1_772_000_000)
private let incidentID = UUID()

private func followUp(_ status: FollowUpStatus = .open, owner: String = "payments", service: String? = nil) -> FollowUp {
    FollowUp(incidentID: incidentID, title: "Harden retries", ownerTeam: owner, service: service, status: status, createdAt: created)
}

@Suite("Review completeness")
struct ReviewCompletenessTests {
    @Test func publishedRule() {
        for status in ReviewStatus.allCases where status != .published {
            let c = ReviewCompletenessCheck.evaluate(rule: .published, reviewStatus: status, followUps: [followUp()], focus: nil)
            #expect(c == Completeness(isComplete: false, reason: "Not published yet"))
        }
        // Open follow-ups do not matter under this rule.
        let c = ReviewCompletenessCheck.evaluate(rule: .published, reviewStatus: .published, followUps: [followUp(), followUp(.inProgress)], focus: nil)
        #expect(c == Completeness(isComplete: true, reason: "Complete: published"))
    }

    @Test func allFollowUpsClosedCountsNotNecessaryAndFoldedAsClosed() {
        let closed = [followUp(.done), followUp(.notNecessary), followUp(.foldedIntoPlan)]
        let open = [followUp(.open), followUp(.inProgress), followUp(.open), followUp(.inProgress)]
        let notYet = ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .published, followUps: closed + open, focus: nil)
        #expect(notYet == Completeness(isComplete: false, reason: "4 of 7 follow-ups still open"))

        let done = ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .held, followUps: closed, focus: nil)
        #expect(done == Completeness(isComplete: true, reason: "Complete: all 3 follow-ups closed"))

        // Not published does not matter under this rule.
        #expect(ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .draft, followUps: [followUp(.notNecessary)], focus: nil).isComplete)
        #expect(ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .held, followUps: [followUp()], focus: nil).reason == "1 of 1 follow-up still open")
    }

    @Test func noFollowUpsIsCompleteOnlyOnceHeld() {
        let draft = ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .draft, followUps: [], focus: nil)
        #expect(draft == Completeness(isComplete: false, reason: "No follow-ups recorded yet"))
        let held = ReviewCompletenessCheck.evaluate(rule: .allFollowUpsClosed, reviewStatus: .held, followUps: [], focus: nil)
        #expect(held == Completeness(isComplete: true, reason: "Complete: no follow-ups"))
    }

    @Test func focusClosedRule() {
        let focusItems = [followUp(.done), followUp(.foldedIntoPlan), followUp(.notNecessary), followUp(.open), followUp(.inProgress)]
        let others = [followUp(.open), followUp(.open)]
        let focus = Set(focusItems.map(\.id))

        let none = ReviewCompletenessCheck.evaluate(rule: .focusClosed, reviewStatus: .published, followUps: focusItems + others, focus: nil)
        #expect(none == Completeness(isComplete: false, reason: "No ballot has set a focus yet"))

        let partly = ReviewCompletenessCheck.evaluate(rule: .focusClosed, reviewStatus: .published, followUps: focusItems + others, focus: focus)
        #expect(partly == Completeness(isComplete: false, reason: "2 of 5 focus follow-ups still open"))

        // Others still open do not matter; not-necessary and folded count as closed.
        let closedFocus = focusItems.prefix(3)
        let done = ReviewCompletenessCheck.evaluate(rule: .focusClosed, reviewStatus: .held, followUps: Array(closedFocus) + others, focus: Set(closedFocus.map(\.id)))
        #expect(done == Completeness(isComplete: true, reason: "Complete: all 3 focus follow-ups closed"))

        // Focus ids of follow-ups no longer present are ignored.
        let gone = ReviewCompletenessCheck.evaluate(rule: .focusClosed, reviewStatus: .held, followUps: [followUp(.done)], focus: [UUID()])
        #expect(gone.isComplete)
    }

    @Test func rulesHaveLabelsAndStableRawValues() {
        #expect(CompletenessRule.allCases.map(\.rawValue) == ["published", "all_follow_ups_closed", "focus_closed"])
        #expect(CompletenessRule.allCases.allSatisfy { !$0.label.isEmpty })
    }
}

@Suite("Ownership alignment")
struct OwnershipAlignmentTests {
    let paged = ["product-search": ["platform"], "ledger": ["payments-sre"], "search": ["search-sre", "platform"], "checkout": ["payments"]]
    let teams = ["storefront": "Storefront", "platform": "Platform", "payments": "Payments", "payments-sre": "Payments SRE", "search-sre": "Search SRE"]
    let services = ["product-search": "Product search", "ledger": "Ledger", "search": "Search", "checkout": "Checkout"]

    func check(_ f: FollowUp, incidentServices: [String] = []) -> Alignment {
        OwnershipAlignment.check(followUp: f, incidentServices: incidentServices, pagedTeams: paged, teamNames: teams, serviceNames: services)
    }

    @Test func ownerPagedForTheServiceIsFine() {
        #expect(check(followUp(owner: "platform", service: "product-search")) == .aligned)
        #expect(check(followUp(owner: "platform", service: "search")) == .aligned)
        // The follow-up's own service wins over the incident's services.
        #expect(check(followUp(owner: "payments", service: "checkout"), incidentServices: ["ledger"]) == .aligned)
    }

    @Test func ownerNotPagedIsFlaggedWithAnExplanation() {
        let a = check(followUp(owner: "storefront", service: "product-search"))
        #expect(a == Alignment(isMisaligned: true, explanation: "Owned by Storefront, but Platform is paged for Product search."))
        let b = check(followUp(owner: "storefront", service: "search"))
        #expect(b.explanation == "Owned by Storefront, but Search SRE and Platform are paged for Search.")
        // Names fall back to slugs.
        let c = check(followUp(owner: "ghosts", service: "ledger"))
        #expect(c.explanation == "Owned by ghosts, but Payments SRE is paged for Ledger.")
    }

    @Test func withoutAServiceAnyOfTheIncidentServicesWillDo() {
        #expect(check(followUp(owner: "payments-sre"), incidentServices: ["ledger", "search"]) == .aligned)
        #expect(check(followUp(owner: "platform"), incidentServices: ["ledger", "search"]) == .aligned)
        let flagged = check(followUp(owner: "payments"), incidentServices: ["ledger", "search"])
        #expect(flagged == Alignment(isMisaligned: true, explanation: "Owned by Payments, which is not paged for any of this incident's services (Ledger, Search)."))
        let one = check(followUp(owner: "payments"), incidentServices: ["ledger"])
        #expect(one.explanation == "Owned by Payments, which is not paged for this incident's service, Ledger.")
    }

    @Test func unknownDataIsNotFlagged() {
        // A service with no paged team recorded.
        #expect(check(followUp(owner: "storefront", service: "billing")) == .aligned)
        #expect(OwnershipAlignment.check(followUp: followUp(owner: "storefront", service: "ledger"), incidentServices: [], pagedTeams: ["ledger": []], teamNames: [:], serviceNames: [:]) == .aligned)
        // No service and an incident without services.
        #expect(check(followUp(owner: "storefront")) == .aligned)
        // One of the incident's services has no paged team recorded: the owner might be paged for it.
        #expect(check(followUp(owner: "storefront"), incidentServices: ["ledger", "billing"]) == .aligned)
        // No owner team.
        #expect(check(followUp(owner: "", service: "ledger")) == .aligned)
    }
}
