import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// The dashboard's sections are counted and paged in the database; these
/// tests hold them to the rules in LoreCore (`ReviewSchedule.build`,
/// `OwnershipAlignment.check`) applied in Swift to everything the viewer may
/// see, on a varied organisation and for viewers who see different reviews.
@Suite struct DashboardStoreTests {
    /// A deterministic spread: windows open, closed within the period, closed
    /// before it, still running; reviews held in time, late, not yet, in the
    /// future; visible to everyone, to the team, to the participants only.
    static func organisation(_ store: LoreStore, _ c: Cast, now: Date) async throws {
        _ = try await store.createService(ServiceInput(name: "Search", slug: "search"))  // no team paged: never flagged
        let admin = try await store.viewer(for: c.f.admin)
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let serviceSets: [[String]] = [["checkout-api"], ["ledger"], ["checkout-api", "ledger"], ["search"], ["ledger", "search"], []]
        for n in 0 ..< 60 {
            // Window starts from 120 days ago to now, a few minutes apart so
            // that no two close at the same moment; some never started.
            let start = now.addingTimeInterval(-Double(n) * 2 * 86400 - Double(next(3600)))
            let running = next(10) == 0, resolved = !running && next(2) == 0
            let services = serviceSets[next(serviceSets.count)]
            let incident = try await store.createIncident(IncidentInput(
                title: "Incident \(n)", severity: "SEV2", status: running ? .open : resolved ? .resolved : .mitigated, services: services, teams: ["payments"],
                detectionSource: "monitoring alert", detectedAt: .some(start.addingTimeInterval(-3600)),
                mitigatedAt: .some(running ? nil : start.addingTimeInterval(resolved ? -600 : 0)), resolvedAt: .some(resolved ? start : nil)
            ), now: start)
            for r in 0 ..< next(3) {
                let visibility: ReviewVisibility = [.organisation, .team, .participants][next(3)]
                let participants = [c.ana.id, c.ben.id, c.f.admin.id].filter { _ in next(2) == 0 } + [c.f.admin.id]
                let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                    title: "Review \(n).\(r)", level: .team, visibility: visibility, teams: ["payments"], withoutManagers: next(4) == 0,
                    participantIDs: Array(Set(participants)), sections: [.summary: "What we saw."]
                ), by: admin, now: start.addingTimeInterval(Double(r)))
                let choices: [TimeInterval] = [-1, 3600, 2 * 86400, 4 * 86400, 200 * 86400]
                let heldAfter = choices[next(5)]
                if heldAfter >= 0 {
                    _ = try await store.updateReview(id: review.id, ReviewInput(status: .held, meetingAt: .some(start.addingTimeInterval(heldAfter))), by: admin, now: start.addingTimeInterval(heldAfter))
                }
                for k in 0 ..< next(5) {
                    let team = ["payments", "platform"][next(2)]
                    let service = ([nil] + ["checkout-api", "ledger", "search"].map(Optional.some))[next(4)]
                    let f = try await store.createFollowUp(incidentID: incident.id, reviewID: next(3) == 0 ? nil : review.id,
                                                           FollowUpInput(title: "Follow-up \(n).\(r).\(k)", ownerTeam: team, service: service), by: admin, now: start.addingTimeInterval(Double(k)))
                    if next(4) == 0 { _ = try await store.updateFollowUp(id: f.id, FollowUpInput(status: .done), by: admin, now: start.addingTimeInterval(60)) }
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func sectionsMatchTheRulesOverEverythingTheViewerMaySee(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let c = try await Cast.make(store)
            let now = Date()
            try await Self.organisation(store, c, now: now)
            let everyIncident = try await store.incidents(IncidentFilter(perPage: 1000)).items
            let paged = try await store.pagedTeams()
            for user in [c.f.admin, c.ana, c.manager, c.outsider] {
                let viewer = try await store.viewer(for: user)
                let reviews = try await store.allReviews(viewer: viewer)
                let expected = ReviewSchedule.build(incidents: everyIncident, reviews: reviews, windowHours: 72, now: now)
                let found = try await store.reviewSchedule(viewer: viewer, windowHours: 72, now: now, limit: 5)
                #expect(found.keeping == expected.keeping, "\(user.displayName)")
                #expect(found.openTotal == expected.open.count, "\(user.displayName)")
                #expect(found.missedTotal == expected.missed.count, "\(user.displayName)")
                #expect(found.open.map(\.incident.id) == expected.open.prefix(5).map(\.incident.id), "\(user.displayName)")
                #expect(found.missed.map(\.incident.id) == expected.missed.prefix(5).map(\.incident.id), "\(user.displayName)")
                #expect(found.missed.map(\.heldAt) == expected.missed.prefix(5).map(\.heldAt), "\(user.displayName)")
                #expect(found.open.map { $0.reviews.map(\.id) } == expected.open.prefix(5).map { $0.reviews.map(\.id) }, "\(user.displayName)")

                var misaligned: [FollowUp] = []
                for incident in everyIncident {
                    for f in try await store.followUps(incidentID: incident.id, viewer: viewer) where !f.status.isClosed {
                        if OwnershipAlignment.check(followUp: f, incidentServices: incident.services, pagedTeams: paged, teamNames: [:], serviceNames: [:]).isMisaligned {
                            misaligned.append(f)
                        }
                    }
                }
                let newest = misaligned.sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
                let page = try await store.misalignedFollowUps(viewer: viewer, limit: 7)
                #expect(page.total == misaligned.count, "\(user.displayName)")
                #expect(page.items.map(\.followUp.id) == newest.prefix(7).map(\.id), "\(user.displayName)")
                if user.id == c.f.admin.id { #expect(misaligned.count > 7 && expected.missed.count > 5, "the organisation exercises paging: \(misaligned.count), \(expected.missed.count)") }
            }
        }
    }
}
