// libFuzzer target: language rules files (an organisation's `--rules` file)
// (LanguageRuleFile.parse / merge / effectiveRules in
// Sources/LoreImport/Language/RuleFile.swift, on Yams), merged with Lore's
// real default rules (Sources/LoreImport/Language/default-rules.yaml, read
// through Fuzz/Shims/Bundle.swift).
// Errors are fine; crashes, hangs, leaks and runaway memory are not. Checked:
// - a rejected file has at least one problem, each on a line of the file;
// - an accepted file's rules compile (LanguageChecker), as the reader promises
//   ("every pattern is compiled when the file is read").
import Foundation

private let defaults: [LanguageRule] = {
    do {
        return try LanguageRuleFile.defaultRules()
    } catch {
        fatalError("the default rules do not load: \(error)")
    }
}()

private func checkProblems(_ error: RuleFileError, _ text: String) {
    checkProblemLines(error.problems.map { ($0.line, $0.message) }, in: text)
    _ = error.description
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = defaults
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let rules: [LanguageRule]
    let problem: RuleFileError?
    do {
        (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: text, fileName: "rules.yaml")
    } catch {
        fatalError("effectiveRules threw \(error)")
    }
    if let problem {
        checkProblems(problem, text)
        if rules != defaults { fatalError("a rejected file changed the rules") }
        return 0
    }
    guard rules.count >= defaults.count, Array(rules.prefix(defaults.count)).map(\.id) == defaults.map(\.id) else {
        fatalError("merged rules do not start with the defaults")
    }
    // The organisation's own rules must compile, as the reader checked.
    let added = Array(rules.dropFirst(defaults.count))
    do throws(LanguageRuleError) {
        _ = try LanguageChecker(rules: added, knownNames: ["Priya", "Tom"])
    } catch {
        fatalError("accepted rules do not compile: \(error.message) in \(text.debugDescription)")
    }
    return 0
}
