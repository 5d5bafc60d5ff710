import FluentKit

/// What the dashboard counts, found by index: incidents by when their review
/// window opened (the expression `LoreStore.reviewWindowStart` uses), and
/// follow-ups by status (the open ones are a fifth of a long history). And
/// what every review page asks: its follow-ups and the reviews gathered
/// into it, which were read by scanning both tables (80 ms a page at
/// 100,000 incidents).
struct CreateDashboardIndexes: AsyncMigration {
    var name: String { "015_dashboard_indexes" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "CREATE INDEX idx_incidents_review_window ON incidents ((COALESCE(resolved_at, mitigated_at)))",
            "CREATE INDEX idx_follow_ups_status ON follow_ups (status)",
            "CREATE INDEX idx_follow_ups_review ON follow_ups (review_id)",
            "CREATE INDEX idx_reviews_parent ON reviews (parent_review_id)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP INDEX idx_reviews_parent", "DROP INDEX idx_follow_ups_review", "DROP INDEX idx_follow_ups_status", "DROP INDEX idx_incidents_review_window"])
    }
}
