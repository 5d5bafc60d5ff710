import FluentKit

/// Follow-ups in GitHub: the issue of each pushed follow-up, and the
/// organisation's tracker settings (JSON) with their secrets kept apart.
struct CreateIssueTracker: AsyncMigration {
    var name: String { "020_issue_tracker" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organisation_settings").field("issue_tracker", .string).update()
        try await db.schema("organisation_settings").field("issue_tracker_secrets", .string).update()
        try await db.schema("follow_ups").field("decided_in", .string).update()
        try await LoreSQL.run(db, [
            """
            CREATE TABLE follow_up_issues (
                follow_up_id UUID PRIMARY KEY REFERENCES follow_ups (id) ON DELETE CASCADE,
                repository TEXT NOT NULL, number BIGINT NOT NULL, url TEXT NOT NULL, linked_at BIGINT NOT NULL,
                UNIQUE (repository, number))
            """,
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE follow_up_issues"])
        try await db.schema("follow_ups").deleteField("decided_in").update()
        try await db.schema("organisation_settings").deleteField("issue_tracker_secrets").update()
        try await db.schema("organisation_settings").deleteField("issue_tracker").update()
    }
}
