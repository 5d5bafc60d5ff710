import Foundation

/// Where a team plans its work: a GitHub repository. Follow-ups pushed
/// there become issues, and what happens to the issue comes back.
///
/// Engineers plan in their tracker, not in a second list; a follow-up that
/// lives only in Lore is the one nobody sees at planning.
public struct TrackerProject: Equatable, Sendable, Codable, CustomStringConvertible {
    /// `owner/repo`.
    public var repository: String

    public init?(repository raw: String) {
        let r = raw.trimmingCharacters(in: .whitespaces)
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
    /// Team slug → repository.
    public var teamRepositories: [String: TrackerProject] = [:]
    /// Teams whose follow-ups are pushed when created.
    public var pushAutomatically: Set<String> = []

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        teamRepositories = try c.decodeIfPresent([String: TrackerProject].self, forKey: .teamRepositories) ?? [:]
        pushAutomatically = try c.decodeIfPresent(Set<String>.self, forKey: .pushAutomatically) ?? []
    }

    /// Reads the Settings form's lines, `team = owner/repo` with `auto` at
    /// the end to push as soon as follow-ups are written; every problem named
    /// with its line.
    public static func parse(apiURL: String, lines: String, knownTeams: Set<String>) throws(ValidationError) -> IssueTrackerSettings {
        var v = Validator()
        var s = IssueTrackerSettings()
        let url = apiURL.trimmingCharacters(in: .whitespaces)
        if !url.isEmpty {
            if let c = URLComponents(string: url), c.scheme == "https" || (c.scheme == "http" && ["127.0.0.1", "localhost"].contains(c.host ?? "")), c.host != nil {
                s.apiURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                v.add("trackerAPIURL", "invalid", "The GitHub API address must be an https URL such as https://api.github.com; got \"\(url)\".")
            }
        }
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
                problems.append("Line \(n + 1): write team = owner/repository (and auto to push at once); got \"\(line)\".")
                continue
            }
            guard knownTeams.contains(sides[0]) else {
                problems.append("Line \(n + 1): there is no team \"\(sides[0])\" (use a team's slug).")
                continue
            }
            s.teamRepositories[sides[0]] = project
            if auto { s.pushAutomatically.insert(sides[0]) }
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

    /// `owner/repo#12`.
    public var reference: String { "\(project.repository)#\(number)" }
}

/// What Lore writes into the tracker for a follow-up.
public struct TrackerIssueDraft: Equatable, Sendable {
    public var title: String
    public var body: String
    public var labels: [String]

    /// The label that finds the issue of a follow-up again, so that a
    /// retried push never opens a second one (GitHub has no idempotency key).
    public static func label(for followUpID: UUID) -> String { "lore-" + followUpID.uuidString.lowercased() }

    public init(followUp: FollowUp, incidentKey: String, incidentTitle: String, link: String) {
        title = followUp.title
        var body = followUp.description.isEmpty ? "" : followUp.description + "\n\n"
        body += "---\nA follow-up of \(incidentKey) (\(incidentTitle)) in Lore: \(link)\n"
        body += "Closing this issue as completed marks the follow-up done; closing it as not planned marks it not necessary, with your last comment as the reason."
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
