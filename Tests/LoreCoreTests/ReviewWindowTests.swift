import Foundation
import Testing
@testable import LoreCore

private func t(_ s: String) -> Date { LoreTime.parseISO(s)! }
private let hour: TimeInterval = 3600
private let day: TimeInterval = 86400

private func incident(mitigated: String? = nil, resolved: String? = nil) -> Incident {
    Incident(
        number: 1, title: "Checkout errors", severity: "SEV2", status: resolved != nil ? .resolved : (mitigated != nil ? .mitigated : .open),
        detectionSource: "monitoring alert",
        times: IncidentTimes(impactStartedAt: t("2026-03-01T09:00:00Z"), mitigatedAt: mitigated.map(t), resolvedAt: resolved.map(t)),
        createdAt: t("2026-03-01T09:05:00Z"), updatedAt: t("2026-03-01T09:05:00Z")
    )
}

@Suite("Review window")
struct ReviewWindowTests {
    @Test func opensAtResolutionEvenWhenMitigatedEarlier() throws {
        let w = try #require(ReviewWindow(incident: incident(mitigated: "2026-03-01T10:00:00Z", resolved: "2026-03-01T12:00:00Z"), hours: 72))
        #expect(w.opensAt == t("2026-03-01T12:00:00Z"))
        #expect(w.closesAt == t("2026-03-04T12:00:00Z"))
    }

    @Test func opensAtMitigationWhileNotResolved() throws {
        let w = try #require(ReviewWindow(incident: incident(mitigated: "2026-03-01T10:00:00Z"), hours: 48))
        #expect(w.opensAt == t("2026-03-01T10:00:00Z"))
        #expect(w.closesAt == t("2026-03-03T10:00:00Z"))
    }

    @Test func noWindowWhileImpactIsOngoing() {
        #expect(ReviewWindow(incident: incident(), hours: 72) == nil)
    }

    @Test func stateAroundTheClose() {
        let w = ReviewWindow(opensAt: t("2026-03-01T12:00:00Z"), closesAt: t("2026-03-04T12:00:00Z"))
        #expect(w.state(at: t("2026-03-04T11:00:00Z")) == .open(remaining: hour))
        #expect(w.state(at: t("2026-03-04T12:00:00Z")) == .open(remaining: 0))
        #expect(w.state(at: t("2026-03-04T12:00:01Z")) == .closed(ago: 1))
        #expect(w.isOpen(at: t("2026-03-04T12:00:00Z")))
        #expect(!w.isOpen(at: t("2026-03-05T12:00:00Z")))
    }

    @Test func heldExactlyAtTheCloseCountsAsKept() {
        let w = ReviewWindow(opensAt: t("2026-03-01T12:00:00Z"), closesAt: t("2026-03-04T12:00:00Z"))
        #expect(w.wasKept(heldAt: t("2026-03-04T12:00:00Z")))
        #expect(w.wasKept(heldAt: t("2026-03-02T09:30:00Z")))
        #expect(!w.wasKept(heldAt: t("2026-03-04T12:00:00.001Z")))
        #expect(!w.wasKept(heldAt: nil))
        // Held before the window opened (between mitigation and resolution): still kept.
        #expect(w.wasKept(heldAt: t("2026-03-01T11:00:00Z")))
    }

    @Test func describeReadsLikeAClock() {
        let w = ReviewWindow(opensAt: t("2026-03-01T12:00:00Z"), closesAt: t("2026-03-04T12:00:00Z"))
        // 41 h left, in LoreTime.duration's words.
        #expect(w.describe(at: t("2026-03-02T19:00:00Z")) == "1 d 17 h left")
        #expect(w.describe(at: t("2026-03-02T09:00:00Z")) == "2 d 3 h left")
        #expect(w.describe(at: t("2026-03-04T10:00:00Z")) == "2 h left")
        #expect(w.describe(at: t("2026-03-04T11:00:00Z")) == "1 h left")
        #expect(w.describe(at: t("2026-03-04T11:48:00Z")) == "closes in 12 min")
        #expect(w.describe(at: t("2026-03-04T11:59:15Z")) == "closes in 45 s")
        #expect(w.describe(at: t("2026-03-04T12:00:00Z")) == "closes now")
        #expect(w.describe(at: t("2026-03-07T12:00:00Z")) == "closed 3 d ago")
        #expect(w.describe(at: t("2026-03-04T12:20:00Z")) == "closed 20 min ago")
    }

    @Test func reminderTimesDefaultPoints() {
        let w = ReviewWindow(opensAt: t("2026-03-01T12:00:00Z"), closesAt: t("2026-03-04T12:00:00Z"))
        let r = w.reminderTimes(hoursBefore: [0, 24])
        #expect(r.map(\.hoursBefore) == [24, 0])
        #expect(r.map(\.at) == [t("2026-03-03T12:00:00Z"), t("2026-03-04T12:00:00Z")])
    }

    @Test func reminderBeforeTheWindowOpensIsDropped() throws {
        // A 12-hour window: the 24-hour reminder would be before it opened.
        let w = try #require(ReviewWindow(incident: incident(resolved: "2026-03-01T12:00:00Z"), hours: 12))
        let r = w.reminderTimes(hoursBefore: [24, 12, 1, 0, 1])
        #expect(r.map(\.hoursBefore) == [12, 1, 0])
        #expect(r.first?.at == w.opensAt) // exactly at the opening is kept
        #expect(r.last?.at == w.closesAt)
        #expect(w.reminderTimes(hoursBefore: []).isEmpty)
    }
}

@Suite("Window keeping")
struct WindowKeepingTests {
    let now = t("2026-06-01T00:00:00Z")

    func window(closingDaysAgo days: Double) -> ReviewWindow {
        let close = now.addingTimeInterval(-days * day)
        return ReviewWindow(opensAt: close.addingTimeInterval(-72 * hour), closesAt: close)
    }

    @Test func countsKeptMissedAndPending() {
        let w1 = window(closingDaysAgo: 10), w2 = window(closingDaysAgo: 20), w3 = window(closingDaysAgo: 30)
        let w4 = window(closingDaysAgo: -1), w5 = window(closingDaysAgo: -2)
        let k = WindowKeeping.measure([
            (w1, w1.closesAt.addingTimeInterval(-hour)),   // kept
            (w2, w2.closesAt),                              // kept: exactly at close
            (w3, w3.closesAt.addingTimeInterval(60)),       // missed: held late
            (window(closingDaysAgo: 40), nil),              // missed: never held
            (w4, nil),                                      // pending
            (w5, now.addingTimeInterval(-hour)),            // open but already held: kept
        ], now: now)
        #expect(k == WindowKeeping(kept: 3, missed: 2, pending: 1))
        #expect(k.share == 0.6)
        #expect(k.sentence == "3 of 5 reviews held within their window over the last 90 days (60%)")
    }

    @Test func periodBoundaries() {
        let k = WindowKeeping.measure([
            (window(closingDaysAgo: 90), nil),         // exactly at the start of the period: counted
            (window(closingDaysAgo: 90.0001), nil),    // just before: left out
            (window(closingDaysAgo: 0), nil),          // closes right now: still open, pending
        ], now: now)
        #expect(k == WindowKeeping(kept: 0, missed: 1, pending: 1))
        #expect(k.sentence == "0 of 1 review held within its window over the last 90 days (0%)")

        let short = WindowKeeping.measure([(window(closingDaysAgo: 10), nil), (window(closingDaysAgo: 5), nil)], now: now, period: 7 * day)
        #expect(short.kept == 0 && short.missed == 1)
        #expect(short.sentence.hasSuffix("over the last 7 days (0%)"))
    }

    @Test func aReviewHeldAfterNowIsNotHeldYet() {
        let w = window(closingDaysAgo: -1)
        let k = WindowKeeping.measure([(w, now.addingTimeInterval(hour))], now: now)
        #expect(k == WindowKeeping(kept: 0, missed: 0, pending: 1))
    }

    @Test func nothingClosedSaysSo() {
        let k = WindowKeeping.measure([(window(closingDaysAgo: -1), nil)], now: now)
        #expect(k.share == nil)
        #expect(k.sentence == "No review windows closed in the last 90 days")
        #expect(WindowKeeping.measure([], now: now).sentence == "No review windows closed in the last 90 days")
    }

    @Test func sentenceExamples() {
        #expect(WindowKeeping(kept: 8, missed: 2, pending: 0).sentence == "8 of 10 reviews held within their window over the last 90 days (80%)")
        #expect(WindowKeeping(kept: 1, missed: 0, pending: 4).sentence == "1 of 1 review held within its window over the last 90 days (100%)")
        // Never rounds up to 100% while one was missed, nor down to 0% while one was kept.
        #expect(WindowKeeping(kept: 199, missed: 1, pending: 0).sentence.hasSuffix("(99%)"))
        #expect(WindowKeeping(kept: 1, missed: 299, pending: 0).sentence.hasSuffix("(1%)"))
        #expect(WindowKeeping(kept: 1, missed: 1, pending: 0, period: day).sentence == "1 of 2 reviews held within their window over the last day (50%)")
    }
}
