import Foundation
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

@Suite("Reviews through the web app and API")
struct ReviewPracticeWebTests {
    /// A manager (kept out of a review held without managers) and an outsider
    /// probe every URL of reviews they may not see: all of it is 404, and the
    /// lists and dashboard do not mention them.
    @Test(arguments: Backend.available)
    func hiddenReviewsAre404EverywhereForManagersAndOutsiders(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let payments = "payments"
            let ana = try await store.createUser(UserInput(displayName: "Ana", email: "ana@example.com", password: "ana password 123"))
            let manager = try await store.createUser(UserInput(displayName: "Maya", email: "maya@example.com", password: "maya password 123"))
            let outsider = try await store.createUser(UserInput(displayName: "Otto", email: "otto@example.com", password: "otto password 123"))
            try await store.setMembership(teamSlug: payments, userID: ana.id, role: .member)
            try await store.setMembership(teamSlug: payments, userID: manager.id, role: .manager)
            try await store.setMembership(teamSlug: "platform", userID: outsider.id, role: .member)
            let incident = try await store.createIncident(IncidentInput(title: "Checkout down", severity: "SEV1", status: .resolved, services: ["checkout-api"], teams: [payments], detectionSource: "other"))
            let anaV = try await store.viewer(for: ana)
            let team = try await store.createReview(incidentID: incident.id, ReviewInput(title: "Secret team talk", level: .team, teams: [payments], withoutManagers: true, participantIDs: [ana.id, f.member.id]), by: anaV)
            let pair = try await store.createReview(incidentID: incident.id, ReviewInput(title: "Pair chat", level: .pair, participantIDs: [ana.id]), by: anaV)
            let fu = try await store.createFollowUp(incidentID: incident.id, reviewID: team.id, FollowUpInput(title: "Hidden follow-up", ownerTeam: payments), by: anaV)
            let finding = try await store.addFinding(reviewID: pair.id, kind: .surprise, text: "private surprise", by: anaV)
            try await store.openBallot(reviewID: team.id, by: anaV)

            for person in [(manager, "maya@example.com", "maya password 123"), (outsider, "otto@example.com", "otto password 123")] {
                let b = Browser(client)
                try await b.signIn(person.1, person.2)
                for review in [team, pair] {
                    let base = "/incidents/\(incident.key)/reviews/\(review.id.uuidString)"
                    for path in [base, base + "/edit"] {
                        #expect(try await b.get(path).status == .notFound, "\(person.1) GET \(path)")
                    }
                    for (path, fields) in [(base, [("title", "x")]), (base + "/findings", [("kind", "surprise"), ("text", "x")]), (base + "/follow-ups", [("title", "x"), ("ownerTeam", payments)]),
                                           (base + "/ballot", []), (base + "/ballot/picks", [("pick1", fu.id.uuidString)]), (base + "/ballot/close", []), (base + "/parent", [("parentReviewId", "")])] {
                        #expect(try await b.post(path, fields).status == .notFound, "\(person.1) POST \(path)")
                    }
                }
                #expect(try await b.get("/incidents/\(incident.key)/follow-ups/\(fu.id.uuidString)/edit").status == .notFound)
                let incidentPage = try await b.get("/incidents/\(incident.key)").text
                #expect(!incidentPage.contains("Secret team talk") && !incidentPage.contains("Pair chat") && !incidentPage.contains("Hidden follow-up"))
                let dashboard = try await b.get("/dashboard").text
                #expect(!dashboard.contains("Secret team talk") && !dashboard.contains("Hidden follow-up"))

                let (token, _) = try await store.createAPIToken(userID: person.0.id, name: "probe")
                let api = APIClient(client: client, token: token)
                for review in [team, pair] {
                    let id = review.id.uuidString
                    #expect(try await api.call(.get, "/reviews/\(id)").status == .notFound)
                    #expect(try await api.call(.patch, "/reviews/\(id)", json: ["title": "x"]).status == .notFound)
                    #expect(try await api.call(.get, "/reviews/\(id)/findings").status == .notFound)
                    #expect(try await api.call(.post, "/reviews/\(id)/findings", json: ["kind": "surprise", "text": "x"]).status == .notFound)
                    #expect(try await api.call(.get, "/reviews/\(id)/ballot").status == .notFound)
                    #expect(try await api.call(.post, "/reviews/\(id)/ballot").status == .notFound)
                    #expect(try await api.call(.put, "/reviews/\(id)/ballot/picks", json: ["picks": [fu.id.uuidString]]).status == .notFound)
                    #expect(try await api.call(.post, "/reviews/\(id)/ballot/close").status == .notFound)
                    #expect(try await api.call(.put, "/reviews/\(id)/parent", json: ["parentReviewId": NSNull()]).status == .notFound)
                }
                #expect(try await api.call(.get, "/follow-ups/\(fu.id.uuidString)").status == .notFound)
                #expect(try await api.call(.get, "/follow-ups/\(fu.id.uuidString)/history").status == .notFound)
                #expect(try await api.call(.post, "/findings/\(finding.id.uuidString)/promote").status == .notFound)
                #expect(try await api.call(.get, "/incidents/\(incident.key)/reviews").json["items"] as? [Any] != nil)
                #expect((try await api.call(.get, "/incidents/\(incident.key)/reviews").json["items"] as? [Any])?.isEmpty == true)
                #expect((try await api.call(.get, "/incidents/\(incident.key)/follow-ups").json["items"] as? [Any])?.isEmpty == true)
            }

            // Every one of those forbidden writes changed nothing.
            let reviewsNow = try await store.reviewsForOperator(incidentID: incident.id)
            #expect(reviewsNow.count == 2)
            #expect(Set(reviewsNow.map(\.title)) == ["Secret team talk", "Pair chat"])
            #expect(reviewsNow.allSatisfy { $0.parentReviewID == nil })
            #expect(try await store.findings(reviewID: pair.id, viewer: anaV).map(\.text) == ["private surprise"])
            #expect(try await store.findings(reviewID: team.id, viewer: anaV).isEmpty)
            #expect(try await store.followUps(reviewID: team.id).map(\.title) == ["Hidden follow-up"])
            #expect(try await store.followUps(reviewID: pair.id).isEmpty)
            let ballot = try #require(try await store.ballotForOperator(reviewID: team.id))
            #expect(ballot.status == .open && ballot.voters.isEmpty)
            #expect(try await store.ballotForOperator(reviewID: pair.id) == nil)

            // Once the team publishes, its manager sees it; the outsider still does not.
            try await store.updateReview(id: team.id, ReviewInput(status: .published), by: anaV)
            let (mtoken, _) = try await store.createAPIToken(userID: manager.id, name: "m")
            #expect(try await APIClient(client: client, token: mtoken).call(.get, "/reviews/\(team.id.uuidString)").status == .ok)
            let (otoken, _) = try await store.createAPIToken(userID: outsider.id, name: "o")
            #expect(try await APIClient(client: client, token: otoken).call(.get, "/reviews/\(team.id.uuidString)").status == .notFound)
        }
    }

    /// Five participants vote at the same moment through the API; until the
    /// ballot closes, no page or route shows anyone else's picks or a tally.
    @Test(arguments: Backend.available)
    func fiveParticipantsVoteAtOnceAndTheBallotStaysSecretUntilClosed(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            var people: [User] = []
            for n in 1...5 {
                let u = try await store.createUser(UserInput(displayName: "Voter \(n)", email: "voter\(n)@example.com", password: "voter password \(n)0"))
                try await store.setMembership(teamSlug: "payments", userID: u.id, role: .member)
                people.append(u)
            }
            let facilitator = try await store.viewer(for: people[0])
            let incident = try await store.createIncident(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other"))
            let review = try await store.createReview(incidentID: incident.id, ReviewInput(level: .team, teams: ["payments"], participantIDs: people.map(\.id)), by: facilitator)
            var items: [UUID] = []
            for title in ["A", "B", "C", "D", "E", "F"] {
                items.append(try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: "Item \(title)", ownerTeam: "payments"), by: facilitator).id)
            }
            let frozen = items
            var tokens: [String] = []
            for u in people { tokens.append(try await store.createAPIToken(userID: u.id, name: "t").secret) }
            let api = tokens.map { APIClient(client: client, token: $0) }
            #expect(try await api[0].call(.post, "/reviews/\(review.id.uuidString)/ballot").status == .created)
            #expect(try await api[1].call(.post, "/reviews/\(review.id.uuidString)/ballot/close").status == .forbidden)

            let picks: [[UUID]] = [[frozen[0], frozen[1], frozen[2]], [frozen[1], frozen[0], frozen[3]], [frozen[0], frozen[2], frozen[1]], [frozen[4], frozen[0], frozen[1]], [frozen[1], frozen[0]]]
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (i, p) in picks.enumerated() {
                    group.addTask { try await api[i].call(.put, "/reviews/\(review.id.uuidString)/ballot/picks", json: ["picks": p.map(\.uuidString)]).status }
                }
                for try await status in group { #expect(status == .ok) }
            }
            let tooMany = try await api[2].call(.put, "/reviews/\(review.id.uuidString)/ballot/picks", json: ["picks": frozen.prefix(4).map(\.uuidString)])
            #expect(tooMany.status == .unprocessableContent)
            #expect((tooMany.json["error"] as? [String: Any])?["field"] as? String == "picks")

            for (i, a) in api.enumerated() {
                let b = try await a.call(.get, "/reviews/\(review.id.uuidString)/ballot").json
                #expect(b["tally"] is NSNull && b["focus"] is NSNull)
                #expect(b["myPicks"] as? [String] == picks[i].map(\.uuidString))
                #expect((b["voterIds"] as? [String])?.count == 5)
                let r = try await a.call(.get, "/reviews/\(review.id.uuidString)").json
                #expect(r["tally"] == nil && r["picks"] == nil)
            }
            let facilitatorPage = Browser(client)
            try await facilitatorPage.signIn("voter1@example.com", "voter password 10")
            let html = try await facilitatorPage.get("/incidents/\(incident.key)/reviews/\(review.id.uuidString)").text
            #expect(html.contains("5 of 5 have voted"))
            #expect(!html.contains("Points") && !html.contains("focus-row"))

            let closed = try await api[0].call(.post, "/reviews/\(review.id.uuidString)/ballot/close").json
            let tally = try #require(closed["tally"] as? [[String: Any]])
            // A: 3+2+3+2+2 = 12, B: 2+3+1+1+3 = 10, C: 1+2 = 3, E: 3, D: 1, F: 0
            #expect(tally.map { $0["title"] as? String } == ["Item A", "Item B", "Item E", "Item C", "Item D", "Item F"])
            #expect(tally.map { $0["points"] as? Int } == [12, 10, 3, 3, 1, 0])
            #expect((closed["focus"] as? [String])?.count == 5)
            let after = try await facilitatorPage.get("/incidents/\(incident.key)/reviews/\(review.id.uuidString)").text
            #expect(after.contains("Points") && after.contains("focus-row"))
            #expect(try await api[3].call(.put, "/reviews/\(review.id.uuidString)/ballot/picks", json: ["picks": [frozen[5].uuidString]]).status == .unprocessableContent)
        }
    }

    /// Statuses that need a reason or a plan say so, in the form and the API,
    /// and nothing is changed.
    @Test(arguments: Backend.available) func honestStatusesNeedTheirReason(backend: Backend) async throws {
        try await withApp(backend) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.admin.id, name: "t")
            let api = APIClient(client: client, token: token)
            _ = try await api.call(.post, "/incidents", json: ["title": "x", "severity": "SEV3", "detectionSource": "other", "services": ["ledger"]])
            let fu = try await api.call(.post, "/incidents/INC-1/follow-ups", json: ["title": "Runbook", "ownerTeam": "payments"])
            let id = try #require(fu.json["id"] as? String)
            #expect(fu.json["misaligned"] as? Bool == true)  // Payments is not paged for Ledger (Platform is)
            #expect((fu.json["alignment"] as? String)?.contains("Ledger") == true)
            let noReason = try await api.call(.patch, "/follow-ups/\(id)", json: ["status": "not_necessary"])
            #expect(noReason.status == .unprocessableContent)
            #expect((noReason.json["error"] as? [String: Any])?["field"] as? String == "reason")
            let ok = try await api.call(.patch, "/follow-ups/\(id)", json: ["status": "not_necessary", "reason": "Covered by the new platform runbook"])
            #expect(ok.json["decisionReason"] as? String == "Covered by the new platform runbook")
            let history = try await api.call(.get, "/follow-ups/\(id)/history").json["items"] as? [[String: Any]]
            #expect(history?.map { $0["to"] as? String } == ["open", "not_necessary"])

            let b = Browser(client)
            try await b.signIn("ada@example.com", "correct horse battery")
            let form = try await b.post("/incidents/INC-1/follow-ups/\(id)", [("title", "Runbook"), ("ownerTeam", "payments"), ("status", "folded_into_plan"), ("plan", "")])
            #expect(form.status == .unprocessableContent)
            #expect(form.text.contains("Name the plan"))
            let page = try await b.get("/incidents/INC-1/follow-ups/\(id)/edit").text
            #expect(page.contains("Covered by the new platform runbook"))
            #expect(try await b.get("/incidents/INC-1").text.contains("owner not paged"))
        }
    }
}
