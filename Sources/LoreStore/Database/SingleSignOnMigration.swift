import FluentKit

/// Single sign-on: its settings (JSON, like the review practice's), the
/// client secret Lore presents to the provider (kept apart so that it is
/// never part of what the settings page shows or the audit log describes),
/// and the link from each account to who it is at the provider.
struct CreateSingleSignOn: AsyncMigration {
    var name: String { "019_single_sign_on" }

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema("organisation_settings").field("single_sign_on", .string).update()
        try await db.schema("organisation_settings").field("oidc_client_secret", .string).update()
        // Who each account is at the provider: the issuer and subject of the
        // ID tokens that signed it in (an address can move to someone else).
        try await LoreSQL.run(db, [
            "CREATE TABLE user_identities (issuer TEXT NOT NULL, subject TEXT NOT NULL, user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE, linked_at BIGINT NOT NULL, PRIMARY KEY (issuer, subject))",
            "CREATE INDEX idx_user_identities_user ON user_identities (user_id)",
        ])
    }

    func revert(on db: any Database) async throws {
        try await LoreSQL.run(db, ["DROP TABLE user_identities"])
        try await db.schema("organisation_settings").deleteField("oidc_client_secret").update()
        try await db.schema("organisation_settings").deleteField("single_sign_on").update()
    }
}
