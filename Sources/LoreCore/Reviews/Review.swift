import Foundation

/// Where a review stands.
public enum ReviewStatus: String, CaseIterable, Codable, Sendable {
    case draft, scheduled, held, published

    public var label: String { rawValue.capitalized }
}

/// The narrative parts of a review, in the order they are written and read.
/// "Where we got lucky" and "surprises" are there because they are where
/// most of the learning hides; "open questions" because not everything is
/// known by the time a review is held.
public enum ReviewSection: String, CaseIterable, Codable, Sendable {
    case summary
    case whatHappened
    case contributingFactors
    case whatWentWell
    case whereWeGotLucky
    case surprises
    case openQuestions
    case customerImpact

    public var title: String {
        switch self {
        case .summary: "Summary"
        case .whatHappened: "What happened"
        case .contributingFactors: "Contributing factors"
        case .whatWentWell: "What went well"
        case .whereWeGotLucky: "Where we got lucky"
        case .surprises: "Surprises"
        case .openQuestions: "Open questions"
        case .customerImpact: "Customer impact"
        }
    }

    public var prompt: String {
        switch self {
        case .summary: "Two or three sentences a reader outside the team can follow."
        case .whatHappened: "The story, in order, including what made sense to people at the time."
        case .contributingFactors: "The conditions that together made this possible. There is rarely one root cause."
        case .whatWentWell: "What helped: tools, people, habits worth keeping."
        case .whereWeGotLucky: "What could have made this worse and did not, by chance."
        case .surprises: "What people did not expect about the system or each other."
        case .openQuestions: "What is still not understood."
        case .customerImpact: "Who was affected, how, and for how long."
        }
    }
}

/// A learning review of an incident. An incident can have several: a pair
/// review, a team review, and a joint review that gathers them.
public struct Review: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var incidentID: UUID
    /// Distinguishes several reviews of one incident ("Payments team review").
    public var title: String
    public var level: ReviewLevel
    public var visibility: ReviewVisibility
    /// Team slugs: the team of a team review, the teams of a joint review.
    public var teams: [String]
    /// Held without the teams' managers, who see it once it is published.
    public var withoutManagers: Bool
    /// The wider review that gathers this one.
    public var parentReviewID: UUID?
    public var status: ReviewStatus
    public var participants: [ReviewParticipant]
    public var meetingAt: Date?
    /// Markdown text per section; missing sections are empty.
    public var sections: [ReviewSection: String]
    public var createdAt: Date
    public var updatedAt: Date
    public var heldAt: Date?
    public var publishedAt: Date?

    public init(
        id: UUID = UUID(), incidentID: UUID, title: String = "", level: ReviewLevel = .team, visibility: ReviewVisibility? = nil,
        teams: [String] = [], withoutManagers: Bool = false, parentReviewID: UUID? = nil, status: ReviewStatus = .draft,
        participants: [ReviewParticipant] = [], meetingAt: Date? = nil, sections: [ReviewSection: String] = [:],
        createdAt: Date, updatedAt: Date, heldAt: Date? = nil, publishedAt: Date? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.title = title
        self.level = level
        self.visibility = visibility ?? level.defaultVisibility
        self.teams = teams
        self.withoutManagers = withoutManagers
        self.parentReviewID = parentReviewID
        self.status = status
        self.participants = participants
        self.meetingAt = meetingAt
        self.sections = sections
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.heldAt = heldAt
        self.publishedAt = publishedAt
    }

    public func text(_ section: ReviewSection) -> String { sections[section] ?? "" }

    public var facilitatorID: UUID? { participants.first { $0.role == .facilitator }?.userID }
    public var participantIDs: [UUID] { participants.map(\.userID) }
}

/// A change to a review, from a form or the API. Nil means "leave as is".
public struct ReviewInput: Equatable, Sendable {
    public var title: String?
    public var level: ReviewLevel?
    public var visibility: ReviewVisibility?
    public var teams: [String]?
    public var withoutManagers: Bool?
    public var status: ReviewStatus?
    /// Sets the facilitator (keeping other participants).
    public var facilitatorID: UUID??
    /// Replaces the participants; a facilitator among them keeps that role.
    public var participantIDs: [UUID]?
    /// Replaces the participants with their roles.
    public var participants: [ReviewParticipant]?
    public var meetingAt: Date??
    public var sections: [ReviewSection: String]

    public init(
        title: String? = nil, level: ReviewLevel? = nil, visibility: ReviewVisibility? = nil, teams: [String]? = nil,
        withoutManagers: Bool? = nil, status: ReviewStatus? = nil, facilitatorID: UUID?? = nil, participantIDs: [UUID]? = nil,
        participants: [ReviewParticipant]? = nil, meetingAt: Date?? = nil, sections: [ReviewSection: String] = [:]
    ) {
        self.title = title
        self.level = level
        self.visibility = visibility
        self.teams = teams
        self.withoutManagers = withoutManagers
        self.status = status
        self.facilitatorID = facilitatorID
        self.participantIDs = participantIDs
        self.participants = participants
        self.meetingAt = meetingAt
        self.sections = sections
    }

    /// Applies the change to `existing` and checks it. A scheduled review
    /// needs a meeting time; holding or publishing records when.
    public func apply(to existing: Review, knownUsers: Set<UUID>, knownTeams: Set<String>? = nil, now: Date) throws(ValidationError) -> Review {
        var v = Validator()
        var r = existing
        if let t = title { r.title = v.optionalText(t, field: "title", label: "Title", max: Limits.title) }
        if let l = level { r.level = l }
        if let vis = visibility { r.visibility = vis } else if level != nil && existing.level != r.level { r.visibility = r.level.defaultVisibility }
        if let t = teams {
            var seen = Set<String>()
            r.teams = t.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
            if let knownTeams, let unknown = r.teams.first(where: { !knownTeams.contains($0) }) {
                v.add("teams", "unknown", "Unknown team \"\(unknown)\".")
            }
        }
        if let w = withoutManagers { r.withoutManagers = w }
        if r.withoutManagers && r.teams.isEmpty {
            v.add("withoutManagers", "needs_team", "A review held without managers needs its team, so Lore knows whose managers to keep out.")
        }
        if let list = participants {
            var seen = Set<UUID>()
            r.participants = list.filter { seen.insert($0.userID).inserted }
        } else if let ids = participantIDs {
            var seen = Set<UUID>()
            let roles = Dictionary(existing.participants.map { ($0.userID, $0.role) }, uniquingKeysWith: { a, _ in a })
            r.participants = ids.filter { seen.insert($0).inserted }.map { ReviewParticipant(userID: $0, role: roles[$0] ?? .participant) }
        }
        if let f = facilitatorID {
            r.participants = r.participants.map { $0.role == .facilitator ? ReviewParticipant(userID: $0.userID, role: .participant) : $0 }
            if let f {
                if let i = r.participants.firstIndex(where: { $0.userID == f }) { r.participants[i].role = .facilitator }
                else { r.participants.insert(ReviewParticipant(userID: f, role: .facilitator), at: 0) }
            }
        }
        if r.participants.contains(where: { !knownUsers.contains($0.userID) }) {
            v.add("participantIds", "unknown", "One or more participants are not Lore users.")
        }
        if r.participants.count > 100 { v.add("participantIds", "too_many", "At most 100 participants.") }
        if r.participants.filter({ $0.role == .facilitator }).count > 1 {
            v.add("participants", "two_facilitators", "A review has one facilitator.")
        }
        if r.level == .pair && r.participants.count > 4 {
            v.add("participantIds", "too_many_for_pair", "A pair review is for the few people closest to the incident (at most 4); widen it to a team review.")
        }
        if let m = meetingAt { r.meetingAt = m.map(LoreTime.milliseconds) }
        for (section, text) in sections {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > Limits.markdown {
                v.add(section.rawValue, "too_long", "\(section.title) is \(trimmed.count) characters; the limit is \(Limits.markdown).")
            }
            r.sections[section] = trimmed
        }
        if let s = status {
            if s == .scheduled && r.meetingAt == nil {
                v.add("meetingAt", "required", "A scheduled review needs a meeting time.")
            }
            if s == .held || s == .published, r.heldAt == nil { r.heldAt = LoreTime.milliseconds(r.meetingAt.map { min($0, now) } ?? now) }
            if s == .published, r.publishedAt == nil { r.publishedAt = LoreTime.milliseconds(now) }
            if s == .draft || s == .scheduled { r.heldAt = nil; r.publishedAt = nil }
            if s == .held { r.publishedAt = nil }
            r.status = s
        }
        try v.check()
        r.updatedAt = LoreTime.milliseconds(now)
        return r
    }
}
