import Foundation
import LoreCore
import Yams

/// A parsed rules file: Lore's defaults, or an organisation's additions and
/// overrides.
public struct RuleFileContent: Equatable, Sendable {
    /// A change to an existing rule, by id.
    public struct Override: Equatable, Sendable {
        public var id: String
        public var level: LanguageLevel?
        public var enabled: Bool?
        /// 1-based line of the entry.
        public var line: Int

        public init(id: String, level: LanguageLevel? = nil, enabled: Bool? = nil, line: Int) {
            self.id = id
            self.level = level
            self.enabled = enabled
            self.line = line
        }
    }

    /// Used in messages, e.g. `lore-rules.yaml:12: …`.
    public var fileName: String
    public var rules: [LanguageRule]
    public var overrides: [Override]
    /// The 1-based line of each rule's entry, by id, so that merge problems
    /// can point at it.
    public var ruleLines: [String: Int]

    public init(fileName: String, rules: [LanguageRule] = [], overrides: [Override] = [], ruleLines: [String: Int] = [:]) {
        self.fileName = fileName
        self.rules = rules
        self.overrides = overrides
        self.ruleLines = ruleLines
    }
}

/// A rules file that cannot be used, with every problem found in it.
public struct RuleFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public struct Problem: Equatable, Sendable {
        /// 1-based; nil when the problem is with the file as a whole.
        public var line: Int?
        public var message: String

        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
    }

    public var fileName: String
    public var problems: [Problem]

    public init(fileName: String, problems: [Problem]) {
        self.fileName = fileName
        self.problems = problems
    }

    /// One line per problem: `rules.yaml:12: rule "x": unknown key "leve" (did you mean "level"?)`.
    public var description: String {
        problems.map { p in
            if let line = p.line { return "\(fileName):\(line): \(p.message)" }
            return "\(fileName): \(p.message)"
        }.joined(separator: "\n")
    }
}

/// Reads and merges language rules files.
///
/// Rules are data so that an organisation can tune them to its own writing
/// without a new Lore release: add rules, change a rule's level, switch a
/// rule off. Every pattern is compiled when the file is read, so a mistake
/// shows up at load with its file and line, never while someone is writing.
public enum LanguageRuleFile {
    public static let topLevelKeys = ["rules", "overrides"]
    public static let ruleKeys = ["id", "category", "patterns", "message", "suggestions", "level", "exceptions", "enabled"]
    public static let overrideKeys = ["id", "level", "enabled"]
    public static let defaultFileName = "default-rules.yaml"

    /// Lore's default rules (bundled YAML), read once.
    public static func defaultRules() throws -> [LanguageRule] {
        try cachedDefaults.get()
    }

    private static let cachedDefaults: Result<[LanguageRule], RuleFileError> = loadBundled(defaultFileName)

    public static let audienceFileName = "audience-rules.yaml"

    /// Lore's rules for what customer-facing teams read (bundled YAML, the
    /// same shape): jargon and insider words, each with a plain alternative.
    public static func audienceRules() throws -> [LanguageRule] {
        try cachedAudience.get()
    }

    private static let cachedAudience: Result<[LanguageRule], RuleFileError> = loadBundled(audienceFileName)

    private static func loadBundled(_ fileName: String) -> Result<[LanguageRule], RuleFileError> {
        guard let url = Bundle.module.url(forResource: String(fileName.dropLast(5)), withExtension: "yaml") else {
            return .failure(RuleFileError(fileName: fileName, problems: [.init(line: nil, message: "the file is missing from Lore's resources")]))
        }
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            return .failure(RuleFileError(fileName: fileName, problems: [.init(line: nil, message: "the file cannot be read as UTF-8 text")]))
        }
        do throws(RuleFileError) {
            let content = try parse(text, fileName: fileName)
            if let first = content.overrides.first {
                throw RuleFileError(fileName: fileName, problems: [.init(line: first.line, message: "Lore's own rules cannot have overrides")])
            }
            return .success(content.rules)
        } catch {
            return .failure(error)
        }
    }

    /// Parses a rules file. Errors name the file, the line and the problem;
    /// every pattern is compiled at load.
    public static func parse(_ text: String, fileName: String) throws(RuleFileError) -> RuleFileContent {
        var reader = RuleFileReader()
        var content = reader.read(text)
        content.fileName = fileName
        if !reader.problems.isEmpty {
            let sorted = reader.problems.enumerated().sorted { a, b in
                let la = a.element.line ?? 0, lb = b.element.line ?? 0
                return la != lb ? la < lb : a.offset < b.offset
            }.map(\.element)
            throw RuleFileError(fileName: fileName, problems: sorted)
        }
        return content
    }

    /// The organisation's file can add rules, change a rule's level, or switch
    /// rules off (by id): returns the merged list, defaults first in their
    /// order, then the organisation's rules.
    ///
    /// A new rule may not reuse a default's id (it would silently replace a
    /// rule the organisation may not have read); an override must name a rule
    /// that exists.
    public static func merge(defaults: [LanguageRule], with org: RuleFileContent) throws(RuleFileError) -> [LanguageRule] {
        var problems: [RuleFileError.Problem] = []
        var merged = defaults
        let defaultIDs = Set(defaults.map(\.id))
        for rule in org.rules {
            if defaultIDs.contains(rule.id) {
                problems.append(.init(line: org.ruleLines[rule.id], message: "rule \"\(rule.id)\": a default rule has this id; to change its level or switch it off, use overrides, or give your rule another id"))
            } else {
                merged.append(rule)
            }
        }
        var overridden: [String: Int] = [:]
        for override in org.overrides {
            guard let index = merged.firstIndex(where: { $0.id == override.id }) else {
                let hint = closeMatch(override.id, among: merged.map(\.id))
                problems.append(.init(line: override.line, message: "override: there is no rule \"\(override.id)\"\(hint)"))
                continue
            }
            if let first = overridden[override.id] {
                problems.append(.init(line: override.line, message: "override: rule \"\(override.id)\" is already overridden on line \(first)"))
                continue
            }
            overridden[override.id] = override.line
            if let level = override.level { merged[index].level = level }
            if let enabled = override.enabled { merged[index].enabled = enabled }
        }
        if !problems.isEmpty {
            throw RuleFileError(fileName: org.fileName, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return merged
    }

    /// The rules to use: the defaults merged with the organisation's file, or
    /// the defaults alone when that file has a problem. The problem is
    /// returned for the caller to report; Lore keeps working.
    public static func effectiveRules(organisationFile text: String?, fileName: String, defaults given: [LanguageRule]? = nil) throws -> (rules: [LanguageRule], problem: RuleFileError?) {
        let defaults = try given ?? defaultRules()
        guard let text else { return (defaults, nil) }
        do throws(RuleFileError) {
            let org = try parse(text, fileName: fileName)
            return (try merge(defaults: defaults, with: org), nil)
        } catch {
            return (defaults, error)
        }
    }

    /// ` (did you mean "hindsight-just"?)` when one id is close.
    static func closeMatch(_ word: String, among candidates: [String]) -> String {
        let limit = max(1, min(3, word.count / 3))
        let best = candidates
            .map { (candidate: $0, distance: editDistance(word.lowercased(), $0.lowercased())) }
            .filter { $0.distance <= limit && $0.candidate != word }
            .min { $0.distance < $1.distance }
        return best.map { " (did you mean \"\($0.candidate)\"?)" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

// MARK: - Reading

/// Walks the YAML node tree, collecting rules and problems.
private struct RuleFileReader {
    var problems: [RuleFileError.Problem] = []
    /// Each pattern text compiled so far, with what is wrong with it (nil: nothing).
    var patternErrors: [String: String?] = [:]

    mutating func add(_ line: Int?, _ message: String) {
        problems.append(.init(line: line, message: message))
    }

    mutating func read(_ text: String) -> RuleFileContent {
        var content = RuleFileContent(fileName: "")
        let root: Node?
        do {
            if let alias = try YAMLAliasLimit.aliasOverLimit(in: text) {
                add(alias.line, YAMLAliasLimit.message(alias.name))
                return content
            }
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(yamlProblem(error, in: text))
            return content
        } catch {
            add(nil, "not valid YAML: \(error)")
            return content
        }
        let keys = list(LanguageRuleFile.topLevelKeys)
        guard let root else {
            add(nil, "the file is empty; expected a mapping with the keys \(keys)")
            return content
        }
        guard let mapping = root.mapping else {
            if let scalar = root.scalar, isNull(scalar) {
                add(nil, "the file is empty; expected a mapping with the keys \(keys)")
            } else {
                add(root.line, "the top level must be a mapping with the keys \(keys), not \(describe(root))")
            }
            return content
        }
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                add(key.line, "top-level keys must be text; accepted keys: \(keys)")
                continue
            }
            switch name {
            case "rules": readRules(value, into: &content)
            case "overrides": readOverrides(value, into: &content)
            default:
                add(key.line, "unknown top-level key \"\(name)\"\(LanguageRuleFile.closeMatch(name, among: LanguageRuleFile.topLevelKeys)); accepted keys: \(keys)")
            }
        }
        return content
    }

    // MARK: Rules

    mutating func readRules(_ node: Node, into content: inout RuleFileContent) {
        if let scalar = node.scalar, isNull(scalar) { return }
        guard let sequence = node.sequence else {
            add(node.line, "rules must be a list of rules (each item starting with \"- \"), not \(describe(node))")
            return
        }
        for (index, item) in sequence.enumerated() {
            let line = item.line ?? node.line
            guard let mapping = item.mapping else {
                add(line, "rule #\(index + 1) must be a mapping with the keys \(list(LanguageRuleFile.ruleKeys)), not \(describe(item))")
                continue
            }
            let fields = self.fields(of: mapping, accepted: LanguageRuleFile.ruleKeys)
            let id = text(fields.values["id"], field: "id", label: "rule #\(index + 1)")
            let label = id.map { "rule \"\($0)\"" } ?? "rule #\(index + 1)"
            for key in fields.unknown {
                add(key.line, "\(label): unknown key \"\(key.name)\"\(LanguageRuleFile.closeMatch(key.name, among: LanguageRuleFile.ruleKeys)); accepted keys: \(list(LanguageRuleFile.ruleKeys))")
            }
            let before = problems.count

            if let id {
                if !isValidID(id) {
                    add(fields.values["id"]?.line ?? line, "\(label): the id may hold only lowercase letters, digits, \"-\" and \"_\" (for example \"hindsight-just\")")
                } else if let first = content.ruleLines[id] {
                    add(fields.values["id"]?.line ?? line, "\(label): the id is already used by the rule on line \(first)")
                }
            } else if fields.values["id"].map(isAbsent) ?? true {
                add(line, "\(label): id is required")
            }

            let category = text(fields.values["category"], field: "category", label: label)
            if let category, !isValidID(category) {
                add(fields.values["category"]?.line ?? line, "\(label): the category may hold only lowercase letters, digits, \"-\" and \"_\" (for example \"personal_failure\")")
            } else if category == nil, fields.values["category"].map(isAbsent) ?? true {
                add(line, "\(label): category is required")
            }

            let message = text(fields.values["message"], field: "message", label: label)
            if message == nil, fields.values["message"].map(isAbsent) ?? true {
                add(line, "\(label): message is required; say why the wording hurts learning")
            }

            let ruleID = id ?? "#\(index + 1)"
            let patterns = texts(fields.values["patterns"], field: "patterns", label: label)
            if patterns.isEmpty {
                let node = fields.values["patterns"]
                if node.map(isAbsent) ?? true {
                    add(node?.line ?? line, "\(label): patterns is required: a list of at least one pattern")
                } else if node?.sequence?.count == 0 {
                    add(node?.line ?? line, "\(label): patterns is empty; give at least one pattern")
                }
                // Otherwise `texts` has reported what is wrong with them.
            }
            for pattern in patterns { check(pattern, ruleID: ruleID, label: label, what: "pattern") }
            let exceptions = texts(fields.values["exceptions"], field: "exceptions", label: label)
            for pattern in exceptions { check(pattern, ruleID: ruleID, label: label, what: "exception") }
            let suggestions = texts(fields.values["suggestions"], field: "suggestions", label: label).map(\.text)

            var level = LanguageLevel.suggestion
            if let levelText = text(fields.values["level"], field: "level", label: label) {
                if let parsed = LanguageLevel(rawValue: levelText.lowercased()) {
                    level = parsed
                } else {
                    add(fields.values["level"]?.line ?? line, "\(label): level \"\(levelText)\" is not one of \(list(LanguageLevel.allCases.map(\.rawValue), conjunction: "or"))")
                }
            }
            let enabled = bool(fields.values["enabled"], field: "enabled", label: label) ?? true

            if let id, content.ruleLines[id] == nil { content.ruleLines[id] = line }
            guard problems.count == before, let id, let category, let message else { continue }
            content.rules.append(LanguageRule(
                id: id,
                category: category,
                patterns: patterns.map(\.text),
                message: message,
                suggestions: suggestions,
                level: level,
                exceptions: exceptions.map(\.text),
                enabled: enabled
            ))
        }
    }

    /// Compiles one pattern, reporting a problem on its line. Each text is
    /// compiled once (what is wrong with a pattern does not depend on its
    /// rule): a compile costs more than a short pattern's bytes, and an alias
    /// can repeat a list of patterns many times.
    mutating func check(_ pattern: (text: String, line: Int?), ruleID: String, label: String, what: String) {
        let message: String?
        if let known = patternErrors[pattern.text] {
            message = known
        } else {
            do throws(LanguageRuleError) {
                try LanguageChecker.validate(pattern: pattern.text, ruleID: ruleID)
                message = nil
            } catch {
                message = error.message
            }
            patternErrors.updateValue(message, forKey: pattern.text)
        }
        if let message {
            add(pattern.line, "\(label): \(what) \"\(pattern.text)\": \(message)")
        }
    }

    // MARK: Overrides

    mutating func readOverrides(_ node: Node, into content: inout RuleFileContent) {
        if let scalar = node.scalar, isNull(scalar) { return }
        guard let sequence = node.sequence else {
            add(node.line, "overrides must be a list (each item starting with \"- \"), not \(describe(node))")
            return
        }
        let keys = LanguageRuleFile.overrideKeys
        for (index, item) in sequence.enumerated() {
            let line = item.line ?? node.line ?? 1
            guard let mapping = item.mapping else {
                add(item.line, "override #\(index + 1) must be a mapping with the keys \(list(keys)), not \(describe(item))")
                continue
            }
            let before = problems.count
            let fields = self.fields(of: mapping, accepted: keys)
            let id = text(fields.values["id"], field: "id", label: "override #\(index + 1)")
            let label = id.map { "override of \"\($0)\"" } ?? "override #\(index + 1)"
            for key in fields.unknown {
                add(key.line, "\(label): unknown key \"\(key.name)\"\(LanguageRuleFile.closeMatch(key.name, among: keys)); accepted keys: \(list(keys))")
            }
            if id == nil, fields.values["id"].map(isAbsent) ?? true {
                add(line, "\(label): id is required: the rule to change")
            }
            var level: LanguageLevel?
            if let levelText = text(fields.values["level"], field: "level", label: label) {
                level = LanguageLevel(rawValue: levelText.lowercased())
                if level == nil {
                    add(fields.values["level"]?.line ?? line, "\(label): level \"\(levelText)\" is not one of \(list(LanguageLevel.allCases.map(\.rawValue), conjunction: "or"))")
                }
            }
            let enabled = bool(fields.values["enabled"], field: "enabled", label: label)
            if fields.values["level"] == nil, fields.values["enabled"] == nil {
                add(line, "\(label): say what to change: level, enabled or both")
            }
            guard problems.count == before, let id else { continue }
            content.overrides.append(.init(id: id, level: level, enabled: enabled, line: line))
        }
    }

    // MARK: Node helpers

    func fields(of mapping: Node.Mapping, accepted: [String]) -> (values: [String: Node], unknown: [(name: String, line: Int?)]) {
        var values: [String: Node] = [:]
        var unknown: [(name: String, line: Int?)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                unknown.append((name: describe(key), line: key.line))
                continue
            }
            if accepted.contains(name) { values[name] = value } else { unknown.append((name: name, line: key.line)) }
        }
        return (values, unknown)
    }

    /// A scalar as trimmed text; nil when absent, null or empty.
    mutating func text(_ node: Node?, field: String, label: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            add(node.line, "\(label): \(field) must be text, not \(describe(node))")
            return nil
        }
        if isNull(scalar) { return nil }
        let trimmed = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A list of texts (a single text is accepted as a list of one), each with its line.
    mutating func texts(_ node: Node?, field: String, label: String) -> [(text: String, line: Int?)] {
        guard let node, !isAbsent(node) else { return [] }
        if node.scalar != nil {
            return text(node, field: field, label: label).map { [($0, node.line)] } ?? []
        }
        guard let sequence = node.sequence else {
            add(node.line, "\(label): \(field) must be a list of texts, not \(describe(node))")
            return []
        }
        var out: [(text: String, line: Int?)] = []
        for element in sequence {
            guard element.scalar != nil else {
                add(element.line ?? node.line, "\(label): each item of \(field) must be text, not \(describe(element))")
                continue
            }
            if let t = text(element, field: field, label: label) {
                out.append((t, element.line ?? node.line))
            } else {
                add(element.line ?? node.line, "\(label): \(field) has an empty item")
            }
        }
        return out
    }

    mutating func bool(_ node: Node?, field: String, label: String) -> Bool? {
        guard let node, !isAbsent(node) else { return nil }
        guard let scalar = node.scalar else {
            add(node.line, "\(label): \(field) must be true or false, not \(describe(node))")
            return nil
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            add(node.line, "\(label): \(field) must be true or false, not \"\(scalar.string)\"")
            return nil
        }
    }

    func isValidID(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
    }

    func isAbsent(_ node: Node) -> Bool {
        node.scalar.map(isNull) ?? false
    }

    /// `key:`, `key: ~` and `key: null`; quoted `'null'` is text.
    func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return isNull(s) ? "nothing" : "the text \"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func list(_ words: [String], conjunction: String = "and") -> String {
        switch words.count {
        case 0: return ""
        case 1: return words[0]
        default: return words.dropLast().joined(separator: ", ") + " \(conjunction) " + words.last!
        }
    }

    func yamlProblem(_ error: YamlError, in text: String) -> RuleFileError.Problem {
        func explain(_ problem: String, _ context: YamlError.Context?) -> String {
            var message = "not valid YAML: \(problem)"
            if let context { message += " (\(context.text) started on line \(context.mark.line))" }
            return message
        }
        switch error {
        case let .composer(_, problem, mark, _) where problem == "but found another document":
            return .init(line: mark.line, message: "the file must hold a single YAML document; a second one starts here")
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = explain(problem, context)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                message += "; indent with spaces, not tabs"
            }
            // At the end of a file, libyaml's mark can be on the line after the last.
            return .init(line: min(mark.line, YAMLLines.last(in: text)), message: message)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let plural = duplicates.count == 1 ? "key \(keys) appears" : "keys \(keys) appear"
            return .init(line: context.mark.line, message: "\(plural) more than once in the same mapping; each key may be given once")
        case let .reader(problem, offset, _, _):
            let line = offset.map { o in text.prefix(o).reduce(1) { $1.isNewline ? $0 + 1 : $0 } }
            return .init(line: line, message: "the file cannot be read as YAML: \(problem)")
        default:
            return .init(line: nil, message: "not valid YAML: \(error)")
        }
    }
}

private extension Node {
    var line: Int? { mark?.line }
}
