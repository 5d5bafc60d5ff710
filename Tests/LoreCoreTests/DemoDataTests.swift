import Foundation
import Testing
@testable import LoreCore

@Suite("Demo data")
struct DemoDataTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600.123)  // 2026-01-01T00:00:00.123Z
    let data = DemoData.generate(now: DemoDataTests.now)

    @Test("Counts are within the stated ranges")
    func counts() {
        #expect(data.teams.count == 3)
        #expect(data.services.count == 6)
        #expect((8...12).contains(data.users.count))
        #expect((25...35).contains(data.incidents.count))
        for team in data.teams {
            #expect(data.users.contains { $0.teamSlug == team.slug && $0.teamRole == .manager }, "no manager in \(team.slug)")
        }
        #expect(data.services.contains { $0.owningTeam != $0.onCallTeam })
        for incident in data.incidents {
            #expect((4...12).contains(incident.timeline.count), "\(incident.title): \(incident.timeline.count) entries")
        }
        let severities = Dictionary(grouping: data.incidents, by: \.severity).mapValues(\.count)
        #expect(Set(severities.keys).isSubset(of: Set(OrganisationSettings.defaultSeverities)))
        #expect((severities["SEV3", default: 0] + severities["SEV4", default: 0]) * 2 > data.incidents.count)
        let statuses = Set(data.incidents.map(\.status))
        #expect(statuses == Set(IncidentStatus.allCases))
        #expect(data.incidents.filter { $0.status == .resolved }.count * 4 > data.incidents.count * 3)
    }

    @Test("Times are ordered, at millisecond precision and not in the future")
    func times() {
        let now = Self.now
        let earliest = now.addingTimeInterval(-200 * 86400)
        for incident in data.incidents {
            var v = Validator()
            incident.times.check(into: &v)
            #expect(v.issues.isEmpty, "\(incident.title): \(v.issues)")
            let all = IncidentTimes.order.compactMap { incident.times[keyPath: $0.keyPath] }
            for d in all {
                #expect(d <= now)
                #expect(d >= earliest)
                #expect(d == LoreTime.milliseconds(d))
            }
            switch incident.status {
            case .open:
                #expect(incident.times.mitigatedAt == nil && incident.times.resolvedAt == nil)
            case .mitigated:
                #expect(incident.times.mitigatedAt != nil && incident.times.resolvedAt == nil)
            case .resolved:
                #expect(incident.times.mitigatedAt != nil && incident.times.resolvedAt != nil)
            }
            #expect(OrganisationSettings.defaultDetectionSources.contains(incident.detectionSource))
            let occurred = incident.timeline.map(\.occurredAt)
            #expect(occurred == occurred.sorted(), "\(incident.title): timeline out of order")
            for e in incident.timeline {
                #expect(e.recordedAt >= e.occurredAt)
                #expect(e.recordedAt <= now && e.occurredAt <= now)
                #expect(e.occurredAt == LoreTime.milliseconds(e.occurredAt))
            }
            for f in incident.followUps {
                #expect(f.createdAt <= now)
                if let c = f.closedAt { #expect(c <= now && c >= f.createdAt) }
                #expect(f.status.isClosed == (f.closedAt != nil))
                #expect((f.status == .notNecessary) == (f.reason != nil))
                #expect((f.status == .foldedIntoPlan) == (f.plan != nil))
            }
        }
        let window = OrganisationSettings.default.reviewWindow
        let recalled = data.incidents.flatMap { i in
            i.timeline.filter { e in i.times.resolvedAt.map { e.recordedAt.timeIntervalSince($0) > window } ?? false }
        }
        #expect(!recalled.isEmpty)
        #expect(data.incidents.contains { $0.timeline.contains { $0.reflection != nil } })
        #expect(data.incidents.contains { $0.timeline.contains { $0.marker != nil } })
    }

    @Test("Every reference points at something in the dataset")
    func references() {
        let teams = Set(data.teams.map(\.slug))
        let services = Set(data.services.map(\.slug))
        let handles = Set(data.users.map(\.handle))
        #expect(teams.count == data.teams.count && services.count == data.services.count && handles.count == data.users.count)
        for s in data.services {
            #expect(s.owningTeam.map(teams.contains) == true)
            #expect(s.onCallTeam.map(teams.contains) == true)
        }
        for u in data.users {
            #expect(teams.contains(u.teamSlug))
            #expect(Slug.isValid(u.handle))
        }
        for i in data.incidents {
            #expect(!i.services.isEmpty && i.services.allSatisfy(services.contains), "\(i.services)")
            #expect(!i.teams.isEmpty && i.teams.allSatisfy(teams.contains), "\(i.teams)")
            for e in i.timeline { #expect(handles.contains(e.authorHandle), "\(e.authorHandle)") }
            if let r = i.review {
                #expect(handles.contains(r.facilitatorHandle))
                #expect(r.participantHandles.allSatisfy(handles.contains))
            }
            for f in i.followUps {
                #expect(teams.contains(f.ownerTeam))
                if let h = f.ownerHandle { #expect(handles.contains(h)) }
                if let s = f.service { #expect(services.contains(s)) }
            }
        }
    }

    @Test("Reviews and follow-ups appear in every status")
    func statuses() {
        let reviews = data.incidents.compactMap(\.review)
        #expect(Set(reviews.map(\.status)) == Set(ReviewStatus.allCases))
        for r in reviews where r.status == .scheduled { #expect(r.meetingAt != nil) }
        #expect(data.incidents.filter { $0.status == .resolved && $0.review != nil }.count * 2 > data.incidents.filter { $0.status == .resolved }.count)
        let followUps = data.incidents.flatMap(\.followUps)
        #expect(Set(followUps.map(\.status)) == Set(FollowUpStatus.allCases))
        #expect(followUps.contains { $0.trackerReference?.hasPrefix("https://") == true })
        #expect(followUps.contains { ($0.trackerReference?.contains("-") ?? false) && $0.trackerReference?.hasPrefix("https://") == false })
        let onCall = Dictionary(uniqueKeysWithValues: data.services.map { ($0.slug, $0.onCallTeam) })
        #expect(followUps.contains { f in f.service.map { onCall[$0] != f.ownerTeam } ?? false })
    }

    @Test("Review text avoids blame and counterfactual language")
    func blameAware() {
        let banned = ["human error", "should have", "failed to", "obviously", " just "]
        for i in data.incidents {
            for text in (i.review?.sections.values).map(Array.init) ?? [] {
                #expect(!text.isEmpty)
                for b in banned { #expect(!text.lowercased().contains(b), "\(b) in \(i.title)") }
            }
        }
        let published = data.incidents.compactMap(\.review).filter { $0.status == .published }
        #expect(published.allSatisfy { Set($0.sections.keys) == Set(ReviewSection.allCases) })
    }

    @Test("Same seed gives the same data; other seeds stay valid", arguments: [1, 7, 42, 2024, 99_999] as [UInt64])
    func deterministic(seed: UInt64) {
        let a = DemoData.generate(now: Self.now, seed: seed)
        let b = DemoData.generate(now: Self.now, seed: seed)
        #expect(a == b)
        #expect(a.teams.map(\.id) == b.teams.map(\.id))
        if seed != 42 { #expect(a != data) }
        let reviews = a.incidents.compactMap(\.review)
        #expect(Set(reviews.map(\.status)) == Set(ReviewStatus.allCases))
        #expect(Set(a.incidents.flatMap(\.followUps).map(\.status)) == Set(FollowUpStatus.allCases))
        for i in a.incidents {
            var v = Validator()
            i.times.check(into: &v)
            #expect(v.issues.isEmpty)
            #expect((4...12).contains(i.timeline.count))
            #expect(IncidentTimes.order.allSatisfy { (i.times[keyPath: $0.keyPath] ?? Self.now) <= Self.now })
        }
    }
}
