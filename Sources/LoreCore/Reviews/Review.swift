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

/// A learning review of an incident.
public struct Review: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var incidentID: UUID
    public var status: ReviewStatus
    public var facilitatorID: UUID?
    public var participantIDs: [UUID]
    public var meetingAt: Date?
    /// Markdown text per section; missing sections are empty.
    public var sections: [ReviewSection: String]
    public var createdAt: Date
    public var updatedAt: Date
    public var heldAt: Date?
    public var publishedAt: Date?

    public init(
        id: UUID = UUID(), incidentID: UUID, status: ReviewStatus = .draft, facilitatorID: UUID? = nil,
        participantIDs: [UUID] = [], meetingAt: Date? = nil, sections: [ReviewSection: String] = [:],
        createdAt: Date, updatedAt: Date, heldAt: Date? = nil, publishedAt: Date? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.status = status
        self.facilitatorID = facilitatorID
        self.participantIDs = participantIDs
        self.meetingAt = meetingAt
        self.sections = sections
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.heldAt = heldAt
        self.publishedAt = publishedAt
    }

    public func text(_ section: ReviewSection) -> String { sections[section] ?? "" }
}

/// A change to a review, from a form or the API. Nil means "leave as is".
public struct ReviewInput: Equatable, Sendable {
    public var status: ReviewStatus?
    public var facilitatorID: UUID??
    public var participantIDs: [UUID]?
    public var meetingAt: Date??
    public var sections: [ReviewSection: String]

    public init(status: ReviewStatus? = nil, facilitatorID: UUID?? = nil, participantIDs: [UUID]? = nil, meetingAt: Date?? = nil, sections: [ReviewSection: String] = [:]) {
        self.status = status
        self.facilitatorID = facilitatorID
        self.participantIDs = participantIDs
        self.meetingAt = meetingAt
        self.sections = sections
    }

    /// Applies the change to `existing` and checks it. A scheduled review
    /// needs a meeting time; holding or publishing records when.
    public func apply(to existing: Review, knownUsers: Set<UUID>, now: Date) throws(ValidationError) -> Review {
        var v = Validator()
        var r = existing
        if let f = facilitatorID {
            if let f, !knownUsers.contains(f) { v.add("facilitatorId", "unknown", "Unknown facilitator.") }
            r.facilitatorID = f
        }
        if let p = participantIDs {
            var seen = Set<UUID>()
            r.participantIDs = p.filter { seen.insert($0).inserted }
            if r.participantIDs.contains(where: { !knownUsers.contains($0) }) {
                v.add("participantIds", "unknown", "One or more participants are not Lore users.")
            }
            if r.participantIDs.count > 100 { v.add("participantIds", "too_many", "At most 100 participants.") }
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
