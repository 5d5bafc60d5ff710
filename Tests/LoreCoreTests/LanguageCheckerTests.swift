import Foundation
import Testing
@testable import LoreCore

// MARK: - Helpers

private func rule(_ id: String, _ patterns: [String], category: String = "test", exceptions: [String] = [], level: LanguageLevel = .suggestion, enabled: Bool = true) -> LanguageRule {
    LanguageRule(id: id, category: category, patterns: patterns, message: "Why \(id) hurts learning.", suggestions: ["Rewrite \(id)."], level: level, exceptions: exceptions, enabled: enabled)
}

private func checker(_ rules: [LanguageRule], names: [String] = ["Priya", "Tom", "Alex Kim"]) throws -> LanguageChecker {
    try LanguageChecker(rules: rules, knownNames: names)
}

/// The matched texts of one pattern on a text.
private func matches(_ pattern: String, _ text: String, exceptions: [String] = [], options: CheckOptions = .default, names: [String] = ["Priya", "Tom", "Alex Kim"]) throws -> [String] {
    try checker([rule("r", [pattern], exceptions: exceptions)], names: names).check(text, options: options).map(\.matchedText)
}

private func matchesAny(_ pattern: String, _ text: String, options: CheckOptions = .default) throws -> Bool {
    try !matches(pattern, text, options: options).isEmpty
}

/// The text a finding's UTF-16 range covers, as an editor would select it.
private func utf16Slice(_ text: String, _ range: Range<Int>) -> String {
    let units = Array(text.utf16)
    return String(decoding: units[range], as: UTF16.self)
}

/// A small rule set in the shape of Lore's defaults, one rule per category,
/// so the engine is tested on the wording the categories are about.
private let categoryRules: [LanguageRule] = [
    rule("cf", ["should|could|would|might|must [not] have [just|simply|at least] <participle>", "if only <person> had|would|could"], category: "counterfactual",
         exceptions: ["could not have"]),
    rule("pf", ["<person> [did|does|keep~|kept] [not|just|again] fail~ to", "<person> [kept|keep~] forget~|neglect~|ignore~|miss~", "<person> did not follow~|check~|test~"], category: "personal_failure"),
    rule("el", ["human|operator|user error~", "careless|carelessness|sloppy|negligent"], category: "error_label"),
    rule("sb", ["my fault|bad", "all on me", "i fat-finger~", "i mess~ [it] up", "mea culpa"], category: "self_blame"),
    rule("sa", ["heads [will|are going to] roll", "disciplinary", "fire~ whoever|<object>", "held|hold~ ... accountable"], category: "sanction",
         exceptions: ["not [part of] [a|any] disciplinary"]),
    rule("rc", ["root-cause~", "caused by <object>"], category: "root_cause"),
    rule("hs", ["obviously|clearly|simply", "of course", "everyone knows", "just need~|had to", "just restart|use|roll"], category: "hindsight",
         exceptions: ["clearly label~|labeled|visible|written"]),
    rule("wy", ["why [on earth] did|would [not] <other>"], category: "why_you"),
    rule("pd", ["stupid|idiot~|moron~|dumbest|clueless", "what was|were <other> thinking"], category: "put_down"),
    rule("nb", ["<name> [accidentally] break~|cause~|delete~|drop~|misconfigure~|kill~|wipe~|corrupt~", "<name> took|take~|brought|bring~ down", "<name> ... and [then] broke|deleted"], category: "named_blame",
         exceptions: ["break~ down the"]),
]

private func categories(_ text: String, options: CheckOptions = .default) throws -> Set<String> {
    Set(try checker(categoryRules).check(text, options: options).map(\.category))
}

// MARK: - Categories

@Suite struct LanguageCategoryTests {
    @Test(arguments: [
        ("The on-call engineer should have checked the replication lag.", "counterfactual"),
        ("If only we had paused the consumers.", "counterfactual"),
        ("Sam forgot to drain the node; the reviewer kept missing the diff.", "personal_failure"),
        ("The deployer failed to verify the backup.", "personal_failure"),
        ("It was human error, plain and simple.", "error_label"),
        ("The migration script was sloppy.", "error_label"),
        ("My bad, I restarted the wrong pod.", "self_blame"),
        ("I fat-fingered the replica count.", "self_blame"),
        ("Heads will roll for this.", "sanction"),
        ("Hold the person who pushed the config accountable.", "sanction"),
        ("The root cause was a missing index.", "root_cause"),
        ("The outage was caused by the on-call DBA.", "root_cause"),
        ("Obviously the disk was going to fill up.", "hindsight"),
        ("They just had to flip the flag back.", "hindsight"),
        ("Why didn't you page the database team?", "why_you"),
        ("Why would she approve a change with no tests?", "why_you"),
        ("That was a stupid change.", "put_down"),
        ("What were they thinking?", "put_down"),
        ("Priya broke the deploy pipeline.", "named_blame"),
        ("Tom took down the API gateway.", "named_blame"),
    ])
    func flagged(text: String, category: String) throws {
        #expect(try categories(text).contains(category), "\(text)")
    }

    /// The look-alikes the issue names, and a few more: ordinary phrases that
    /// must stay clean.
    @Test(arguments: [
        "The change should have no impact on p99 latency.",
        "We mounted the root filesystem read-only.",
        "Requests failed over to the replica within forty seconds.",
        "We failed over to the replica at 09:14.",
        "The just-in-time compiler warmed up after two minutes.",
        "The job failed to start because the image was missing.",
        "The dashboard is clearly labelled with the region.",
        "Each topic should have a replication factor of three.",
        "We could not have known the vendor had changed the format.",
        "The cron job fired at 02:00 as scheduled.",
        "This review is blameless and is not part of any disciplinary process.",
        "Tom broke down the timeline by service.",
        "Why did the consumer lag grow after the rebalance?",
        "Priya restarted the service and latency recovered.",
        "The retry loop ignored the Retry-After header.",
        "The latency spike was caused by a retry storm.",
        "A segmentation fault restarted the proxy.",
        "The justification is attached; we adjusted the pool size.",
        "The root CA certificate ships in the base image.",
    ])
    func clean(text: String) throws {
        let found = try checker(categoryRules).check(text)
        #expect(found.isEmpty, "\(text) -> \(found.map { "\($0.ruleID): \($0.matchedText)" })")
    }
}

// MARK: - Word matching

@Suite struct LanguageMatchingTests {
    @Test func caseDoesNotMatter() throws {
        #expect(try matches("human error", "HUMAN ERROR again; Human Error.") == ["HUMAN ERROR", "Human Error"])
    }

    @Test func inflections() throws {
        for text in ["he fails to", "he failed to", "he failing to", "he fail to"] {
            #expect(try matchesAny("he fail~ to", text), "\(text)")
        }
        for text in ["we forgot", "we forgotten", "we forgets", "we forgetting", "we forget"] {
            #expect(try matchesAny("we forget~", text), "\(text)")
        }
        #expect(try matchesAny("drop~ the", "dropped the"))
        #expect(try matchesAny("drop~ the", "dropping the"))
        #expect(try matchesAny("take~ down", "took down"))
        #expect(try matchesAny("bring~ down", "brought down"))
        #expect(try matchesAny("forgot~", "forgetting")) // any form of an irregular verb
        #expect(try matchesAny("carry~", "carried"))
        #expect(try matchesAny("panic~", "panicked"))
        #expect(try !matchesAny("fail to", "failed to")) // without ~, the word as written
    }

    @Test func contractions() throws {
        #expect(try matchesAny("should have <participle>", "We should've waited."))
        #expect(try matchesAny("should have <participle>", "We should’ve waited.")) // curly apostrophe
        #expect(try matchesAny("should have <participle>", "We shouldve waited.")) // no apostrophe
        #expect(try matchesAny("did not follow", "They didn't follow it."))
        #expect(try matchesAny("did not follow", "They didn’t follow it."))
        #expect(try matchesAny("should not have", "They shouldn't have."))
        #expect(try matchesAny("can not", "We cannot say."))
        #expect(try matchesAny("will not", "It won't start."))
        #expect(try matchesAny("why did you", "Why’d you turn it off?")) // 'd as did
        #expect(try matchesAny("they would", "they'd"))
        #expect(try matchesAny("it is on me", "It's on me."))
        #expect(try matchesAny("didn't follow", "They did not follow it.")) // in the pattern too
        // A match neither starts nor ends inside a contraction.
        #expect(try !matchesAny("should", "They shouldn't."))
        #expect(try !matchesAny("not follow", "They didn't follow it."))
    }

    @Test func hyphenatedCompounds() throws {
        for text in ["I fat-fingered it", "I fat fingered it", "I fatfingered it", "I fat\u{2011}fingered it", "I fat\u{2010}fingered it", "I FAT-FINGERED it"] {
            #expect(try matchesAny("i fat-fingered", text), "\(text)")
        }
        #expect(try matchesAny("i fat-finger~", "I fat-fingering"))
        #expect(try matchesAny("root-cause~", "We root-caused it."))
        #expect(try matchesAny("root-cause~", "The root causes were many."))
        #expect(try matchesAny("root cause", "the root-cause analysis")) // the whole compound
        // Never part of a compound.
        #expect(try !matchesAny("just", "just-in-time credentials"))
        #expect(try !matchesAny("obvious", "a non-obvious failure"))
        #expect(try !matchesAny("human error", "human error-prone steps"))
    }

    @Test func wholeWordsOnly() throws {
        #expect(try !matchesAny("just", "We adjusted it; Justin joined; it was justified."))
        #expect(try !matchesAny("fault", "A segfault occurred."))
        #expect(try !matchesAny("root", "rootless containers"))
    }

    @Test func alternativesOptionalAndGroups() throws {
        let p = "could|should [at least|at the very least] have"
        #expect(try matchesAny(p, "could have"))
        #expect(try matchesAny(p, "should at least have"))
        #expect(try matchesAny(p, "should at the very least have"))
        #expect(try !matchesAny(p, "should at the have"))
        #expect(try matchesAny("<name> (took down|brought down)", "Tom brought down prod"))
        #expect(try !matchesAny("<name> (took down|brought down)", "Tom brought prod"))
        #expect(try matchesAny("heads * roll", "heads will roll"))
        #expect(try !matchesAny("heads * roll", "heads roll"))
    }

    @Test func gapStaysInTheClause() throws {
        let p = "<name> ... and then broke"
        #expect(try matchesAny(p, "Priya ignored the rollback procedure and then broke checkout."))
        #expect(try !matchesAny(p, "Priya left early, and then broke the record."))
        #expect(try !matchesAny(p, "Priya a b c d e f g h i j k and then broke it")) // more than eight words
    }

    @Test func punctuationBreaksAMatch() throws {
        #expect(try !matchesAny("should have <participle>", "It should. Have checked"))
        #expect(try !matchesAny("human error", "human (error)"))
        #expect(try !matchesAny("human error", "human\n\nerror"))
        #expect(try matchesAny("human error", "human\nerror")) // a soft line break is a space
        #expect(try matchesAny("human error", "**human** _error_")) // emphasis is ignored
    }

    @Test func people() throws {
        let p = "<person> fail~ to"
        for text in ["The on-call engineer failed to", "Our DBA failed to", "the payments team failed to", "Ops failed to", "She failed to", "Priya failed to", "Alex Kim failed to", "The primary on-call failed to", "Engineers failed to"] {
            #expect(try matchesAny(p, text), "\(text)")
        }
        for text in ["The job failed to", "The Kafka controller failed to", "Three etcd members failed to", "priya failed to", "The deploy failed to"] {
            #expect(try !matchesAny(p, text), "\(text)")
        }
        #expect(try matchesAny("why did <other>", "why did they"))
        #expect(try !matchesAny("why did <other>", "why did we"))
        #expect(try matchesAny("fire~ <object>", "fire the contractor"))
        #expect(try !matchesAny("fire~ <object>", "fire drill"))
        #expect(try matchesAny("<pronoun> forgot", "someone forgot"))
    }

    @Test func names() throws {
        #expect(try matches("<name> broke", "Tom broke it; tom broke it; TOM BROKE IT", names: ["Tom"]) == ["Tom broke", "TOM BROKE"])
        #expect(try matches("<name> broke", "Alex Kim broke it", names: ["Alex Kim"]) == ["Alex Kim broke"])
        #expect(try matches("<name> broke", "Łukasz broke it", names: ["Łukasz"]) == ["Łukasz broke"])
        #expect(try !matchesAny("<name> broke", "Justin broke it")) // not a known name
        #expect(try !matchesAny("<name> broke", "Tom's change broke it")) // the name is not the subject
    }

    @Test func participles() throws {
        let p = "should have <participle>"
        for text in ["should have checked", "should have known", "should have run", "should have been", "should have double-checked", "should have caught"] {
            #expect(try matchesAny(p, text), "\(text)")
        }
        for text in ["should have no impact", "should have a replication factor", "should have seven replicas", "should have even more", "should have at least two"] {
            #expect(try !matchesAny(p, text), "\(text)")
        }
    }

    @Test func exceptionsCancelOverlappingFindings() throws {
        #expect(try matches("clearly", "Clearly a bad idea; clearly labelled.", exceptions: ["clearly label~"]) == ["Clearly"])
        #expect(try matches("disciplinary", "not part of any disciplinary process", exceptions: ["not [part of] [a|any] disciplinary"]).isEmpty)
        // An exception only cancels the findings it overlaps.
        #expect(try matches("disciplinary", "No disciplinary action. Disciplinary action follows.", exceptions: ["no disciplinary"]) == ["Disciplinary"])
    }

    @Test func overlappingMatchesOfOneRuleMerge() throws {
        let c = try checker([rule("r", ["should have", "have <participle>"])])
        #expect(c.check("We should have checked.").map(\.matchedText) == ["should have checked"])
    }

    @Test func disabledRulesDoNotFire() throws {
        let c = try checker([rule("off", ["human error"], enabled: false), rule("on", ["sloppy"])])
        #expect(c.check("human error, sloppy").map(\.ruleID) == ["on"])
    }

    @Test func emptyAndOddInput() throws {
        let c = try checker(categoryRules)
        #expect(c.check("").isEmpty)
        #expect(c.check("\n\n \t").isEmpty)
        #expect(c.check("```").isEmpty)
        #expect(c.check("`````` ` `` \" “ ’ - ‑ 🚒 \u{FEFF}").isEmpty)
        #expect(c.check(String(repeating: "a", count: 10_000)).isEmpty)
        #expect(c.check(String(repeating: "`x", count: 5_000)).isEmpty)
    }
}

// MARK: - What is skipped

@Suite struct LanguageSkippingTests {
    let text = """
    Intro line.

    ```
    we should have checked the logs
    ```

    Run `should have checked` here. See https://example.com/should-have-checked and www.example.com/root-cause.
    Also status.example.com/root-cause/123 and <https://x.example/human-error>.

    > 03:12 tom: I messed up, should have checked
    > quoting more

    He said "we should have checked" and “we should have caught it”.
    """

    @Test func skipsCodeURLsAndBlockQuotesByDefault() throws {
        let c = try checker([rule("r", ["should have <participle>", "root-cause~", "human error"])])
        let found = c.check(text).map(\.matchedText)
        // Only the quoted speech is checked by default: a reported threat or
        // label is still in the review.
        #expect(found == ["should have checked", "should have caught"])
    }

    @Test func eachSkipCanBeSwitchedOff() throws {
        let c = try checker([rule("r", ["should have <participle>", "root-cause~", "human error"])])
        var options = CheckOptions.default
        options.skipCode = false
        #expect(c.check(text, options: options).count == 4) // fence + inline + 2 speech
        options = .default
        options.skipURLs = false
        #expect(c.check(text, options: options).map(\.matchedText).filter { $0.lowercased().contains("root") || $0.contains("human") }.count == 3)
        options = .default
        options.skipQuotes = false
        #expect(c.check(text, options: options).count == 3)
        options = .default
        options.skipQuotedSpeech = true
        #expect(c.check(text, options: options).isEmpty)
        #expect(c.check(text, options: .everything).count == 9)
    }

    @Test func unclosedCodeAndQuotesAreText() throws {
        let c = try checker([rule("r", ["human error"])])
        #expect(c.check("a ` human error").count == 1)
        #expect(c.check("a `x\n\nhuman error` b").count == 1) // a code span ends at a blank line
        var options = CheckOptions.default
        options.skipQuotedSpeech = true
        #expect(c.check("5\" human error", options: options).count == 1)
        #expect(c.check("“human error", options: options).count == 1)
    }

    @Test func tildeFencesAndLongFences() throws {
        let c = try checker([rule("r", ["human error"])])
        #expect(c.check("~~~\nhuman error\n~~~\nhuman error").count == 1)
        #expect(c.check("````\n```\nhuman error\n````\nafter").isEmpty)
        #expect(c.check("   > human error").isEmpty)
        #expect(c.check("    > human error").count == 1) // indented code, not a quote
    }
}

// MARK: - Positions

@Suite struct LanguagePositionTests {
    @Test func lineColumnAndRange() throws {
        let text = "First line.\nSecond: it was human error.\n"
        let f = try #require(try checker([rule("r", ["human error"])]).check(text).first)
        #expect(f.line == 2)
        #expect(f.column == 16)
        #expect(f.matchedText == "human error")
        #expect(utf16Slice(text, f.range) == "human error")
        #expect(f.ruleID == "r")
        #expect(f.message == "Why r hurts learning.")
        #expect(f.suggestions == ["Rewrite r."])
    }

    @Test func nonASCIIBeforeTheMatch() throws {
        // é is one Character and one UTF-16 unit; 🚒 one Character and two
        // units; 👩‍🚒 one Character and five units.
        let text = "Café 🚒 👩‍🚒 — human error\nnaïve “human error”"
        let found = try checker([rule("r", ["human error"])]).check(text)
        #expect(found.count == 2)
        #expect(found[0].line == 1)
        #expect(found[0].column == 12)
        #expect(utf16Slice(text, found[0].range) == "human error")
        #expect(found[1].line == 2)
        #expect(found[1].column == 8)
        #expect(utf16Slice(text, found[1].range) == "human error")
    }

    @Test func crlfAndSeveralFindingsOnALine() throws {
        let text = "a\r\nb\r\nhuman error, human error and sloppy\rhuman error"
        let found = try checker([rule("a", ["human error"]), rule("b", ["sloppy"])]).check(text)
        #expect(found.map(\.line) == [3, 3, 3, 4])
        #expect(found.map(\.column) == [1, 14, 30, 1])
        for f in found { #expect(utf16Slice(text, f.range) == f.matchedText) }
    }

    @Test func contractionMatchCoversTheWholeWord() throws {
        let text = "They shouldn’t have waited."
        let f = try #require(try checker([rule("r", ["should not have <participle>"])]).check(text).first)
        #expect(f.matchedText == "shouldn’t have waited")
        #expect(utf16Slice(text, f.range) == f.matchedText)
    }

    @Test func findingsAreInTextOrder() throws {
        let found = try checker(categoryRules).check("Obviously Priya broke it. The root cause was human error.")
        #expect(found.map(\.range.lowerBound) == found.map(\.range.lowerBound).sorted())
        #expect(Set(found.map(\.category)) == ["hindsight", "named_blame", "root_cause", "error_label"])
    }
}

// MARK: - Rules that cannot compile

@Suite struct LanguageRuleErrorTests {
    private func error(_ patterns: [String], exceptions: [String] = []) -> LanguageRuleError? {
        do {
            _ = try LanguageChecker(rules: [rule("bad-rule", patterns, exceptions: exceptions)])
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("just [", "not closed"),
        ("just ]", "closes nothing"),
        ("<persn> forgot", "unknown class"),
        ("* forgot", "cannot start"),
        ("... forgot", "cannot start"),
        ("forgot ...", "cannot end"),
        ("[just]", "optional"),
        ("forgot | missed", "space"),
        ("forgot| missed", "space"),
        ("(a||b)", "empty alternative"),
        ("()", "empty group"),
        ("forgot?", "unexpected"),
        ("-fat", "hyphen"),
        ("didn't~", "plain word"),
        ("", "empty"),
    ])
    func badPatternIsRejectedAtInit(pattern: String, problem: String) throws {
        let e = try #require(error([pattern]))
        #expect(e.ruleID == "bad-rule")
        #expect(e.pattern == pattern)
        #expect(e.message.contains(problem), "\(e.message)")
        #expect(e.description.hasPrefix("rule \"bad-rule\": pattern \"\(pattern)\": "))
    }

    @Test func badExceptionIsRejected() throws {
        let e = try #require(error(["fine"], exceptions: ["[oops"]))
        #expect(e.pattern == "[oops")
        #expect(e.message.contains("exception"))
    }

    @Test func ruleLevelProblems() throws {
        #expect(throws: LanguageRuleError.self) { try LanguageChecker(rules: [rule("a", ["x"]), rule("a", ["y"])]) }
        #expect(throws: LanguageRuleError.self) { try LanguageChecker(rules: [rule("a", [])]) }
        #expect(throws: LanguageRuleError.self) { try LanguageChecker(rules: [rule("", ["x"])]) }
        // A switched-off rule is still checked.
        #expect(throws: LanguageRuleError.self) { try LanguageChecker(rules: [rule("a", ["x ["], enabled: false)]) }
        #expect(throws: Never.self) { try LanguageChecker.validate(pattern: "forgot|missed [to]", ruleID: "a") }
        #expect(throws: LanguageRuleError.self) { try LanguageChecker.validate(pattern: "forgot [to", ruleID: "a") }
    }

    @Test func tooBroadPatternIsRejected() throws {
        let group = "[" + (1...20).map { "w\($0) x\($0)" }.joined(separator: "|") + "]"
        let e = try #require(error(["start " + Array(repeating: group, count: 4).joined(separator: " ")]))
        #expect(e.message.contains("split it"))
    }
}

// MARK: - Types

@Test func levelsAreOrdered() {
    #expect(LanguageLevel.suggestion < LanguageLevel.warning)
    #expect(LanguageLevel.allCases.max() == .warning)
}

@Test func findingsAreCodable() throws {
    let f = try #require(try checker(categoryRules).check("Heads will roll.").first)
    let data = try JSONEncoder().encode(f)
    #expect(try JSONDecoder().decode(LanguageFinding.self, from: data) == f)
}

@Test func evaluationScoresBySentenceAndCategory() throws {
    let c = try checker(categoryRules)
    let cases = [
        EvaluationCase(sentence: "Priya broke it, obviously.", categories: ["named_blame", "hindsight"]),
        EvaluationCase(sentence: "The root cause was human error.", categories: ["root_cause"]), // error_label unexpected
        EvaluationCase(sentence: "The cache was cold.", categories: ["personal_failure"]), // missed
        EvaluationCase(sentence: "Requests failed over to the replica.", categories: []),
    ]
    let report = LanguageEvaluation.run(c, cases: cases)
    #expect(report.overall.truePositives == 3)
    #expect(report.overall.falsePositives == 1)
    #expect(report.overall.falseNegatives == 1)
    #expect(report.overall.precision == 0.75)
    #expect(report.overall.recall == 0.75)
    #expect(report.falsePositives == [EvaluationMiss(sentence: "The root cause was human error.", category: "error_label", matchedText: ["human error"])])
    #expect(report.falseNegatives.map(\.category) == ["personal_failure"])
    let pf = try #require(report.perCategory.first { $0.category == "personal_failure" })
    #expect(pf.precision == 1 && pf.recall == 0)
    #expect(report.perCategory.map(\.category) == report.perCategory.map(\.category).sorted())
}

@Test func corpusParsingNamesTheBadLine() throws {
    let cases = try LanguageEvaluation.parseCorpus("{\"sentence\": \"a\", \"categories\": []}\n\n{\"sentence\": \"b\", \"categories\": [\"x\"]}\n")
    #expect(cases == [EvaluationCase(sentence: "a", categories: []), EvaluationCase(sentence: "b", categories: ["x"])])
    #expect(throws: EvaluationCorpusError(line: 2, message: "expected {\"sentence\": \"…\", \"categories\": [\"…\"]}")) {
        try LanguageEvaluation.parseCorpus("{\"sentence\": \"a\", \"categories\": []}\nnot json")
    }
}
