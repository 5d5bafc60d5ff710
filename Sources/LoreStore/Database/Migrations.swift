import FluentKit

/// The first schema. Later changes are new migrations appended to `all`,
/// never edits to this one, so that existing databases upgrade in place.
struct CreateFoundationSchema: AsyncMigration {
    var name: String { "001_foundation" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organisation_settings")
            .id()
            .field("organisation_name", .string, .required)
            .field("practice_name", .string, .required)
            .field("review_window_hours", .int, .required)
            .field("severities", .array(of: .string), .required)
            .field("detection_sources", .array(of: .string), .required)
            .create()
        try await db.schema("users")
            .id()
            .field("email", .string, .required)
            .field("handle", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string)
            .field("time_zone", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .unique(on: "handle")
            .create()
        try await db.schema("teams")
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .unique(on: "slug")
            .create()
        try await db.schema("team_memberships")
            .id()
            .field("team_slug", .string, .required, .references("teams", "slug", onDelete: .cascade, onUpdate: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .unique(on: "team_slug", "user_id")
            .create()
        try await db.schema("services")
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("owning_team", .string, .references("teams", "slug", onDelete: .setNull, onUpdate: .cascade))
            .field("on_call_team", .string, .references("teams", "slug", onDelete: .setNull, onUpdate: .cascade))
            .unique(on: "slug")
            .create()
        try await db.schema("incidents")
            .id()
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("severity", .string, .required)
            .field("status", .string, .required)
            .field("detection_source", .string, .required)
            .field("impact_started_at", .datetime)
            .field("detected_at", .datetime)
            .field("acknowledged_at", .datetime)
            .field("mitigated_at", .datetime)
            .field("resolved_at", .datetime)
            .field("customer_impact", .string, .required)
            .field("labels", .array(of: .string), .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        try await db.schema("incident_services")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("service_slug", .string, .required, .references("services", "slug", onUpdate: .cascade))
            .field("position", .int, .required)
            .unique(on: "incident_id", "service_slug")
            .create()
        try await db.schema("incident_teams")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("team_slug", .string, .required, .references("teams", "slug", onUpdate: .cascade))
            .field("position", .int, .required)
            .unique(on: "incident_id", "team_slug")
            .create()
        try await db.schema("incident_external_refs")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("system", .string, .required)
            .field("external_id", .string, .required)
            .field("url", .string)
            .unique(on: "system", "external_id")
            .unique(on: "incident_id", "system")
            .create()
        try await db.schema("timeline_entries")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("occurred_at", .datetime, .required)
            .field("recorded_at", .datetime, .required)
            .field("author", .string, .required)
            .field("author_user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("source", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("reflection", .string)
            .field("marker", .string)
            .field("external_id", .string)
            .unique(on: "source", "external_id")
            .create()
        try await db.schema("reviews")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("facilitator_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("meeting_at", .datetime)
            .field("summary", .string, .required)
            .field("what_happened", .string, .required)
            .field("contributing_factors", .string, .required)
            .field("what_went_well", .string, .required)
            .field("where_we_got_lucky", .string, .required)
            .field("surprises", .string, .required)
            .field("open_questions", .string, .required)
            .field("customer_impact", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("held_at", .datetime)
            .field("published_at", .datetime)
            .create()
        try await db.schema("review_participants")
            .id()
            .field("review_id", .uuid, .required, .references("reviews", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("position", .int, .required)
            .unique(on: "review_id", "user_id")
            .create()
        try await db.schema("follow_ups")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("review_id", .uuid, .references("reviews", "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("owner_team", .string, .required, .references("teams", "slug", onUpdate: .cascade))
            .field("owner_user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("service_slug", .string, .references("services", "slug", onDelete: .setNull, onUpdate: .cascade))
            .field("due_date", .datetime)
            .field("tracker_reference", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .create()
        try await db.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema("sign_in_links")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in [
            "sign_in_links", "api_tokens", "sessions", "follow_ups", "review_participants", "reviews",
            "timeline_entries", "incident_external_refs", "incident_teams", "incident_services", "incidents",
            "services", "team_memberships", "teams", "users", "organisation_settings",
        ] {
            try await db.schema(table).delete()
        }
    }
}

/// Indexes for the queries the lists and timelines run. Fluent's schema
/// builder has no index API, so these are plain SQL valid on both databases.
struct CreateFoundationIndexes: AsyncMigration {
    var name: String { "002_foundation_indexes" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "CREATE INDEX idx_timeline_incident ON timeline_entries (incident_id, occurred_at)",
            "CREATE INDEX idx_followups_incident ON follow_ups (incident_id)",
            "CREATE INDEX idx_reviews_incident ON reviews (incident_id)",
            "CREATE INDEX idx_incidents_status ON incidents (status, number)",
            "CREATE INDEX idx_incident_services_slug ON incident_services (service_slug)",
            "CREATE INDEX idx_incident_teams_slug ON incident_teams (team_slug)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "DROP INDEX idx_timeline_incident", "DROP INDEX idx_followups_incident", "DROP INDEX idx_reviews_incident",
            "DROP INDEX idx_incidents_status", "DROP INDEX idx_incident_services_slug", "DROP INDEX idx_incident_teams_slug",
        ])
    }
}

/// One row holding the last incident number handed out. Taking the next
/// number is an UPDATE of that row, which locks it until the transaction ends:
/// concurrent creates (several servers on one PostgreSQL) queue instead of
/// colliding on the same key.
struct CreateIncidentCounter: AsyncMigration {
    var name: String { "003_incident_counter" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "CREATE TABLE incident_counter (id INTEGER PRIMARY KEY, last_number BIGINT NOT NULL)",
            "INSERT INTO incident_counter (id, last_number) SELECT 1, COALESCE(MAX(number), 0) FROM incidents",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE incident_counter"])
    }
}

enum LoreMigrations {
    static let all: [any Migration] = [CreateFoundationSchema(), CreateFoundationIndexes(), CreateIncidentCounter(), CreateReviewPracticeSchema(), CreateLanguageMarks(), CreateTimelineCaptureSchema(), CreateHardeningSchema(), CreateSearchIndex(), CreateRelatedIncidentsIndex(), CreateTeamDigestSchedules(), CreateSearchBacklog(), CreateSearchRankWindow(), CreateNewestIncidentDocumentsIndex(), CreateReviewWordingCounts(), CreateDashboardIndexes(), CreateCustomerSummaries(), CreateFactorTags(), CreateFollowUpLinks(), CreateSingleSignOn(), CreateIssueTracker(), CreateSearchRangeIndex(), CreateUnfinishedFollowUpsIndex(), CreateTimelineRevisions()]
}
