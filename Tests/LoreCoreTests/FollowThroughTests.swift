import Foundation
import Testing
@testable import LoreCore

private let closedBallot = LoreTime.parseISO("2026-03-01T12:00:00Z")!
private func day(_ d: Double) -> Date { closedBallot.addingTimeInterval(d * 86_400) }

/// A follow-up with the given status, closed at `closedOn` days after the ballot closed.
private func followUp(_ title: String, _ status: FollowUpStatus = .open, closedOn: Double? = nil) -> FollowUp {
    FollowUp(incidentID: UUID(), title: title, ownerTeam: "payments", status: status, createdAt: day(-1), closedAt: closedOn.map(day))
}

/// `closed` done items and `open` open ones.
private func items(_ prefix: String, closed: Int, open: Int) -> [FollowUp] {
    (0..<closed).map { followUp("\(prefix) done \($0)", .done, closedOn: Double($0 + 1)) }
        + (0..<open).map { followUp("\(prefix) open \($0)") }
}

/// The sentence for `fc` of `ft` focus items and `oc` of `ot` others closed.
private func reading(focus fc: Int, of ft: Int, others oc: Int, of ot: Int) -> FollowThroughReading {
    let focus = items("focus", closed: fc, open: ft - fc)
    let others = items("other", closed: oc, open: ot - oc)
    return FollowThroughReading.take(day: 14, at: day(14), followUps: focus + others, focus: Set(focus.map(\.id)))
}

@Suite("Follow-through")
struct FollowThroughTests {
    // MARK: Schedule

    @Test func theDefaultScheduleIsTwoFourAndSixWeeks() throws {
        #expect(FollowThroughSchedule.default.days == [14, 28, 42])
        #expect(try FollowThroughSchedule.default.validated() == .default)
        let due = FollowThroughSchedule.default.dueDates(closedAt: closedBallot)
        #expect(due.map(\.day) == [14, 28, 42])
        #expect(due.map(\.at) == [
            LoreTime.parseISO("2026-03-15T12:00:00Z")!,
            LoreTime.parseISO("2026-03-29T12:00:00Z")!,
            LoreTime.parseISO("2026-04-12T12:00:00Z")!,
        ])
        #expect(FollowThroughSchedule(days: [1]).dueDates(closedAt: closedBallot).first?.at == day(1))
    }

    @Test func scheduleProblemsAreReportedUnderCheckpointDays() {
        func codes(_ days: [Int]) -> [String] {
            do {
                _ = try FollowThroughSchedule(days: days).validated()
                return []
            } catch {
                #expect(error.issues.allSatisfy { $0.field == "checkpointDays" })
                return error.issues.map(\.code)
            }
        }
        #expect(codes([]) == ["required"])
        #expect(codes([0, 14]) == ["out_of_range"])
        #expect(codes([14, 366]) == ["out_of_range"])
        #expect(codes([28, 14]) == ["not_increasing"])
        #expect(codes([14, 14]) == ["not_increasing"])
        #expect(codes([30, 0]) == ["out_of_range", "not_increasing"])
        #expect(codes([1, 365]) == [])
    }

    // MARK: Counting

    @Test func onlyItemsClosedByTheCheckpointCount() {
        let doneEarly = followUp("done early", .done, closedOn: 3)
        let onTheDot = followUp("closed at the checkpoint", .notNecessary, closedOn: 14)
        let doneLate = followUp("done after the checkpoint", .done, closedOn: 15)
        // Closed once, then reopened: the status is open again.
        let reopened = followUp("reopened", .open)
        let stale = FollowUp(incidentID: UUID(), title: "open with a stale close time", ownerTeam: "payments", status: .open, createdAt: day(-1), closedAt: day(2))
        let working = followUp("in progress", .inProgress)
        let focus: Set = [doneEarly.id, doneLate.id, reopened.id]
        let r = FollowThroughReading.take(day: 14, at: day(14), followUps: [onTheDot, doneLate, reopened, stale, working, doneEarly], focus: focus)
        #expect(r.day == 14 && r.takenAt == day(14))
        #expect((r.focusClosed, r.focusTotal) == (1, 3))
        #expect((r.othersClosed, r.othersTotal) == (1, 3))
        #expect(r.closures.map(\.followUpID) == [doneEarly.id, onTheDot.id])
        #expect(r.closures.map(\.isFocus) == [true, false])
        #expect(r.closures.map(\.status) == [.done, .notNecessary])
        #expect(r.closures.map(\.closedAt) == [day(3), day(14)])
        #expect(r.closures.first?.title == "done early")
    }

    @Test func closuresAreInTheOrderTheyHappened() {
        let a = followUp("a", .done, closedOn: 9), b = followUp("b", .foldedIntoPlan, closedOn: 2), c = followUp("c", .done, closedOn: 5)
        let r = FollowThroughReading.take(day: 14, at: day(14), followUps: [a, b, c], focus: [a.id])
        #expect(r.closures.map(\.title) == ["b", "c", "a"])
    }

    // MARK: The sentence

    @Test func moreOfWhatWasRankedLowerGotDone() {
        #expect(reading(focus: 2, of: 5, others: 6, of: 10).sentence
            == "2 of 5 focus items closed, 6 of 10 others: more of what the team ranked lower got done.")
        #expect(reading(focus: 0, of: 5, others: 1, of: 4).sentence
            == "No focus items closed yet, 1 of 4 others: more of what the team ranked lower got done.")
    }

    @Test func theRankingHeld() {
        #expect(reading(focus: 5, of: 5, others: 3, of: 10).sentence == "All 5 focus items closed, 3 of 10 others: the ranking held.")
        #expect(reading(focus: 2, of: 2, others: 0, of: 3).sentence == "Both focus items closed, none of 3 others: the ranking held.")
        #expect(reading(focus: 1, of: 1, others: 0, of: 1).sentence == "1 of 1 focus item closed, 0 of 1 other: the ranking held.")
    }

    @Test func theTeamWorkedOnWhatItRankedHighest() {
        #expect(reading(focus: 3, of: 5, others: 1, of: 8).sentence
            == "3 of 5 focus items closed, 1 of 8 others: the team worked on what it ranked highest.")
    }

    @Test func ratesAreComparedNotCounts() {
        // 2 of 5 (40%) is more than 3 of 10 (30%), although 3 > 2.
        #expect(reading(focus: 2, of: 5, others: 3, of: 10).sentence.hasSuffix(": the team worked on what it ranked highest."))
        // 1 of 5 (20%) is less than 1 of 2 (50%), although the counts are equal.
        #expect(reading(focus: 1, of: 5, others: 1, of: 2).sentence.hasSuffix(": more of what the team ranked lower got done."))
    }

    @Test func nothingClosedYet() {
        #expect(reading(focus: 0, of: 5, others: 0, of: 4).sentence == "No focus items closed yet, none of 4 others.")
    }

    @Test func equalRates() {
        #expect(reading(focus: 1, of: 5, others: 2, of: 10).sentence
            == "1 of 5 focus items closed, 2 of 10 others: focus and other items closed at the same rate.")
        #expect(reading(focus: 5, of: 5, others: 10, of: 10).sentence
            == "All 5 focus items closed, all 10 others: every follow-up is closed.")
    }

    @Test func noOtherItems() {
        let r = reading(focus: 2, of: 5, others: 0, of: 0)
        #expect(r.sentence == "2 of 5 focus items closed (there were no other items).")
        #expect((r.othersClosed, r.othersTotal) == (0, 0))
        #expect(reading(focus: 0, of: 1, others: 0, of: 0).sentence == "No focus items closed yet (there were no other items).")
    }

    @Test func noFocusItemsOrNoFollowUpsAtAll() {
        #expect(reading(focus: 0, of: 0, others: 3, of: 10).sentence == "There were no focus items; 3 of 10 other items closed.")
        #expect(reading(focus: 0, of: 0, others: 1, of: 1).sentence == "There were no focus items; 1 of 1 other item closed.")
        #expect(reading(focus: 0, of: 0, others: 0, of: 0).sentence == "There were no follow-ups to look at.")
    }

    @Test func howThingsWereClosedIsNamed() {
        let focus = [followUp("f1", .notNecessary, closedOn: 2), followUp("f2", .done, closedOn: 3), followUp("f3"), followUp("f4"), followUp("f5")]
        let others = [followUp("o1", .notNecessary, closedOn: 4), followUp("o2", .foldedIntoPlan, closedOn: 5), followUp("o3", .done, closedOn: 6)]
            + (0..<7).map { followUp("open \($0)") }
        let r = FollowThroughReading.take(day: 28, at: day(28), followUps: focus + others, focus: Set(focus.map(\.id)))
        #expect(r.sentence == "2 of 5 focus items closed, 3 of 10 others: the team worked on what it ranked highest. 2 were closed as not necessary, 1 folded into a plan.")
        #expect(r.closures.map(\.status) == [.notNecessary, .done, .notNecessary, .foldedIntoPlan, .done])

        func suffix(_ statuses: [FollowUpStatus]) -> String {
            let f = statuses.enumerated().map { followUp("x\($0.offset)", $0.element, closedOn: 1) }
            return FollowThroughReading.take(day: 14, at: day(14), followUps: f, focus: Set(f.map(\.id))).sentence
        }
        #expect(suffix([.notNecessary]) == "1 of 1 focus item closed (there were no other items). 1 was closed as not necessary.")
        #expect(suffix([.foldedIntoPlan, .foldedIntoPlan, .done]) == "All 3 focus items closed (there were no other items). 2 were folded into plans.")
        #expect(suffix([.foldedIntoPlan]).hasSuffix(" 1 was folded into a plan."))
        #expect(suffix([.done, .done]) == "Both focus items closed (there were no other items).")
    }

    @Test func theSentenceIsDeterministic() {
        let focus = items("focus", closed: 2, open: 3), others = items("other", closed: 6, open: 4)
        let a = FollowThroughReading.take(day: 14, at: day(14), followUps: focus + others, focus: Set(focus.map(\.id)))
        let b = FollowThroughReading.take(day: 14, at: day(14), followUps: (others + focus).reversed(), focus: Set(focus.map(\.id)))
        #expect(a.sentence == b.sentence)
        #expect(a.closures.map(\.closedAt) == b.closures.map(\.closedAt))
    }
}
