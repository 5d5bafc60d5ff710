import Foundation

/// What happened, in the audit log's words. The raw values are stable: they
/// are stored, filtered on and returned by the API.
public enum AuditAction: String, CaseIterable, Codable, Sendable {
    case signInSucceeded = "sign_in.succeeded"
    case signInFailed = "sign_in.failed"
    case signInThrottled = "sign_in.throttled"
    case passwordChanged = "password.changed"
    case sessionEnded = "session.ended"
    case tokenCreated = "token.created"
    case tokenRevoked = "token.revoked"
    case reviewVisibilityChanged = "review.visibility_changed"
    case reviewLevelChanged = "review.level_changed"
    case reviewPublished = "review.published"
    case ballotClosed = "ballot.closed"
    case ballotPicksDropped = "ballot.picks_dropped"
    case timelineEntryRemoved = "timeline_entry.removed"
    case timelineEntryRestored = "timeline_entry.restored"
    case roleChanged = "user.role_changed"
    case membershipChanged = "team.membership_changed"
    case settingsChanged = "settings.changed"
    case pagerDutySubscriptionAdded = "pagerduty_subscription.added"
    case pagerDutySecretChanged = "pagerduty_subscription.secret_changed"
    case pagerDutySubscriptionRemoved = "pagerduty_subscription.removed"
    case webhookAdded = "webhook.added"
    case webhookRemoved = "webhook.removed"
    case timelineExported = "timeline.exported"
    case reviewExported = "review.exported"
    case customerSummaryApproved = "customer_summary.approved"
    case customerSummaryShared = "customer_summary.shared"
    case organisationImported = "organisation.imported"
    case databaseRestored = "database.restored"
    case digestScheduleChanged = "team.digest_schedule_changed"
    /// An account made by a first sign-in through the identity provider.
    case accountCreated = "user.created"
    /// A sign-in through the identity provider that Lore refused (the reason
    /// is the detail).
    case singleSignOnRefused = "sign_in.sso_refused"
}

/// Who made a change, as the audit log names them: a signed-in person (with
/// their address when known), or the command line, whose operator already
/// holds the database itself.
public struct AuditActor: Equatable, Sendable {
    public var userID: UUID?
    public var name: String
    public var address: String?

    public init(userID: UUID?, name: String, address: String? = nil) {
        self.userID = userID
        self.name = name
        self.address = address
    }

    public init(_ user: User, address: String? = nil) {
        self.init(userID: user.id, name: user.displayName, address: address)
    }

    public static let commandLine = AuditActor(userID: nil, name: "command line")

    /// The row for an action by this actor.
    public func event(_ action: AuditAction, subjectType: String, subjectID: String? = nil, from: String? = nil, to: String? = nil, detail: String? = nil, at: Date = Date()) -> AuditEvent {
        AuditEvent(at: at, actorID: userID, actorName: name, action: action, subjectType: subjectType, subjectID: subjectID, from: from, to: to, detail: detail, address: address)
    }
}

/// One row of the append-only audit log: who did what to which thing, when,
/// and what it was before and after. Rows are never updated or deleted,
/// except by the retention rule (`AuditRetention`).
///
/// Why: when trust levels, ballots and sign-ins matter, an organisation must
/// be able to answer "who widened this review?" or "whose picks were
/// dropped?" without asking around.
public struct AuditEvent: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var at: Date
    /// The person who acted; nil for Lore itself or an unknown person (a
    /// failed sign-in for an address that has no account).
    public var actorID: UUID?
    /// The name at the time, kept so the log still reads after renames.
    public var actorName: String
    public var action: AuditAction
    /// What was acted on: `review`, `ballot`, `timeline_entry`, `user`, `token`.
    public var subjectType: String
    public var subjectID: String?
    public var from: String?
    public var to: String?
    public var detail: String?
    /// The client's address, for sign-ins.
    public var address: String?

    public init(
        id: UUID = .timeOrdered(), at: Date, actorID: UUID?, actorName: String, action: AuditAction, subjectType: String,
        subjectID: String? = nil, from: String? = nil, to: String? = nil, detail: String? = nil, address: String? = nil
    ) {
        self.id = id
        self.at = LoreTime.milliseconds(at)
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.from = from
        self.to = to
        self.detail = detail
        self.address = address
    }
}

/// How long the audit log keeps rows. Long enough to look back over a
/// year of reviews by default; an organisation with its own retention rules
/// sets its own (at least a week, so an incident can always be looked into).
public enum AuditRetention {
    public static let defaultDays = 400
    public static let daysRange = 7...3650

    /// Rows at or before this moment may be deleted.
    public static func cutoff(now: Date, days: Int) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }
}
