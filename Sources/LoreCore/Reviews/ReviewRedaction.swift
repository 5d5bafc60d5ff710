import Foundation

/// What a review must lose before it is published outside the company (a
/// public postmortem): every person Lore knows becomes a role, and every
/// internal link, hostname and address is shown to the author, who decides
/// what each becomes. Nothing is exported until every one is decided.
public struct RedactionPlan: Equatable, Sendable {
    /// A person and the role they are called by instead.
    public struct Person: Equatable, Sendable {
        public var name: String
        public var role: String
    }

    public var people: [Person]
    /// Links and host names found in the text, in the order first seen.
    public var references: [String]
}

/// Why a redacted export was refused: the references nobody decided on.
public struct RedactionUndecided: Error, Equatable, Sendable {
    public var references: [String]
}

public enum ReviewRedaction {
    /// The names Lore knows, their roles in this review, and the internal
    /// references its text holds.
    ///
    /// - Parameter users: everyone with an account; their names, handles and
    ///   e-mail addresses are replaced wherever they occur. Timeline authors
    ///   without an account (names imported from chat) are people too.
    public static func plan(_ d: ReviewDocument, users: [User]) -> RedactionPlan {
        RedactionPlan(people: roles(d, users: users).map { RedactionPlan.Person(name: $0.person.displayName, role: $0.role) }, references: references(d, users: users))
    }

    /// The document with people replaced by their roles and each reference
    /// by the author's decision (`decisions[reference]`, which may be the
    /// reference itself to keep it). Throws when a reference is undecided.
    public static func apply(_ d: ReviewDocument, users: [User], roleNames: [String: String] = [:], decisions: [String: String]) throws(RedactionUndecided) -> ReviewDocument {
        let undecided = references(d, users: users).filter { decisions[$0] == nil }
        guard undecided.isEmpty else { throw RedactionUndecided(references: undecided) }
        var replacements: [(String, String)] = []
        for (person, role) in roles(d, users: users) {
            let chosen = roleNames[person.displayName].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } ?? role
            for alias in aliases(person) { replacements.append((alias, chosen)) }
        }
        // Longest first, so "Priya Raman" goes before "Priya".
        replacements.sort { $0.0.count > $1.0.count }
        let references = decisions.sorted { $0.key.count > $1.key.count }
        func redact(_ text: String) -> String {
            // "O’Brien" and "O'Brien" are one name.
            var out = text.replacingOccurrences(of: "\u{2019}", with: "'")
            for (reference, decision) in references where reference != decision { out = out.replacingOccurrences(of: reference, with: decision) }
            for (name, role) in replacements { out = replaceWord(name, with: role, in: out) }
            return out
        }
        var r = d
        r.incident.title = redact(d.incident.title)
        r.incident.services = d.incident.services.map(redact)
        r.incident.teams = d.incident.teams.map(redact)
        r.incident.detectionSource = redact(d.incident.detectionSource)
        r.incident.labels = d.incident.labels.map(redact)
        r.incident.customerImpact = redact(d.incident.customerImpact)
        r.review.title = redact(d.review.title)
        r.review.participants = []
        for (section, text) in d.review.sections { r.review.sections[section] = redact(text) }
        r.timeline = d.timeline.map { e in
            var e = e
            e.author = redact(e.author)
            e.text = redact(e.text)
            e.reflection = e.reflection.map(redact)
            e.sourceURL = nil
            e.externalID = nil
            return e
        }
        r.findings = d.findings.map { f in
            var f = f
            f.text = redact(f.text)
            return f
        }
        r.followUps = d.followUps.map { f in
            var f = f
            f.title = redact(f.title)
            f.description = redact(f.description)
            f.ownerTeam = redact(f.ownerTeam)
            f.service = f.service.map(redact)
            f.trackerReference = f.trackerReference.map(redact)
            f.decisionReason = f.decisionReason.map(redact)
            f.plan = f.plan.map(redact)
            return f
        }
        return r
    }

    // MARK: - People

    /// Each person who appears in the review or its text, with a role: the
    /// facilitator, then responders lettered in the order they first appear.
    static func roles(_ d: ReviewDocument, users: [User]) -> [(person: User, role: String)] {
        var people = users
        // Timeline authors without an account (a name from a chat export).
        let known = Set(users.flatMap { aliases($0).map { $0.lowercased() } })
        for author in d.timeline.map(\.author) where !nonPeople.contains(author) && !known.contains(author.lowercased()) && !people.contains(where: { $0.displayName == author }) {
            people.append(User(displayName: author, handle: "", email: "", role: .member, createdAt: d.exportedAt))
        }
        let text = texts(d).joined(separator: "\n").lowercased()
        var ordered: [(User, String)] = []
        var letter = 0
        func nextResponder() -> String {
            defer { letter += 1 }
            let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return "responder " + (letter < 26 ? String(letters[letter]) : String(letter + 1))
        }
        let facilitators = Set(d.review.participants.filter { $0.role == .facilitator }.map(\.userID))
        for person in people where facilitators.contains(person.id) {
            ordered.append((person, "the facilitator"))
        }
        let byAppearance = people.filter { !facilitators.contains($0.id) }.compactMap { person -> (User, String.Index)? in
            let positions = aliases(person).compactMap { wordRange($0.lowercased(), in: text)?.lowerBound }
            let participant = d.review.participants.contains { $0.userID == person.id }
            guard let first = positions.min() ?? (participant ? text.endIndex : nil) else { return nil }
            return (person, first)
        }.sorted { $0.1 < $1.1 }
        for (person, _) in byAppearance { ordered.append((person, nextResponder())) }
        return ordered
    }

    /// Authors that are not people.
    static let nonPeople: Set<String> = ["Imported", "PagerDuty", "Slack", "Lore", ""]

    /// The ways a person is written: the full name, each part of it, the
    /// handle and the e-mail address with its local part.
    static func aliases(_ person: User) -> [String] {
        let name = person.displayName.replacingOccurrences(of: "\u{2019}", with: "'")
        var out = [name]
        out += name.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init).filter { $0.count >= 2 }
        if person.handle.count >= 2 { out += [person.handle, "@" + person.handle] }
        if !person.email.isEmpty {
            out.append(person.email)
            if let local = person.email.split(separator: "@").first, local.count >= 2 { out.append(String(local)) }
        }
        return Array(Set(out)).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Replaces whole-word occurrences, ignoring case.
    static func replaceWord(_ word: String, with replacement: String, in text: String) -> String {
        var out = text
        var searchStart = out.startIndex
        while let range = wordRange(word, in: out, from: searchStart) {
            out.replaceSubrange(range, with: replacement)
            searchStart = out.index(range.lowerBound, offsetBy: replacement.count, limitedBy: out.endIndex) ?? out.endIndex
        }
        return out
    }

    static func wordRange(_ word: String, in text: String, from start: String.Index? = nil) -> Range<String.Index>? {
        var from = start ?? text.startIndex
        while from < text.endIndex, let range = text.range(of: word, options: [.caseInsensitive, .diacriticInsensitive], range: from ..< text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber } ?? false }
            if !isWordCharacter(before), !isWordCharacter(after) { return range }
            from = text.index(after: range.lowerBound)
        }
        return nil
    }

    // MARK: - Internal references

    /// What a reference becomes unless the author writes something else.
    public static func proposedReplacement(for reference: String) -> String {
        reference.contains("://") ? "[internal link]" : "[internal host]"
    }

    /// The references of a document, without the e-mail addresses of people
    /// Lore knows (those become roles).
    static func references(_ d: ReviewDocument, users: [User]) -> [String] {
        let addresses = Set(users.map { $0.email.lowercased() })
        return references(in: texts(d)).filter { !addresses.contains($0.lowercased()) }
    }

    static func texts(_ d: ReviewDocument) -> [String] {
        // Every field the export prints.
        [d.incident.title, d.incident.customerImpact, d.review.title, d.incident.detectionSource] + d.incident.labels + d.incident.services + d.incident.teams
            + ReviewSection.allCases.compactMap { d.review.sections[$0] }
            + d.timeline.flatMap { [$0.author, $0.text, $0.reflection ?? ""] }
            + d.findings.map(\.text)
            + d.followUps.flatMap { [$0.title, $0.description, $0.ownerTeam, $0.service ?? "", $0.trackerReference ?? "", $0.decisionReason ?? "", $0.plan ?? ""] }
    }

    /// Links (`https://grafana.corp/d/abc`), e-mail addresses, host names
    /// (`db-01.prod.internal`, `orders.example.net`) and IP addresses, each
    /// once, in order.
    static func references(in texts: [String]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for text in texts {
            let ns = text as NSString
            for match in referencePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                var found = ns.substring(with: match.range)
                while let last = found.last, ".,;:)]}>'\"".contains(last) { found.removeLast() }
                if isVersionOrFile(found) { continue }
                if seen.insert(found).inserted { out.append(found) }
            }
        }
        return out
    }

    static let referencePattern = try! NSRegularExpression(pattern: #"(?i:[a-z][a-z0-9+.-]*)://[^\s<>()\[\]`"']+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9](?::\d+)?\b|\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+(?::\d+)?\b(?![.\w])"#)

    /// `v1.2.3`, `config.yaml`, `e.g`, `i.e` are not hosts. When in doubt a
    /// name is listed: the author decides, and listing too much leaks nothing.
    static func isVersionOrFile(_ s: String) -> Bool {
        guard !s.contains("://"), !s.contains("@"), !s.first!.isNumber || s.contains(where: \.isLetter) else { return false }
        if !s.contains(".") { return false }  // db-01, edge-03:8080
        let labels = s.split(separator: ".")
        if labels.count < 2 { return true }
        let last = labels.last!.lowercased()
        // Only extensions that are not also top-level domains (.sh, .md, .py
        // and .zip are, so those names are listed).
        let fileExtensions: Set<String> = ["yaml", "yml", "json", "txt", "log", "conf", "cfg", "ini", "toml", "go", "rb", "js", "ts", "swift", "java", "sql", "csv", "html", "xml", "lock", "tf", "tar", "gz", "png", "jpg", "svg", "pdf", "service", "timer", "socket"]
        if fileExtensions.contains(last) { return true }
        if labels.contains(where: { $0.count == 1 }) && labels.count == 2 { return true }  // e.g, i.e
        return false
    }
}
