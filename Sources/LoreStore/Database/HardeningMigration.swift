import FluentKit
import Foundation

/// Hardening: the append-only audit log, and removal of timeline entries as
/// a tombstone (who, when) that can be undone, so that an imported entry
/// removed once stays removed when the same source is imported again.
struct CreateHardeningSchema: AsyncMigration {
    var name: String { "007_hardening" }

    func prepare(on db: any Database) async throws {
        try await db.schema("audit_events")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .string)
            .field("from_value", .string)
            .field("to_value", .string)
            .field("detail", .string)
            .field("address", .string)
            .create()
        try await LoreSQL.run(db, [
            "CREATE INDEX idx_audit_events_at ON audit_events (at)",
            "CREATE INDEX idx_audit_events_subject ON audit_events (subject_type, subject_id)",
        ])
        // Secrets every server sharing this database must agree on (the
        // sign-in form's CSRF binding), made once, here.
        try await db.schema("server_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        let row = ServerSecretRow()
        row.id = ServerSecretRow.signInForms
        row.value = Secrets.generate()
        try await row.create(on: db)
        // Sessions say where they came from and when they were last used, so
        // a person can see them on their account page and end the ones they
        // do not recognise. One column per statement: SQLite adds one at a time.
        try await db.schema("sessions").field("last_used_at", .datetime).update()
        try await db.schema("sessions").field("address", .string).update()
        try await db.schema("timeline_entries").field("removed_at", .datetime).update()
        try await db.schema("timeline_entries").field("removed_by", .uuid).update()
        try await db.schema("timeline_entries").field("removed_by_name", .string).update()
    }

    func revert(on db: any Database) async throws {
        for field in ["removed_at", "removed_by", "removed_by_name"] { try await db.schema("timeline_entries").deleteField(.string(field)).update() }
        for field in ["last_used_at", "address"] { try await db.schema("sessions").deleteField(.string(field)).update() }
        try await db.schema("server_secrets").delete()
        try await db.schema("audit_events").delete()
    }
}

final class AuditEventRow: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @OptionalField(key: "subject_id") var subjectID: String?
    @OptionalField(key: "from_value") var from: String?
    @OptionalField(key: "to_value") var to: String?
    @OptionalField(key: "detail") var detail: String?
    @OptionalField(key: "address") var address: String?
    init() {}
}

final class ServerSecretRow: Model, @unchecked Sendable {
    static let schema = "server_secrets"
    static let signInForms = "sign_in_forms"
    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    init() {}
}

extension LoreStore {
    /// The secret that binds the sign-in form's CSRF field to its cookie.
    public func signInFormSecret() async throws -> String {
        guard let row = try await ServerSecretRow.find(ServerSecretRow.signInForms, on: db) else {
            throw StoreError.configuration("The database has no sign-in secret; run `lore migrate`.")
        }
        return row.value
    }
}
