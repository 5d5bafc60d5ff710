import Foundation

/// Where a follow-up stands.
public enum FollowUpStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress = "in_progress"
    case done

    public var label: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .done: "Done"
        }
    }

    public var isClosed: Bool { self == .done }
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

    public init(
        id: UUID = UUID(), incidentID: UUID, reviewID: UUID? = nil, title: String, description: String = "",
        ownerTeam: String, ownerUserID: UUID? = nil, service: String? = nil, dueDate: Date? = nil,
        trackerReference: String? = nil, status: FollowUpStatus = .open, createdAt: Date, closedAt: Date? = nil
    ) {
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
    public var trackerURL: String? {
        guard let t = trackerReference, t.hasPrefix("https://") || t.hasPrefix("http://") else { return nil }
        return t
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

    public init(title: String? = nil, description: String? = nil, ownerTeam: String? = nil, ownerUserID: UUID?? = nil, service: String?? = nil, dueDate: Date?? = nil, trackerReference: String?? = nil, status: FollowUpStatus? = nil) {
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
    /// and validates it. Closing records when; reopening clears it.
    public func apply(
        to existing: FollowUp?, incidentID: UUID, knownTeams: Set<String>, knownServices: Set<String>,
        knownUsers: Set<UUID>, now: Date
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
            // Anything with a URL scheme must be a web link: `javascript:` and
            // friends never get near an href.
            let lower = ref.lowercased()
            if let colon = lower.firstIndex(of: ":"), lower[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }),
               lower.first?.isLetter == true, !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) {
                v.add("trackerReference", "invalid", "A tracker link must start with https:// or http://; a key such as OPS-123 needs no scheme.")
            }
            f.trackerReference = ref.isEmpty ? nil : ref
        }
        if let s = status, s != f.status {
            f.status = s
            f.closedAt = s.isClosed ? nowMs : nil
        }
        try v.check()
        return f
    }
}
