import FluentKit
import SQLKit

/// When each team's weekly digest goes out (no row: the team gets none).
/// Which weeks were sent is the job queue's business: each digest is a job
/// keyed by team and week, so two servers send it once.
struct CreateTeamDigestSchedules: AsyncMigration {
    var name: String { "010_team_digest_schedules" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            """
            CREATE TABLE team_digest_schedules (
                team_slug TEXT PRIMARY KEY, weekday INTEGER NOT NULL, hour INTEGER NOT NULL, time_zone TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE team_digest_schedules"])
    }
}
