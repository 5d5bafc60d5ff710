import Foundation

/// How wide a review is. Reviews start close to the incident and widen:
/// the two people closest to it talk first, then the team, then all the
/// teams involved. Each level is a different amount of trust.
public enum ReviewLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case pair, team, joint

    public var label: String {
        switch self {
        case .pair: "Pair"
        case .team: "Team"
        case .joint: "Joint"
        }
    }

    var order: Int {
        switch self {
        case .pair: 0
        case .team: 1
        case .joint: 2
        }
    }

    public static func < (a: ReviewLevel, b: ReviewLevel) -> Bool { a.order < b.order }

    /// Who may see a review of this level unless someone chooses otherwise.
    public var defaultVisibility: ReviewVisibility {
        switch self {
        case .pair: .participants
        case .team: .team
        case .joint: .organisation
        }
    }
}

/// Who may open a review.
public enum ReviewVisibility: String, CaseIterable, Codable, Sendable {
    case participants, team, organisation

    public var label: String {
        switch self {
        case .participants: "Participants only"
        case .team: "The team"
        case .organisation: "Everyone in the organisation"
        }
    }
}

/// What a person does in a review. The facilitator may come from outside the
/// team: an outsider asks the questions insiders stopped asking.
public enum ParticipantRole: String, CaseIterable, Codable, Sendable {
    case facilitator, participant, observer

    public var label: String { rawValue.capitalized }
}

/// A person taking part in a review.
public struct ReviewParticipant: Equatable, Hashable, Codable, Sendable {
    public var userID: UUID
    public var role: ParticipantRole

    public init(userID: UUID, role: ParticipantRole) {
        self.userID = userID
        self.role = role
    }
}

/// The person asking to see a review.
public struct Viewer: Equatable, Sendable {
    public var userID: UUID
    public var isAdmin: Bool
    public var memberships: [TeamMembership]
    /// A customer-facing account: it reads approved customer summaries and
    /// nothing of the reviews, whatever their visibility.
    public var readsSummariesOnly: Bool

    public init(userID: UUID, isAdmin: Bool, memberships: [TeamMembership], readsSummariesOnly: Bool = false) {
        self.userID = userID
        self.isAdmin = isAdmin
        self.memberships = memberships
        self.readsSummariesOnly = readsSummariesOnly
    }

    public init(user: User, memberships: [TeamMembership]) {
        self.init(userID: user.id, isAdmin: user.isAdmin, memberships: memberships.filter { $0.userID == user.id }, readsSummariesOnly: user.role == .customerFacing)
    }

    func isMember(of teams: [String]) -> Bool { memberships.contains { teams.contains($0.teamSlug) } }
    func isManager(of teams: [String]) -> Bool { memberships.contains { $0.role == .manager && teams.contains($0.teamSlug) } }
}

/// Who may see a review. One rule, used by every query that returns reviews,
/// so that pages, the API, counts, search and exports agree; what a person
/// may not see does not exist for them (404).
public enum ReviewAccess {
    /// - Participants always see their review.
    /// - A review held *without managers* is closed to the managers of its
    ///   teams until it is published, whatever its visibility: the team talks
    ///   more freely, and managers see the result once the team is ready.
    /// - Otherwise: `organisation` is everyone, `team` is members of the
    ///   review's teams, `participants` is nobody else.
    /// - Admins see everything only when the organisation has chosen that
    ///   (`adminsSeeAll`); by default they are treated like anyone else.
    /// - Customer-facing accounts see none, not even their own.
    public static func canSee(_ review: Review, viewer: Viewer, adminsSeeAll: Bool) -> Bool {
        if viewer.readsSummariesOnly { return false }
        if review.participants.contains(where: { $0.userID == viewer.userID }) { return true }
        if viewer.isAdmin && adminsSeeAll { return true }
        if review.withoutManagers && review.status != .published && viewer.isManager(of: review.teams) { return false }
        switch review.visibility {
        case .organisation: return true
        case .team: return viewer.isMember(of: review.teams)
        case .participants: return false
        }
    }

    /// Only participants change a review's content; the facilitator (or an
    /// admin who can see it) runs its process.
    public static func canEdit(_ review: Review, viewer: Viewer) -> Bool {
        review.participants.contains { $0.userID == viewer.userID && $0.role != .observer }
    }

    public static func isFacilitator(_ review: Review, viewer: Viewer) -> Bool {
        review.participants.contains { $0.userID == viewer.userID && $0.role == .facilitator }
    }
}

/// The kinds of finding a review records as separate items, so that they can
/// be promoted to a wider review one by one.
public enum FindingKind: String, CaseIterable, Codable, Sendable {
    case contributingFactor = "contributing_factor"
    case surprise
    case learning
    case openQuestion = "open_question"

    public var label: String {
        switch self {
        case .contributingFactor: "Contributing factor"
        case .surprise: "Surprise"
        case .learning: "Learning"
        case .openQuestion: "Open question"
        }
    }
}

/// One finding of a review. A promoted copy remembers where it came from.
public struct Finding: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var reviewID: UUID
    public var kind: FindingKind
    public var text: String
    public var createdBy: UUID?
    public var createdAt: Date
    /// The finding this one was promoted from, and its review. Nil for a
    /// viewer who may not see that review (see `hidingSource()`).
    public var promotedFromID: UUID?
    public var promotedFromReviewID: UUID?
    /// True for a copy promoted from a narrower review, whether or not the
    /// viewer may know which one.
    public var isPromoted: Bool

    public init(id: UUID = UUID(), reviewID: UUID, kind: FindingKind, text: String, createdBy: UUID?, createdAt: Date, promotedFromID: UUID? = nil, promotedFromReviewID: UUID? = nil) {
        self.id = id
        self.reviewID = reviewID
        self.kind = kind
        self.text = text
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.promotedFromID = promotedFromID
        self.promotedFromReviewID = promotedFromReviewID
        self.isPromoted = promotedFromReviewID != nil
    }

    /// The finding as seen by someone who may not see the review it was
    /// promoted from: the text moved up by choice, but the narrower review's
    /// id (and with it the fact that a hidden review exists) stays behind.
    public func hidingSource() -> Finding {
        var f = self
        f.promotedFromID = nil
        f.promotedFromReviewID = nil
        return f
    }
}

/// Moving a finding up a level of trust.
public enum FindingPromotion {
    /// Nothing moves up without a participant of the lower review choosing to
    /// move it, and only to the review directly above (the one that gathers
    /// it). Returns the copy to store in `target`.
    public static func promote(
        _ finding: Finding, from source: Review, to target: Review, by actor: UUID, now: Date
    ) throws(ValidationError) -> Finding {
        guard finding.reviewID == source.id else {
            throw ValidationError(field: "findingId", code: "not_in_review", message: "That finding is not part of this review.")
        }
        guard source.participants.contains(where: { $0.userID == actor && $0.role != .observer }) else {
            throw ValidationError(field: "findingId", code: "not_a_participant", message: "Only a participant of the review a finding comes from can promote it.")
        }
        guard source.parentReviewID == target.id, target.level > source.level else {
            throw ValidationError(field: "targetReviewId", code: "not_above", message: "A finding can only move up to the review that gathers this one (a wider level of trust).")
        }
        return Finding(
            reviewID: target.id, kind: finding.kind, text: finding.text, createdBy: actor, createdAt: LoreTime.milliseconds(now),
            promotedFromID: finding.id, promotedFromReviewID: source.id)
    }

    /// A review may be gathered only into a review of a wider level of the
    /// same incident.
    public static func checkParent(_ child: Review, parent: Review) throws(ValidationError) {
        guard parent.incidentID == child.incidentID else {
            throw ValidationError(field: "parentReviewId", code: "other_incident", message: "A review can only be gathered into a review of the same incident.")
        }
        guard parent.level > child.level, parent.id != child.id else {
            throw ValidationError(field: "parentReviewId", code: "not_above", message: "A \(child.level.label.lowercased()) review can only be gathered into a wider one (\(child.level == .pair ? "team or joint" : "joint")).")
        }
    }
}
