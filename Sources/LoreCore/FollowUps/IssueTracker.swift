import Foundation

/// The trackers Lore works with.
public enum TrackerKind: String, Sendable, Codable {
    case github, jira

    public var label: String { self == .github ? "GitHub" : "Jira" }
}

/// Where a team plans its work: a GitHub repository or a Jira project.
/// Follow-ups pushed there become issues, and what happens to the issue
/// comes back.
///
/// Engineers plan in their tracker, not in a second list; a follow-up that
/// lives only in Lore is the one nobody sees at planning.
public struct TrackerProject: Equatable, Sendable, Codable, CustomStringConvertible {
    /// `owner/repo` (GitHub) or `jira:KEY` (a Jira project's key).
    public var repository: String

    public var kind: TrackerKind { repository.hasPrefix("jira:") ? .jira : .github }
    /// The Jira project's key (`OPS`).
    public var jiraKey: String { String(repository.dropFirst("jira:".count)) }
    /// As people name it: `acme/payments`, `OPS`.
    public var name: String { kind == .jira ? jiraKey : repository }

    public init?(repository raw: String) {
        let r = raw.trimmingCharacters(in: .whitespaces)
        if r.lowercased().hasPrefix("jira:") {
            // Jira keys: a capital letter, then capitals, digits or underscores (2–10).
            let key = r.dropFirst(5).uppercased()
            guard (2...10).contains(key.count), key.first?.isLetter == true,
                  key.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else { return nil }
            repository = "jira:" + key
            return
        }
        let parts = r.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.count <= 100 && $0.unicodeScalars.allSatisfy { $0.isASCII && allowed.contains($0) } }) else { return nil }
        // GitHub names are case-insensitive; events carry the real spelling.
        repository = r.lowercased()
    }

    public var description: String { repository }
}

/// The organisation's tracker: which team's follow-ups go to which
/// repository, and which teams push theirs as soon as they are written.
public struct IssueTrackerSettings: Equatable, Sendable, Codable {
    /// The GitHub REST API (GitHub Enterprise Server: `https://host/api/v3`).
    public var apiURL = "https://api.github.com"
    /// The Jira Cloud site (`https://acme.atlassian.net`), the account its
    /// API token belongs to, and the type of issue follow-ups become.
    public var jiraURL = ""
    public var jiraEmail = ""
    public var jiraIssueType = "Task"
    /// Team slug → repository.
    public var teamRepositories: [String: TrackerProject] = [:]
    /// Teams whose follow-ups are pushed when created.
    public var pushAutomatically: Set<String> = []

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        jiraURL = try c.decodeIfPresent(String.self, forKey: .jiraURL) ?? jiraURL
        jiraEmail = try c.decodeIfPresent(String.self, forKey: .jiraEmail) ?? jiraEmail
        jiraIssueType = try c.decodeIfPresent(String.self, forKey: .jiraIssueType) ?? jiraIssueType
        teamRepositories = try c.decodeIfPresent([String: TrackerProject].self, forKey: .teamRepositories) ?? [:]
        pushAutomatically = try c.decodeIfPresent(Set<String>.self, forKey: .pushAutomatically) ?? []
    }

    /// Reads the Settings form's lines, `team = owner/repo` with `auto` at
    /// the end to push as soon as follow-ups are written; every problem named
    /// with its line.
    public static func parse(apiURL: String, lines: String, knownTeams: Set<String>, jiraURL: String = "", jiraEmail: String = "", jiraIssueType: String = "") throws(ValidationError) -> IssueTrackerSettings {
        var v = Validator()
        var s = IssueTrackerSettings()
        // `ServiceAddress`: https, or http to this machine.
        func address(_ raw: String, field: String, example: String) -> String? {
            let url = raw.trimmingCharacters(in: .whitespaces)
            guard !url.isEmpty else { return nil }
            if let c = URLComponents(string: url), ServiceAddress.isAllowed(c) {
                return url.hasSuffix("/") ? String(url.dropLast()) : url
            }
            v.add(field, "invalid", "The address must be an https URL such as \(example); got \"\(url)\".")
            return nil
        }
        if let url = address(apiURL, field: "trackerAPIURL", example: "https://api.github.com") { s.apiURL = url }
        if let url = address(jiraURL, field: "jiraURL", example: "https://acme.atlassian.net") { s.jiraURL = url }
        s.jiraEmail = jiraEmail.trimmingCharacters(in: .whitespaces)
        if !jiraIssueType.trimmingCharacters(in: .whitespaces).isEmpty { s.jiraIssueType = jiraIssueType.trimmingCharacters(in: .whitespaces) }
        // Every bad line, in one message under the one field.
        var problems: [String] = []
        // Browsers send a textarea's lines with CRLF.
        for (n, raw) in lines.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let sides = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            var words = sides.count == 2 ? sides[1].split(separator: " ").map(String.init) : []
            let auto = words.last == "auto"
            if auto { words.removeLast() }
            guard sides.count == 2, words.count == 1, let project = TrackerProject(repository: words[0]) else {
                problems.append("Line \(n + 1): write team = owner/repository or team = jira:KEY (and auto to push at once); got \"\(line)\".")
                continue
            }
            guard knownTeams.contains(sides[0]) else {
                problems.append("Line \(n + 1): there is no team \"\(sides[0])\" (use a team's slug).")
                continue
            }
            s.teamRepositories[sides[0]] = project
            if auto { s.pushAutomatically.insert(sides[0]) }
        }
        if s.teamRepositories.values.contains(where: { $0.kind == .jira }) && (s.jiraURL.isEmpty || s.jiraEmail.isEmpty) {
            problems.append("A team plans in Jira: give the Jira site's address and the account's email.")
        }
        if !problems.isEmpty { v.add("trackerRepositories", "invalid", problems.joined(separator: " ")) }
        try v.check()
        return s
    }

    /// The form's lines for these settings.
    public var lines: String {
        teamRepositories.keys.sorted().map { "\($0) = \(teamRepositories[$0]!.repository)\(pushAutomatically.contains($0) ? " auto" : "")" }.joined(separator: "\n")
    }
}

/// A follow-up's issue in the tracker.
public struct TrackerIssue: Equatable, Sendable, Codable {
    public var project: TrackerProject
    public var number: Int
    public var url: String

    public init(project: TrackerProject, number: Int, url: String) {
        self.project = project
        self.number = number
        self.url = url
    }

    /// `owner/repo#12`, `OPS-12`.
    public var reference: String { project.kind == .jira ? "\(project.jiraKey)-\(number)" : "\(project.repository)#\(number)" }
}

/// What Lore writes into the tracker for a follow-up.
public struct TrackerIssueDraft: Equatable, Sendable {
    public var title: String
    public var body: String
    public var labels: [String]

    /// The label that finds the issue of a follow-up again, so that a
    /// retried push never opens a second one (GitHub has no idempotency key).
    public static func label(for followUpID: UUID) -> String { "lore-" + followUpID.uuidString.lowercased() }

    public init(followUp: FollowUp, incidentKey: String, incidentTitle: String, link: String, tracker: TrackerKind = .github) {
        title = followUp.title
        var body = followUp.description.isEmpty ? "" : followUp.description + "\n\n"
        body += "---\nA follow-up of \(incidentKey) (\(incidentTitle)) in Lore: \(link)\n"
        body += tracker == .github
            ? "Closing this issue as completed marks the follow-up done; closing it as not planned marks it not necessary, with your last comment as the reason."
            : "Moving this issue to Done marks the follow-up done; to Won't Do (or resolving it so), not necessary, with your last comment as the reason."
        self.body = body
        // GitHub's labels are at most 50 characters.
        labels = ["lore", Self.label(for: followUp.id)] + (followUp.service.map { [String(("service:" + $0).prefix(50))] } ?? [])
    }
}

/// What the tracker says happened to an issue, and what it means for the
/// follow-up.
public enum TrackerIssueEvent: Equatable, Sendable {
    case closedAsCompleted
    case closedAsNotPlanned
    case reopened

    /// GitHub's `issues` event: `closed` with `state_reason` `completed` (or
    /// none, as older clients close), `not_planned` or `duplicate`, and
    /// `reopened`. A reason Lore does not know changes nothing.
    public init?(githubAction action: String, stateReason: String?) {
        switch (action, stateReason) {
        case ("closed", "not_planned"), ("closed", "duplicate"): self = .closedAsNotPlanned
        case ("closed", "completed"), ("closed", nil): self = .closedAsCompleted
        case ("reopened", _): self = .reopened
        default: return nil
        }
    }

    /// Jira's resolutions for an issue closed without doing it.
    static let jiraNotDone: Set<String> = ["won't do", "won't fix", "declined", "duplicate", "cannot reproduce", "not planned", "rejected", "obsolete", "cancelled", "canceled"]
    /// Words in a workflow transition's name that close without doing it.
    public static let jiraNotDoneWords = ["won't", "not planned", "declin", "reject", "cancel", "duplicate", "obsolete"]

    /// A Jira issue as it stands: the category of its status (`new`,
    /// `indeterminate`, `done`), its resolution, and the status's name, which
    /// says "Won't Do" where the workflow sets no resolution (team-managed
    /// projects often do not).
    public init(jiraStatusCategory category: String, resolution: String?, statusName: String? = nil) {
        func normal(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "’", with: "'") }
        if category != "done" {
            self = .reopened
        } else if let r = resolution.map(normal), Self.jiraNotDone.contains(r) {
            self = .closedAsNotPlanned
        } else if resolution == nil || resolution.map(normal) == "done", let name = statusName.map(normal), Self.jiraNotDoneWords.contains(where: { name.contains($0) }) {
            self = .closedAsNotPlanned
        } else {
            self = .closedAsCompleted
        }
    }

    /// An issue as it stands now (`state`, `state_reason`), as an event.
    public init?(githubState state: String, stateReason: String?) {
        if state == "open" { self = .reopened } else { self.init(githubAction: "closed", stateReason: stateReason) }
    }

    /// Whether the follow-up already agrees with the issue: an open issue
    /// with a follow-up in progress, a not-planned one with a follow-up
    /// folded into a plan. Only a disagreement changes the follow-up.
    public func accepts(_ status: FollowUpStatus) -> Bool {
        switch self {
        case .closedAsCompleted: status == .done
        case .closedAsNotPlanned: status == .notNecessary || status == .foldedIntoPlan
        case .reopened: status == .open || status == .inProgress
        }
    }

    /// The follow-up's status after it.
    public var status: FollowUpStatus {
        switch self {
        case .closedAsCompleted: .done
        case .closedAsNotPlanned: .notNecessary
        case .reopened: .open
        }
    }

    /// How Lore's status goes to the tracker: in progress is open there, and
    /// folded into a plan is closed as not planned (the plan covers it).
    public static func githubState(for status: FollowUpStatus) -> (state: String, reason: String?) {
        switch status {
        case .done: ("closed", "completed")
        case .notNecessary, .foldedIntoPlan: ("closed", "not_planned")
        case .open, .inProgress: ("open", nil)
        }
    }
}
