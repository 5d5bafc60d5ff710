import ArgumentParser
import Foundation
import LoreCore
import LoreImport

/// `lore lint`: the blame-aware language checker on files, like a compiler.
struct Lint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check review text for blame, counterfactual and condescending language, and suggest rewrites.",
        discussion: """
            Prints findings as FILE:LINE:COL: LEVEL: MESSAGE [RULE] with the suggestion under it (or JSON).
            Exit codes: 0 no findings at or above --level, 1 findings, 2 usage, file or rules errors.
            With --evaluate CORPUS (JSON lines of {"sentence", "categories"}) it prints precision and recall instead.
            """)

    @Argument(help: "Files to check; - or none for standard input.") var files: [String] = []
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "An organisation rules file that adds rules, changes levels or switches rules off.") var rules: String?
    @Option(help: "Lowest level that counts: suggestion or warning.") var level: LanguageLevel = .suggestion
    @Option(help: "Names of people, comma-separated, for the named-person rule.") var names: String?
    @Option(help: "Evaluate the rules on a JSON-lines corpus and print precision and recall.") var evaluate: String?
    @Flag(help: "Also check quoted material and code.") var includeQuotes = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() async throws {
        let (checker, rulesProblem) = try Self.checker(rulesFile: rules, names: names?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
        if let rulesProblem {
            // Keep checking with the defaults, say so, and exit 2 at the end.
            FileHandle.standardError.write(Data("lore: \(rulesProblem)\nlore: the rules file was not used; checking with Lore's default rules.\n".utf8))
        }
        if let corpus = evaluate {
            try runEvaluation(checker, corpus: corpus)
            return
        }
        let options = includeQuotes ? CheckOptions.everything : CheckOptions.default
        let inputs = files.isEmpty ? ["-"] : files
        var all: [(String, LanguageFinding)] = []
        for file in inputs {
            let text = try Self.read(file)
            for f in checker.check(text, options: options) where f.level >= level { all.append((file == "-" ? "<stdin>" : file, f)) }
        }
        switch format {
        case .json:
            struct Row: Encodable {
                var file: String, line: Int, column: Int, start: Int, end: Int, level: String
                var rule: String, category: String, text: String, message: String, suggestions: [String]
            }
            printJSON(all.map { file, f in
                Row(file: file, line: f.line, column: f.column, start: f.range.lowerBound, end: f.range.upperBound, level: f.level.rawValue,
                    rule: f.ruleID, category: f.category, text: f.matchedText, message: f.message, suggestions: f.suggestions)
            })
        case .text:
            for (file, f) in all {
                print("\(file):\(f.line):\(f.column): \(f.level.rawValue): \(f.message) [\(f.ruleID)]")
                if let s = f.suggestions.first { print("    suggestion: \(s)") }
            }
        }
        if rulesProblem != nil { throw ExitCode(2) }
        if !all.isEmpty { throw ExitCode(1) }
    }

    /// Default rules, merged with an organisation's file. A malformed file is
    /// reported (file, line, problem) and the defaults are used, so a typo in
    /// the organisation's file never turns the checker off.
    static func checker(rulesFile: String?, names: [String]) throws -> (LanguageChecker, RuleFileError?) {
        let (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: try rulesFile.map(read), fileName: rulesFile ?? "")
        do {
            return (try LanguageChecker(rules: rules, knownNames: names), problem)
        } catch {
            throw CLIFailure(message: "\(error)", code: 2)
        }
    }

    /// Reads UTF-8 text; binary or invalid UTF-8 is an error naming the file.
    static func read(_ file: String) throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw CLIFailure(message: "\(file): cannot read: \(error.localizedDescription)", code: 2)
            }
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(message: "\(file == "-" ? "standard input" : file): not UTF-8 text (binary or another encoding).", code: 2)
        }
        return text
    }

    func runEvaluation(_ checker: LanguageChecker, corpus: String) throws {
        let text = try Self.read(corpus)
        let cases: [EvaluationCase]
        do { cases = try LanguageEvaluation.parseCorpus(text) } catch { throw CLIFailure(message: "\(corpus): \(error)", code: 2) }
        let report = LanguageEvaluation.run(checker, cases: cases)
        if format == .json {
            struct Score: Encodable {
                var category: String, precision: Double, recall: Double, truePositives: Int, falsePositives: Int, falseNegatives: Int
                init(_ s: CategoryScore) {
                    (category, precision, recall) = (s.category, s.precision, s.recall)
                    (truePositives, falsePositives, falseNegatives) = (s.truePositives, s.falsePositives, s.falseNegatives)
                }
            }
            struct Report: Encodable { var cases: Int, overall: Score, categories: [Score] }
            printJSON(Report(cases: cases.count, overall: Score(report.overall), categories: report.perCategory.map(Score.init)))
        } else {
            print("\(cases.count) sentences")
            print("category          precision  recall    tp   fp   fn")
            for s in report.perCategory + [report.overall] {
                let name = s.category.padding(toLength: 16, withPad: " ", startingAt: 0)
                print(name + String(format: "  %9.3f  %6.3f  %4d %4d %4d", s.precision, s.recall, s.truePositives, s.falsePositives, s.falseNegatives))
            }
        }
    }
}

extension LanguageLevel: ExpressibleByArgument {}
