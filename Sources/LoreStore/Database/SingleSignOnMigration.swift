import FluentKit

/// Single sign-on: its settings (JSON, like the review practice's) and the
/// client secret Lore presents to the provider, kept apart so that it is
/// never part of what the settings page shows or the audit log describes.
struct CreateSingleSignOn: AsyncMigration {
    var name: String { "019_single_sign_on" }

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema("organisation_settings").field("single_sign_on", .string).update()
        try await db.schema("organisation_settings").field("oidc_client_secret", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("organisation_settings").deleteField("oidc_client_secret").update()
        try await db.schema("organisation_settings").deleteField("single_sign_on").update()
    }
}
