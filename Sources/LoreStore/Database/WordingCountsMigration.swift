import FluentKit
import SQLKit

/// Each review keeps its count of open wording findings, so that the
/// dashboard reads counts instead of checking every review on every view.
/// NULL means "not counted since the text, the kept phrases or the checker
/// changed"; `wording_checker` names the checker that counted it.
struct CreateReviewWordingCounts: AsyncMigration {
    var name: String { "014_review_wording_counts" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "ALTER TABLE reviews ADD COLUMN wording_open INTEGER",
            "ALTER TABLE reviews ADD COLUMN wording_checker TEXT",
            // The reviews still to count, found without reading the others.
            "CREATE INDEX idx_reviews_wording_uncounted ON reviews (id) WHERE wording_open IS NULL",
            "CREATE INDEX idx_reviews_wording_open ON reviews (wording_open)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            "DROP INDEX idx_reviews_wording_open", "DROP INDEX idx_reviews_wording_uncounted",
            "ALTER TABLE reviews DROP COLUMN wording_checker", "ALTER TABLE reviews DROP COLUMN wording_open",
        ])
    }
}
