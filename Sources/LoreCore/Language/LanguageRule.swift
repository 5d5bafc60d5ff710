import Foundation

/// How strongly a finding is put to the writer.
///
/// Lore advises and never blocks saving, so there is no "error" level: a
/// `warning` is wording that usually closes down learning (blame, threats,
/// insults); a `suggestion` is wording that often does (hindsight, "should
/// have"), where the writer may have a good reason to keep it.
public enum LanguageLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case suggestion
    case warning

    /// `suggestion < warning`, so `--level warning` can filter with `>=`.
    public static func < (lhs: LanguageLevel, rhs: LanguageLevel) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .suggestion: 0
        case .warning: 1
        }
    }
}

/// One rule of the blame-aware language checker: data, not code, so that an
/// organisation can add its own, change their level or switch them off
/// without a new release.
///
/// `patterns` and `exceptions` use Lore's word-pattern language (see
/// ``LanguageChecker`` for the full description). A finding of this rule is
/// cancelled when one of its `exceptions` matches words that overlap it, which
/// is how look-alikes such as "clearly labelled" stay clean while "clearly a
/// bad idea" is flagged.
public struct LanguageRule: Equatable, Sendable, Codable {
    /// Stable identifier, used by overrides and shown as `[id]` in `lore lint`.
    public var id: String
    /// One of the categories (`counterfactual`, `personal_failure`, …); an
    /// organisation may use its own. Evaluation scores by category.
    public var category: String
    /// Word patterns; the rule fires when any of them matches.
    public var patterns: [String]
    /// Why the wording hurts learning, in one or two sentences.
    public var message: String
    /// Concrete rewrites the writer can use instead.
    public var suggestions: [String]
    public var level: LanguageLevel
    /// Patterns that cancel a finding of this rule when they match words that
    /// overlap it.
    public var exceptions: [String]
    /// A switched-off rule is still checked for valid patterns but never fires.
    public var enabled: Bool

    public init(
        id: String,
        category: String,
        patterns: [String],
        message: String,
        suggestions: [String] = [],
        level: LanguageLevel = .suggestion,
        exceptions: [String] = [],
        enabled: Bool = true
    ) {
        self.id = id
        self.category = category
        self.patterns = patterns
        self.message = message
        self.suggestions = suggestions
        self.level = level
        self.exceptions = exceptions
        self.enabled = enabled
    }
}

/// One place where a rule matched.
///
/// Positions are given twice, for two kinds of reader: `line` and `column`
/// for people and compiler-style output (`file:line:col`), `range` for
/// editors. `column` counts Characters (what a person sees as one letter,
/// so "é" or "👩‍🚒" is one column); `range` counts UTF-16 code units from the
/// start of the text, because that is what browsers' `String` indices,
/// `setSelectionRange` and most editor APIs use. Both refer to the original
/// text, before any normalisation.
public struct LanguageFinding: Equatable, Sendable, Codable {
    public var ruleID: String
    public var category: String
    public var level: LanguageLevel
    /// 1-based.
    public var line: Int
    /// 1-based, in Characters (grapheme clusters) from the start of the line.
    public var column: Int
    /// UTF-16 code-unit offsets into the whole original text.
    public var range: Range<Int>
    /// The words that matched, exactly as written.
    public var matchedText: String
    public var message: String
    public var suggestions: [String]

    public init(
        ruleID: String,
        category: String,
        level: LanguageLevel,
        line: Int,
        column: Int,
        range: Range<Int>,
        matchedText: String,
        message: String,
        suggestions: [String]
    ) {
        self.ruleID = ruleID
        self.category = category
        self.level = level
        self.line = line
        self.column = column
        self.range = range
        self.matchedText = matchedText
        self.message = message
        self.suggestions = suggestions
    }
}

/// What the checker leaves alone.
///
/// Code, URLs and quoted material are someone else's words or a machine's, not
/// the writer's framing, so by default they are not checked: a log line that
/// says "failed to" or a pasted chat message is evidence, and rewording it
/// would falsify the record.
public struct CheckOptions: Sendable, Equatable {
    /// Markdown block quotes (lines starting with `>`), which is how imported
    /// chat and quotations appear in a review.
    public var skipQuotes: Bool = true
    /// Fenced code blocks (```` ``` ```` or `~~~`) and inline code spans.
    public var skipCode: Bool = true
    /// `scheme://…` and `www.…` links, and bare domains followed by a path
    /// (`status.example.com/incidents/12`).
    public var skipURLs: Bool = true
    /// Text between straight (`"…"`) or curly (`“…”`) double quotes inside a
    /// paragraph. Off by default: a writer who reports that someone said
    /// "heads will roll" is still putting a threat into the review, and scare
    /// quotes around "human error" still use the label. Turn it on for text
    /// that quotes a lot of speech verbatim.
    public var skipQuotedSpeech: Bool = false

    public init(skipQuotes: Bool = true, skipCode: Bool = true, skipURLs: Bool = true, skipQuotedSpeech: Bool = false) {
        self.skipQuotes = skipQuotes
        self.skipCode = skipCode
        self.skipURLs = skipURLs
        self.skipQuotedSpeech = skipQuotedSpeech
    }

    public static let `default` = CheckOptions()
    /// Checks everything, including code, URLs and quotations.
    public static let everything = CheckOptions(skipQuotes: false, skipCode: false, skipURLs: false, skipQuotedSpeech: false)
}

/// A rule that cannot be used, found when the rules are compiled (not when
/// text is checked), so a bad organisation file is reported at load.
public struct LanguageRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var ruleID: String
    /// The pattern or exception at fault; nil when the problem is with the
    /// rule as a whole (a duplicate id, no patterns).
    public var pattern: String?
    public var message: String

    public init(ruleID: String, pattern: String? = nil, message: String) {
        self.ruleID = ruleID
        self.pattern = pattern
        self.message = message
    }

    /// `rule "hindsight-just": pattern "just [": "[" is not closed`.
    public var description: String {
        if let pattern {
            return "rule \"\(ruleID)\": pattern \"\(pattern)\": \(message)"
        }
        return "rule \"\(ruleID)\": \(message)"
    }
}
