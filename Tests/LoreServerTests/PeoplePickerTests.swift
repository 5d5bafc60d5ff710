import Foundation
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// Forms that choose people (a follow-up's owner, a review's facilitator,
/// participants and observers) stay small in a large organisation: they
/// list the teams involved and the people already chosen, and take anyone
/// else by handle or email.
/// The most names one field may type (`PeoplePicker.chosenLimit`).
enum PeoplePickerLimits { static let typed = 200 }

@Suite struct PeoplePickerTests {
    /// 120 people: three on the payments team, the rest on none.
    static func crowd(_ store: LoreStore) async throws -> [User] {
        var people: [User] = []
        for n in 0 ..< 120 {
            let u = try await store.createUser(UserInput(displayName: "Someone \(n)", email: "someone\(n)@example.com", role: .member))
            if n < 3 { try await store.setMembership(teamSlug: "payments", userID: u.id, role: .member) }
            people.append(u)
        }
        return people
    }

    static func createIncident(_ b: Browser) async throws {
        let created = try await b.post("/incidents", [
            ("title", "Checkout 502s"), ("severity", "SEV2"), ("status", "resolved"), ("detectionSource", "monitoring alert"), ("services", "checkout-api"), ("teams", "payments"),
            ("impactStartedAt", "2026-03-01T09:50"), ("resolvedAt", "2026-03-01T11:00"),
        ])
        #expect(created.status == .seeOther, "\(created.text.prefix(2000))")
    }

    @Test(arguments: Backend.available)
    func aLargeOrganisationsFormsListTheTeamInvolvedAndTakeAnyoneElseByHandleOrEmail(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let people = try await Self.crowd(store)
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            try await Self.createIncident(b)
            let incident = try #require(try await store.incident(key: "INC-1"))

            let page = try await b.get("/incidents/INC-1")
            #expect(page.text.contains(">Someone 2</option>"), "a payments member is listed")
            #expect(!page.text.contains(">Someone 57</option>"), "someone on no team involved is not listed")
            #expect(page.text.contains("name=\"ownerUserOther\""))

            // Anyone else, by handle (with its @) or by email in any case.
            let byHandle = try await b.post("/incidents/INC-1/follow-ups", [("title", "Alert on pool saturation"), ("ownerTeam", "payments"), ("ownerUserId", ""), ("ownerUserOther", "@someone57")])
            #expect(byHandle.status == .seeOther)
            let byEmail = try await b.post("/incidents/INC-1/follow-ups", [("title", "Runbook for the pool"), ("ownerTeam", "payments"), ("ownerUserOther", "SomeOne58@Example.com")])
            #expect(byEmail.status == .seeOther)
            let owners = try await store.followUps(incidentID: incident.id).reduce(into: [String: UUID?]()) { $0[$1.title] = $1.ownerUserID }
            #expect(owners["Alert on pool saturation"] == people[57].id)
            #expect(owners["Runbook for the pool"] == people[58].id)

            // A name that is no one's says which, and saves nothing.
            let unknown = try await b.post("/incidents/INC-1/follow-ups", [("title", "Orphan"), ("ownerTeam", "payments"), ("ownerUserOther", "nobody-here")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("No one in Lore has the handle or email &quot;nobody-here&quot;."))
            #expect(unknown.text.contains("value=\"nobody-here\""), "what was typed is kept")
            let two = try await b.post("/incidents/INC-1/follow-ups", [("title", "Orphan"), ("ownerTeam", "payments"), ("ownerUserOther", "someone1, someone2")])
            #expect(two.status == .unprocessableContent)
            #expect(two.text.contains("Name one person"))
            #expect(try await store.followUps(incidentID: incident.id).count == 2)

            // A follow-up's own form lists its owner though they are on no team involved.
            let followUp = try #require(try await store.followUps(incidentID: incident.id).first { $0.title == "Alert on pool saturation" })
            let edit = try await b.get("/incidents/INC-1/follow-ups/\(followUp.id.uuidString)/edit")
            #expect(edit.text.contains("selected>Someone 57</option>"))
            #expect(!edit.text.contains(">Someone 90</option>"))

            // A review's participants and observers, typed.
            let review = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("teamsPresent", "1"), ("teams", "payments"), ("visibility", "organisation"), ("status", "draft"),
                ("facilitatorId", f.admin.id.uuidString), ("participantsPresent", "1"), ("participantIds", f.admin.id.uuidString),
                ("participantsOther", "someone60, @someone61"), ("observersOther", "someone62@example.com"), ("summary", "Pool exhaustion."),
            ])
            #expect(review.status == .seeOther, "\(review.text.prefix(300))")
            let saved = try #require(try await store.reviewsForOperator(incidentID: incident.id).first)
            let roles = Dictionary(uniqueKeysWithValues: saved.participants.map { ($0.userID, $0.role) })
            #expect(roles[people[60].id] == .participant)
            #expect(roles[people[61].id] == .participant)
            #expect(roles[people[62].id] == .observer)
            let form = try await b.get(try #require(review.location) + "/edit")
            #expect(form.text.contains("value=\"\(people[61].id.uuidString)\" checked> Someone 61"))
            #expect(!form.text.contains("Someone 90"))
            #expect(form.text.contains("name=\"participantsOther\""))

            let wrong = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("teamsPresent", "1"), ("teams", "payments"), ("participantsPresent", "1"),
                ("participantIds", f.admin.id.uuidString), ("participantsOther", "someone63, no-such-person"),
            ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("No one in Lore has the handle or email &quot;no-such-person&quot;."))
            #expect(try await store.reviewsForOperator(incidentID: incident.id).count == 1)

            // A facilitator typed; several unknown names all said; too many
            // names, or thousands of ids, refused with the form, not a 500.
            let typedFacilitator = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("teamsPresent", "1"), ("teams", "payments"), ("participantsPresent", "1"),
                ("facilitatorId", f.admin.id.uuidString), ("facilitatorOther", "@someone70"), ("participantIds", f.admin.id.uuidString),
            ])
            #expect(typedFacilitator.status == .seeOther)
            #expect(try await store.reviewsForOperator(incidentID: incident.id).contains { $0.facilitatorID == people[70].id })
            let several = try await b.post("/incidents/INC-1/reviews", [
                ("level", "team"), ("participantsPresent", "1"), ("participantsOther", "ghost-1 someone71 ghost-2"),
            ])
            #expect(several.text.contains("&quot;ghost-1&quot;, &quot;ghost-2&quot;"))
            let crowd = (0 ... PeoplePickerLimits.typed).map { "ghost\($0)" }.joined(separator: ",")
            let tooMany = try await b.post("/incidents/INC-1/reviews", [("level", "team"), ("participantsPresent", "1"), ("participantsOther", crowd)])
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.text.contains("Name at most"))
            var flood: [(String, String)] = [("level", "nonsense"), ("participantsPresent", "1")]
            for _ in 0 ..< 3_000 { flood.append(("participantIds", UUID().uuidString)) }
            #expect(try await b.post("/incidents/INC-1/reviews", flood).status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.available)
    func aSmallOrganisationsFormsListEveryone(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            _ = try await store.createUser(UserInput(displayName: "Nina Nowhere", email: "nina@example.com", role: .member))
            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            try await Self.createIncident(b)
            let page = try await b.get("/incidents/INC-1")
            #expect(page.text.contains(">Nina Nowhere</option>"), "on no team, yet listed")
            #expect(!page.text.contains("ownerUserOther"))
            let form = try await b.get("/incidents/INC-1/reviews/new")
            #expect(form.text.contains("> Nina Nowhere</label>"))
            #expect(!form.text.contains("participantsOther"))
        }
    }
}
