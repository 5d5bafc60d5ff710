import FluentKit
import Foundation

// Fluent models. They stay inside LoreStore: repositories map them to
// LoreCore values at the boundary. Teams and services are referenced by slug,
// which is their stable public identifier (URLs, API, catalog files).

final class SettingsRow: Model, @unchecked Sendable {
    static let schema = "organisation_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "practice_name") var practiceName: String
    @Field(key: "review_window_hours") var reviewWindowHours: Int
    @Field(key: "severities") var severities: [String]
    @Field(key: "detection_sources") var detectionSources: [String]
    /// JSON of the review-practice settings; nil means the defaults.
    @OptionalField(key: "review_practice") var reviewPractice: String?
    /// Nil until an admin saves the tags: the defaults.
    @OptionalField(key: "factor_tags") var factorTags: [String]?
    /// JSON of `SingleSignOnSettings`; nil until an admin sets it up.
    @OptionalField(key: "single_sign_on") var singleSignOn: String?
    @OptionalField(key: "oidc_client_secret") var oidcClientSecret: String?
    /// JSON of `IssueTrackerSettings`, and of its token and webhook secret.
    @OptionalField(key: "issue_tracker") var issueTracker: String?
    @OptionalField(key: "issue_tracker_secrets") var issueTrackerSecrets: String?
    init() {}
}

final class UserRow: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "handle") var handle: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class TeamRow: Model, @unchecked Sendable {
    static let schema = "teams"
    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    init() {}
}

final class MembershipRow: Model, @unchecked Sendable {
    static let schema = "team_memberships"
    @ID(key: .id) var id: UUID?
    @Field(key: "team_slug") var teamSlug: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    init() {}
}

final class ServiceRow: Model, @unchecked Sendable {
    static let schema = "services"
    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @OptionalField(key: "owning_team") var owningTeam: String?
    @OptionalField(key: "on_call_team") var onCallTeam: String?
    @OptionalField(key: "pagerduty_service_id") var pagerDutyServiceID: String?
    init() {}
}

final class IncidentRow: Model, @unchecked Sendable {
    static let schema = "incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "severity") var severity: String
    @Field(key: "status") var status: String
    @Field(key: "detection_source") var detectionSource: String
    @OptionalField(key: "impact_started_at") var impactStartedAt: Date?
    @OptionalField(key: "detected_at") var detectedAt: Date?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @OptionalField(key: "mitigated_at") var mitigatedAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @Field(key: "customer_impact") var customerImpact: String
    @Field(key: "labels") var labels: [String]
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

final class IncidentServiceRow: Model, @unchecked Sendable {
    static let schema = "incident_services"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "service_slug") var serviceSlug: String
    @Field(key: "position") var position: Int
    init() {}
}

final class IncidentTeamRow: Model, @unchecked Sendable {
    static let schema = "incident_teams"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "team_slug") var teamSlug: String
    @Field(key: "position") var position: Int
    init() {}
}

final class ExternalReferenceRow: Model, @unchecked Sendable {
    static let schema = "incident_external_refs"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "system") var system: String
    @Field(key: "external_id") var externalID: String
    @OptionalField(key: "url") var url: String?
    init() {}
}

final class TimelineEntryRow: Model, @unchecked Sendable {
    static let schema = "timeline_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "occurred_at") var occurredAt: Date
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "author") var author: String
    @OptionalField(key: "author_user_id") var authorUserID: UUID?
    @Field(key: "source") var source: String
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    @OptionalField(key: "reflection") var reflection: String?
    @OptionalField(key: "marker") var marker: String?
    @OptionalField(key: "external_id") var externalID: String?
    @OptionalField(key: "source_url") var sourceURL: String?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @OptionalField(key: "removed_by") var removedBy: UUID?
    @OptionalField(key: "removed_by_name") var removedByName: String?
    init() {}
}

final class ReviewRow: Model, @unchecked Sendable {
    static let schema = "reviews"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "facilitator_id") var facilitatorID: UUID?
    @OptionalField(key: "meeting_at") var meetingAt: Date?
    @Field(key: "summary") var summary: String
    @Field(key: "what_happened") var whatHappened: String
    @Field(key: "contributing_factors") var contributingFactors: String
    @Field(key: "what_went_well") var whatWentWell: String
    @Field(key: "where_we_got_lucky") var whereWeGotLucky: String
    @Field(key: "surprises") var surprises: String
    @Field(key: "open_questions") var openQuestions: String
    @Field(key: "customer_impact") var customerImpact: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "held_at") var heldAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Field(key: "title") var title: String
    @Field(key: "level") var level: String
    @Field(key: "visibility") var visibility: String
    @Field(key: "without_managers") var withoutManagers: Bool
    @OptionalField(key: "parent_review_id") var parentReviewID: UUID?
    init() {}
}

final class ReviewParticipantRow: Model, @unchecked Sendable {
    static let schema = "review_participants"
    @ID(key: .id) var id: UUID?
    @Field(key: "review_id") var reviewID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    @Field(key: "position") var position: Int
    init() {}
}

final class FollowUpRow: Model, @unchecked Sendable {
    static let schema = "follow_ups"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @OptionalField(key: "review_id") var reviewID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "owner_team") var ownerTeam: String
    @OptionalField(key: "owner_user_id") var ownerUserID: UUID?
    @OptionalField(key: "service_slug") var service: String?
    @OptionalField(key: "due_date") var dueDate: Date?
    @OptionalField(key: "tracker_reference") var trackerReference: String?
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "decision_reason") var decisionReason: String?
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_in") var decidedIn: String?
    @OptionalField(key: "plan") var plan: String?
    init() {}
}

final class FollowUpChangeRow: Model, @unchecked Sendable {
    static let schema = "follow_up_changes"
    @ID(key: .id) var id: UUID?
    @Field(key: "follow_up_id") var followUpID: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_user_id") var byUserID: UUID?
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @OptionalField(key: "reason") var reason: String?
    init() {}
}

final class ReviewTeamRow: Model, @unchecked Sendable {
    static let schema = "review_teams"
    @ID(key: .id) var id: UUID?
    @Field(key: "review_id") var reviewID: UUID
    @Field(key: "team_slug") var teamSlug: String
    @Field(key: "position") var position: Int
    init() {}
}

final class FindingRow: Model, @unchecked Sendable {
    static let schema = "findings"
    @ID(key: .id) var id: UUID?
    @Field(key: "review_id") var reviewID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "promoted_from_id") var promotedFromID: UUID?
    @OptionalField(key: "promoted_from_review_id") var promotedFromReviewID: UUID?
    init() {}
}

final class ServicePagedTeamRow: Model, @unchecked Sendable {
    static let schema = "service_paged_teams"
    @ID(key: .id) var id: UUID?
    @Field(key: "service_slug") var serviceSlug: String
    @Field(key: "team_slug") var teamSlug: String
    @Field(key: "position") var position: Int
    init() {}
}

final class BallotRow: Model, @unchecked Sendable {
    static let schema = "ballots"
    @ID(key: .id) var id: UUID?
    @Field(key: "review_id") var reviewID: UUID
    @Field(key: "status") var status: String
    @Field(key: "picks_per_voter") var picksPerVoter: Int
    @Field(key: "focus_size") var focusSize: Int
    @OptionalField(key: "opened_by") var openedBy: UUID?
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}
}

final class BallotCandidateRow: Model, @unchecked Sendable {
    static let schema = "ballot_candidates"
    @ID(key: .id) var id: UUID?
    @Field(key: "ballot_id") var ballotID: UUID
    @Field(key: "follow_up_id") var followUpID: UUID
    @Field(key: "position") var position: Int
    init() {}
}

final class BallotPickRow: Model, @unchecked Sendable {
    static let schema = "ballot_picks"
    @ID(key: .id) var id: UUID?
    @Field(key: "ballot_id") var ballotID: UUID
    @Field(key: "voter_id") var voterID: UUID
    @Field(key: "follow_up_id") var followUpID: UUID
    @Field(key: "position") var position: Int
    init() {}
}

final class BallotVoterRow: Model, @unchecked Sendable {
    static let schema = "ballot_voters"
    @ID(key: .id) var id: UUID?
    @Field(key: "ballot_id") var ballotID: UUID
    @Field(key: "voter_id") var voterID: UUID
    @Field(key: "voted_at") var votedAt: Date
    init() {}
}

final class BallotResultRow: Model, @unchecked Sendable {
    static let schema = "ballot_results"
    @ID(key: .id) var id: UUID?
    @Field(key: "ballot_id") var ballotID: UUID
    @Field(key: "follow_up_id") var followUpID: UUID
    @Field(key: "rank") var rank: Int
    @Field(key: "points") var points: Int
    @Field(key: "pickers") var pickers: Int
    @Field(key: "picks_by_position") var picksByPosition: [Int]
    @Field(key: "is_focus") var isFocus: Bool
    init() {}
}

final class FollowThroughRow: Model, @unchecked Sendable {
    static let schema = "follow_through_readings"
    @ID(key: .id) var id: UUID?
    @Field(key: "ballot_id") var ballotID: UUID
    @Field(key: "day") var day: Int
    @Field(key: "taken_at") var takenAt: Date
    @Field(key: "reading") var reading: String
    init() {}
}

final class WebhookEndpointRow: Model, @unchecked Sendable {
    static let schema = "webhook_endpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "url") var url: String
    @Field(key: "format") var format: String
    @Field(key: "secret") var secret: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class JobRow: Model, @unchecked Sendable {
    static let schema = "jobs"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "payload") var payload: String
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    init() {}
}

final class SessionRow: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "address") var address: String?
    init() {}
}

final class APITokenRow: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}
}

final class SignInLinkRow: Model, @unchecked Sendable {
    static let schema = "sign_in_links"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}
