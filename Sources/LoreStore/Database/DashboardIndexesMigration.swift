import FluentKit

/// What the dashboard counts, found by index: incidents by when their review
/// window opened (the expression `LoreStore.reviewWindowStart` uses), and
/// follow-ups by status (the open ones are a fifth of a long history).
struct CreateDashboardIndexes: AsyncMigration {
    var name: String { "015_dashboard_indexes" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "CREATE INDEX idx_incidents_review_window ON incidents ((COALESCE(resolved_at, mitigated_at)))",
            "CREATE INDEX idx_follow_ups_status ON follow_ups (status)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP INDEX idx_follow_ups_status", "DROP INDEX idx_incidents_review_window"])
    }
}
