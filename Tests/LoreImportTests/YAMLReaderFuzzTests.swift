import Foundation
import Testing
@testable import LoreImport
import LoreCore

// What the catalog-yaml and rules-yaml fuzz targets (Fuzz/Targets/) found in
// the two YAML readers, and the limit on aliases they now share.

/// `a0: &a0 [x, ×10]`, then `aN: &aN [*aN-1, ×10]` for N = 1...levels: the
/// last anchor stands for 10^(levels + 1) scalars.
private func laughs(levels: Int) -> String {
    var lines = ["a0: &a0 [" + Array(repeating: "x", count: 10).joined(separator: ", ") + "]"]
    for n in 1...levels {
        lines.append("a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ") + "]")
    }
    return lines.joined(separator: "\n") + "\n"
}

private func catalogProblems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [CatalogFileError.Problem] {
    do {
        let file = try CatalogFile.parse(text, fileName: "catalog.yaml")
        Issue.record("expected the file to be rejected, got \(file)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

private func ruleProblems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [RuleFileError.Problem] {
    do {
        let content = try LanguageRuleFile.parse(text, fileName: "rules.yaml")
        Issue.record("expected the file to be rejected, got \(content)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

// The time limits catch a reader that does not finish (before the alias limit
// the nested file never did); they are generous because a test's clock runs
// while it waits for a thread behind the suite's long tests on a loaded
// 2-core machine (99 s seen once, for 0.1 s of work). The messages checked
// below fail a reader that finishes slowly by reporting too much.
@Suite struct YAMLAliasLimitTests {
    /// Nested aliases ("billion laughs"): Yams resolves an alias to the node
    /// it names, and hashes every node of a mapping key, so before the limit
    /// this 10-line file (10^9 scalars as a key) did not finish; each line
    /// of aliases made it five to ten times slower.
    @Test(.timeLimit(.minutes(4))) func nestedAliasesAreRefusedBeforeTheParse() {
        // a0 counts 21 (one node and ten of two), a1 211, a2 2111, a3 21111;
        // the aliases of a1...a3 add 23430, so the 4th *a3, on line 5, is over.
        let catalog = catalogProblems(laughs(levels: 8) + "? *a8\n: 1\n")
        #expect(catalog.map(\.line) == [5])
        #expect(catalog.first?.message == "the alias *a3 goes over the limit for aliases: with it, the aliases in the file stand for more than 100000 characters; write the values out, or use fewer aliases")

        let rules = ruleProblems(laughs(levels: 8) + "rules: *a8\n")
        #expect(rules.map(\.line) == [5])
        #expect(rules.first?.message.hasPrefix("the alias *a3 goes over the limit for aliases") == true)
    }

    /// Aliases of one big mapping in a list: the reader reported each of its
    /// keys for each alias (2000 keys × 8000 aliases in 61 kB: over 100 s).
    @Test(.timeLimit(.minutes(4))) func aliasesOfABigMappingAreRefused() {
        let keys = (0..<2000).map { "k\($0): 1" }.joined(separator: ", ")
        let text = "x: &m {\(keys)}\nteams: [" + Array(repeating: "*m", count: 8000).joined(separator: ", ") + "]\n"
        let found = catalogProblems(text)
        #expect(found.map(\.line) == [2])
        #expect(found.first?.message.hasPrefix("the alias *m goes over the limit") == true)
    }

    /// The limit counts one per node plus the bytes of each scalar.
    @Test func theLimitIsExact() throws {
        // The anchored scalar counts 1000: limit / 1000 aliases of it are fine, one more is not.
        let count = YAMLAliasLimit.limit / 1000
        func file(_ aliases: Int) -> String {
            """
            rules:
              - id: acme-long
                category: hindsight
                patterns: [obviously]
                message: &m \(String(repeating: "w", count: 999))
                suggestions: [\(Array(repeating: "*m", count: aliases).joined(separator: ", "))]
            """
        }
        let content = try LanguageRuleFile.parse(file(count), fileName: "rules.yaml")
        #expect(content.rules.first?.suggestions.count == count)
        #expect(content.rules.first?.suggestions.last == String(repeating: "w", count: 999))

        let found = ruleProblems(file(count + 1))
        #expect(found.map(\.line) == [6])
        #expect(found.first?.message.hasPrefix("the alias *m goes over the limit") == true)
    }

    @Test func anchorsAndAliasesStillWork() throws {
        let aliased = """
        teams:
          - name: Payments
            members: &people [maya@example.com, ana@example.com]
          - name: Payments On-call
            members: *people
        services:
          - name: Checkout
            paged: &primary [payments, payments-on-call]
          - name: Refunds
            paged: *primary
        """
        let written = aliased
            .replacingOccurrences(of: "&people ", with: "")
            .replacingOccurrences(of: "*people", with: "[maya@example.com, ana@example.com]")
            .replacingOccurrences(of: "&primary ", with: "")
            .replacingOccurrences(of: "*primary", with: "[payments, payments-on-call]")
        let file = try CatalogFile.parse(aliased, fileName: "catalog.yaml")
        #expect(try file == CatalogFile.parse(written, fileName: "catalog.yaml"))
        #expect(file.teams[1].members.map(\.email) == ["maya@example.com", "ana@example.com"])
        #expect(file.services[1].input.pagedTeams == ["payments", "payments-on-call"])

        let rules = try LanguageRuleFile.parse("""
        rules:
          - id: acme-hero
            category: &put-down put_down
            patterns: ['hero']
            message: &label Labels describe a person, not what happened.
          - id: acme-rock-star
            category: *put-down
            patterns: ['rock star']
            message: *label
        """, fileName: "rules.yaml")
        #expect(rules.rules.map(\.category) == ["put_down", "put_down"])
        #expect(rules.rules[1].message == "Labels describe a person, not what happened.")
    }

    /// The sizing parses a copy with every `*` made a `;`; a `*` that is text
    /// stays text, and syntax errors keep their lines.
    @Test func starsInTextAndBrokenAliases() throws {
        let content = try LanguageRuleFile.parse("""
        rules:
          - id: acme-bus
            category: put_down
            patterns: ['threw * under the bus', 'took * [*] down']
            message: Say what happened *to the system*, not who.
            suggestions: ["*Describe* the change"]
        """, fileName: "rules.yaml")
        #expect(content.rules.first?.patterns == ["threw * under the bus", "took * [*] down"])
        #expect(content.rules.first?.message == "Say what happened *to the system*, not who.")
        #expect(content.rules.first?.suggestions == ["*Describe* the change"])

        let bare = catalogProblems("teams:\n  - name: *\n")
        #expect(bare.map(\.line) == [2])
        #expect(bare.first?.message.hasPrefix("not valid YAML: did not find expected alphabetic or numeric character") == true)

        let undefined = catalogProblems("teams:\n  - name: Ops\n    members: *nobody\n")
        #expect(undefined.map(\.line) == [3])
        #expect(undefined.first?.message.contains("found undefined alias") == true)
    }
}

@Suite struct YAMLErrorLineTests {
    /// Found by the catalog-yaml fuzz target
    /// (Fuzz/crashes/catalog-yaml/error-line-after-last-line): libyaml puts
    /// an error at the end of a file on the line after the last one (line 4
    /// of a 3-line file).
    @Test func anErrorAtTheEndIsOnTheLastLine() {
        let catalog = catalogProblems("teams:\n  - name: Payments\n    slug:mentsments")
        #expect(catalog.map(\.line) == [3])
        #expect(catalog.first?.message.hasPrefix("not valid YAML: could not find expected ':'") == true)

        let rules = ruleProblems("rules:\n  - id: x\n    patterns:oops")
        #expect(rules.map(\.line) == [3])

        // With a final line break, the empty line after it is not a line either.
        #expect(catalogProblems("teams:\n  - name: \"Payments\n").map(\.line) == [2])
    }

    @Test func lastLineCountsLibyamlsBreaks() {
        #expect(YAMLLines.last(in: "") == 1)
        #expect(YAMLLines.last(in: "a") == 1)
        #expect(YAMLLines.last(in: "a\n") == 1)
        #expect(YAMLLines.last(in: "a\n\n") == 2)
        #expect(YAMLLines.last(in: "a\r\nb\rc\u{2028}d\u{85}e") == 5)
        #expect(YAMLLines.last(in: "a\r\nb\rc\u{2029}d\n") == 4)
    }
}

@Suite struct RuleFilePatternCompileTests {
    /// Each pattern text is compiled once per file (a compile costs about
    /// 0.2 ms, whatever the pattern); every place it is used still reports.
    @Test func aBadPatternIsReportedWhereverItIsUsed() {
        let found = ruleProblems("""
        rules:
          - id: a
            category: hindsight
            message: Why.
            patterns: &bad ['just [']
          - id: b
            category: hindsight
            message: Why.
            patterns: ['just [', obviously]
            exceptions: *bad
        """)
        // Sorted by line, in the order found within a line; the alias's items
        // are on the line of the anchored list.
        #expect(found.map(\.line) == [5, 5, 9])
        let prefixes = ["rule \"a\": pattern \"just [\": ", "rule \"b\": exception \"just [\": ", "rule \"b\": pattern \"just [\": "]
        let details = zip(found, prefixes).map { problem, prefix in
            problem.message.hasPrefix(prefix) ? String(problem.message.dropFirst(prefix.count)) : "(\(problem.message))"
        }
        #expect(details.count == 3)
        #expect(Set(details).count == 1, "\(details)")
        #expect(found.first?.message.contains("not closed") == true)
    }
}
