import Foundation
import Testing
@testable import LoreImport
import LoreCore

/// The problems a rules file is rejected with; records an issue if it is accepted.
private func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [RuleFileError.Problem] {
    do {
        let content = try LanguageRuleFile.parse(text, fileName: "org-rules.yaml")
        Issue.record("expected the file to be rejected, got \(content)", sourceLocation: sourceLocation)
        return []
    } catch {
        #expect(error.fileName == "org-rules.yaml", sourceLocation: sourceLocation)
        return error.problems
    }
}

private let names = ["Priya", "Tom", "Alex", "Jordan", "Maria", "Chen", "Sam", "Fatima", "Lukas", "Aisha"]

private func defaultChecker() throws -> LanguageChecker {
    try LanguageChecker(rules: try LanguageRuleFile.defaultRules(), knownNames: names)
}

// MARK: - Defaults

@Suite struct DefaultRulesTests {
    @Test func defaultsLoadAndCompile() throws {
        let rules = try LanguageRuleFile.defaultRules()
        #expect(Set(rules.map(\.id)).count == rules.count)
        #expect(Set(rules.map(\.category)) == [
            "counterfactual", "personal_failure", "error_label", "self_blame", "sanction",
            "root_cause", "hindsight", "why_you", "put_down", "named_blame",
        ])
        for rule in rules {
            #expect(rule.enabled, "\(rule.id)")
            #expect(rule.message.count > 60, "\(rule.id): the message should say why")
            #expect(!rule.suggestions.isEmpty, "\(rule.id)")
            #expect(!rule.message.hasSuffix("\n"), "\(rule.id)")
        }
        _ = try defaultChecker()
    }

    @Test(arguments: [
        ("We should’ve caught the expired certificate during the review.", "counterfactual"),
        ("Had they read the upgrade notes, the reassignment would not have stalled.", "counterfactual"),
        ("The on-call engineer forgot to check the dashboards.", "personal_failure"),
        ("They didn't follow the runbook for rotating credentials.", "personal_failure"),
        ("It’s a classic case of operator error.", "error_label"),
        ("Leaving the bucket public was negligent.", "error_label"),
        ("I fat‑fingered a zero into the rate limit.", "self_blame"),
        ("This one’s all on me.", "self_blame"),
        ("Whoever deleted the bucket should be let go.", "sanction"),
        ("Management is considering disciplinary action.", "sanction"),
        ("We root-caused it to the load balancer health check.", "root_cause"),
        ("The outage was caused by him restarting the primary.", "root_cause"),
        ("It was easy to see the certificate was about to expire.", "hindsight"),
        ("Just restart it next time.", "hindsight"),
        ("Why’d you turn off the alert?", "why_you"),
        ("WHY did you delete the namespace?", "why_you"),
        ("Some moron hard-coded the prod password.", "put_down"),
        ("What was she thinking with that firewall rule?", "put_down"),
        ("Lukas brought the checkout API down during the failover.", "named_blame"),
        ("It was Tom who broke the build.", "named_blame"),
        // Slips and hindsight judgements as published summaries write them (issue 17):
        // the person named, described or only implied by the passive.
        ("A value in the rate-limit configuration was fat-fingered by the operator.", "personal_failure"),
        ("The decommission command was mistyped and targeted the active pool.", "personal_failure"),
        ("An engineer on the storage team mistakenly entered a larger set of servers.", "personal_failure"),
        ("The wrong cluster was targeted by an engineer running the cleanup script.", "personal_failure"),
        ("The export job was disabled in error by a member of the data team.", "personal_failure"),
        ("The deprecation notice was overlooked by the platform team.", "personal_failure"),
        ("Nobody bothered to check whether the replica had caught up.", "personal_failure"),
        ("The change was poorly tested before it reached every region.", "hindsight"),
        ("Insufficient care was taken when editing the load balancer.", "error_label"),
        ("The deletion was due to a mistake of the engineer on duty.", "error_label"),
        ("If she had waited for the canary metrics, the build would never have shipped.", "counterfactual"),
        ("The engineer involved has been removed from the on-call rotation.", "sanction"),
        ("Production access was revoked for the individual involved.", "sanction"),
        ("Why did Jordan skip the canary?", "why_you"),
    ])
    func defaultsFlagEachCategory(text: String, category: String) throws {
        let found = try defaultChecker().check(text)
        #expect(found.contains { $0.category == category }, "\(text) -> \(found.map { "\($0.category): \($0.matchedText)" })")
    }

    /// The issue's look-alikes, and others, against the shipped rules.
    @Test(arguments: [
        "The change should have no impact on p99 latency.",
        "We mounted the root filesystem read-only.",
        "Requests that failed over to the replica saw 80 ms of extra latency.",
        "The just-in-time compiler warmed up after about two minutes.",
        "The job failed to start because the image was missing from the registry.",
        "The dashboard is clearly labelled with the region and environment.",
        "Each tenant could have up to fifty webhooks configured.",
        "If only one zone is affected, drain that zone and wait.",
        "The cron job fired at 02:00 as scheduled.",
        "Tom broke down the timeline by service for the review.",
        "Why didn’t the failover trigger automatically?",
        "How did you decide when to roll back?",
        "The serial console behaves like a dumb terminal.",
        "The error budget was exhausted by Wednesday.",
        "The pager is on me this week.",
        "Heads-up: the maintenance window moves to Thursday.",
        "Anyone know who owns the billing cron?",
        "We could not have known the vendor changed the format.",
        "What would have told us sooner?",
        "How might have the alert reached the right team?",
        "Authorisations that would have succeeded were reported as declines.",
        "We looked for a migration that might have written unusual amounts of data.",
        "These conditions combined; none of them alone would have produced the incident.",
        "The primary simply stopped accepting connections.",
        "We had just deployed the new version when the alerts started.",
        // Look-alikes of the slip and hindsight rules: systems, states and neutral actions.
        "The job inadvertently matched more rows than intended because the filter was empty.",
        "The cache accidentally served stale entries for ten minutes.",
        "A mistyped column in the schema was rejected by the validator.",
        "A typo in the config file was found by the linter before the deploy.",
        "The load balancer did something nobody intended: it retried every POST.",
        "The pod stayed in error until the volume was reattached.",
        "The host was removed from the load-balancer rotation after two failed checks.",
        "The leaked tokens were revoked within the hour.",
        "Inadequate capacity in the eu-west pool caused the queueing.",
        "The certificate manager missed its renewal window because the challenge record had not propagated.",
        "The alert would have fired if the threshold had been 80%.",
        "A retry would have masked the error for another hour.",
        "What if you forget to drain the node before the upgrade?",
        "The deploy was rolled back by the on-call engineer at 14:20.",
        "If the queue had more than 1,000 items, the alert paged the on-call.",
    ])
    func defaultsLeaveLookAlikesClean(text: String) throws {
        let found = try defaultChecker().check(text)
        #expect(found.isEmpty, "\(text) -> \(found.map { "\($0.ruleID): \($0.matchedText)" })")
    }

    /// The measured quality bar from the issue, on the team's corpus.
    @Test(.enabled(if: corpusURL != nil)) func defaultsMeetTheCorpusBar() throws {
        let text = try String(contentsOf: try #require(corpusURL), encoding: .utf8)
        let cases = try LanguageEvaluation.parseCorpus(text)
        let report = LanguageEvaluation.run(try defaultChecker(), cases: cases)
        #expect(cases.count >= 400)
        #expect(report.overall.precision >= 0.90, "\(report.falsePositives)")
        #expect(report.overall.recall >= 0.85, "\(report.falseNegatives)")
    }
}

/// The same bar on 120 sentences written after the rules, in the style of
/// published incident summaries, by someone who had not read the rules.
@Test func defaultsMeetTheBarOnPublishedStyleTextWrittenAfterTheRules() throws {
    let url = try #require(corpusURL).deletingLastPathComponent().appendingPathComponent("heldout-published.jsonl")
    let cases = try LanguageEvaluation.parseCorpus(try String(contentsOf: url, encoding: .utf8))
    let report = LanguageEvaluation.run(try defaultChecker(), cases: cases)
    #expect(cases.count >= 100)
    #expect(report.overall.precision >= 0.90, "\(report.falsePositives)")
    #expect(report.overall.recall >= 0.90, "\(report.falseNegatives)")
}

/// Tests/Fixtures/language/corpus.jsonl, found from this file (through a
/// symbolic link if need be).
private let corpusURL: URL? = {
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    let url = here.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/language/corpus.jsonl")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
}()

// MARK: - Parsing

@Suite struct RuleFileParsingTests {
    let orgFile = """
    # Acme's additions
    rules:
      - id: acme-cowboy
        category: put_down
        level: warning
        patterns:
          - 'cowboy~'
          - 'yolo [deploy~]'
        exceptions: ['cowboy boots']
        message: Labels like this describe a person, not what happened.
        suggestions:
          - Describe the change and how it was made.
    overrides:
      - id: hindsight-just
        enabled: false
      - id: root-cause
        level: warning
    """

    @Test func parsesRulesAndOverrides() throws {
        let content = try LanguageRuleFile.parse(orgFile, fileName: "acme.yaml")
        #expect(content.fileName == "acme.yaml")
        #expect(content.rules == [LanguageRule(
            id: "acme-cowboy", category: "put_down", patterns: ["cowboy~", "yolo [deploy~]"],
            message: "Labels like this describe a person, not what happened.",
            suggestions: ["Describe the change and how it was made."], level: .warning, exceptions: ["cowboy boots"]
        )])
        #expect(content.overrides == [
            .init(id: "hindsight-just", enabled: false, line: 14),
            .init(id: "root-cause", level: .warning, line: 16),
        ])
        #expect(content.ruleLines == ["acme-cowboy": 3])
    }

    @Test func malformedYAMLNamesFileAndLine() {
        let found = problems("rules:\n  - id: x\n    patterns: [a, b\n    message: m\n")
        #expect(found.count == 1)
        #expect(found.first?.line != nil)
        #expect(found.first?.message.contains("not valid YAML") == true)
        do {
            _ = try LanguageRuleFile.parse("rules:\n\t- id: x\n", fileName: "tabs.yaml")
            Issue.record("accepted a tab")
        } catch {
            #expect(error.description.hasPrefix("tabs.yaml:2: "))
            #expect(error.description.contains("tabs"))
        }
    }

    @Test func unknownKeysAreErrorsWithTheirLines() {
        let found = problems("""
        rules:
          - id: a
            category: hindsight
            patterns: [obviously]
            message: Why.
            leve: warning
        override: []
        """)
        #expect(found.map(\.line) == [6, 7])
        #expect(found[0].message == "rule \"a\": unknown key \"leve\" (did you mean \"level\"?); accepted keys: id, category, patterns, message, suggestions, level, exceptions and enabled")
        #expect(found[1].message.contains("unknown top-level key \"override\" (did you mean \"overrides\"?)"))
    }

    @Test func badPatternIsRejectedAtLoadWithItsLine() {
        let found = problems("""
        rules:
          - id: a
            category: hindsight
            message: Why.
            patterns:
              - 'obviously'
              - 'just ['
            exceptions:
              - '<nobody> knows'
        """)
        #expect(found.map(\.line) == [7, 9])
        #expect(found[0].message.hasPrefix("rule \"a\": pattern \"just [\": "))
        #expect(found[0].message.contains("not closed"))
        #expect(found[1].message.contains("exception \"<nobody> knows\": unknown class"))
    }

    @Test func missingAndInvalidFields() {
        let found = problems("""
        rules:
          - id: Bad Id
            category: hindsight
            patterns: [obviously]
            message: Why.
          - category: x
            patterns: []
          - id: b
            category: hindsight
            patterns: obviously
            message: Why.
            level: loud
            enabled: maybe
          - id: b
            category: hindsight
            patterns: [x]
            message: Why.
          - just text
        """)
        let messages = found.map { "\($0.line ?? 0): \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("2: rule \"Bad Id\": the id may hold only") })
        #expect(messages.contains { $0.hasPrefix("6: rule #2: id is required") })
        #expect(messages.contains { $0.hasPrefix("6: rule #2: message is required") })
        #expect(messages.contains { $0.hasPrefix("7: rule #2: patterns is empty") })
        #expect(messages.contains { $0.hasPrefix("12: rule \"b\": level \"loud\" is not one of suggestion or warning") })
        #expect(messages.contains { $0.hasPrefix("13: rule \"b\": enabled must be true or false") })
        #expect(messages.contains { $0.hasPrefix("14: rule \"b\": the id is already used by the rule on line 8") })
        #expect(messages.contains { $0.hasPrefix("18: rule #5 must be a mapping") })
    }

    @Test func fileLevelProblems() {
        #expect(problems("").map(\.message) == ["the file is empty; expected a mapping with the keys rules and overrides"])
        #expect(problems("- a\n- b\n").map(\.line) == [1])
        #expect(problems("rules: 3\n").first?.message.contains("rules must be a list") == true)
        #expect(problems("overrides:\n  - id: x\n").first?.message.contains("say what to change") == true)
        #expect(problems("overrides:\n  - level: warning\n    colour: red\n").count == 2)
    }
}

// MARK: - Merging

@Suite struct RuleFileMergeTests {
    @Test func organisationAddsChangesAndDisables() throws {
        let defaults = try LanguageRuleFile.defaultRules()
        let org = try LanguageRuleFile.parse("""
        rules:
          - id: acme-cowboy
            category: put_down
            patterns: ['cowboy~']
            message: Labels like this describe a person, not what happened.
            suggestions: [Describe the change.]
        overrides:
          - id: hindsight-just
            enabled: false
          - id: root-cause
            level: warning
        """, fileName: "acme.yaml")
        let merged = try LanguageRuleFile.merge(defaults: defaults, with: org)
        #expect(merged.count == defaults.count + 1)
        #expect(merged.map(\.id).prefix(defaults.count).elementsEqual(defaults.map(\.id)))
        #expect(merged.first { $0.id == "hindsight-just" }?.enabled == false)
        #expect(merged.first { $0.id == "root-cause" }?.level == .warning)

        let checker = try LanguageChecker(rules: merged, knownNames: names)
        let found = checker.check("A cowboy deploy; just restart it; the root cause was DNS.")
        #expect(found.map(\.ruleID) == ["acme-cowboy", "root-cause"])
        #expect(found.last?.level == .warning)
    }

    @Test func overridesCanTargetTheOrganisationsOwnRules() throws {
        let org = try LanguageRuleFile.parse("""
        rules:
          - id: acme-yolo
            category: hindsight
            patterns: [yolo]
            message: Why it hurts.
        overrides:
          - id: acme-yolo
            enabled: off
        """, fileName: "acme.yaml")
        let merged = try LanguageRuleFile.merge(defaults: [], with: org)
        #expect(merged.map(\.enabled) == [false])
    }

    @Test func mergeProblemsNameFileAndLine() throws {
        let org = try LanguageRuleFile.parse("""
        rules:
          - id: root-cause
            category: root_cause
            patterns: ['the cause']
            message: Mine.
        overrides:
          - id: hindsight-jst
            level: warning
          - id: sanction
            level: suggestion
          - id: sanction
            enabled: false
        """, fileName: "acme.yaml")
        let defaults = try LanguageRuleFile.defaultRules()
        do {
            _ = try LanguageRuleFile.merge(defaults: defaults, with: org)
            Issue.record("merged a file with problems")
        } catch {
            #expect(error.fileName == "acme.yaml")
            #expect(error.problems.map(\.line) == [2, 7, 11])
            #expect(error.description.contains("acme.yaml:2: rule \"root-cause\": a default rule has this id"))
            #expect(error.description.contains("acme.yaml:7: override: there is no rule \"hindsight-jst\" (did you mean \"hindsight-just\"?)"))
            #expect(error.description.contains("acme.yaml:11: override: rule \"sanction\" is already overridden on line 9"))
        }
    }

    @Test func aBrokenOrganisationFileFallsBackToTheDefaults() throws {
        let defaults = try LanguageRuleFile.defaultRules()
        let (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: "rules:\n  - id: [\n", fileName: "acme.yaml")
        #expect(rules == defaults)
        #expect(problem?.fileName == "acme.yaml")
        let (same, none) = try LanguageRuleFile.effectiveRules(organisationFile: nil, fileName: "acme.yaml")
        #expect(same == defaults && none == nil)
    }
}

/// The demo is what a newcomer reads first: its own reviews, written the way
/// Lore recommends, must not be flagged by Lore's own rules.
@Test func theDemosOwnReviewsRaiseNoWordingFinding() throws {
    let (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: nil, fileName: "")
    #expect(problem == nil)
    let demo = DemoData.generate(now: Date(timeIntervalSince1970: 1_780_000_000))
    let checker = try LanguageChecker(rules: rules, knownNames: demo.users.map(\.displayName))
    var flagged: [String] = []
    for incident in demo.incidents {
        guard let review = incident.review else { continue }
        for (section, text) in review.sections {
            for f in checker.check(text) { flagged.append("\(incident.title) / \(section): “\(f.matchedText)” (\(f.ruleID))") }
        }
    }
    #expect(flagged.isEmpty, "\(flagged.prefix(10).joined(separator: "\n"))")
}
