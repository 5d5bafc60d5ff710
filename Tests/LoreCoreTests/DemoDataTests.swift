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
        let featured = data.incidents.filter { !$0.isHistory }
        #expect((25...35).contains(featured.count))
        #expect((300...450).contains(data.incidents.count))
        for team in data.teams {
            #expect(data.users.contains { $0.teamSlug == team.slug && $0.teamRole == .manager }, "no manager in \(team.slug)")
        }
        #expect(data.services.contains { $0.owningTeam != $0.onCallTeam })
        for incident in data.incidents {
            let entries = incident.isHistory ? 2...4 : 4...12
            #expect(entries.contains(incident.timeline.count), "\(incident.title): \(incident.timeline.count) entries")
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
        for incident in data.incidents {
            // Featured incidents cover six months, the history two years.
            let earliest = now.addingTimeInterval(-(incident.isHistory ? 731 : 200) * 86400)
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

    @Test("Two years of history tell a story Insights can find")
    func story() throws {
        let now = Self.now
        let change = DemoData.escalationChange(now: now)
        let history = data.incidents.filter(\.isHistory)
        #expect(history.count > 250)
        // Oldest first, so incident numbers follow time; about two years.
        let starts = data.incidents.map { $0.times.impactStartedAt ?? $0.times.detectedAt! }
        #expect(starts == starts.sorted())
        #expect(now.timeIntervalSince(starts[0]) > 700 * 86400)
        // A few recent ones are still being worked on, and some never had
        // their start of impact recorded ("not measured").
        #expect(history.contains { $0.status == .open } && history.contains { $0.status == .mitigated })
        #expect(history.filter { $0.times.impactStartedAt == nil }.count >= 5)

        // Customer-noticed incidents reach an engineer in under half the time
        // after the support escalation change: about 2–3 h before, 40 min after.
        func toDetect(_ range: Range<Date>, _ sources: Set<String>) -> DurationDistribution {
            DurationDistribution(data.incidents.compactMap { i in
                guard let s = i.times.impactStartedAt, range.contains(s), sources.contains(i.detectionSource) else { return nil }
                return i.times.durations.toDetect
            })
        }
        let customers: Set<String> = ["customer support", "call centre"]
        let before = toDetect(change.addingTimeInterval(-365 * 86400) ..< change, customers), after = toDetect(change ..< now, customers)
        #expect(before.count >= 40 && after.count >= 20)
        let (b, a) = (try #require(before.median), try #require(after.median))
        #expect(a * 2 < b, "\(LoreTime.duration(b)) → \(LoreTime.duration(a))")
        #expect((90 * 60 ... 4 * 3600).contains(b) && (20 * 60 ... 70 * 60).contains(a))

        // Insights over the two years by quarter says so, and says it cannot
        // tell for monitoring, which did not change.
        let end = InsightsPeriod.floor(InsightsPeriod.monthIndex(now), to: 3) + 3
        let period = try InsightsPeriod(since: InsightsPeriod.startOfMonth(end - 24), until: InsightsPeriod.startOfMonth(end), split: .quarter, asOf: now)
        var accumulator = InsightsAccumulator(InsightsOptions(period: period, groupOrder: OrganisationSettings.defaultDetectionSources))
        accumulator.add(contentsOf: data.incidents.enumerated().map { k, i in
            InsightsIncident(id: UUID(), key: "INC-\(k + 1)", title: i.title, severity: i.severity, status: i.status,
                             detectionSource: i.detectionSource, services: i.services, teams: i.teams, times: i.times,
                             createdAt: i.times.detectedAt!)
        })
        let report = accumulator.finish()
        let c = try #require(period.bucketIndex(of: change))
        func verdict(_ source: String, _ earlier: Range<Int>, _ later: Range<Int>) -> ChangeVerdict? {
            report.changes(.toDetect, earlier: earlier, later: later).first { $0.group?.value == source }?.verdict
        }
        func isShorter(_ v: ChangeVerdict?) -> Bool { if case .shorter = v { true } else { false } }
        // The year before the change against the time since.
        #expect(isShorter(verdict("customer support", c - 4 ..< c, c ..< report.buckets.count)))
        if case .cannotTell(.intervalIncludesZero) = verdict("monitoring alert", c - 4 ..< c, c ..< report.buckets.count) {} else {
            Issue.record("monitoring alert: \(String(describing: verdict("monitoring alert", c - 4 ..< c, c ..< report.buckets.count)))")
        }
        // And quarter against quarter, as the page compares: the quarter
        // before the change against the last complete one.
        let lastComplete = try #require(report.buckets.lastIndex { $0.isComplete })
        #expect(isShorter(verdict("customer support", c - 1 ..< c, lastComplete ..< lastComplete + 1)))
        // Monitoring catches a larger share after the change.
        let shareBefore = try #require(report.summary(0 ..< c).detection.share(.monitoring))
        let shareAfter = try #require(report.summary(c ..< report.buckets.count).detection.share(.monitoring))
        #expect(shareAfter > shareBefore + 0.03)

        // The change is dated: the review of the incident that led to it has
        // a follow-up closed that day, and the first page through the new
        // path says so in its timeline.
        let trigger = try #require(history.first { $0.followUps.contains { $0.closedAt == change } })
        #expect(trigger.detectionSource == "customer support" && trigger.review?.status == .published)
        #expect(try #require(trigger.times.durations.toDetect) > 4 * 3600)
        let firstPages = data.incidents.flatMap(\.timeline).filter { $0.text.hasPrefix("First page through the new support escalation path") }
        #expect(firstPages.count == 1 && firstPages.allSatisfy { $0.occurredAt > change })

        // Reviews are held within their window more often after the change.
        func kept(_ range: Range<Date>) -> Double {
            let held = history.compactMap { i -> Bool? in
                guard let r = i.times.resolvedAt, range.contains(r), let review = i.review, review.status == .held || review.status == .published,
                      let m = review.meetingAt else { return nil }
                return m.timeIntervalSince(r) <= OrganisationSettings.default.reviewWindow
            }
            return Double(held.filter { $0 }.count) / Double(max(1, held.count))
        }
        #expect(kept(change ..< now) > kept(.distantPast ..< change) + 0.1)
    }

    @Test("The escalation change opens the default Insights view's second quarter; the story holds whenever the demo is made",
          arguments: ["2026-01-01T00:00:00Z", "2026-02-14T10:00:00Z", "2026-03-31T23:59:59Z", "2026-08-08T00:00:00Z", "2027-05-20T12:00:00Z"])
    func storyAnyDay(_ text: String) throws {
        let now = try #require(LoreTime.parseISO(text))
        let change = DemoData.escalationChange(now: now)
        #expect(InsightsPeriod.lastTwelveMonths(asOf: now).bucketIndex(of: change) == 1)
        #expect((160 * 86400 ... 265 * 86400).contains(now.timeIntervalSince(change)))
        #expect(change == LoreTime.milliseconds(change))
        let data = DemoData.generate(now: now)
        func median(_ range: Range<Date>) -> TimeInterval? {
            DurationDistribution(data.incidents.compactMap { i in
                guard let s = i.times.impactStartedAt, range.contains(s), ["customer support", "call centre"].contains(i.detectionSource) else { return nil }
                return i.times.durations.toDetect
            }).median
        }
        let before = try #require(median(change.addingTimeInterval(-365 * 86400) ..< change))
        let after = try #require(median(change ..< now))
        #expect(after * 2 < before)
        #expect((300...450).contains(data.incidents.count))
        #expect(data.incidents.allSatisfy { ($0.times.impactStartedAt ?? $0.times.detectedAt!) > now.addingTimeInterval(-731 * 86400) })
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
            #expect((i.isHistory ? 2...4 : 4...12).contains(i.timeline.count))
            #expect(IncidentTimes.order.allSatisfy { (i.times[keyPath: $0.keyPath] ?? Self.now) <= Self.now })
        }
    }
}
