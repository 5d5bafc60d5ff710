import Foundation

// Compiles rules into one automaton over word tokens (see LanguageChecker).
//
// Every pattern is expanded into sequences of steps (a set of words, a class,
// any word, a gap) and inserted into a single trie shared by all rules, so
// checking walks the text once and, at each word, follows only the patterns
// that can start with that word. Sets of words (inflections, "a|b") would
// copy the rest of a pattern once per word in a plain trie; instead the words
// of a set share one child node, and a shared node is copied only when a
// later pattern needs to diverge from it (copy-on-write), which keeps the
// automaton small.

/// One position of an expanded pattern.
enum PatternStep: Hashable {
    case words([Int32])
    case name
    case participle
    case any
    case gap
    case sub(Int)
}

/// The classes that are sub-automata rather than single tokens.
enum SubClass {
    static let all: [PatternClass] = [.person, .other, .object]
    static func index(_ cls: PatternClass) -> Int? { all.firstIndex(of: cls) }
}

/// Token flags, shared by the compiler (lexicon flags) and the scanner.
enum TokenFlag {
    static let breakBefore: UInt8 = 1
    static let gluedBefore: UInt8 = 2
    static let gluedAfter: UInt8 = 4
    static let name: UInt8 = 8
    static let participle: UInt8 = 16
    static let hyphenAfter: UInt8 = 32
}

/// Lexicon entry flags.
enum SpellingFlag {
    static let name: UInt8 = 1
    static let participle: UInt8 = 2
    /// The participle flag is known (set or not) and overrides the -ed/-en guess.
    static let participleKnown: UInt8 = 4
}

/// The frozen, shareable result of compilation.
final class CompiledProgram: Sendable {
    // Rules, by index.
    let ruleIDs: [String]
    let ruleCategories: [String]
    let ruleLevels: [LanguageLevel]
    let ruleMessages: [String]
    let ruleSuggestions: [[String]]

    // Lexicon: an open-addressing hash table from normalised spelling to one
    // or two word ids.
    let slots: [Int32]
    let slotMask: Int
    let entryHash: [UInt64]
    let entryStart: [Int32]
    let entryLength: [Int32]
    let entryBytes: [UInt8]
    let entryWord0: [Int32]
    let entryWord1: [Int32]
    let entryFlags: [UInt8]
    let maxSpellingLength: Int
    let notWord: Int32
    /// Word ids for the parts after an apostrophe: "ve", "ll", "re", "m", "d", "s".
    let suffixWords: [String: Int32]

    // Automaton.
    let root: Int32
    let rootLiteral: [Int32]
    let literal: [[Int32: Int32]]
    let nameEdge: [Int32]
    let participleEdge: [Int32]
    let anyEdge: [Int32]
    let gapEdge: [Int32]
    /// Per sub-class: the child reached after a phrase of that class.
    let subEdge: [[Int32]]
    let subRoots: [Int32]
    let terminals: [[Int32]]

    /// Whether a pattern can start at a token with this word id.
    let canStart: [Bool]
    /// Token flags that let a pattern start (name, participle).
    let startFlags: UInt8

    init(builder b: ProgramBuilder, trie t: TrieBuilder, rules: [LanguageRule]) {
        ruleIDs = rules.map(\.id)
        ruleCategories = rules.map(\.category)
        ruleLevels = rules.map(\.level)
        ruleMessages = rules.map(\.message)
        ruleSuggestions = rules.map(\.suggestions)

        // Lexicon.
        var hashes: [UInt64] = [], starts: [Int32] = [], lengths: [Int32] = [], bytes: [UInt8] = []
        var w0: [Int32] = [], w1: [Int32] = [], flags: [UInt8] = []
        var maxLength = 0
        for spelling in b.spellingOrder {
            let entry = b.spellings[spelling]!
            let utf8 = Array(spelling.utf8)
            hashes.append(fnv1a(utf8))
            starts.append(Int32(bytes.count))
            lengths.append(Int32(utf8.count))
            bytes.append(contentsOf: utf8)
            w0.append(entry.words[0])
            w1.append(entry.words.count > 1 ? entry.words[1] : -1)
            flags.append(entry.flags)
            maxLength = max(maxLength, utf8.count)
        }
        var capacity = 16
        while capacity < hashes.count * 2 { capacity *= 2 }
        var table = [Int32](repeating: -1, count: capacity)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            table[slot] = Int32(index)
        }
        slots = table
        slotMask = capacity - 1
        entryHash = hashes
        entryStart = starts
        entryLength = lengths
        entryBytes = bytes
        entryWord0 = w0
        entryWord1 = w1
        entryFlags = flags
        maxSpellingLength = maxLength
        notWord = b.wordIDs["not"]!
        var suffixes: [String: Int32] = [:]
        for (suffix, word) in LanguageWords.contractionSuffixes { suffixes[suffix] = b.wordIDs[word]! }
        suffixWords = suffixes

        // Automaton.
        root = t.mainRoot
        literal = t.literal
        nameEdge = t.name
        participleEdge = t.participle
        anyEdge = t.any
        gapEdge = t.gap
        subEdge = t.sub
        subRoots = t.subRoots
        terminals = t.terminals
        var flat = [Int32](repeating: -1, count: b.words.count)
        for (word, child) in t.literal[Int(t.mainRoot)] { flat[Int(word)] = child }
        rootLiteral = flat

        var starts2 = flat.map { $0 >= 0 }
        var flagMask: UInt8 = 0
        if t.name[Int(t.mainRoot)] >= 0 { flagMask |= TokenFlag.name }
        if t.participle[Int(t.mainRoot)] >= 0 { flagMask |= TokenFlag.participle }
        for (k, subRoot) in t.subRoots.enumerated() where t.sub[k][Int(t.mainRoot)] >= 0 {
            for word in t.literal[Int(subRoot)].keys { starts2[Int(word)] = true }
            if t.name[Int(subRoot)] >= 0 { flagMask |= TokenFlag.name }
            if t.participle[Int(subRoot)] >= 0 { flagMask |= TokenFlag.participle }
        }
        canStart = starts2
        startFlags = flagMask
    }
}

/// FNV-1a, 64-bit: simple, fast on short words, and computed the same way by
/// the compiler and the scanner.
@inline(__always)
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}

/// Words, spellings and expansion of patterns into steps.
struct ProgramBuilder {
    struct Spelling { var words: [Int32]; var flags: UInt8 }

    var words: [String] = []
    var wordIDs: [String: Int32] = [:]
    var spellings: [String: Spelling] = [:]
    var spellingOrder: [String] = []

    static let maxPaths = 4096

    init() {
        for (spelling, parts) in LanguageWords.contractions {
            let ids = parts.map { intern($0) }
            addSpelling(spelling, words: ids)
        }
        for word in ["not"] + Array(LanguageWords.contractionSuffixes.values) { _ = intern(word) }
        for word in LanguageWords.irregularParticiples { _ = intern(word) }
        for word in LanguageWords.notParticiples { _ = intern(word) }
    }

    mutating func intern(_ word: String) -> Int32 {
        if let id = wordIDs[word] { return id }
        let id = Int32(words.count)
        words.append(word)
        wordIDs[word] = id
        addSpelling(word, words: [id])
        return id
    }

    private mutating func addSpelling(_ spelling: String, words ids: [Int32]) {
        if spellings[spelling] != nil { return }
        var flags: UInt8 = 0
        if ids.count == 1 {
            flags |= SpellingFlag.participleKnown
            if ProgramBuilder.isParticiple(spelling) { flags |= SpellingFlag.participle }
        }
        spellings[spelling] = Spelling(words: ids, flags: flags)
        spellingOrder.append(spelling)
    }

    mutating func addName(_ part: String) {
        _ = intern(part)
        // A name is never a participle, whatever it ends with ("Karen").
        spellings[part]!.flags = SpellingFlag.name | SpellingFlag.participleKnown
    }

    /// The participle test for a known word; the scanner applies the same
    /// guess (-ed/-en, not -eed/-een, at least four letters) to unknown words.
    static func isParticiple(_ word: String) -> Bool {
        if LanguageWords.irregularParticiples.contains(word) { return true }
        if LanguageWords.notParticiples.contains(word) { return false }
        return guessParticiple(Array(word.utf8))
    }

    static func guessParticiple(_ b: [UInt8]) -> Bool {
        let n = b.count
        guard n >= 4 else { return false }
        let e = UInt8(ascii: "e"), d = UInt8(ascii: "d"), nn = UInt8(ascii: "n")
        return b[n - 2] == e && (b[n - 1] == d || b[n - 1] == nn) && b[n - 3] != e
    }

    // MARK: Expansion

    /// Ids a pattern word accepts: the word and its contracted forms.
    mutating func ids(for word: String) -> [Int32] {
        var ids = [intern(word)]
        for other in LanguageWords.equivalents[word] ?? [] { ids.append(intern(other)) }
        return ids
    }

    mutating func expand(_ node: PatternNode) throws(PatternSyntaxError) -> [[PatternStep]] {
        switch node {
        case let .word(word, inflect):
            return try expandWord(word, inflect: inflect)
        case let .cls(cls):
            switch cls {
            case .name: return [[.name]]
            case .participle: return [[.participle]]
            case .pronoun: return [[.words(LanguageWords.subjectPronouns.map { intern($0) }.sorted())]]
            case .person, .other, .object: return [[.sub(SubClass.index(cls)!)]]
            }
        case .any:
            return [[.any]]
        case .gap:
            return [[.gap]]
        case let .opt(inner):
            var paths = try expand(inner)
            paths.append([])
            return paths
        case let .alt(items):
            var merged: Set<Int32> = []
            var others: [[PatternStep]] = []
            for item in items {
                for path in try expand(item) {
                    if path.count == 1, case let .words(ids) = path[0] {
                        merged.formUnion(ids)
                    } else {
                        others.append(path)
                    }
                }
            }
            if !merged.isEmpty { others.insert([.words(merged.sorted())], at: 0) }
            return others
        case let .seq(items):
            var paths: [[PatternStep]] = [[]]
            for item in items {
                let next = try expand(item)
                if paths.count * next.count > ProgramBuilder.maxPaths {
                    throw PatternSyntaxError(message: "the pattern expands to more than \(ProgramBuilder.maxPaths) word sequences; split it into several patterns")
                }
                paths = paths.flatMap { head in next.map { head + $0 } }
            }
            return paths
        }
    }

    /// A word, a hyphenated compound (matched hyphenated, spaced or closed
    /// up) or a contraction (matched as its two words).
    private mutating func expandWord(_ word: String, inflect: Bool) throws(PatternSyntaxError) -> [[PatternStep]] {
        let parts = word.split(separator: "-").map(String.init)
        var spaced: [PatternStep] = []
        for (index, part) in parts.enumerated() {
            if inflect && index == parts.count - 1 {
                var set: [Int32] = []
                for form in LanguageWords.inflections(of: part) { set.append(contentsOf: ids(for: form)) }
                spaced.append(.words(Array(Set(set)).sorted()))
            } else {
                for token in LanguageWords.splitContraction(part) {
                    spaced.append(.words(ids(for: token)))
                }
            }
        }
        var paths = [spaced]
        if parts.count > 1, !word.contains("'") {
            let head = parts.dropLast().joined()
            let lasts = inflect ? LanguageWords.inflections(of: parts[parts.count - 1]) : [parts[parts.count - 1]]
            paths.append([.words(lasts.map { intern(head + $0) }.sorted())])
        }
        return paths
    }
}

/// A trie of pattern steps whose word sets share child nodes (see the top of
/// this file).
struct TrieBuilder {
    var literal: [[Int32: Int32]] = []
    var name: [Int32] = []
    var participle: [Int32] = []
    var any: [Int32] = []
    var gap: [Int32] = []
    var sub: [[Int32]] = Array(repeating: [], count: SubClass.all.count)
    var terminals: [[Int32]] = []
    var refs: [Int] = []
    var mainRoot: Int32 = 0
    var subRoots: [Int32] = []

    init() {
        mainRoot = newNode()
        subRoots = SubClass.all.map { _ in newNode() }
    }

    var nodeCount: Int { literal.count }

    mutating func newNode() -> Int32 {
        literal.append([:])
        name.append(-1)
        participle.append(-1)
        any.append(-1)
        gap.append(-1)
        for k in sub.indices { sub[k].append(-1) }
        terminals.append([])
        refs.append(1)
        return Int32(literal.count - 1)
    }

    /// A shallow copy: same edges, so every child gains a parent.
    private mutating func clone(_ node: Int32) -> Int32 {
        let copy = newNode()
        let n = Int(node), c = Int(copy)
        literal[c] = literal[n]
        name[c] = name[n]
        participle[c] = participle[n]
        any[c] = any[n]
        gap[c] = gap[n]
        for k in sub.indices { sub[k][c] = sub[k][n] }
        terminals[c] = terminals[n]
        for child in literal[n].values { refs[Int(child)] += 1 }
        for child in [name[n], participle[n], any[n], gap[n]] + sub.map({ $0[n] }) where child >= 0 {
            refs[Int(child)] += 1
        }
        return copy
    }

    /// The child to insert into, copied first if another parent shares it.
    private mutating func owned(_ child: Int32) -> Int32 {
        guard refs[Int(child)] > 1 else { return child }
        refs[Int(child)] -= 1
        return clone(child)
    }

    mutating func insert(_ path: [PatternStep], at node: Int32, from k: Int, terminal: Int32) {
        let n = Int(node)
        if k == path.count {
            if !terminals[n].contains(terminal) { terminals[n].append(terminal) }
            return
        }
        switch path[k] {
        case let .words(ids):
            // Words of the set that already lead somewhere are grouped by
            // child: a child reached only through words of this set is
            // updated in place, once; one shared with other words or other
            // parents is copied once for the whole group.
            var fresh: [Int32] = []
            var groups: [Int32: [Int32]] = [:]
            for id in ids {
                if let existing = literal[n][id] {
                    groups[existing, default: []].append(id)
                } else {
                    fresh.append(id)
                }
            }
            for (existing, group) in groups.sorted(by: { $0.key < $1.key }) {
                var child = existing
                if refs[Int(existing)] > group.count {
                    child = clone(existing)
                    refs[Int(existing)] -= group.count
                    refs[Int(child)] = group.count
                    for id in group { literal[n][id] = child }
                }
                insert(path, at: child, from: k + 1, terminal: terminal)
            }
            if !fresh.isEmpty {
                let child = newNode()
                for id in fresh { literal[n][id] = child }
                refs[Int(child)] = fresh.count
                insert(path, at: child, from: k + 1, terminal: terminal)
            }
        case .name:
            name[n] = step(name[n], path, k, terminal)
        case .participle:
            participle[n] = step(participle[n], path, k, terminal)
        case .any:
            any[n] = step(any[n], path, k, terminal)
        case .gap:
            gap[n] = step(gap[n], path, k, terminal)
        case let .sub(index):
            sub[index][n] = step(sub[index][n], path, k, terminal)
        }
    }

    private mutating func step(_ existing: Int32, _ path: [PatternStep], _ k: Int, _ terminal: Int32) -> Int32 {
        let child = existing >= 0 ? owned(existing) : newNode()
        insert(path, at: child, from: k + 1, terminal: terminal)
        return child
    }
}

/// Compiles rules, names and the built-in classes into a program.
enum LanguageCompiler {
    static func compile(rules: [LanguageRule], knownNames: [String]) throws(LanguageRuleError) -> CompiledProgram {
        var builder = ProgramBuilder()
        var trie = TrieBuilder()

        // Names first, so their spellings carry the name flag.
        let pronouns = Set(LanguageWords.subjectPronouns + LanguageWords.objectPronouns)
        for name in knownNames {
            let parts = name.split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "\u{2010}" || $0 == "\u{2011}" })
            for part in parts {
                let word = LanguageWords.normalise(String(part))
                guard word.count >= 2, !pronouns.contains(word) else { continue }
                builder.addName(word)
            }
        }

        // Built-in classes.
        for (index, cls) in SubClass.all.enumerated() {
            for pattern in LanguageWords.classPatterns(cls) {
                do throws(PatternSyntaxError) {
                    let paths = try builder.expand(try PatternParser.parse(pattern))
                    for path in paths where !path.isEmpty {
                        trie.insert(path, at: trie.subRoots[index], from: 0, terminal: 0)
                    }
                } catch {
                    preconditionFailure("built-in class <\(cls.rawValue)> pattern \"\(pattern)\": \(error.message)")
                }
            }
        }

        var seen: Set<String> = []
        for (index, rule) in rules.enumerated() {
            guard !rule.id.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw LanguageRuleError(ruleID: rule.id, message: "the rule has no id")
            }
            guard seen.insert(rule.id).inserted else {
                throw LanguageRuleError(ruleID: rule.id, message: "another rule has the same id")
            }
            guard !rule.category.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw LanguageRuleError(ruleID: rule.id, message: "the rule has no category")
            }
            guard !rule.patterns.isEmpty else {
                throw LanguageRuleError(ruleID: rule.id, message: "the rule has no patterns")
            }
            for (list, exception) in [(rule.patterns, false), (rule.exceptions, true)] {
                for pattern in list {
                    let paths: [[PatternStep]]
                    do throws(PatternSyntaxError) {
                        paths = try steps(pattern, builder: &builder)
                    } catch {
                        throw LanguageRuleError(ruleID: rule.id, pattern: pattern, message: exception ? "in an exception: \(error.message)" : error.message)
                    }
                    guard rule.enabled else { continue }
                    let terminal = Int32(index) << 1 | (exception ? 1 : 0)
                    for path in paths {
                        trie.insert(path, at: trie.mainRoot, from: 0, terminal: terminal)
                    }
                }
            }
        }
        return CompiledProgram(builder: builder, trie: trie, rules: rules)
    }

    /// Parses and expands one pattern, checking that it can be matched.
    static func steps(_ pattern: String, builder: inout ProgramBuilder) throws(PatternSyntaxError) -> [[PatternStep]] {
        let paths = try builder.expand(try PatternParser.parse(pattern))
        for path in paths {
            guard let first = path.first else {
                throw PatternSyntaxError(message: "everything in the pattern is optional, so it would match nothing; make at least one word required")
            }
            if first == .any || first == .gap {
                throw PatternSyntaxError(message: "a pattern cannot start with \"*\" or \"...\" (it would be tried at every word); start with a word or a class")
            }
            if path.last == .gap {
                throw PatternSyntaxError(message: "a pattern cannot end with \"...\"; end with a word or a class")
            }
        }
        return paths
    }
}
