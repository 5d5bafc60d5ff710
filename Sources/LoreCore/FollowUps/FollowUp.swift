import Foundation

/// Where a follow-up stands.
///
/// Two of the closed states are honest alternatives to pretending: work that
/// the team decided is *not necessary* (with the reason and who decided), and
/// work *folded into a plan* (a larger piece of work that will cover it).
public enum FollowUpStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress = "in_progress"
    case done
    case notNecessary = "not_necessary"
    case foldedIntoPlan = "folded_into_plan"

    public var label: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .done: "Done"
        case .notNecessary: "Not necessary"
        case .foldedIntoPlan: "Folded into a plan"
        }
    }

    /// Done, not necessary or folded: nothing more is expected of it here.
    public var isClosed: Bool { self == .done || self == .notNecessary || self == .foldedIntoPlan }
}

/// Work that came out of a review. Always owned by a team, because a person
/// can leave; the owner team should be the one paged for the service.
public struct FollowUp: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var incidentID: UUID
    public var reviewID: UUID?
    public var title: String
    public var description: String
    /// Team slug.
    public var ownerTeam: String
    public var ownerUserID: UUID?
    /// Service slug.
    public var service: String?
    public var dueDate: Date?
    /// A tracker key (`OPS-123`) or URL.
    public var trackerReference: String?
    public var status: FollowUpStatus
    public var createdAt: Date
    public var closedAt: Date?
    /// Still open past its due date.
    public func isOverdue(at date: Date) -> Bool { !status.isClosed && (dueDate.map { $0 < date } ?? false) }

    /// Why it is not necessary (required for that status).
    public var decisionReason: String?
    /// Who decided it is not necessary or folded it into a plan, and when.
    public var decidedBy: UUID?
    public var decidedAt: Date?
    /// Decided outside Lore: where and by whom (`GitHub: @octocat, acme/payments#12`).
    public var decidedIn: String?
    /// The plan it was folded into: a name or a link (required for that status).
    public var plan: String?

    public init(
        id: UUID = UUID(), incidentID: UUID, reviewID: UUID? = nil, title: String, description: String = "",
        ownerTeam: String, ownerUserID: UUID? = nil, service: String? = nil, dueDate: Date? = nil,
        trackerReference: String? = nil, status: FollowUpStatus = .open, createdAt: Date, closedAt: Date? = nil,
        decisionReason: String? = nil, decidedBy: UUID? = nil, decidedAt: Date? = nil, plan: String? = nil
    ) {
        self.decisionReason = decisionReason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.plan = plan
        self.id = id
        self.incidentID = incidentID
        self.reviewID = reviewID
        self.title = title
        self.description = description
        self.ownerTeam = ownerTeam
        self.ownerUserID = ownerUserID
        self.service = service
        self.dueDate = dueDate
        self.trackerReference = trackerReference
        self.status = status
        self.createdAt = createdAt
        self.closedAt = closedAt
    }

    /// A link for the tracker reference when it is a web address.
    public var trackerURL: String? { Self.webLink(trackerReference) }

    /// A link for the plan when it is a web address.
    public var planURL: String? { Self.webLink(plan) }

    static func webLink(_ text: String?) -> String? {
        guard let t = text, t.hasPrefix("https://") || t.hasPrefix("http://") else { return nil }
        return t
    }

    /// Rejects anything with a URL scheme other than http(s), so that
    /// `javascript:` and friends never get near an href.
    static func checkLinkOrKey(_ text: String, field: String, label: String, into v: inout Validator) {
        let lower = text.lowercased()
        if let colon = lower.firstIndex(of: ":"), lower[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }),
           lower.first?.isLetter == true, !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) {
            v.add(field, "invalid", "\(label): a link must start with https:// or http://; a name or key such as OPS-123 needs no scheme.")
        }
    }
}

/// One change of a follow-up's status, kept so that the history of decisions
/// (who dropped what, and why) survives.
public struct FollowUpChange: Equatable, Sendable, Codable {
    public var followUpID: UUID
    public var at: Date
    public var by: UUID?
    public var from: FollowUpStatus?
    public var to: FollowUpStatus
    public var reason: String?

    public init(followUpID: UUID, at: Date, by: UUID?, from: FollowUpStatus?, to: FollowUpStatus, reason: String?) {
        self.followUpID = followUpID
        self.at = at
        self.by = by
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// A new follow-up or a change to one. Nil means "leave as is".
public struct FollowUpInput: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var ownerTeam: String?
    public var ownerUserID: UUID??
    public var service: String??
    public var dueDate: Date??
    public var trackerReference: String??
    public var status: FollowUpStatus?
    /// Why: required when marking it not necessary; recorded with any status change.
    public var reason: String?
    /// The plan's name or link: required when folding it into a plan.
    public var plan: String?
    /// Set by a change that came from the tracker: where it was decided.
    public var decidedIn: String?

    public init(title: String? = nil, description: String? = nil, ownerTeam: String? = nil, ownerUserID: UUID?? = nil, service: String?? = nil, dueDate: Date?? = nil, trackerReference: String?? = nil, status: FollowUpStatus? = nil, reason: String? = nil, plan: String? = nil) {
        self.reason = reason
        self.plan = plan
        self.title = title
        self.description = description
        self.ownerTeam = ownerTeam
        self.ownerUserID = ownerUserID
        self.service = service
        self.dueDate = dueDate
        self.trackerReference = trackerReference
        self.status = status
    }

    /// Applies this input to `existing` (or a new follow-up of `incidentID`)
    /// and validates it. Closing records when; reopening clears it. Marking
    /// it not necessary needs a reason, folding it into a plan needs the
    /// plan; both record who decided (`actor`) and when.
    public func apply(
        to existing: FollowUp?, incidentID: UUID, knownTeams: Set<String>, knownServices: Set<String>,
        knownUsers: Set<UUID>, actor: UUID? = nil, now: Date
    ) throws(ValidationError) -> FollowUp {
        var v = Validator()
        let nowMs = LoreTime.milliseconds(now)
        var f = existing ?? FollowUp(incidentID: incidentID, title: "", ownerTeam: "", createdAt: nowMs)
        if existing == nil || title != nil {
            f.title = v.requireText(title, field: "title", label: "Title", max: Limits.title)
        }
        if let d = description {
            f.description = v.optionalText(d, field: "description", label: "Description", max: Limits.longText)
        }
        if existing == nil || ownerTeam != nil {
            let team = (ownerTeam ?? "").trimmingCharacters(in: .whitespaces)
            if team.isEmpty {
                v.add("ownerTeam", "required", "Owner team is required: follow-ups are owned by a team, so that they outlive anyone's move.")
            } else if !knownTeams.contains(team) {
                v.add("ownerTeam", "unknown", "Unknown team \"\(team)\".")
            }
            f.ownerTeam = team
        }
        if let u = ownerUserID {
            if let u, !knownUsers.contains(u) { v.add("ownerUserId", "unknown", "Unknown owner.") }
            f.ownerUserID = u
        }
        if let s = service {
            let slug = s?.trimmingCharacters(in: .whitespaces)
            if let slug, !slug.isEmpty, !knownServices.contains(slug) { v.add("service", "unknown", "Unknown service \"\(slug)\".") }
            f.service = (slug?.isEmpty ?? true) ? nil : slug
        }
        if let d = dueDate { f.dueDate = d.map(LoreTime.milliseconds) }
        if let t = trackerReference {
            let ref = (t ?? "").trimmingCharacters(in: .whitespaces)
            if ref.count > Limits.shortText { v.add("trackerReference", "too_long", "Tracker reference is longer than \(Limits.shortText) characters.") }
            FollowUp.checkLinkOrKey(ref, field: "trackerReference", label: "Tracker reference", into: &v)
            f.trackerReference = ref.isEmpty ? nil : ref
        }
        let reason = v.optionalText(reason, field: "reason", label: "Reason", max: Limits.shortText)
        let plan = v.optionalText(plan, field: "plan", label: "Plan", max: Limits.shortText)
        if let s = status, s != f.status {
            switch s {
            case .notNecessary:
                if reason.isEmpty {
                    v.add("reason", "required", "Say why it is not necessary: the decision, and who made it, is part of the record.")
                }
                f.decisionReason = reason
                f.plan = nil
            case .foldedIntoPlan:
                if plan.isEmpty {
                    v.add("plan", "required", "Name the plan (or link to it) that this follow-up was folded into.")
                }
                FollowUp.checkLinkOrKey(plan, field: "plan", label: "Plan", into: &v)
                f.plan = plan
                f.decisionReason = reason.isEmpty ? nil : reason
            default:
                f.decisionReason = nil
                f.plan = nil
            }
            if s == .notNecessary || s == .foldedIntoPlan {
                f.decidedBy = actor
                f.decidedAt = nowMs
            } else {
                f.decidedBy = nil
                f.decidedAt = nil
            }
            f.status = s
            f.closedAt = s.isClosed ? nowMs : nil
        }
        try v.check()
        return f
    }
}
