import Foundation
import Testing
@testable import LoreCore

/// Candidates created one minute apart, in the order given.
private func candidates(_ titles: [String]) -> [BallotCandidate] {
    let start = LoreTime.parseISO("2026-03-01T10:00:00Z")!
    return titles.enumerated().map { i, title in
        BallotCandidate(followUpID: UUID(), createdAt: start.addingTimeInterval(TimeInterval(i) * 60), title: title)
    }
}

private func ids(_ c: [BallotCandidate]) -> [String: UUID] {
    Dictionary(uniqueKeysWithValues: c.map { ($0.title, $0.followUpID) })
}

@Suite("Ballot")
struct BallotTests {
    let rules = BallotRules.default

    // MARK: Rules

    @Test func defaultsAreThreePicksAndAFocusOfFive() throws {
        #expect(BallotRules.default == BallotRules(picksPerVoter: 3, focusSize: 5))
        #expect(try BallotRules.default.validated() == .default)
        #expect(try BallotRules(picksPerVoter: 10, focusSize: 20).validated().focusSize == 20)
        #expect(try BallotRules(picksPerVoter: 1, focusSize: 1).validated().picksPerVoter == 1)
    }

    @Test func rulesOutOfRangeAreAllReported() {
        do {
            _ = try BallotRules(picksPerVoter: 0, focusSize: 21).validated()
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.field) == ["picksPerVoter", "focusSize"])
            #expect(error.issues.allSatisfy { $0.code == "out_of_range" })
        }
        #expect(throws: ValidationError.self) { try BallotRules(picksPerVoter: 11, focusSize: 5).validated() }
        #expect(throws: ValidationError.self) { try BallotRules(picksPerVoter: 3, focusSize: 0).validated() }
    }

    // MARK: Picks

    @Test func validPicksAndAnEmptyListPass() throws {
        let c = candidates(["A", "B", "C", "D"])
        let id = ids(c)
        try BallotPicks.validate([id["C"]!, id["A"]!, id["D"]!], candidates: c, rules: rules)
        try BallotPicks.validate([id["B"]!], candidates: c, rules: rules)
        // Withdrawing one's picks is allowed.
        try BallotPicks.validate([], candidates: c, rules: rules)
    }

    @Test func picksOverTheLimitAreRejected() {
        let c = candidates(["A", "B", "C", "D"])
        do {
            try BallotPicks.validate(c.map(\.followUpID), candidates: c, rules: rules)
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.field == "picks")
            #expect(error.issues.first?.code == "too_many")
            #expect(error.message(for: "picks")?.hasPrefix("You picked 4; the limit is 3.") == true)
        }
    }

    @Test func duplicatePicksAreRejectedNamingTheFollowUp() {
        let c = candidates(["Alert on queue depth", "B"])
        let id = ids(c)
        do {
            try BallotPicks.validate([id["Alert on queue depth"]!, id["B"]!, id["Alert on queue depth"]!], candidates: c, rules: rules)
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.code) == ["duplicate"])
            #expect(error.issues.first?.field == "picks")
            #expect(error.message(for: "picks")?.contains("\"Alert on queue depth\" more than once") == true)
        }
    }

    @Test func picksOfAnotherReviewsFollowUpsAreRejected() {
        let c = candidates(["A", "B"])
        let elsewhere = UUID()
        do {
            try BallotPicks.validate([c[0].followUpID, elsewhere], candidates: c, rules: rules)
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.code) == ["not_a_candidate"])
            #expect(error.issues.first?.field == "picks")
            #expect(error.message(for: "picks")?.contains("not a follow-up on this ballot") == true)
        }
    }

    @Test func everyProblemIsReportedAtOnce() {
        let c = candidates(["A", "B"])
        do {
            try BallotPicks.validate([c[0].followUpID, c[0].followUpID, UUID(), UUID()], candidates: c, rules: rules)
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.code) == ["too_many", "duplicate", "not_a_candidate"])
            #expect(error.issues.allSatisfy { $0.field == "picks" })
            #expect(error.issues.last?.message.hasPrefix("2 of your picks are not follow-ups") == true)
        }
    }

    // MARK: Tally

    @Test func pointsAreNForAFirstPickDownToOneForTheLast() {
        let c = candidates(["A", "B", "C", "D"])
        let id = ids(c)
        let tally = Tally.compute(candidates: c, ballots: [
            [id["A"]!, id["B"]!, id["C"]!],
            [id["A"]!, id["C"]!],
            [id["B"]!],
        ], rules: rules)
        #expect(tally.rows.map(\.title) == ["A", "B", "C", "D"])
        #expect(tally.rows.map(\.points) == [6, 5, 3, 0])
        #expect(tally.rows.map(\.pickers) == [2, 2, 2, 0])
        #expect(tally.rows.map(\.picksByPosition) == [[2, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 0]])
        #expect(tally.rows.map(\.rank) == [1, 2, 3, 4])
        #expect(tally.voterCount == 3)
    }

    @Test func equalPointsBreakOnMoreFirstPicks() {
        // Y is the oldest, so creation order alone would put it first.
        let c = candidates(["Y", "X"])
        let id = ids(c)
        // X: first once, third once = 3 + 1 = 4. Y: second twice = 2 + 2 = 4.
        let other = candidates(["filler1", "filler2"])
        let all = c + other
        let tally = Tally.compute(candidates: all, ballots: [
            [id["X"]!, id["Y"]!, other[0].followUpID],
            [other[1].followUpID, id["Y"]!, id["X"]!],
        ], rules: rules)
        let x = tally.rows.first { $0.title == "X" }!, y = tally.rows.first { $0.title == "Y" }!
        #expect(x.points == 4 && y.points == 4)
        #expect(x.picksByPosition == [1, 0, 1] && y.picksByPosition == [0, 2, 0])
        #expect(x.rank < y.rank)
    }

    @Test func equalPointsAndFirstPicksBreakOnMoreSecondPicks() {
        // B is older than A, so creation order alone would put B first.
        let c = candidates(["B", "A", "C", "D", "E"])
        let id = ids(c)
        let tally = Tally.compute(candidates: c, ballots: [
            [id["A"]!, id["C"]!, id["B"]!],
            [id["B"]!, id["A"]!, id["C"]!],
            [id["D"]!, id["E"]!, id["B"]!],
        ], rules: rules)
        // A: 3 + 2 = 5 [1,1,0]; B: 1 + 3 + 1 = 5 [1,0,2]; C: 2 + 1 = 3 [0,1,1]; D: 3 [1,0,0]; E: 2.
        #expect(tally.rows.map(\.title) == ["A", "B", "D", "C", "E"])
        #expect(tally.rows.map(\.points) == [5, 5, 3, 3, 2])
        #expect(tally.rows[0].picksByPosition[0] == tally.rows[1].picksByPosition[0])
        #expect(tally.rows[0].picksByPosition[1] > tally.rows[1].picksByPosition[1])
    }

    @Test func aFullTieBreaksOnCreationOrder() {
        let c = candidates(["Older", "Newer"])
        let id = ids(c)
        let tally = Tally.compute(candidates: c, ballots: [
            [id["Newer"]!, id["Older"]!],
            [id["Older"]!, id["Newer"]!],
        ], rules: rules)
        #expect(tally.rows.map(\.title) == ["Older", "Newer"])
        #expect(tally.rows[0].points == tally.rows[1].points)
        #expect(tally.rows[0].picksByPosition == tally.rows[1].picksByPosition)
        // Creation order is the creation time, not the order candidates are passed in.
        let reversed = Tally.compute(candidates: c.reversed(), ballots: [[id["Newer"]!, id["Older"]!], [id["Older"]!, id["Newer"]!]], rules: rules)
        #expect(reversed.rows.map(\.title) == ["Older", "Newer"])
    }

    @Test func theTopKWithPointsBecomeTheFocus() {
        let c = candidates(["A", "B", "C", "D"])
        let id = ids(c)
        let ballots = [[id["C"]!, id["B"]!, id["A"]!], [id["C"]!, id["B"]!]]
        let two = Tally.compute(candidates: c, ballots: ballots, rules: BallotRules(picksPerVoter: 3, focusSize: 2))
        #expect(two.focus == [id["C"]!, id["B"]!])
        #expect(two.rows.map(\.isFocus) == [true, true, false, false])
    }

    @Test func aCandidateNobodyPickedIsNeverFocus() {
        let c = candidates(["A", "B", "C", "D", "E", "F"])
        let id = ids(c)
        let tally = Tally.compute(candidates: c, ballots: [[id["E"]!], [id["B"]!]], rules: rules)
        #expect(tally.focus == [id["B"]!, id["E"]!])
        // Everyone is still ranked; the unpicked ones follow in creation order.
        #expect(tally.rows.count == 6)
        #expect(tally.rows.map(\.title) == ["B", "E", "A", "C", "D", "F"])
        #expect(tally.rows.filter { $0.points == 0 }.allSatisfy { !$0.isFocus })
    }

    @Test func noBallotsOrEmptyBallotsGiveNoFocus() {
        let c = candidates(["A", "B", "C"])
        let none = Tally.compute(candidates: c, ballots: [], rules: rules)
        #expect(none.voterCount == 0)
        #expect(none.focus.isEmpty)
        #expect(none.rows.map(\.title) == ["A", "B", "C"])
        #expect(none.rows.allSatisfy { $0.points == 0 && $0.pickers == 0 && $0.picksByPosition == [0, 0, 0] })
        // Withdrawn (empty) ballots are not voters.
        let withdrawn = Tally.compute(candidates: c, ballots: [[], [c[2].followUpID], []], rules: rules)
        #expect(withdrawn.voterCount == 1)
        #expect(withdrawn.focus == [c[2].followUpID])
        // No candidates at all.
        #expect(Tally.compute(candidates: [], ballots: [[]], rules: rules) == Tally(rows: [], voterCount: 0))
    }

    @Test func theTallyDoesNotDependOnBallotOrder() {
        let c = candidates(["A", "B", "C", "D", "E"])
        let id = ids(c)
        let ballots: [[UUID]] = [
            [id["A"]!, id["B"]!, id["C"]!],
            [id["B"]!, id["A"]!, id["D"]!],
            [id["C"]!, id["E"]!],
            [id["E"]!, id["C"]!, id["A"]!],
            [id["D"]!],
        ]
        let expected = Tally.compute(candidates: c, ballots: ballots, rules: rules)
        for shift in 1..<ballots.count {
            let rotated = Array(ballots[shift...] + ballots[..<shift])
            #expect(Tally.compute(candidates: c, ballots: rotated, rules: rules) == expected)
            #expect(Tally.compute(candidates: c, ballots: rotated.reversed(), rules: rules) == expected)
        }
    }

    @Test func invalidBallotsAreCountedDefensively() {
        let c = candidates(["A", "B", "C", "D"])
        let id = ids(c)
        // A foreign id is skipped, a repeat counts once, and only N picks count.
        let tally = Tally.compute(candidates: c, ballots: [[UUID(), id["A"]!, id["A"]!, id["B"]!, id["C"]!, id["D"]!]], rules: rules)
        #expect(tally.rows.map(\.points) == [3, 2, 1, 0])
        #expect(tally.rows.map(\.title) == ["A", "B", "C", "D"])
    }

    @Test func candidatesAreBuiltFromFollowUps() {
        let f = FollowUp(incidentID: UUID(), title: "Alert on queue depth", ownerTeam: "payments", createdAt: Date(timeIntervalSince1970: 1_000))
        #expect(BallotCandidate(f) == BallotCandidate(followUpID: f.id, createdAt: f.createdAt, title: f.title))
    }
}
