import FluentKit
import SQLKit

/// One customer-facing summary per incident (see `CustomerSummary`). Times
/// in milliseconds since 1970, as the digest schedules keep theirs; the
/// picked changes as JSON text.
struct CreateCustomerSummaries: AsyncMigration {
    var name: String { "016_customer_summaries" }

    func prepare(on db: any Database) async throws {
        try await LoreSQL.run(db, [
            """
            CREATE TABLE customer_summaries (
                incident_id UUID PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE, headline TEXT NOT NULL,
                what_customers_saw TEXT NOT NULL, who_was_affected TEXT NOT NULL, what_we_did TEXT NOT NULL,
                what_will_change TEXT NOT NULL, what_to_tell TEXT NOT NULL, status TEXT NOT NULL,
                updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL,
                approved_by_id UUID, approved_by TEXT, approved_at BIGINT, shared_at BIGINT)
            """,
            "CREATE INDEX idx_customer_summaries_status ON customer_summaries (status)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE customer_summaries"])
    }
}
