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
