import Foundation

/// Checks text meant for customers and the teams that talk to them: the
/// audience rule set beside the blame-aware one.
///
/// Four kinds of finding, shown as review findings are:
/// - **internal names**: the catalog's service slugs and "<team> team"
///   names, hostnames (`edge-03`, `orders-db.internal`, addresses), and
///   ticket or incident keys (`INC-42`, `OPS-118`);
/// - **jargon** (the audience rules file, data like the language rules) and
///   **acronyms** that are not spelled out anywhere in the text;
/// - **people's names**: a summary for customers never names an individual;
/// - **blame**: the blame-aware rules that are warnings.
public struct AudienceChecker: Sendable {
    /// What Lore knows that customers do not.
    public struct Catalog: Sendable, Equatable {
        public var serviceSlugs: [String]
        public var teamNames: [String]
        public var people: [String]

        public init(serviceSlugs: [String] = [], teamNames: [String] = [], people: [String] = []) {
            self.serviceSlugs = serviceSlugs
            self.teamNames = teamNames
            self.people = people
        }
    }

    let words: LanguageChecker

    /// Acronyms customers read without a second thought.
    static let plainAcronyms: Set<String> = [
        "US", "USA", "UK", "EU", "UN", "FAQ", "PDF", "OK", "TV", "PIN", "ID", "IDS", "IT", "CEO", "CTO", "AM", "PM", "UTC", "GMT",
        "CET", "CEST", "EST", "EDT", "PST", "PDT", "BST", "IST", "JST", "AEST", "VAT", "USD", "EUR", "GBP", "ATM", "SMS", "FYI", "ASAP", "I",
        "COVID", "WIFI", "UTF", "ISO", "NB", "PS", "Q1", "Q2", "Q3", "Q4",
    ]

    /// Prefixes of keys that are not tickets: `COVID-19`, `UTF-8`, `ISO-8601`.
    static let notTicketPrefixes: Set<String> = ["COVID", "UTF", "ISO", "SHA", "MP", "H", "Q1", "Q2", "Q3", "Q4", "WIFI"]

    /// Words a machine's name starts with (`edge-03`, `db-1`, `web-12`);
    /// other `word-12` tokens (`top-10`, `covid-19`) are ordinary text.
    static let machineWords: Set<String> = [
        "edge", "db", "pg", "sql", "mysql", "redis", "cache", "web", "app", "api", "node", "host", "srv", "server", "worker", "proxy", "lb",
        "k8s", "kube", "pod", "vm", "ip", "dns", "mq", "kafka", "es", "search", "queue", "gw", "gateway", "nat", "bastion", "runner", "ci", "prod", "stg", "staging",
    ]

    /// First names that are also everyday words: "Will I be charged?" or
    /// "On May 3" name nobody. Such a person is still found by full name.
    static let everydayNames: Set<String> = [
        "will", "may", "june", "april", "august", "mark", "bill", "grace", "hope", "joy", "faith", "rose", "summer", "dawn", "art", "pat",
        "sue", "max", "ray", "jack", "frank", "rich", "don", "gene", "chance", "bob", "sunny", "page", "case", "reed", "drew", "jean", "ivy",
    ]

    /// - Parameters:
    ///   - rules: the audience rules (jargon), from `audience-rules.yaml` and
    ///     the organisation's additions.
    ///   - blameRules: the blame-aware rules; those at `warning` level apply.
    public init(rules: [LanguageRule], blameRules: [LanguageRule], catalog: Catalog) throws(LanguageRuleError) {
        var all = rules
        all += blameRules.filter { $0.enabled && $0.level == .warning }.map { rule in
            var r = rule
            r.category = "blame"
            r.message = "Customers read this as someone being blamed. " + rule.message
            return r
        }
        // A slug that is one plain word (`checkout`) is also the customers' word.
        let slugs = catalog.serviceSlugs.filter { Self.isPatternWord($0) && $0.contains { $0 == "-" || $0.isNumber } }
        if !slugs.isEmpty {
            all.append(LanguageRule(
                id: "internal-service", category: "internal_name", patterns: slugs,
                message: "An internal service name; customers know the product, not its parts.",
                suggestions: ["the part of our service that handles payments", "our service"], level: .warning))
        }
        let teams = catalog.teamNames.map { $0.lowercased() }.filter(Self.isPatternWord)
        if !teams.isEmpty {
            all.append(LanguageRule(
                id: "internal-team", category: "internal_name", patterns: teams.map { "\($0) team~" },
                message: "An internal team's name; customers do not need to know who inside did what.",
                suggestions: ["our engineers", "we"], level: .warning))
        }
        all.append(LanguageRule(
            id: "person-named", category: "person", patterns: ["<name>"],
            message: "A summary for customers never names an individual: it is the company's account, and naming a person exposes them.",
            suggestions: ["we", "our engineers", "the team"], level: .warning))
        // One rule per id (an organisation's rule may reuse a blame rule's id).
        var seen = Set<String>()
        all = all.filter { seen.insert($0.id).inserted }
        words = try LanguageChecker(rules: all, knownNames: catalog.people)
    }

    /// A pattern word: letters, digits and inner hyphens (what the pattern
    /// language reads as one word or a hyphenated compound).
    static func isPatternWord(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 60 && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == " " } && !s.hasPrefix("-") && !s.hasSuffix("-")
    }

    /// Every finding in `text`, in the order they appear.
    public func check(_ text: String) -> [LanguageFinding] {
        // A lone everyday word that is also someone's first name ("Will I
        // be charged?") names nobody; the full name is still found.
        var found = words.check(text).filter { !($0.ruleID == "person-named" && Self.everydayNames.contains($0.matchedText.lowercased())) }
        found += Self.shapes(in: text)
        return found.sorted { ($0.range.lowerBound, $0.ruleID) < ($1.range.lowerBound, $1.ruleID) }
    }

    // MARK: Shapes the word patterns cannot express

    nonisolated(unsafe) static let hostname = #/[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+[a-z]?(?:\.[a-z0-9-]+)*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|svc|intra)|\d{1,3}(?:\.\d{1,3}){3}/#
    nonisolated(unsafe) static let ticketKey = #/[A-Z][A-Z0-9]{1,9}-\d+/#
    nonisolated(unsafe) static let acronym = #/[A-Z]{2,6}s?/#

    // Regexes are immutable once built; matching does not change them.

    /// Runs of letters, digits, `.`, `-` and `_` (a hostname or a key is one
    /// such run), without a trailing `.` or `-` (the end of a sentence).
    static func tokens(_ text: String) -> [Range<String.Index>] {
        var out: [Range<String.Index>] = []
        var start: String.Index?
        func close(_ end: String.Index) {
            guard let s = start else { return }
            var e = end
            while e > s, let c = text[..<e].last, c == "." || c == "-" { e = text.index(before: e) }
            if e > s { out.append(s..<e) }
            start = nil
        }
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") {
                if start == nil { start = i }
            } else {
                close(i)
            }
            i = text.index(after: i)
        }
        close(text.endIndex)
        return out
    }

    static func shapes(in text: String) -> [LanguageFinding] {
        var out: [LanguageFinding] = []
        func add(_ range: Range<String.Index>, rule: String, category: String, level: LanguageLevel, message: String, suggestions: [String]) {
            let utf16Start = text.utf16.distance(from: text.startIndex, to: range.lowerBound)
            let utf16End = text.utf16.distance(from: text.startIndex, to: range.upperBound)
            let before = text[..<range.lowerBound]
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            out.append(LanguageFinding(ruleID: rule, category: category, level: level, line: line, column: text[lineStart..<range.lowerBound].count + 1,
                                       range: utf16Start..<utf16End, matchedText: String(text[range]), message: message, suggestions: suggestions))
        }
        for range in tokens(text) {
            let token = text[range]
            if token.wholeMatch(of: ticketKey) != nil, !notTicketPrefixes.contains(String(token.prefix { $0 != "-" })) {
                add(range, rule: "internal-ticket", category: "internal_name", level: .warning,
                    message: "An internal ticket or incident number; it means nothing outside the company.", suggestions: ["this incident", "the work to prevent it"])
            } else if isMachineName(token.lowercased()) {
                add(range, rule: "internal-host", category: "internal_name", level: .warning,
                    message: "A machine's name or address; customers know the product, not its machines.", suggestions: ["one of our servers", "our service"])
            } else if token.wholeMatch(of: acronym) != nil {
                let bare = token.hasSuffix("s") ? String(token.dropLast()) : String(token)
                guard !plainAcronyms.contains(bare), !explains(bare, in: text) else { continue }
                add(range, rule: "unexplained-acronym", category: "jargon", level: .suggestion,
                    message: "\(bare) is not spelled out; customers may not know it.", suggestions: ["spell it out the first time: Domain Name System (DNS)", "say what it does instead"])
            }
        }
        return out
    }

    /// A machine's name or address: `edge-03`, `orders-db-03`, `orders-db.internal`, `10.4.2.17`.
    static func isMachineName(_ token: String) -> Bool {
        guard token.wholeMatch(of: hostname) != nil else { return false }
        if token.contains(".") { return true }
        let parts = token.split(separator: "-")
        // `word-12` only when the word names a machine; two hyphens (`orders-db-03`) always.
        return parts.count >= 3 || machineWords.contains(String(parts.first ?? ""))
    }

    /// Whether the text spells the acronym out somewhere: "Domain Name
    /// System (DNS)" or "DNS (Domain Name System)", the words' initials
    /// spelling it.
    static func explains(_ acronym: String, in text: String) -> Bool {
        func spells(_ words: some Collection<Substring>) -> Bool {
            String(words.compactMap(\.first)).uppercased().contains(acronym)
        }
        if let open = text.range(of: "(" + acronym + ")") {
            if spells(text[..<open.lowerBound].split(whereSeparator: { !$0.isLetter }).suffix(acronym.count + 2)) { return true }
        }
        if let after = text.range(of: acronym + " (") {
            let inside = text[after.upperBound...].prefix { $0 != ")" }
            if spells(inside.split(whereSeparator: { !$0.isLetter }).prefix(acronym.count + 2)) { return true }
        }
        return false
    }
}
