import Foundation

// The word-pattern language of the language checker: parsing, and the word
// lists it relies on (inflections, contractions, participles, people).
//
// Patterns are words, not regular expressions, for two reasons. Rule authors
// are reviewers and facilitators, not regex experts, and a word pattern says
// what it matches ("forget~ to" is every form of "forget to"). And word
// patterns can be compiled into one automaton over word tokens, so the checker
// reads each text once however many rules there are.

/// A parsed pattern, before it is expanded into token steps.
indirect enum PatternNode: Equatable {
    /// A word as written (lowercased, apostrophes normalised); may contain
    /// hyphens (a compound) or an apostrophe (a contraction).
    case word(String, inflect: Bool)
    case cls(PatternClass)
    /// `*`: any one word.
    case any
    /// `...`: up to ``PatternGap/maxWords`` words within the same clause.
    case gap
    case seq([PatternNode])
    case alt([PatternNode])
    case opt(PatternNode)
}

enum PatternGap {
    /// Long enough for "Aisha didn't follow the rollback procedure and …",
    /// short enough that unrelated clauses rarely meet.
    static let maxWords = 8
}

/// The built-in word classes, written `<name>` in patterns.
enum PatternClass: String, CaseIterable {
    /// One of the people Lore knows (users, participants), written with a
    /// capital first letter; one or more name words ("Priya", "Priya Shah").
    case name
    /// A subject pronoun that refers to people: i, you, he, she, they, we,
    /// someone, somebody, anyone, anybody, whoever.
    case pronoun
    /// A person as the subject of a sentence: a name, a pronoun, or a role or
    /// team ("the on-call engineer", "our DBA", "the payments team", "ops").
    case person
    /// Like `person`, but not the writer: leaves out "i" and "we". For
    /// questions aimed at someone ("why did <other> …").
    case other
    /// A person as an object: me, him, her, them, us, you, whoever, someone,
    /// a name or a role ("fire <object>", "caused by <object>").
    case object
    /// A past participle: a word ending in -ed or -en, or an irregular one
    /// ("known", "run", "caught"), hyphenated compounds included
    /// ("double-checked"). It tells "should have checked" (a counterfactual)
    /// from "should have no impact" (a requirement).
    case participle
}

/// Why a pattern cannot be compiled.
struct PatternSyntaxError: Error, Equatable {
    var message: String
}

/// Parses the text of a pattern. The grammar (documented for rule authors in
/// ``LanguageChecker``):
///
///     pattern  := item (" " item)*
///     item     := atom ("|" atom)*            -- top level: "|" joins words
///     group    := phrase ("|" phrase)*        -- inside [ ] and ( ): "|" separates phrases
///     phrase   := atom (" " atom)*
///     atom     := word ["~"] | "<" class ">" | "*" | "..." | "[" group "]" | "(" group ")"
///
/// So `forgot|neglected to` is "(forgot or neglected) to", while
/// `[at least|at the very least]` offers two optional phrases.
struct PatternParser {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    static func parse(_ text: String) throws(PatternSyntaxError) -> PatternNode {
        var parser = PatternParser(text)
        return try parser.parseTop()
    }

    private var atEnd: Bool { i >= chars.count }

    private mutating func skipSpaces() {
        while i < chars.count, chars[i].isWhitespace { i += 1 }
    }

    /// After an atom: a space, the end, or (in context) "|" or a closer.
    private func checkSeparator(allowed: Set<Character>) throws(PatternSyntaxError) {
        guard i < chars.count else { return }
        let c = chars[i]
        if c.isWhitespace || allowed.contains(c) { return }
        throw PatternSyntaxError(message: "unexpected \"\(c)\" at character \(i + 1); separate words with spaces")
    }

    private mutating func parseTop() throws(PatternSyntaxError) -> PatternNode {
        var items: [PatternNode] = []
        while true {
            skipSpaces()
            if atEnd { break }
            let c = chars[i]
            if c == "|" {
                throw PatternSyntaxError(message: "\"|\" at character \(i + 1) has a space next to it; between words write no spaces (forgot|missed), and to choose between phrases use parentheses: (took down|brought down)")
            }
            if c == "]" || c == ")" {
                throw PatternSyntaxError(message: "\"\(c)\" at character \(i + 1) closes nothing")
            }
            var alternatives = [try parseAtom()]
            while i < chars.count, chars[i] == "|" {
                i += 1
                if atEnd || chars[i].isWhitespace {
                    throw PatternSyntaxError(message: "\"|\" at character \(i) has a space next to it; between words write no spaces (forgot|missed), and to choose between phrases use parentheses: (took down|brought down)")
                }
                alternatives.append(try parseAtom())
            }
            try checkSeparator(allowed: [])
            items.append(alternatives.count == 1 ? alternatives[0] : .alt(alternatives))
        }
        if items.isEmpty { throw PatternSyntaxError(message: "the pattern is empty") }
        return items.count == 1 ? items[0] : .seq(items)
    }

    /// Phrases separated by "|" up to `closer`.
    private mutating func parseGroup(closer: Character, opener: Int) throws(PatternSyntaxError) -> PatternNode {
        var phrases: [[PatternNode]] = [[]]
        let open: Character = closer == "]" ? "[" : "("
        while true {
            skipSpaces()
            if atEnd { throw PatternSyntaxError(message: "\"\(open)\" at character \(opener + 1) is not closed") }
            let c = chars[i]
            if c == closer { i += 1; break }
            if c == "]" || c == ")" {
                throw PatternSyntaxError(message: "\"\(c)\" at character \(i + 1) does not match \"\(open)\" at character \(opener + 1)")
            }
            if c == "|" {
                if phrases[phrases.count - 1].isEmpty {
                    throw PatternSyntaxError(message: "empty alternative before \"|\" at character \(i + 1)")
                }
                phrases.append([])
                i += 1
                continue
            }
            phrases[phrases.count - 1].append(try parseAtom())
            try checkSeparator(allowed: ["|", closer])
        }
        if phrases[phrases.count - 1].isEmpty {
            if phrases.count > 1 { throw PatternSyntaxError(message: "empty alternative before \"\(closer)\" at character \(i)") }
            throw PatternSyntaxError(message: "empty group \"\(open)\(closer)\" at character \(opener + 1)")
        }
        let nodes = phrases.map { $0.count == 1 ? $0[0] : PatternNode.seq($0) }
        return nodes.count == 1 ? nodes[0] : .alt(nodes)
    }

    private mutating func parseAtom() throws(PatternSyntaxError) -> PatternNode {
        guard !atEnd else { throw PatternSyntaxError(message: "the pattern ends where a word was expected") }
        let start = i
        let c = chars[i]
        switch c {
        case "[":
            i += 1
            return .opt(try parseGroup(closer: "]", opener: start))
        case "(":
            i += 1
            return try parseGroup(closer: ")", opener: start)
        case "<":
            i += 1
            var name = ""
            while i < chars.count, chars[i] != ">", !chars[i].isWhitespace { name.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == ">" else {
                throw PatternSyntaxError(message: "\"<\" at character \(start + 1) is not closed with \">\"")
            }
            i += 1
            guard let cls = PatternClass(rawValue: name.lowercased()) else {
                let known = PatternClass.allCases.map { "<\($0.rawValue)>" }.joined(separator: ", ")
                throw PatternSyntaxError(message: "unknown class \"<\(name)>\"; known classes: \(known)")
            }
            return .cls(cls)
        case "*":
            i += 1
            return .any
        case ".":
            if i + 2 < chars.count, chars[i + 1] == ".", chars[i + 2] == "." {
                i += 3
                return .gap
            }
            throw PatternSyntaxError(message: "unexpected \".\" at character \(i + 1); a gap is written \"...\"")
        default:
            var word = ""
            while i < chars.count, PatternParser.isWordCharacter(chars[i]) {
                word.append(chars[i])
                i += 1
            }
            guard !word.isEmpty else {
                throw PatternSyntaxError(message: "unexpected \"\(c)\" at character \(i + 1); patterns hold words, \"<class>\", \"*\", \"...\", \"[optional]\", \"(group)\" and \"a|b\"")
            }
            let normalised = LanguageWords.normalise(word)
            if normalised.hasPrefix("-") || normalised.hasSuffix("-") || normalised.contains("--") {
                throw PatternSyntaxError(message: "\"\(word)\": a hyphen joins two words (\"fat-fingered\") and cannot start or end one")
            }
            if normalised.hasSuffix(".") || normalised.hasPrefix(".") {
                throw PatternSyntaxError(message: "\"\(word)\": punctuation is not part of a pattern; leave the full stop out")
            }
            var inflect = false
            if i < chars.count, chars[i] == "~" {
                inflect = true
                i += 1
                if normalised.contains("'") {
                    throw PatternSyntaxError(message: "\"\(word)~\": \"~\" needs a plain word (write the base form, \"forget~\")")
                }
            }
            return .word(normalised, inflect: inflect)
        }
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        if c.isLetter || c.isNumber { return true }
        return c == "'" || c == "\u{2019}" || c == "\u{2018}" || c == "-" || c == "\u{2010}" || c == "\u{2011}" || c == "." || c == "_"
    }
}

/// Word lists and normalisation shared by patterns and text.
enum LanguageWords {
    /// Lowercases ASCII letters only (the same as the text scanner, which must
    /// be fast), straightens apostrophes and unifies hyphens.
    static func normalise(_ word: String) -> String {
        var out = ""
        out.reserveCapacity(word.utf8.count)
        for scalar in word.unicodeScalars {
            switch scalar {
            case "\u{2019}", "\u{2018}": out.append("'")
            case "\u{2010}", "\u{2011}": out.append("-")
            case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: Contractions

    /// Whole words that stand for two: `didn't` is "did not". The text scanner
    /// looks these up first; other words with `n't`, `'ve`, `'ll`, `'re`,
    /// `'m`, `'d` and `'s` are split by rule.
    static let contractions: [String: [String]] = [
        "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"],
        "shan't": ["shall", "not"], "ain't": ["is", "not"],
        // Written without the apostrophe, as people do in chat.
        "didnt": ["did", "not"], "dont": ["do", "not"], "doesnt": ["does", "not"],
        "shouldnt": ["should", "not"], "wouldnt": ["would", "not"], "couldnt": ["could", "not"],
        "wasnt": ["was", "not"], "werent": ["were", "not"], "isnt": ["is", "not"],
        "havent": ["have", "not"], "hasnt": ["has", "not"], "hadnt": ["had", "not"],
        "shouldve": ["should", "have"], "couldve": ["could", "have"], "wouldve": ["would", "have"],
        "mightve": ["might", "have"], "mustve": ["must", "have"],
    ]

    /// What the part after an apostrophe stands for. `'d` and `'s` stay as
    /// themselves because they are ambiguous ("they'd" is "they had" or "they
    /// would"; "Tom's" is "Tom is", "Tom has" or a possessive); pattern words
    /// accept them, see ``equivalents``.
    static let contractionSuffixes: [String: String] = [
        "ve": "have", "ll": "will", "re": "are", "m": "am", "d": "'d", "s": "'s",
    ]

    /// Pattern words that also accept a contracted form in the text.
    static let equivalents: [String: [String]] = [
        "would": ["'d"], "had": ["'d"], "did": ["'d"], "is": ["'s"], "has": ["'s"], "was": [],
    ]

    /// Splits one normalised word the way the text scanner does: a
    /// contraction becomes its two words.
    static func splitContraction(_ word: String) -> [String] {
        if let parts = contractions[word] { return parts }
        guard let apostrophe = word.lastIndex(of: "'"), apostrophe != word.startIndex else { return [word] }
        let base = String(word[..<apostrophe])
        let suffix = String(word[word.index(after: apostrophe)...])
        if suffix == "t", base.hasSuffix("n"), base.count > 1 {
            return [String(base.dropLast()), "not"]
        }
        if let expansion = contractionSuffixes[suffix] {
            return [base, expansion]
        }
        return [word]
    }

    // MARK: Inflections

    /// Irregular verbs: every form, base first. `word~` on any of these forms
    /// matches all of them.
    static let irregularVerbs: [[String]] = [
        ["be", "am", "is", "are", "was", "were", "been", "being"],
        ["have", "has", "had", "having"],
        ["do", "does", "did", "done", "doing"],
        ["go", "goes", "went", "gone", "going"],
        ["forget", "forgets", "forgot", "forgotten", "forgetting"],
        ["break", "breaks", "broke", "broken", "breaking"],
        ["take", "takes", "took", "taken", "taking"],
        ["bring", "brings", "brought", "bringing"],
        ["make", "makes", "made", "making"],
        ["see", "sees", "saw", "seen", "seeing"],
        ["know", "knows", "knew", "known", "knowing"],
        ["think", "thinks", "thought", "thinking"],
        ["run", "runs", "ran", "running"],
        ["rerun", "reruns", "reran", "rerunning"],
        ["get", "gets", "got", "gotten", "getting"],
        ["write", "writes", "wrote", "written", "writing"],
        ["overwrite", "overwrites", "overwrote", "overwritten", "overwriting"],
        ["blow", "blows", "blew", "blown", "blowing"],
        ["fall", "falls", "fell", "fallen", "falling"],
        ["leave", "leaves", "left", "leaving"],
        ["understand", "understands", "understood", "understanding"],
        ["misunderstand", "misunderstands", "misunderstood", "misunderstanding"],
        ["mistake", "mistakes", "mistook", "mistaken", "mistaking"],
        ["overlook", "overlooks", "overlooked", "overlooking"],
        ["read", "reads", "reading"],
        ["misread", "misreads", "misreading"],
        ["put", "puts", "putting"],
        ["set", "sets", "setting"],
        ["cut", "cuts", "cutting"],
        ["hit", "hits", "hitting"],
        ["let", "lets", "letting"],
        ["shut", "shuts", "shutting"],
        ["quit", "quits", "quitting"],
        ["say", "says", "said", "saying"],
        ["tell", "tells", "told", "telling"],
        ["lose", "loses", "lost", "losing"],
        ["send", "sends", "sent", "sending"],
        ["build", "builds", "built", "building"],
        ["begin", "begins", "began", "begun", "beginning"],
        ["choose", "chooses", "chose", "chosen", "choosing"],
        ["drive", "drives", "drove", "driven", "driving"],
        ["give", "gives", "gave", "given", "giving"],
        ["hold", "holds", "held", "holding"],
        ["keep", "keeps", "kept", "keeping"],
        ["lead", "leads", "led", "leading"],
        ["mean", "means", "meant", "meaning"],
        ["speak", "speaks", "spoke", "spoken", "speaking"],
        ["throw", "throws", "threw", "thrown", "throwing"],
        ["catch", "catches", "caught", "catching"],
        ["teach", "teaches", "taught", "teaching"],
        ["find", "finds", "found", "finding"],
        ["feel", "feels", "felt", "feeling"],
        ["hear", "hears", "heard", "hearing"],
        ["pay", "pays", "paid", "paying"],
        ["stand", "stands", "stood", "standing"],
        ["come", "comes", "came", "coming"],
        ["become", "becomes", "became", "becoming"],
        ["win", "wins", "won", "winning"],
        ["swear", "swears", "swore", "sworn", "swearing"],
        ["show", "shows", "showed", "shown", "showing"],
        ["hide", "hides", "hid", "hidden", "hiding"],
        ["shake", "shakes", "shook", "shaken", "shaking"],
        ["fight", "fights", "fought", "fighting"],
        ["buy", "buys", "bought", "buying"],
        ["sleep", "sleeps", "slept", "sleeping"],
        ["spend", "spends", "spent", "spending"],
        ["deal", "deals", "dealt", "dealing"],
        ["wake", "wakes", "woke", "woken", "waking"],
        ["eat", "eats", "ate", "eaten", "eating"],
        ["steal", "steals", "stole", "stolen", "stealing"],
        ["freeze", "freezes", "froze", "frozen", "freezing"],
        ["draw", "draws", "drew", "drawn", "drawing"],
        ["grow", "grows", "grew", "grown", "growing"],
        ["fly", "flies", "flew", "flown", "flying"],
        ["strike", "strikes", "struck", "stricken", "striking"],
        ["stick", "sticks", "stuck", "sticking"],
        ["sink", "sinks", "sank", "sunk", "sinking"],
        ["tear", "tears", "tore", "torn", "tearing"],
        ["wear", "wears", "wore", "worn", "wearing"],
        ["upset", "upsets", "upsetting"],
        ["spread", "spreads", "spreading"],
        ["split", "splits", "splitting"],
        ["cost", "costs", "costing"],
        ["shoot", "shoots", "shot", "shooting"],
        ["light", "lights", "lit", "lighted", "lighting"],
        ["burn", "burns", "burned", "burnt", "burning"],
        ["learn", "learns", "learned", "learnt", "learning"],
        ["screw", "screws", "screwed", "screwing"],
    ]

    static let irregularFamilies: [String: [String]] = {
        var map: [String: [String]] = [:]
        for family in irregularVerbs {
            for form in family where map[form] == nil { map[form] = family }
        }
        return map
    }()

    /// Every form of a word: `fail` → fail, fails, failed, failing. Regular
    /// forms follow English spelling rules; where a rule is uncertain (doubling
    /// the last consonant) both spellings are included, which costs nothing
    /// because a spelling nobody writes never matches.
    static func inflections(of word: String) -> [String] {
        if let family = irregularFamilies[word] { return family }
        let chars = Array(word)
        guard chars.count >= 2 else { return [word] }
        var forms = [word]
        let last = chars[chars.count - 1]
        let beforeLast = chars[chars.count - 2]
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        func add(_ s: String) { if !forms.contains(s) { forms.append(s) } }

        // -s
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("z") || word.hasSuffix("ch") || word.hasSuffix("sh") {
            add(word + "es")
        } else if last == "y", !vowels.contains(beforeLast) {
            add(String(chars.dropLast()) + "ies")
        } else {
            add(word + "s")
        }
        // -ed, -ing
        if word.hasSuffix("ie") {
            add(word + "d")
            add(String(chars.dropLast(2)) + "ying")
        } else if last == "e" {
            add(word + "d")
            if beforeLast == "e" || beforeLast == "y" || beforeLast == "o" {
                add(word + "ing")
            } else {
                add(String(chars.dropLast()) + "ing")
            }
        } else if last == "y", !vowels.contains(beforeLast) {
            add(String(chars.dropLast()) + "ied")
            add(word + "ing")
        } else if last == "c" {
            add(word + "ked")
            add(word + "king")
            add(word + "ed")
            add(word + "ing")
        } else {
            add(word + "ed")
            add(word + "ing")
            let doubling = !vowels.contains(last) && !"wxy".contains(last) && vowels.contains(beforeLast)
                && (chars.count < 3 || !vowels.contains(chars[chars.count - 3]))
            if doubling {
                add(word + String(last) + "ed")
                add(word + String(last) + "ing")
            }
        }
        return forms
    }

    // MARK: Participles

    /// Past participles that do not end in -ed or -en.
    static let irregularParticiples: Set<String> = [
        "been", "done", "gone", "seen", "known", "shown", "thrown", "blown", "drawn", "grown", "flown",
        "sworn", "torn", "worn", "made", "had", "said", "told", "thought", "brought", "bought", "caught",
        "taught", "fought", "found", "felt", "heard", "held", "kept", "left", "lost", "meant", "paid",
        "laid", "sold", "sent", "spent", "built", "stood", "understood", "misunderstood", "shot", "slept",
        "swept", "won", "run", "rerun", "begun", "come", "become", "put", "set", "cut", "hit", "let", "shut",
        "quit", "upset", "split", "spread", "read", "misread", "reread", "cost", "lit", "dealt", "burnt",
        "learnt", "struck", "stuck", "dug", "hung", "swung", "sung", "rung", "sunk", "drunk", "got",
        "fed", "led", "bred", "fled", "sped", "agreed", "freed", "guaranteed", "foreseen", "overseen",
        "spun", "slid", "withdrawn", "undone", "redone", "outrun", "overrun", "reset", "preset", "offset",
        "rebuilt", "resent", "rewritten", "overwritten",
    ]

    /// Words ending in -ed or -en that are not participles, so that "should
    /// have seven replicas" and "should have even more" are requirements, not
    /// counterfactuals.
    static let notParticiples: Set<String> = [
        "need", "seed", "feed", "deed", "heed", "weed", "bleed", "breed", "speed", "greed", "indeed",
        "exceed", "proceed", "succeed", "even", "often", "open", "seven", "eleven", "token", "kitchen",
        "garden", "women", "children", "citizen", "screen", "green", "queen", "between", "sudden",
        "golden", "wooden", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "thirteen",
        "fourteen", "canteen", "oxygen", "hydrogen", "siren", "alien", "omen", "linen", "heaven",
        "oven", "chicken", "listen", "happen", "hundred", "sacred", "naked", "wicked", "then", "when",
        "amen", "specimen", "kindred", "embed", "shed", "red", "bed", "ten", "men", "den", "pen", "hen",
    ]

    // MARK: People

    /// Subject pronouns that refer to people.
    static let subjectPronouns = ["i", "you", "he", "she", "they", "we", "someone", "somebody", "anyone", "anybody", "whoever"]
    static let objectPronouns = ["me", "him", "her", "them", "us", "you", "whoever", "whomever", "someone", "somebody", "anyone", "anybody", "myself", "himself", "herself", "themselves", "ourselves", "yourself"]

    /// Words that name a person by role, and can stand without "the"
    /// ("ops forgot", "engineers missed").
    static let personNouns = [
        "engineer", "operator", "responder", "developer", "dev", "sre", "admin", "administrator",
        "sysadmin", "on-call", "oncall", "on-caller", "oncaller", "deployer", "reviewer", "approver",
        "committer", "dba", "intern", "contractor", "newbie", "employee", "teammate", "colleague",
        "coworker", "co-worker", "programmer", "coder", "technician", "analyst", "architect",
    ]
    /// Role words that need a determiner to name a person ("the lead", "our
    /// team"), because alone they usually mean something else.
    static let personNounsAfterDeterminer = [
        "lead", "manager", "team", "person", "guy", "commander", "hire", "member", "author",
        "maintainer", "owner", "squad", "crew", "individual", "ic",
    ]
    /// Uncountable or plural words for people, which take no plural "-s".
    static let personCollectives = ["people", "staff", "folks", "ops", "support", "qa", "devops", "sres", "devs"]

    /// "engineer|engineers|…".
    static func withPlurals(_ words: [String]) -> String {
        words.flatMap { w -> [String] in
            let plural = w.hasSuffix("s") || w.hasSuffix("sh") || w.hasSuffix("ch") || w.hasSuffix("x") ? w + "es" : w + "s"
            return [w, plural]
        }.joined(separator: "|")
    }

    static let determiners = "the|a|an|our|their|your|my|his|her|that|this|another|one|some|every|each|any|whichever"
    static let roleModifiers = "on-call|oncall|primary|secondary|junior|senior|new|lead|responding|deploying|release|database|platform|infra|infrastructure|ops|sre|backend|frontend|support|incident|night|other|same|former|previous|overnight|weekend"

    /// The patterns that define the multi-word classes, in the pattern
    /// language itself.
    static func classPatterns(_ cls: PatternClass) -> [String] {
        let bare = withPlurals(personNouns) + "|" + personCollectives.joined(separator: "|")
        let all = bare + "|" + withPlurals(personNounsAfterDeterminer)
        let rolePhrases = [
            // One free word between the determiner and the role ("the
            // payments team") besides the known modifiers: more lets "a
            // channel most responders" pass for a person.
            "[one of] \(determiners) [\(roleModifiers)] [*] \(all)",
            "[\(roleModifiers)] \(bare)",
            "[one of] \(determiners) [*] team|staff member|members",
        ]
        switch cls {
        case .person:
            return ["<name> [and <name>]", subjectPronouns.joined(separator: "|")] + rolePhrases
                + ["the|a person|engineer|one on call", "one of us|them"]
        case .other:
            return ["<name> [and <name>]", subjectPronouns.filter { $0 != "i" && $0 != "we" }.joined(separator: "|")] + rolePhrases
        case .object:
            return ["<name>", objectPronouns.joined(separator: "|")] + rolePhrases
                + ["those|the person|people|one|ones responsible", "the responsible \(all)"]
        case .name, .pronoun, .participle:
            return []
        }
    }
}
