import Foundation
import LoreCore
import Yams

/// A parsed catalog file: what `lore catalog import` applies.
///
/// The file is YAML with two lists, `teams` and `services` (see docs/catalog.md).
/// Parsing checks the file as a whole and reports every problem at once, each
/// with its line, so a person can fix the file in one pass. Nothing here reads
/// or writes the database: team references are checked against the teams in the
/// file and the `knownTeams` the caller passes in.
public struct CatalogFile: Equatable, Sendable {
    /// A person listed under a team, by email.
    public struct Member: Equatable, Sendable {
        /// Trimmed and lowercased.
        public var email: String
        public var role: TeamRole

        public init(email: String, role: TeamRole = .member) {
            self.email = email
            self.role = role
        }
    }

    public struct TeamEntry: Equatable, Sendable {
        /// Name and slug; the slug is always set (given, or derived from the name).
        public var input: TeamInput
        public var members: [Member]
        /// Line of the entry in the file (1-based).
        public var line: Int

        public init(input: TeamInput, members: [Member] = [], line: Int) {
            self.input = input
            self.members = members
            self.line = line
        }
    }

    public struct ServiceEntry: Equatable, Sendable {
        /// The slug is always set. `pagedTeams` is nil when the file has no
        /// `paged:` key and `[]` for `paged: []`; `owningTeam` and
        /// `pagerDutyServiceID` are nil when their keys are absent.
        public var input: ServiceInput
        /// Line of the entry in the file (1-based).
        public var line: Int

        public init(input: ServiceInput, line: Int) {
            self.input = input
            self.line = line
        }
    }

    public var teams: [TeamEntry]
    public var services: [ServiceEntry]

    public init(teams: [TeamEntry] = [], services: [ServiceEntry] = []) {
        self.teams = teams
        self.services = services
    }

    /// Keys accepted at the top level of the file.
    public static let topLevelKeys = ["teams", "services"]
    /// Keys accepted in a team entry.
    public static let teamKeys = ["name", "slug", "members"]
    /// Keys accepted in a member written as a mapping.
    public static let memberKeys = ["email", "role"]
    /// Keys accepted in a service entry.
    public static let serviceKeys = ["name", "slug", "owner", "paged", "pagerduty"]

    /// Parses and checks the file as a whole; every problem is reported with its
    /// line (1-based) and what is accepted.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - fileName: used in messages (`catalog.yaml:12: ...`).
    ///   - knownTeams: slugs of teams already in the catalog; services may refer
    ///     to these as well as to teams in the file.
    public static func parse(_ text: String, fileName: String, knownTeams: Set<String> = []) throws(CatalogFileError) -> CatalogFile {
        var reader = CatalogReader(knownTeams: knownTeams)
        let file = reader.read(text)
        if !reader.problems.isEmpty {
            // Stable sort: problems without a line first, then by line, keeping
            // the order they were found in within a line.
            let sorted = reader.problems.enumerated().sorted { a, b in
                let la = a.element.line ?? 0, lb = b.element.line ?? 0
                return la != lb ? la < lb : a.offset < b.offset
            }.map(\.element)
            throw CatalogFileError(fileName: fileName, problems: sorted)
        }
        return file
    }
}

/// A catalog file that cannot be applied, with every problem found in it.
public struct CatalogFileError: Error, Equatable, Sendable, CustomStringConvertible {
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

    /// One line per problem: `catalog.yaml:12: service "Search": paged team "nope" is not in the file or the catalog`.
    public var description: String {
        problems.map { p in
            if let line = p.line { return "\(fileName):\(line): \(p.message)" }
            return "\(fileName): \(p.message)"
        }.joined(separator: "\n")
    }
}

// MARK: - Reading

/// Walks the YAML node tree, collecting values and problems.
private struct CatalogReader {
    let knownTeams: Set<String>
    var problems: [CatalogFileError.Problem] = []

    init(knownTeams: Set<String>) {
        self.knownTeams = knownTeams
    }

    mutating func add(_ line: Int?, _ message: String) {
        problems.append(.init(line: line, message: message))
    }

    // MARK: File

    mutating func read(_ text: String) -> CatalogFile {
        let root: Node?
        do {
            if let alias = try YAMLAliasLimit.aliasOverLimit(in: text) {
                add(alias.line, YAMLAliasLimit.message(alias.name))
                return CatalogFile()
            }
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(yamlProblem(error, in: text))
            return CatalogFile()
        } catch {
            add(nil, "not valid YAML: \(error)")
            return CatalogFile()
        }
        guard let root else {
            add(nil, "the file is empty; expected a mapping with the keys \(list(CatalogFile.topLevelKeys))")
            return CatalogFile()
        }
        guard let mapping = root.mapping else {
            if root.scalar.map(isNull) == true {
                add(nil, "the file is empty; expected a mapping with the keys \(list(CatalogFile.topLevelKeys))")
            } else {
                add(root.line, "the top level must be a mapping with the keys \(list(CatalogFile.topLevelKeys)), not \(describe(root))")
            }
            return CatalogFile()
        }

        var teamsNode: Node?
        var servicesNode: Node?
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                add(key.line, "top-level keys must be text; accepted keys: \(list(CatalogFile.topLevelKeys))")
                continue
            }
            switch name {
            case "teams": teamsNode = value
            case "services": servicesNode = value
            default:
                add(key.line, "unknown top-level key \"\(name)\"\(suggestion(for: name, among: CatalogFile.topLevelKeys)); accepted keys: \(list(CatalogFile.topLevelKeys))")
            }
        }

        // Teams first, whatever the order in the file: services refer to them.
        let teams = readTeams(teamsNode)
        let fileTeams = Set(teams.compactMap(\.input.slug))
        let services = readServices(servicesNode, teams: fileTeams.union(knownTeams))
        return CatalogFile(teams: teams, services: services)
    }

    // MARK: Teams

    mutating func readTeams(_ node: Node?) -> [CatalogFile.TeamEntry] {
        var teams: [CatalogFile.TeamEntry] = []
        var slugLines: [String: Int] = [:]
        for (index, item) in items(of: node, section: "teams", what: "a list of teams").enumerated() {
            let before = problems.count
            let line = item.line ?? node?.line ?? 1
            guard let mapping = item.mapping else {
                add(item.line, "team #\(index + 1) must be a mapping with the keys \(list(CatalogFile.teamKeys)), not \(describe(item))")
                continue
            }
            let fields = self.fields(of: mapping, accepted: CatalogFile.teamKeys)
            let nameText = text(fields.values["name"], field: "name", label: "team #\(index + 1)")
            let label = nameText.map { "team \"\($0)\"" } ?? "team #\(index + 1)"
            reportUnknownKeys(fields.unknown, label: label, accepted: CatalogFile.teamKeys)

            let name = checkName(nameText, node: fields.values["name"], entryLine: line, label: label)
            let slug = checkSlug(fields.values["slug"], name: name, nameNode: fields.values["name"], entryLine: line, label: label)
            if let slug {
                let slugLine = fields.values["slug"]?.line ?? fields.values["name"]?.line ?? line
                if let first = slugLines[slug] {
                    add(slugLine, "\(label): team slug \"\(slug)\" is already used by the team on line \(first); each team needs its own slug")
                } else {
                    slugLines[slug] = line
                }
            }
            let members = readMembers(fields.values["members"], label: label)

            let entry = CatalogFile.TeamEntry(input: TeamInput(name: name, slug: slug), members: members, line: line)
            if problems.count == before {
                // The same rules the forms and the API apply, in case they are stricter.
                do throws(ValidationError) {
                    _ = try entry.input.validated()
                } catch {
                    addIssues(error, label: label, entryLine: line, nodes: ["name": fields.values["name"], "slug": fields.values["slug"]])
                }
            }
            teams.append(entry)
        }
        return teams
    }

    mutating func readMembers(_ node: Node?, label: String) -> [CatalogFile.Member] {
        guard let node, !isAbsent(node) else { return [] }
        guard let sequence = node.sequence else {
            add(node.line, "\(label): members must be a list of emails or mappings with the keys \(list(CatalogFile.memberKeys)), not \(describe(node))")
            return []
        }
        var members: [CatalogFile.Member] = []
        var emailLines: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let emailNode: Node?
            var roleNode: Node?
            let memberLabel = "\(label): member #\(index + 1)"
            if item.scalar != nil {
                emailNode = item
            } else if let mapping = item.mapping {
                let fields = self.fields(of: mapping, accepted: CatalogFile.memberKeys)
                reportUnknownKeys(fields.unknown, label: memberLabel, accepted: CatalogFile.memberKeys)
                emailNode = fields.values["email"]
                roleNode = fields.values["role"]
            } else {
                add(item.line, "\(memberLabel) must be an email or a mapping with the keys \(list(CatalogFile.memberKeys)), not \(describe(item))")
                continue
            }

            guard let email = text(emailNode, field: "email", label: memberLabel)?.lowercased() else {
                if emailNode.map(isAbsent) ?? true {
                    add(item.line, "\(memberLabel): email is required")
                }
                continue
            }
            let emailLine = emailNode?.line ?? item.line
            if email.count > Limits.email {
                add(emailLine, "\(label): member email is \(email.count) characters; the limit is \(Limits.email)")
            } else if !looksLikeEmail(email) {
                add(emailLine, "\(label): member \"\(email)\" is not an email address (expected name@example.com)")
            }

            var role = TeamRole.member
            if let roleText = text(roleNode, field: "role", label: "\(label): member \"\(email)\"") {
                if let r = TeamRole(rawValue: roleText.lowercased()) {
                    role = r
                } else {
                    add(roleNode?.line ?? emailLine, "\(label): member \"\(email)\": role \"\(roleText)\" is not accepted; use \(list(TeamRole.allCases.map(\.rawValue), conjunction: "or"))")
                }
            }

            if let first = emailLines[email] {
                add(emailLine, "\(label): member \"\(email)\" is listed twice (first on line \(first))")
                continue
            }
            emailLines[email] = emailLine ?? 0
            members.append(CatalogFile.Member(email: email, role: role))
        }
        return members
    }

    // MARK: Services

    mutating func readServices(_ node: Node?, teams: Set<String>) -> [CatalogFile.ServiceEntry] {
        var services: [CatalogFile.ServiceEntry] = []
        var slugLines: [String: Int] = [:]
        for (index, item) in items(of: node, section: "services", what: "a list of services").enumerated() {
            let before = problems.count
            let line = item.line ?? node?.line ?? 1
            guard let mapping = item.mapping else {
                add(item.line, "service #\(index + 1) must be a mapping with the keys \(list(CatalogFile.serviceKeys)), not \(describe(item))")
                continue
            }
            let fields = self.fields(of: mapping, accepted: CatalogFile.serviceKeys)
            let nameText = text(fields.values["name"], field: "name", label: "service #\(index + 1)")
            let label = nameText.map { "service \"\($0)\"" } ?? "service #\(index + 1)"
            reportUnknownKeys(fields.unknown, label: label, accepted: CatalogFile.serviceKeys)

            let name = checkName(nameText, node: fields.values["name"], entryLine: line, label: label)
            let slug = checkSlug(fields.values["slug"], name: name, nameNode: fields.values["name"], entryLine: line, label: label)
            if let slug {
                let slugLine = fields.values["slug"]?.line ?? fields.values["name"]?.line ?? line
                if let first = slugLines[slug] {
                    add(slugLine, "\(label): service slug \"\(slug)\" is already used by the service on line \(first); each service needs its own slug")
                } else {
                    slugLines[slug] = line
                }
            }

            let ownerNode = fields.values["owner"]
            let owner = text(ownerNode, field: "owner", label: label)
            if let owner, !teams.contains(owner) {
                add(ownerNode?.line ?? line, "\(label): owner team \"\(owner)\" is not in the file or the catalog\(suggestion(for: owner, among: teams.sorted())); use a team slug")
            }

            let paged = readPaged(fields.values["paged"], teams: teams, label: label, entryLine: line)

            let pdNode = fields.values["pagerduty"]
            let pagerDuty = text(pdNode, field: "pagerduty", label: label)
            if let pagerDuty, pagerDuty.count > Limits.externalId {
                add(pdNode?.line ?? line, "\(label): pagerduty is \(pagerDuty.count) characters; the limit is \(Limits.externalId)")
            }

            let entry = CatalogFile.ServiceEntry(
                input: ServiceInput(name: name, slug: slug, owningTeam: owner, pagedTeams: paged, pagerDutyServiceID: pagerDuty),
                line: line
            )
            if problems.count == before {
                do throws(ValidationError) {
                    _ = try entry.input.validated(knownTeams: teams)
                } catch {
                    addIssues(error, label: label, entryLine: line, nodes: [
                        "name": fields.values["name"], "slug": fields.values["slug"], "owningTeam": ownerNode,
                        "pagedTeams": fields.values["paged"], "pagerDutyServiceId": pdNode,
                    ])
                }
            }
            services.append(entry)
        }
        return services
    }

    /// `paged:` is a team slug or a list of them, primary first. Nil when absent.
    mutating func readPaged(_ node: Node?, teams: Set<String>, label: String, entryLine: Int) -> [String]? {
        guard let node, !isAbsent(node) else { return nil }
        let elements: [Node]
        if node.scalar != nil {
            elements = [node]
        } else if let sequence = node.sequence {
            elements = Array(sequence)
        } else {
            add(node.line, "\(label): paged must be a team slug or a list of team slugs, not \(describe(node))")
            return []
        }
        var paged: [String] = []
        for element in elements {
            guard element.scalar != nil else {
                add(element.line ?? node.line, "\(label): each paged team must be a team slug, not \(describe(element))")
                continue
            }
            guard let slug = text(element, field: "paged", label: label) else { continue }
            let line = element.line ?? node.line ?? entryLine
            if !teams.contains(slug) {
                add(line, "\(label): paged team \"\(slug)\" is not in the file or the catalog\(suggestion(for: slug, among: teams.sorted())); use a team slug")
            }
            if paged.contains(slug) {
                add(line, "\(label): paged team \"\(slug)\" is listed twice")
                continue
            }
            paged.append(slug)
        }
        return paged
    }

    // MARK: Shared checks

    /// The trimmed name, or nil (reported) when missing or too long.
    mutating func checkName(_ name: String?, node: Node?, entryLine: Int, label: String) -> String? {
        guard let name else {
            // A name that is there but not text was reported by `text`.
            if node.map(isAbsent) ?? true { add(node?.line ?? entryLine, "\(label): name is required") }
            return nil
        }
        if name.count > Limits.name {
            add(node?.line ?? entryLine, "\(label): name is \(name.count) characters; the limit is \(Limits.name)")
        }
        return name
    }

    /// The given slug, or one made from the name; nil when there is neither.
    /// An invalid slug is reported and still returned, so that references to it
    /// do not cause more problems.
    mutating func checkSlug(_ node: Node?, name: String?, nameNode: Node?, entryLine: Int, label: String) -> String? {
        if let given = text(node, field: "slug", label: label) {
            if !Slug.isValid(given) {
                add(node?.line ?? entryLine, "\(label): slug \"\(given)\" is not valid; use lowercase letters, digits and single hyphens, at most \(Limits.slug) characters (for example \"\(example(given))\")")
            }
            return given
        }
        if let node, !isAbsent(node) { return nil } // not text; reported
        guard let name else { return nil }
        let made = Slug.make(from: name)
        if !Slug.isValid(made) {
            add(nameNode?.line ?? entryLine, "\(label): no slug can be made from the name; add a slug: with lowercase letters, digits and single hyphens")
            return nil
        }
        return made
    }

    mutating func reportUnknownKeys(_ keys: [(name: String, line: Int?)], label: String, accepted: [String]) {
        for key in keys {
            add(key.line, "\(label): unknown key \"\(key.name)\"\(suggestion(for: key.name, among: accepted)); accepted keys: \(list(accepted))")
        }
    }

    /// Maps LoreCore validation issues (keyed by JSON field name) to lines.
    mutating func addIssues(_ error: ValidationError, label: String, entryLine: Int, nodes: [String: Node?]) {
        for issue in error.issues {
            let node = nodes[issue.field] ?? nil
            var message = issue.message
            if message.hasSuffix(".") { message.removeLast() }
            add(node?.line ?? entryLine, "\(label): \(message)")
        }
    }

    // MARK: Node helpers

    /// The items of a top-level section; an absent or empty section has none.
    mutating func items(of node: Node?, section: String, what: String) -> [Node] {
        guard let node, !isAbsent(node) else { return [] }
        guard let sequence = node.sequence else {
            add(node.line, "\(section) must be \(what) (each item starting with \"- \"), not \(describe(node))")
            return []
        }
        return Array(sequence)
    }

    /// Known keys with their values, and unknown keys with their lines.
    func fields(of mapping: Node.Mapping, accepted: [String]) -> (values: [String: Node], unknown: [(name: String, line: Int?)]) {
        var values: [String: Node] = [:]
        var unknown: [(name: String, line: Int?)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                unknown.append((name: describe(key), line: key.line))
                continue
            }
            if accepted.contains(name) {
                values[name] = value
            } else {
                unknown.append((name: name, line: key.line))
            }
        }
        return (values, unknown)
    }

    /// A scalar as trimmed text; nil when absent, null or empty. A list or
    /// mapping where text belongs is reported and gives nil.
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

    // MARK: YAML errors

    func yamlProblem(_ error: YamlError, in text: String) -> CatalogFileError.Problem {
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

    // MARK: Wording

    func list(_ words: [String], conjunction: String = "and") -> String {
        switch words.count {
        case 0: return ""
        case 1: return words[0]
        default: return words.dropLast().joined(separator: ", ") + " \(conjunction) " + words.last!
        }
    }

    /// ` (did you mean "services"?)` when one candidate is close.
    func suggestion(for word: String, among candidates: [String]) -> String {
        let lower = word.lowercased()
        let limit = max(1, min(2, lower.count / 3))
        let close = candidates
            .map { (candidate: $0, distance: editDistance(lower, $0.lowercased())) }
            .filter { $0.distance <= limit && $0.candidate != word }
            .min { $0.distance < $1.distance }
        return close.map { " (did you mean \"\($0.candidate)\"?)" } ?? ""
    }

    /// Edits (insert, delete, replace, swap two neighbours) to turn `a` into `b`.
    func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// A valid slug close to what was written, for the message.
    func example(_ given: String) -> String {
        let made = Slug.make(from: given)
        return Slug.isValid(made) ? made : "payments-sre"
    }

    /// The same rule as account emails.
    func looksLikeEmail(_ s: String) -> Bool { UserInput.looksLikeEmail(s) }
}

private extension Node {
    var line: Int? { mark?.line }
}
