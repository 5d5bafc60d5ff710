import Foundation
import Testing
@testable import LoreCore

private func at(_ s: String) -> Date { LoreTime.parseISO(s)! }

@Suite("Incident rules")
struct IncidentRulesTests {
    let settings = OrganisationSettings.default
    let services: Set<String> = ["checkout-api"]
    let teams: Set<String> = ["payments"]

    func resolve(_ input: IncidentInput, over existing: Incident? = nil, now: Date = at("2026-03-02T00:00:00Z")) throws(ValidationError) -> IncidentInput.Resolved {
        try input.resolve(over: existing, settings: settings, knownServices: services, knownTeams: teams, now: now)
    }

    @Test func knownTimesMustBeInOrderAndUnknownOnesAreSkipped() throws {
        // Only detected and resolved known: fine.
        _ = try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other", detectedAt: .some(at("2026-03-01T10:00:00Z")), resolvedAt: .some(at("2026-03-01T12:00:00Z"))))
        // Resolved before impact started, with gaps in between.
        #expect(throws: ValidationError.self) {
            try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other", impactStartedAt: .some(at("2026-03-01T10:00:00Z")), resolvedAt: .some(at("2026-03-01T09:00:00Z"))))
        }
        do {
            _ = try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other",
                                          impactStartedAt: .some(at("2026-03-01T10:00:00Z")), detectedAt: .some(at("2026-03-01T09:00:00Z")),
                                          acknowledgedAt: .some(at("2026-03-01T09:30:00Z")), mitigatedAt: .some(at("2026-03-01T11:00:00Z"))))
            Issue.record("expected an error")
        } catch {
            // Detected is before impact started; acknowledged is then compared with impact start too.
            #expect(error.issues.map(\.field) == ["detectedAt", "acknowledgedAt"])
            #expect(error.message(for: "detectedAt")?.contains("before impact started") == true)
        }
    }

    @Test func equalTimesAreAllowed() throws {
        let same = at("2026-03-01T10:00:00Z")
        let r = try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other", impactStartedAt: .some(same), detectedAt: .some(same), acknowledgedAt: .some(same), mitigatedAt: .some(same), resolvedAt: .some(same)))
        #expect(r.times.durations.toResolve == 0)
    }

    @Test func resolvingWithoutATimeUsesNowAndMitigationFollows() throws {
        let now = at("2026-03-01T12:00:00.123Z")
        let r = try resolve(IncidentInput(title: "x", severity: "SEV3", status: .resolved, detectionSource: "other"), now: now)
        #expect(r.times.resolvedAt == now)
        #expect(r.times.mitigatedAt == now)
        let m = try resolve(IncidentInput(title: "x", severity: "SEV3", status: .mitigated, detectionSource: "other"), now: now)
        #expect(m.times.mitigatedAt == now && m.times.resolvedAt == nil)
    }

    @Test func requiredFieldsLimitsAndUnknownValuesAreAllReported() {
        do {
            _ = try resolve(IncidentInput(title: "   ", severity: "P1", services: ["checkout-api", "nope"], teams: ["ghosts"], detectionSource: "",
                                          customerImpact: String(repeating: "x", count: Limits.longText + 1),
                                          labels: Array(repeating: "a", count: 1) + (0..<40).map { "l\($0)" }))
            Issue.record("expected an error")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["title", "severity", "services", "teams", "detectionSource", "customerImpact", "labels"])
            #expect(error.message(for: "severity")?.contains("SEV1, SEV2, SEV3, SEV4") == true)
        }
    }

    @Test func futureTimesBeyondADayAreRejected() {
        #expect(throws: ValidationError.self) {
            try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other", detectedAt: .some(at("2026-03-05T00:00:00Z"))), now: at("2026-03-02T00:00:00Z"))
        }
    }

    @Test func externalReferencesAreOnePerSystem() {
        #expect(throws: ValidationError.self) {
            try resolve(IncidentInput(title: "x", severity: "SEV3", detectionSource: "other", externalReferences: [
                ExternalReference(system: "pagerduty", id: "A"), ExternalReference(system: "PagerDuty", id: "B"),
            ]))
        }
    }

    @Test func keysParseInEitherFormAndRejectNonsense() {
        #expect(Incident.number(fromKey: "INC-42") == 42)
        #expect(Incident.number(fromKey: "inc-7") == 7)
        #expect(Incident.number(fromKey: "42") == 42)
        for bad in ["", "INC-", "INC-0", "INC--1", "INC-4a", "INC-١٢", "99999999999999"] {
            #expect(Incident.number(fromKey: bad) == nil, "\(bad)")
        }
    }

    @Test func durationsAreMeasuredFromImpactOrDetection() {
        let t = IncidentTimes(detectedAt: at("2026-03-01T10:00:00Z"), acknowledgedAt: at("2026-03-01T10:05:00Z"), mitigatedAt: at("2026-03-01T11:00:00Z"))
        #expect(t.durations.toDetect == nil)
        #expect(t.durations.toAcknowledge == 300)
        #expect(t.durations.toMitigate == 3600)
        #expect(t.durations.toResolve == nil)
        #expect(LoreTime.duration(3600 + 300) == "1 h 5 min")
        #expect(LoreTime.duration(2 * 86400 + 3 * 3600) == "2 d 3 h")
        #expect(LoreTime.duration(42) == "42 s")
    }

    /// Pages show times as ICU writes `yyyy-MM-dd HH:mm zzz`, in the
    /// viewer's zone, on both sides of daylight saving time changes, at
    /// half-hour offsets, before 1970 and with seconds that round down.
    @Test func timesAreShownAsTheFormatterWritesThem() {
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns", "Pacific/Chatham", "Asia/Tokyo"]
        var moments = [at("2026-03-29T00:59:59Z"), at("2026-03-29T01:00:00Z"), at("2026-11-01T05:59:59.999Z"), at("2026-11-01T06:00:00Z"),
                       at("1969-07-20T20:17:40Z"), at("2000-02-29T23:59:30Z"), at("2099-12-31T23:59:59Z")]
        // A day's worth of moments a little over an hour apart, over a year.
        for k in 0 ..< 400 { moments.append(Date(timeIntervalSince1970: 1_767_225_600 + Double(k) * 78_901.3)) }
        for id in zones {
            let zone = TimeZone(identifier: id)!
            let icu = DateFormatter()
            icu.locale = Locale(identifier: "en_US_POSIX")
            icu.timeZone = zone
            icu.dateFormat = "yyyy-MM-dd HH:mm zzz"
            for m in moments {
                #expect(LoreTime.display(m, timeZone: zone) == icu.string(from: m), "\(id) \(m)")
            }
        }
        #expect(LoreTime.display(nil, timeZone: .gmt) == "")
    }
}

@Suite("Timeline rules")
struct TimelineRulesTests {
    @Test func anEntryWrittenAfterTheReviewWindowIsRecalledLater() {
        let resolved = at("2026-03-01T12:00:00Z")
        func entry(recorded: String) -> TimelineEntry {
            TimelineEntry(incidentID: UUID(), occurredAt: at("2026-03-01T10:00:00Z"), recordedAt: at(recorded), author: "a", source: .manual, kind: .note, text: "t")
        }
        let window: TimeInterval = 72 * 3600
        #expect(!entry(recorded: "2026-03-01T10:01:00Z").isRecalledLater(resolvedAt: resolved, reviewWindow: window))
        #expect(!entry(recorded: "2026-03-04T12:00:00Z").isRecalledLater(resolvedAt: resolved, reviewWindow: window))
        #expect(entry(recorded: "2026-03-04T12:00:01Z").isRecalledLater(resolvedAt: resolved, reviewWindow: window))
        #expect(!entry(recorded: "2026-09-01T00:00:00Z").isRecalledLater(resolvedAt: nil, reviewWindow: window))
        #expect(!entry(recorded: "2026-03-04T12:00:01Z").isRecalledLater(resolvedAt: resolved, reviewWindow: 96 * 3600))
    }

    @Test func entriesNeedATimeAndTextAndTakeTheAuthorFromTheSession() throws {
        let now = at("2026-03-02T00:00:00Z")
        #expect(throws: ValidationError.self) {
            try TimelineEntryInput(occurredAt: nil, text: " ").entry(incidentID: UUID(), source: .manual, defaultAuthor: "Ada", authorUserID: nil, now: now)
        }
        let uid = UUID()
        let e = try TimelineEntryInput(occurredAt: at("2026-03-01T10:00:00Z"), text: " Rolled back ", reflection: "  ").entry(incidentID: UUID(), source: .api, defaultAuthor: "Ada", authorUserID: uid, now: now)
        #expect(e.text == "Rolled back" && e.reflection == nil && e.author == "Ada" && e.authorUserID == uid && e.kind == .note)
        #expect(e.recordedAt == now)
        let bot = try TimelineEntryInput(occurredAt: at("2026-03-01T10:00:00Z"), text: "x", author: "deploy-bot").entry(incidentID: UUID(), source: .api, defaultAuthor: "Ada", authorUserID: uid, now: now)
        #expect(bot.author == "deploy-bot" && bot.authorUserID == nil)
    }
}

@Suite("Reviews, follow-ups, catalog and settings")
struct ReviewFollowUpRulesTests {
    @Test func reviewStatusRecordsWhenItWasHeldAndPublished() throws {
        let now = at("2026-03-05T00:00:00Z")
        let r = Review(incidentID: UUID(), createdAt: now, updatedAt: now)
        #expect(throws: ValidationError.self) { try ReviewInput(status: .scheduled).apply(to: r, knownUsers: [], now: now) }
        let scheduled = try ReviewInput(status: .scheduled, meetingAt: .some(at("2026-03-04T15:00:00Z"))).apply(to: r, knownUsers: [], now: now)
        let published = try ReviewInput(status: .published).apply(to: scheduled, knownUsers: [], now: now)
        #expect(published.heldAt == at("2026-03-04T15:00:00Z"))
        #expect(published.publishedAt == now)
        let back = try ReviewInput(status: .draft).apply(to: published, knownUsers: [], now: now)
        #expect(back.heldAt == nil && back.publishedAt == nil)
        #expect(throws: ValidationError.self) { try ReviewInput(facilitatorID: .some(UUID())).apply(to: r, knownUsers: [], now: now) }
    }

    @Test func followUpClosingAndTrackerLinks() throws {
        let now = at("2026-03-05T00:00:00Z")
        let teams: Set<String> = ["payments"]
        let f = try FollowUpInput(title: "Alert on saturation", ownerTeam: "payments", trackerReference: .some("OPS-12")).apply(to: nil, incidentID: UUID(), knownTeams: teams, knownServices: [], knownUsers: [], now: now)
        #expect(f.trackerURL == nil)
        let done = try FollowUpInput(status: .done).apply(to: f, incidentID: f.incidentID, knownTeams: teams, knownServices: [], knownUsers: [], now: now.addingTimeInterval(60))
        #expect(done.closedAt == now.addingTimeInterval(60))
        let link = try FollowUpInput(trackerReference: .some("https://tracker.example/OPS-12")).apply(to: f, incidentID: f.incidentID, knownTeams: teams, knownServices: [], knownUsers: [], now: now)
        #expect(link.trackerURL == "https://tracker.example/OPS-12")
        for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "ftp://x"] {
            #expect(throws: ValidationError.self, "\(bad)") {
                try FollowUpInput(trackerReference: .some(bad)).apply(to: f, incidentID: f.incidentID, knownTeams: teams, knownServices: [], knownUsers: [], now: now)
            }
        }
    }

    @Test func slugs() throws {
        #expect(Slug.make(from: "Payments SRE!") == "payments-sre")
        #expect(Slug.make(from: "Café  Ops") == "cafe-ops")
        #expect(Slug.isValid("checkout-api") && !Slug.isValid("Checkout") && !Slug.isValid("a--b") && !Slug.isValid(""))
        #expect(try TeamInput(name: "Storefront").validated().slug == "storefront")
        #expect(throws: ValidationError.self) { try TeamInput(name: "x", slug: "Bad Slug").validated() }
    }

    @Test func practiceNameAndSettingsValidation() throws {
        var s = OrganisationSettings.default
        #expect(s.practiceNamePlural == "Postmortems")
        s.practiceName = "After-action review"
        #expect(s.practiceNamePlural == "After-action reviews")
        #expect(s.practiceNameLowercased == "after-action review")
        s.severities = [" Critical ", "", "Major"]
        #expect(try s.validated().severities == ["Critical", "Major"])
        s.severities = ["A", "a"]
        #expect(throws: ValidationError.self) { try s.validated() }
        #expect(OrganisationSettings.default.reviewWindow == 72 * 3600)
    }

    @Test func emailsAndPasswords() {
        #expect(throws: ValidationError.self) { try UserInput(displayName: "x", email: "not-an-email").validated() }
        #expect(throws: ValidationError.self) { try UserInput(displayName: "x", email: "a@b.co", password: "short").validated() }
        #expect(throws: ValidationError.self) { try UserInput(displayName: "x", email: "a@b.co", timeZone: "Mars/Base").validated() }
        #expect((try? UserInput(displayName: nil, email: "Ada.L@Example.com").validated())?.handle == "ada-l")
    }
}
