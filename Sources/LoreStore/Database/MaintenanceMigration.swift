import FluentKit
import SQLKit

/// Contributing-factor tags: the organisation's vocabulary (a column of the
/// settings) and the tags on each finding.
struct CreateFactorTags: AsyncMigration {
    var name: String { "017_factor_tags" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organisation_settings").field("factor_tags", .array(of: .string)).update()
        try await LoreSQL.run(db, [
            "CREATE TABLE finding_tags (finding_id UUID NOT NULL REFERENCES findings (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (finding_id, tag))",
            "CREATE INDEX idx_finding_tags_tag ON finding_tags (tag)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE finding_tags"])
        try await db.schema("organisation_settings").deleteField("factor_tags").update()
    }
}

/// Follow-ups tied to later incidents they would have prevented or shortened.
struct CreateFollowUpLinks: AsyncMigration {
    var name: String { "018_follow_up_links" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            """
            CREATE TABLE follow_up_links (
                follow_up_id UUID NOT NULL REFERENCES follow_ups (id) ON DELETE CASCADE,
                incident_id UUID NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                effect TEXT NOT NULL, note TEXT NOT NULL, linked_by TEXT NOT NULL, linked_at BIGINT NOT NULL,
                PRIMARY KEY (follow_up_id, incident_id))
            """,
            "CREATE INDEX idx_follow_up_links_incident ON follow_up_links (incident_id)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE follow_up_links"])
    }
}
