import Foundation
import Testing

/// `lore lint` as a person runs it: the built binary, real files, exit codes.
@Suite("lore lint")
struct LintCommandTests {
    static func lint(_ args: [String], stdin: String? = nil) throws -> LoreCLI.Run {
        try LoreCLI.run(["lint"] + args, stdin: stdin)
    }

    func temp(_ name: String, _ content: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)-\(name)")
        try content.write(to: url)
        return url.path
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func reportsLikeACompilerWithTheRightExitCodes() throws {
        let file = try temp("review.md", Data("All fine at first.\nWe should have caught this earlier.\n\n```\nfailed to start\n```\n".utf8))
        let found = try Self.lint([file])
        #expect(found.status == 1)
        #expect(found.out.contains("\(file):2:4: suggestion:"))
        #expect(found.out.contains("[counterfactual"))
        #expect(found.out.contains("    suggestion: "))

        let json = try Self.lint([file, "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        #expect(list.count == 1 && list[0]["line"] as? Int == 2 && list[0]["category"] as? String == "counterfactual")

        #expect(try Self.lint([file, "--level", "warning"]).status == 0)  // only a suggestion
        #expect(try Self.lint([], stdin: "The change should have no impact on latency.").status == 0)
        #expect(try Self.lint(["-"], stdin: "It was human error.").status == 1)

        let binary = try temp("blob.bin", Data([0x00, 0xFF, 0xFE, 0x10]))
        let bad = try Self.lint([binary])
        #expect(bad.status == 2 && bad.err.contains(binary))
        let missing = try Self.lint(["/no/such/file.md"])
        #expect(missing.status == 2 && missing.err.contains("/no/such/file.md"))
        let rules = try temp("rules.yaml", Data("rules:\n  - id: x\n    patterns: [oops\n".utf8))
        let badRules = try Self.lint(["--rules", rules, file])
        #expect(badRules.status == 2 && (badRules.err.contains("rules.yaml:3") || badRules.err.contains("rules.yaml:4")))
        #expect(badRules.err.contains("default rules") && badRules.out.contains("[counterfactual"))  // still checked, with the defaults
        #expect(try Self.lint(["--format", "xml", file]).status == 2)
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func evaluatesTheCorpus() throws {
        let corpus = LoreCLI.root
            .appendingPathComponent("Tests/Fixtures/language/corpus.jsonl").path
        let r = try Self.lint(["--evaluate", corpus, "--names", "Priya,Tom,Alex,Jordan,Maria,Chen,Sam,Fatima,Lukas,Aisha", "--format", "json"])
        #expect(r.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let overall = try #require(report["overall"] as? [String: Any])
        #expect((overall["precision"] as? Double ?? 0) >= 0.90)
        #expect((overall["recall"] as? Double ?? 0) >= 0.85)
        #expect((report["categories"] as? [Any])?.count == 10)
    }
}
