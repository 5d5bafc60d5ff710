import Foundation
import LoreCore
import Testing

@Suite("Strict times, refused characters, sign-in throttling")
struct HardeningRulesTests {
    static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
    }

    @Test func rfc3339TimesThatExistAreRead() {
        #expect(LoreTime.parseISO("2026-03-01T14:02:00Z") == Self.utc(2026, 3, 1, 14, 2))
        #expect(LoreTime.parseISO("2026-03-01t14:02:00z") == Self.utc(2026, 3, 1, 14, 2))
        #expect(LoreTime.parseISO("2026-03-01 15:02:00+01:00") == Self.utc(2026, 3, 1, 14, 2))
        #expect(LoreTime.parseISO("2024-02-29T23:30:00-05:30") == Self.utc(2024, 3, 1, 5, 0))
        #expect(LoreTime.parseISO("2000-02-29T00:00:00Z") == Self.utc(2000, 2, 29))
        #expect(LoreTime.parseISO("0001-01-01T00:00:00Z") == Date(timeIntervalSince1970: -62_135_596_800))  // proleptic Gregorian, as RFC 3339
        #expect(LoreTime.parseISO("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
        #expect(LoreTime.parseISO("2026-03-01T14:02:00.123Z").map { LoreTime.milliseconds($0) } == LoreTime.milliseconds(Self.utc(2026, 3, 1, 14, 2).addingTimeInterval(0.123)))
    }

    @Test(arguments: [
        "2026-02-30T10:00:00Z", "2026-02-29T10:00:00Z", "1900-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-00-10T10:00:00Z",
        "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z", "2026-03-01T10:00:60Z", "2026-03-01T10:00:00+25:00", "2026-03-01T10:00:00+01:60",
        "0000-03-01T10:00:00Z", "2026-03-01T10:00:00", "2026-03-01T10:00Z", "2026-3-1T10:00:00Z", "2026-03-01T10:00:00.Z",
        "2026-03-01T10:00:00Zjunk", "2026-03-01T10:00:00+0100", "", "yesterday", "+2026-03-01T10:00:00Z",
    ])
    func impossibleOrMalformedTimesAreRefused(text: String) {
        #expect(LoreTime.parseISO(text) == nil)
    }

    /// Inputs the `rfc3339` fuzz target found (Fuzz/crashes/rfc3339): each
    /// time Lore accepts is written back by `iso` and read again as exactly
    /// the same moment, millisecond-rounded; one that cannot be written in
    /// four-digit years is refused.
    @Test(arguments: [
        ("1582-10-14T00:00:00Z", "1582-10-14T00:00:00.000Z"),  // before the Julian/Gregorian switch
        ("1940-01-01T00:00:00.0005Z", "1940-01-01T00:00:00.001Z"),  // half a millisecond before 1970 rounds like after
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
        ("2026-03-01T14:02:00.123456789+05:30", "2026-03-01T08:32:00.123Z"),
        ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    ])
    func acceptedTimesReadBackAsThemselves(text: String, written: String) throws {
        let d = try #require(LoreTime.parseISO(text))
        #expect(LoreTime.iso(d) == written)
        #expect(LoreTime.parseISO(LoreTime.iso(d)) == LoreTime.milliseconds(d))
    }

    @Test(arguments: ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:00-01:00", "9999-12-31T23:59:59.9995Z", "2026-03-01T10:00:00.1234567891Z"])
    func timesOutsideFourDigitYearsAreRefused(text: String) {
        #expect(LoreTime.parseISO(text) == nil)
    }

    @Test func isoIsWhatItAlwaysWasForOrdinaryTimes() {
        #expect(LoreTime.iso(Date(timeIntervalSince1970: 1_772_373_720.123)) == "2026-03-01T14:02:00.123Z")
        #expect(LoreTime.iso(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(LoreTime.iso(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    /// `iso` writes its digits itself; Foundation's formatter is the reference
    /// over two centuries of moments. Foundation truncates to the millisecond
    /// where Lore rounds, so the reference is given the moment 0.4 ms later.
    @Test func isoAgreesWithFoundationAcrossTwoCenturies() {
        let reference = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
        var ms: Int64 = -2_208_988_800_000  // 1900-01-01
        while ms < 4_102_444_800_000 {  // 2100-01-01
            let d = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(LoreTime.iso(d) == reference.format(d.addingTimeInterval(0.0004)))
            ms += 633_601_337  // about a week, never the same time of day twice
        }
    }

    @Test func formTimesUseTheSameRules() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(LoreTime.parseLocal("2026-03-01T15:02", timeZone: berlin) == Self.utc(2026, 3, 1, 14, 2))
        #expect(LoreTime.parseLocal("2026-03-01 15:02:30", timeZone: berlin) == Self.utc(2026, 3, 1, 14, 2, 30))
        #expect(LoreTime.parseLocal("2026-02-30T10:00", timeZone: berlin) == nil)
        #expect(LoreTime.parseLocal("2026-03-01T24:00", timeZone: berlin) == nil)
        #expect(LoreTime.parseLocal("2026-03-01T10:00:00Z", timeZone: berlin) == Self.utc(2026, 3, 1, 10))
    }

    @Test func controlCharactersOtherThanTabAndLineBreaksAreNamed() {
        #expect(TextCharacters.issue(field: "title", text: "tab\tnew\nline\r\n é 🚒") == nil)
        let nul = TextCharacters.issue(field: "title", text: "ab\u{0}c")
        #expect(nul?.field == "title" && nul?.code == "control_character")
        #expect(nul?.message.contains("U+0000") == true && nul?.message.contains("position 3") == true)
        #expect(TextCharacters.issue(field: "x", text: "\u{1B}[31m")?.message.contains("U+001B") == true)
        #expect(TextCharacters.issue(field: "x", text: "del\u{7F}") != nil)
    }

    @Test func wrongPasswordsSlowDownThenAreForgotten() {
        var throttle = SignInThrottle()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for i in 0 ..< 5 {
            #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.1", now: t0.addingTimeInterval(Double(i))) == nil)
            throttle.recordFailure(account: "mo@example.com", address: "10.0.0.1", at: t0.addingTimeInterval(Double(i)))
        }
        // The five free ones cost nothing; the sixth failure asks for 1 s, then 2, 4, ...
        #expect(throttle.retryAfter(account: "MO@example.com ", address: "10.0.0.2", now: t0.addingTimeInterval(5)) == nil)
        throttle.recordFailure(account: "mo@example.com", address: "10.0.0.2", at: t0.addingTimeInterval(5))
        #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.3", now: t0.addingTimeInterval(5)) == 1)
        throttle.recordFailure(account: "mo@example.com", address: "10.0.0.3", at: t0.addingTimeInterval(6))
        #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.3", now: t0.addingTimeInterval(6)) == 2)
        // Never more than a minute for an account: an attacker can slow a person down, not lock them out.
        for i in 0 ..< 40 { throttle.recordFailure(account: "mo@example.com", address: "10.9.\(i).1", at: t0.addingTimeInterval(10)) }
        #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.9", now: t0.addingTimeInterval(10)) == 60)
        // Other accounts are not affected; failures are forgotten after the window.
        #expect(throttle.retryAfter(account: "ada@example.com", address: "10.0.0.9", now: t0.addingTimeInterval(10)) == nil)
        #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.9", now: t0.addingTimeInterval(10 + 15 * 60)) == nil)
        // The right password clears the account.
        throttle.recordSuccess(account: "mo@example.com")
        #expect(throttle.retryAfter(account: "mo@example.com", address: "10.0.0.9", now: t0.addingTimeInterval(11)) == nil)
    }

    @Test func oneAddressGuessingAtManyAccountsIsSlowed() {
        var throttle = SignInThrottle()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for i in 0 ..< 21 { throttle.recordFailure(account: "user\(i)@example.com", address: "203.0.113.7", at: t0) }
        #expect(throttle.retryAfter(account: "someone-new@example.com", address: "203.0.113.7", now: t0) == 1)
        #expect(throttle.retryAfter(account: "someone-new@example.com", address: "203.0.113.8", now: t0) == nil)
    }
}

@Suite("Outgoing webhook retries")
struct DeliveryBackoffTests {
    /// 30 s, doubling, at most six hours apart, eight attempts in all: about
    /// an hour of retries covers a receiver's restart or deploy, and a
    /// receiver down for good stops being called.
    @Test func retriesDoubleFromThirtySecondsAndStopAfterEightAttempts() {
        #expect((1...7).map { DeliveryBackoff.delay(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1920])
        #expect(DeliveryBackoff.delay(afterAttempt: 0) == 30)
        #expect(DeliveryBackoff.delay(afterAttempt: 20) == 6 * 3600)
        #expect(DeliveryBackoff.maxAttempts == 8)
    }
}
