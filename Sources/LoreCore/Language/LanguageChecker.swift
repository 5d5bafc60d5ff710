import Foundation

/// Finds wording that tends to turn a post-incident review into a search for
/// someone to blame, and says why and what to write instead.
///
/// ## Pattern language
///
/// Rules are written as word patterns rather than regular expressions: they
/// match whole words, so "just" never matches "adjusted", and they are read
/// as words, so a reviewer can write and review them.
///
/// - `word` matches the word in any case. Curly and straight apostrophes are
///   the same (’ = '). Contractions are matched as their words: the text
///   "didn't" matches the pattern `did not`, "should've" matches
///   `should have`, "cannot" matches `can not`; `'d` and `'s` are ambiguous,
///   so the pattern words `would`, `had` and `did` also match `'d`
///   ("why'd you"), and `is` and `has` also match `'s`.
/// - `fat-fingered` (a hyphen in a pattern word) matches the compound written
///   with a hyphen (also U+2010 and U+2011), with a space, or closed up:
///   "fat-fingered", "fat fingered", "fatfingered".
/// - `word~` matches every form of the word: `fail~` is fail, fails, failed,
///   failing; irregular verbs come from a table, so `forget~` includes forgot
///   and forgotten and `take~ down` includes "took down". Write the base form.
/// - `a|b|c` (no spaces around `|`) matches any one of the words.
/// - `[...]` is optional: `[just|simply] forgot`, `[at least]`.
/// - `(... | ...)` groups; ` | ` with spaces separates whole phrases:
///   `(took down | brought down) prod`. At the top level ` | ` separates
///   whole alternatives of the pattern.
/// - `*` is any one word; `...` is up to eight words within the same clause
///   (it never crosses punctuation), for "Aisha didn't follow the procedure
///   and brought down …". A pattern cannot start with either.
/// - Classes: `<name>` (a person Lore knows, written with a capital first
///   letter; several name words in a row count as one name), `<pronoun>`
///   (I, you, he, she, they, we, someone, somebody, anyone, anybody,
///   whoever), `<person>` (a name, a pronoun, or a role or team: "the on-call
///   engineer", "our DBA", "the payments team", "ops", "support"), `<other>`
///   (a `<person>` other than the writer: no "I" or "we"), `<object>` (me,
///   him, them, whoever, a name or a role, as an object) and `<participle>`
///   ("checked", "known", "run", "double-checked"; not "no", "a" or "seven").
///
/// A match never crosses sentence punctuation (`.`, `,`, `;`, `:`, `?`, `!`,
/// brackets, dashes) or a blank line, and never starts or ends inside a
/// hyphenated compound or a contraction: `just` does not match
/// "just-in-time", `obvious` does not match "non-obvious". Markdown emphasis
/// (`*`, `_`, `~`) is ignored.
///
/// A rule's `exceptions` are patterns too: a finding is dropped when an
/// exception of the same rule matches words that overlap it ("clearly" is
/// kept out of "clearly labelled" by the exception `clearly label~`).
///
/// ## Speed
///
/// All patterns of all rules are compiled once, in `init`, into a single
/// automaton over word ids. `check` reads the UTF-8 bytes of the text once,
/// normalising each word into a small buffer and looking it up in a hash
/// table; at each word it follows only the patterns that can start with that
/// word. There is no per-rule pass and no regular expression.
public struct LanguageChecker: Sendable {
    /// The rules as given, switched-off ones included.
    public let rules: [LanguageRule]
    let program: CompiledProgram

    /// Compiles the rules once, so checking is fast. A pattern that cannot
    /// compile is rejected here, with an error naming the rule and the pattern,
    /// never at check time.
    ///
    /// - Parameter knownNames: the people Lore knows (users, participants),
    ///   for `<name>`. Full names are split into words; each word of two or
    ///   more letters is a name word.
    public init(rules: [LanguageRule], knownNames: [String] = []) throws(LanguageRuleError) {
        self.rules = rules
        self.program = try LanguageCompiler.compile(rules: rules, knownNames: knownNames)
    }

    /// Checks that a pattern compiles, without building a checker; for rule
    /// files, which report each pattern with its line.
    public static func validate(pattern: String, ruleID: String) throws(LanguageRuleError) {
        var builder = ProgramBuilder()
        do throws(PatternSyntaxError) {
            _ = try LanguageCompiler.steps(pattern, builder: &builder)
        } catch {
            throw LanguageRuleError(ruleID: ruleID, pattern: pattern, message: error.message)
        }
    }

    /// The findings in `text`, in the order they appear.
    public func check(_ text: String, options: CheckOptions = .default) -> [LanguageFinding] {
        if let findings = text.utf8.withContiguousStorageIfAvailable({ check(bytes: $0, options: options) }) {
            return findings
        }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { check(bytes: $0, options: options) }
    }

    private func check(bytes: UnsafeBufferPointer<UInt8>, options: CheckOptions) -> [LanguageFinding] {
        guard bytes.count > 0 else { return [] }
        var scan = TextScan(program: program, bytes: bytes, options: options)
        scan.run()
        scan.release()
        return findings(from: scan.hits, bytes: bytes)
    }

    /// Applies exceptions, merges overlapping matches of the same rule and
    /// maps byte offsets to lines, columns and UTF-16 ranges.
    private func findings(from hits: [TextScan.Hit], bytes: UnsafeBufferPointer<UInt8>) -> [LanguageFinding] {
        guard !hits.isEmpty else { return [] }
        var byRule: [Int32: (matches: [Range<Int>], exceptions: [Range<Int>])] = [:]
        for hit in hits {
            let rule = hit.terminal >> 1
            if hit.terminal & 1 == 1 {
                byRule[rule, default: ([], [])].exceptions.append(hit.start..<hit.end)
            } else {
                byRule[rule, default: ([], [])].matches.append(hit.start..<hit.end)
            }
        }
        var spans: [(rule: Int, range: Range<Int>)] = []
        for (rule, group) in byRule {
            let kept = group.matches
                .filter { match in !group.exceptions.contains { $0.overlaps(match) } }
                .sorted { $0.lowerBound != $1.lowerBound ? $0.lowerBound < $1.lowerBound : $0.upperBound > $1.upperBound }
            var current: Range<Int>?
            for range in kept {
                if let c = current, range.lowerBound < c.upperBound {
                    current = c.lowerBound..<max(c.upperBound, range.upperBound)
                } else {
                    if let c = current { spans.append((Int(rule), c)) }
                    current = range
                }
            }
            if let c = current { spans.append((Int(rule), c)) }
        }
        spans.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.rule < $1.rule }

        var mapper = PositionMapper(bytes: bytes)
        let p = program
        return spans.map { span in
            let position = mapper.position(of: span.range.lowerBound)
            let slice = UnsafeBufferPointer(rebasing: bytes[span.range])
            var utf16Length = 0
            for b in slice {
                if b & 0xC0 != 0x80 { utf16Length += 1 }
                if b >= 0xF0 { utf16Length += 1 }
            }
            return LanguageFinding(
                ruleID: p.ruleIDs[span.rule],
                category: p.ruleCategories[span.rule],
                level: p.ruleLevels[span.rule],
                line: position.line,
                column: position.column,
                range: position.utf16..<(position.utf16 + utf16Length),
                matchedText: String(decoding: slice, as: UTF8.self),
                message: p.ruleMessages[span.rule],
                suggestions: p.ruleSuggestions[span.rule]
            )
        }
    }
}

/// Turns increasing byte offsets into line, column (Characters) and UTF-16
/// offset, reading the text up to the last finding once.
private struct PositionMapper {
    let bytes: UnsafeBufferPointer<UInt8>
    var byte = 0
    var line = 1
    var lineStart = 0
    var utf16 = 0
    var lastByte = -1
    var lastColumn = 1

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func position(of target: Int) -> (line: Int, column: Int, utf16: Int) {
        while byte < target {
            let b = bytes[byte]
            if b == 0x0A {
                line += 1
                lineStart = byte + 1
            } else if b == 0x0D, !(byte + 1 < bytes.count && bytes[byte + 1] == 0x0A) {
                line += 1
                lineStart = byte + 1
            }
            if b & 0xC0 != 0x80 { utf16 += 1 }
            if b >= 0xF0 { utf16 += 1 }
            byte += 1
        }
        // Findings start at word boundaries, so counting Characters from the
        // previous finding on the same line gives the same result as counting
        // from the start of the line, without re-reading long lines.
        let from = lastByte >= lineStart ? lastByte : lineStart
        let base = lastByte >= lineStart ? lastColumn : 1
        let column = base + String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<target]), as: UTF8.self).count
        lastByte = target
        lastColumn = column
        return (line, column, utf16)
    }
}
