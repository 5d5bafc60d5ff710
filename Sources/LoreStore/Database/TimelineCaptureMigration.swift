import FluentKit
import Foundation

/// Timeline capture: links back to where imported entries came from,
/// PagerDuty webhook subscriptions, and how far each PagerDuty incident has
/// been brought up to date (so that late deliveries do not undo newer ones).
struct CreateTimelineCaptureSchema: AsyncMigration {
    var name: String { "006_timeline_capture" }

    func prepare(on db: any Database) async throws {
        try await db.schema("timeline_entries").field("source_url", .string).update()
        try await db.schema("pagerduty_subscriptions")
            .id()
            .field("name", .string, .required)
            .field("secret", .string)
            .field("created_at", .datetime, .required)
            .field("last_delivery_at", .datetime)
            .unique(on: "name")
            .create()
        try await db.schema("pagerduty_incidents")
            .id()
            .field("pagerduty_id", .string, .required)
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("status_at", .datetime)
            .field("priority_at", .datetime)
            .field("title_at", .datetime)
            .unique(on: "pagerduty_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pagerduty_incidents").delete()
        try await db.schema("pagerduty_subscriptions").delete()
        try await db.schema("timeline_entries").deleteField("source_url").update()
    }
}

final class PagerDutySubscriptionRow: Model, @unchecked Sendable {
    static let schema = "pagerduty_subscriptions"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "secret") var secret: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_delivery_at") var lastDeliveryAt: Date?
    init() {}
}

final class PagerDutyIncidentRow: Model, @unchecked Sendable {
    static let schema = "pagerduty_incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "pagerduty_id") var pagerDutyID: String
    @Field(key: "incident_id") var incidentID: UUID
    @OptionalField(key: "status_at") var statusAt: Date?
    @OptionalField(key: "priority_at") var priorityAt: Date?
    @OptionalField(key: "title_at") var titleAt: Date?
    init() {}
}
