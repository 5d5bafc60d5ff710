import Foundation
import Logging
import LoreCore
import LoreImport
import LoreStore

/// The language checker as the server uses it: Lore's default rules merged
/// with the organisation's own file (loaded once at start; a malformed file is
/// logged with its line and the defaults are used), and the people Lore knows,
/// so that "<Name> broke …" is recognised.
public struct LanguageSupport: Sendable {
    let rules: [LanguageRule]
    /// Compiling the rules takes ~20 ms, so the checker is kept and rebuilt
    /// only when the people Lore knows change, not on every page view.
    private let cache = CheckerCache()

    public static func load(rulesFile: String?, logger: Logger) throws -> LanguageSupport {
        var text: String?
        if let rulesFile {
            do { text = try String(contentsOfFile: rulesFile, encoding: .utf8) } catch {
                logger.error("Cannot read the language rules file \(rulesFile); using Lore's defaults: \(error.localizedDescription)")
            }
        }
        let (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: text, fileName: rulesFile ?? "")
        if let problem { logger.error("Language rules file not used, keeping Lore's defaults: \(problem)") }
        return LanguageSupport(rules: rules)
    }

    /// How people are written about: full names and first names.
    static func names(of users: [User]) -> [String] {
        var names = Set<String>()
        for u in users {
            names.insert(u.displayName)
            if let first = u.displayName.split(separator: " ").first, first.count > 1 { names.insert(String(first)) }
        }
        return names.sorted()
    }

    /// Lore's audience rules merged with the organisation's file; a file that
    /// cannot be read or has a problem is logged and Lore's rules are used.
    static func loadAudienceRules(_ file: String?, logger: Logger) throws -> [LanguageRule] {
        var text: String?
        if let file {
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                logger.error("Cannot read the audience rules file \(file); using Lore's: \(error.localizedDescription)")
            }
        }
        let (rules, problem) = try LanguageRuleFile.effectiveRules(organisationFile: text, fileName: file ?? "", defaults: try LanguageRuleFile.audienceRules())
        if let problem { logger.error("Audience rules file not used, keeping Lore's: \(problem)") }
        return rules
    }

    /// Names a checker by what it was built from (FNV-1a over the rules and
    /// the names), the same in every process that loads the same rules.
    static func fingerprint(rules: [LanguageRule], names: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(rules)\u{1F}\(names)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// A checker that knows the people in Lore (full names and first names).
    func checker(store: LoreStore) async throws -> LanguageChecker {
        let changes = store.peopleChangeCount
        let known: [String]
        if let names = cache.knownNames(changes: changes) {
            known = names
        } else {
            known = Self.names(of: try await store.users())
            cache.rememberNames(known, changes: changes)
        }
        if let cached = cache.checker(for: known) { return cached }
        let checker = try LanguageChecker(rules: rules, knownNames: known)
        cache.store(checker, for: known, fingerprint: Self.fingerprint(rules: rules, names: known))
        return checker
    }
}

extension LanguageSupport {
    /// Counts the open wording findings of every review whose stored count
    /// was forgotten (its text or kept phrases changed since), and of every
    /// review when the checker changed (other rules, other people known):
    /// the dashboard then reads stored counts. The work follows what
    /// changed since the last reading, not the size of the history.
    ///
    /// One task per process counts at a time; another caller (a dashboard view
    /// while the background work recounts every review after the people or
    /// the rules changed) returns at once and reads the counts stored so far,
    /// rather than counting the same reviews again beside it.
    func refreshWordingCounts(store: LoreStore) async throws {
        guard cache.beginCounting() else { return }
        defer { cache.endCounting() }
        let checker = try await checker(store: store)
        let fingerprint = cache.fingerprint
        if cache.claimRecount(of: fingerprint) { try await store.forgetWordingCounts(notCountedBy: fingerprint) }
        while true {
            let waiting = try await store.reviewsAwaitingWordingCount(limit: 500)
            if waiting.isEmpty { return }
            var counts: [UUID: Int] = [:]
            for (review, marks) in waiting {
                counts[review.id] = findings(for: review, marks: marks, checker: checker).filter { $0.kept == nil }.count
            }
            try await store.recordWordingCounts(counts, checker: fingerprint)
            if waiting.count < 500 { return }
        }
    }
}

/// The last compiled checker and the names it was compiled with.
private final class CheckerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String]?
    private var checker: LanguageChecker?
    private var currentFingerprint = ""
    private var recounted = ""
    /// The people's names as last read, and when: read again when this
    /// process changed an account, or after `namesFreshFor` (another
    /// process may have).
    private var people: (names: [String], changes: Int, at: Date)?
    static let namesFreshFor: TimeInterval = 5

    func knownNames(changes: Int, now: Date = Date()) -> [String]? {
        lock.withLock {
            guard let n = people, n.changes == changes, now.timeIntervalSince(n.at) < Self.namesFreshFor else { return nil }
            return n.names
        }
    }

    func rememberNames(_ names: [String], changes: Int, now: Date = Date()) {
        lock.withLock { people = (names, changes, now) }
    }

    var fingerprint: String { lock.withLock { currentFingerprint } }

    private var counting = false

    /// False while another task of this process is counting wording.
    func beginCounting() -> Bool {
        lock.withLock {
            if counting { return false }
            counting = true
            return true
        }
    }

    func endCounting() { lock.withLock { counting = false } }

    /// True once per checker: its first user forgets the counts other
    /// checkers made.
    func claimRecount(of fingerprint: String) -> Bool {
        lock.withLock {
            guard recounted != fingerprint else { return false }
            recounted = fingerprint
            return true
        }
    }

    func checker(for names: [String]) -> LanguageChecker? {
        lock.withLock { self.names == names ? checker : nil }
    }

    func store(_ checker: LanguageChecker, for names: [String], fingerprint: String) {
        lock.withLock {
            self.names = names
            self.checker = checker
            currentFingerprint = fingerprint
        }
    }
}

/// A finding in a review section, and whether a participant kept it.
struct SectionFinding: Sendable {
    var section: ReviewSection
    var finding: LanguageFinding
    var kept: LanguageMark?
}

extension LanguageSupport {
    /// Checks every section of a review and matches the findings against the
    /// phrases kept as written.
    func findings(for review: Review, marks: [LanguageMark], checker: LanguageChecker) -> [SectionFinding] {
        var out: [SectionFinding] = []
        for section in ReviewSection.allCases {
            let text = review.text(section)
            if text.isEmpty { continue }
            for f in checker.check(text) {
                let mark = marks.first { $0.covers(section: section.rawValue, ruleID: f.ruleID, matchedText: f.matchedText) }
                out.append(SectionFinding(section: section, finding: f, kept: mark))
            }
        }
        return out
    }
}

/// Template values for a finding.
enum LanguageViews {
    static func finding(_ f: SectionFinding, canKeep: Bool) -> [String: Any] {
        [
            "section": f.section.rawValue, "ruleId": f.finding.ruleID, "level": f.finding.level.rawValue,
            "line": f.finding.line, "column": f.finding.column, "matchedText": f.finding.matchedText,
            "message": f.finding.message, "suggestion": f.finding.suggestions.first ?? false,
            "kept": f.kept != nil, "keptNote": f.kept?.note ?? false, "canKeep": canKeep && f.kept == nil,
        ]
    }
}
