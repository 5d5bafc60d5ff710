import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

/// The customer-facing summary in the store: drafted, approved only by
/// someone who may read every review of the incident, back to draft when
/// edited, shared only once approved; and a customer-facing account that
/// sees nothing of the reviews anywhere the store answers.
@Suite struct CustomerSummaryStoreTests {
    struct World {
        var incident: Incident
        var followUp: FollowUp
        var author: User
        var outsider: User
        var support: User
        var hiddenReview: Review
    }

    /// An incident with a private review (participants only: the admin) and
    /// a planted phrase in it, a follow-up, a member outside the review and
    /// a customer-facing account.
    static func world(_ store: LoreStore) async throws -> World {
        let f = try await Fixture.make(store)
        let incident = try await store.createIncident(IncidentInput(
            title: "Card payments declined", severity: "SEV2", status: .resolved, services: ["checkout-api"], teams: ["payments"], detectionSource: "monitoring alert",
            impactStartedAt: .some(t("2026-03-01T14:02:00Z")), resolvedAt: .some(t("2026-03-01T14:47:00Z"))))
        let admin = try await store.viewer(for: f.admin)
        let review = try await store.createReview(incidentID: incident.id, ReviewInput(
            title: "Pair review", level: .pair, visibility: .participants, teams: ["payments"], status: .held, participantIDs: [f.admin.id],
            sections: [.summary: "The pager stayed silent: zephyr-quartz-77."]), by: admin)
        let followUp = try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: "Alert on decline rate over 5% for 2 min", ownerTeam: "payments"), by: admin)
        let support = try await store.createUser(UserInput(displayName: "Sam Support", email: "sam@example.com", role: .customerFacing, password: "a long support password"))
        return World(incident: incident, followUp: followUp, author: f.admin, outsider: f.member, support: support, hiddenReview: review)
    }

    static let text = CustomerSummaryInput(
        headline: "Some card payments failed on 1 March", whatCustomersSaw: "About one in five card payments was declined at checkout.", whoWasAffected: "Customers paying by card.",
        whatWeDid: "We undid a change and payments recovered.", whatWillChange: [], whatToTell: "No card was charged twice.")

    @Test(arguments: Backend.available) func approvedOnlyBySomeoneWhoMaySeeEveryReview(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let w = try await Self.world(store)
            var input = Self.text
            input.whatWillChange = [.init(followUpID: w.followUp.id, text: "We now get an alert within two minutes when payments start failing.")]
            let draft = try await store.saveCustomerSummary(incidentID: w.incident.id, input, by: w.author, now: t("2026-03-02T09:00:00Z"))
            #expect(draft.status == .draft && draft.whatWillChange.count == 1 && draft.updatedBy == "Ada Admin")

            // The member cannot read the private review: no approval, and the summary stays a draft.
            await #expect(throws: StoreError.self) { try await store.approveCustomerSummary(incidentID: w.incident.id, by: w.outsider) }
            await #expect(throws: StoreError.self) { try await store.approveCustomerSummary(incidentID: w.incident.id, by: w.support) }
            await #expect(throws: StoreError.self) { try await store.shareCustomerSummary(incidentID: w.incident.id, by: w.author) }
            #expect(try await store.sharedCustomerSummaries().isEmpty)

            let approved = try await store.approveCustomerSummary(incidentID: w.incident.id, by: w.author, now: t("2026-03-02T10:00:00Z"))
            #expect(approved.status == .approved && approved.approvedBy == "Ada Admin" && approved.approvedAt == t("2026-03-02T10:00:00Z"))
            #expect(try await store.sharedCustomerSummaries().map(\.summary.incidentID) == [w.incident.id])

            // Any edit returns it to draft: customers are told what someone approved, word for word.
            input.whatToTell = "No card was charged twice; refunds are not needed."
            let edited = try await store.saveCustomerSummary(incidentID: w.incident.id, input, by: w.author)
            #expect(edited.status == .draft && edited.approvedBy == nil)
            #expect(try await store.sharedCustomerSummaries().isEmpty)
            _ = try await store.approveCustomerSummary(incidentID: w.incident.id, by: w.author)
            let shared = try await store.shareCustomerSummary(incidentID: w.incident.id, by: w.author)
            #expect(shared.status == .shared && shared.sharedAt != nil)
            let actions = try await store.auditEvents(AuditFilter(), viewer: try await store.viewer(for: w.author)).map(\.action)
            #expect(actions.contains(.customerSummaryApproved) && actions.contains(.customerSummaryShared))
        }
    }

    /// Someone who cannot see a follow-up (its review is private) neither
    /// picks it nor, by saving, drops the change the author drew from it.
    @Test(arguments: Backend.available) func changesFromHiddenFollowUpsSurviveAnotherSave(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let w = try await Self.world(store)
            var input = Self.text
            input.whatWillChange = [.init(followUpID: w.followUp.id, text: "We are now alerted within two minutes.")]
            _ = try await store.saveCustomerSummary(incidentID: w.incident.id, input, by: w.author)
            var theirs = Self.text
            theirs.whatToTell = "Nobody was charged twice."
            let saved = try await store.saveCustomerSummary(incidentID: w.incident.id, theirs, by: w.outsider)
            #expect(saved.whatWillChange.map(\.text) == ["We are now alerted within two minutes."] && saved.whatToTell == "Nobody was charged twice.")
            theirs.whatWillChange = [.init(followUpID: w.followUp.id, text: "Picked without seeing it")]
            let again = try await store.saveCustomerSummary(incidentID: w.incident.id, theirs, by: w.outsider)
            #expect(again.whatWillChange.map(\.text) == ["We are now alerted within two minutes."])
        }
    }

    @Test(arguments: Backend.available) func badInputIsRefusedWholeAndNamed(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let w = try await Self.world(store)
            var input = Self.text
            input.whatWeDid = String(repeating: "x", count: CustomerSummaryInput.maxSection + 1)
            input.whatWillChange = [.init(followUpID: UUID(), text: "Not this incident's"), .init(followUpID: w.followUp.id, text: " ")]
            do {
                _ = try await store.saveCustomerSummary(incidentID: w.incident.id, input, by: w.author)
                Issue.record("saved")
            } catch let e as ValidationError {
                #expect(Set(e.issues.map(\.field)) == ["whatWeDid", "whatWillChange[0].followUpId", "whatWillChange[1].text"])
            }
            #expect(try await store.customerSummary(incidentID: w.incident.id) == nil)
            await #expect(throws: StoreError.self) { try await store.saveCustomerSummary(incidentID: w.incident.id, Self.text, by: w.support) }
        }
    }

    /// A customer-facing account sees nothing of the reviews: not the
    /// review, not a count, not a search hit of a planted phrase.
    @Test(arguments: Backend.available) func aCustomerFacingAccountSeesNoReview(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let w = try await Self.world(store)
            let admin = try await store.viewer(for: w.author)
            _ = try await store.createReview(incidentID: w.incident.id, ReviewInput(
                title: "Open review", level: .joint, visibility: .organisation, teams: ["payments"], status: .published,
                participantIDs: [w.author.id], sections: [.summary: "Open to the whole organisation: zephyr-quartz-78."]), by: admin)
            let support = try await store.viewer(for: w.support)
            #expect(support.readsSummariesOnly)
            #expect(try await store.reviews(incidentID: w.incident.id, viewer: support).isEmpty)
            #expect(try await store.allReviews(viewer: support).isEmpty)
            for phrase in ["zephyr", "Card payments declined", "decline rate"] {
                let hits = try await store.search(SearchRequest(query: try SearchQuery.parse(phrase)), viewer: support)
                #expect(hits.hits.isEmpty && !hits.hasMore, "\(phrase)")
            }
            // The member sees the open review and not the private one.
            let member = try await store.viewer(for: w.outsider)
            #expect(try await store.reviews(incidentID: w.incident.id, viewer: member).map(\.title) == ["Open review"])
        }
    }

    @Test func theCardSaysWhenInTheReadersZoneAndEscapesMarkdown() throws {
        let incident = Incident(id: UUID(), number: 7, title: "Checkout *down* [again]", severity: "SEV2", status: .resolved, services: [], teams: [],
                                detectionSource: "other", times: IncidentTimes(impactStartedAt: t("2026-03-01T14:02:00Z"), resolvedAt: t("2026-03-01T14:47:00Z")),
                                customerImpact: "", labels: [], externalReferences: [], createdAt: Date(), updatedAt: Date())
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let window = try #require(CustomerSummary.impactWindow(incident, timeZone: berlin))
        #expect(window.hasPrefix("From 2026-03-01 15:02 ") && window.contains(" to 15:47 ") && window.hasSuffix("(45 min)"), "\(window)")
        let summary = CustomerSummary(incidentID: incident.id, headline: "Checkout *down* [again]", whatCustomersSaw: "Pages showed <b>errors</b> & _odd_ text", whoWasAffected: "", whatWeDid: "",
                                      whatWillChange: [.init(followUpID: nil, text: "An alert * within two minutes")], whatToTell: "", status: .approved,
                                      updatedAt: Date(), updatedBy: "Ada")
        let markdown = summary.markdown(incident: incident, timeZone: berlin)
        #expect(markdown.contains("## Checkout \\*down\\* \\[again\\]"))
        #expect(markdown.contains("\\_odd\\_") && markdown.contains("- An alert \\* within two minutes"))
        #expect(!markdown.contains("Who was affected"), "empty sections are left out")
        let plain = summary.plainText(incident: incident, timeZone: berlin)
        #expect(plain.contains("Pages showed <b>errors</b> & _odd_ text") && plain.contains(window))
        var lines = summary
        lines.whatCustomersSaw = "- not a list\n1. nor this\nkept\n\nnew paragraph"
        #expect(lines.markdown(incident: incident, timeZone: berlin).contains("\\- not a list\\\n1\\. nor this\\\nkept\n\nnew paragraph"))
    }
}
