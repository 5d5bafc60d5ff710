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

/// The follow-ups an incident page offers to link back to (unfinished, of
/// earlier incidents on the same services, newest first), found by walking
/// the unfinished ones newest first and stopping at the page's fifty. The
/// status index read every unfinished follow-up of the organisation's
/// history and sorted them: 100 ms on SQLite and 140 ms on PostgreSQL per
/// incident page at 100,000 incidents (47,000 follow-ups), 2–3 ms now.
struct CreateUnfinishedFollowUpsIndex: AsyncMigration {
    var name: String { "022_unfinished_follow_ups_index" }

    /// The index's condition. A query that uses the index states it as
    /// written here: SQLite refuses `INDEXED BY` when the query's condition
    /// does not imply it. (Never change it here: add a migration.)
    static let unfinished = "status IN ('open', 'in_progress', 'not_necessary')"

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, ["CREATE INDEX idx_follow_ups_unfinished ON follow_ups (created_at) WHERE " + Self.unfinished])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP INDEX idx_follow_ups_unfinished"])
    }
}
