import Foundation
import LoreCore
import Testing

@Suite("Weekly digest weeks and schedules")
struct TeamDigestTests {
    static func at(_ iso: String) -> Date { LoreTime.parseISO(iso)! }

    @Test func isoWeeksAreReadWrittenAndStepped() throws {
        #expect(DigestWeek.parse("2026-W48")?.description == "2026-W48")
        #expect(DigestWeek.parse("2026-w5")?.description == "2026-W05")
        #expect(DigestWeek.parse("2026-W53") != nil)   // 2026 ends on a Thursday: it has 53 weeks
        #expect(DigestWeek.parse("2025-W53") == nil)
        for bad in ["", "2026", "2026-48", "W48", "2026-W0", "2026-W54", "99999-W01", "2026-W4x"] { #expect(DigestWeek.parse(bad) == nil, "\(bad)") }
        let w53 = try #require(DigestWeek.parse("2026-W53"))
        #expect(w53.next.description == "2027-W01")
        #expect(w53.next.previous == w53)
        #expect(DigestWeek(year: 2027, week: 1).previous.description == "2026-W53")
        // 1 January 2027 is a Friday in ISO week 2026-W53.
        #expect(DigestWeek.containing(Self.at("2027-01-01T12:00:00Z"), in: TimeZone(identifier: "UTC")!).description == "2026-W53")
    }

    @Test func aScheduleSendsOnceAWeekOnTheTeamsClockAcrossDaylightSaving() throws {
        let berlin = DigestSchedule(weekday: 1, hour: 9, timeZone: "Europe/Berlin")
        // Monday 23 March 2026 09:00 CET is 08:00 UTC; a week later, after the
        // change to summer time, 09:00 CEST is 07:00 UTC.
        #expect(berlin.sendMoment(of: DigestWeek(year: 2026, week: 13)) == Self.at("2026-03-23T08:00:00Z"))
        #expect(berlin.sendMoment(of: DigestWeek(year: 2026, week: 14)) == Self.at("2026-03-30T07:00:00Z"))
        let period = berlin.period(of: DigestWeek(year: 2026, week: 14))
        #expect(period.start == Self.at("2026-03-23T08:00:00Z") && period.end == Self.at("2026-03-30T07:00:00Z"))
        // The newest week already due.
        #expect(berlin.latestWeek(atOrBefore: Self.at("2026-03-30T06:59:00Z")).description == "2026-W13")
        #expect(berlin.latestWeek(atOrBefore: Self.at("2026-03-30T07:00:00Z")).description == "2026-W14")
        // Friday 16:00 in Sydney.
        let sydney = DigestSchedule(weekday: 5, hour: 16, timeZone: "Australia/Sydney")
        #expect(sydney.sendMoment(of: DigestWeek(year: 2026, week: 48)) == Self.at("2026-11-27T05:00:00Z"))
    }

    @Test func badSchedulesAreRefusedFieldByField() throws {
        #expect(try DigestSchedule.validated(weekday: "friday", hour: "16", timeZone: "Europe/Berlin") == DigestSchedule(weekday: 5, hour: 16, timeZone: "Europe/Berlin"))
        #expect(try DigestSchedule.validated(weekday: "7", hour: "0", timeZone: "UTC").weekday == 7)
        do {
            _ = try DigestSchedule.validated(weekday: "8", hour: "24", timeZone: "Mars/Olympus")
            Issue.record("accepted a bad schedule")
        } catch {
            #expect(error.issues.map(\.field) == ["weekday", "hour", "timeZone"])
        }
    }

    @Test func theTextSaysAQuietWeekAndLinksWhenItCan() {
        let team = Team(name: "Payments", slug: "payments")
        var d = TeamDigest(team: team, week: DigestWeek(year: 2026, week: 48), start: Self.at("2026-11-16T09:00:00Z"), end: Self.at("2026-11-23T09:00:00Z"),
                           incidents: [], learned: [], followUps: [], checkpoints: [])
        #expect(d.text().contains("A quiet week"))
        d.incidents = [.init(number: 7, title: "Ledger writes failing", severity: "SEV2", status: .resolved, services: ["ledger"], happenedAt: Self.at("2026-11-18T10:00:00Z"))]
        d.followUps = [.init(title: "Add backoff", incidentNumber: 7, dueDate: Self.at("2026-11-20T00:00:00Z"), overdue: true, owner: "Ana")]
        let text = d.text(serviceName: { $0 == "ledger" ? "Ledger" : $0 }, link: { "https://lore.example.com" + $0 })
        #expect(text.contains("• <https://lore.example.com/incidents/INC-7|INC-7> SEV2 Ledger writes failing (resolved) · Ledger"))
        #expect(text.contains("Add backoff (<https://lore.example.com/incidents/INC-7|INC-7>) overdue since 2026-11-20, Ana"))
        #expect(!text.contains("quiet"))
    }
}
