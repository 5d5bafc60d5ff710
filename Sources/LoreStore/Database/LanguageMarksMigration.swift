import Foundation
import FluentKit
import LoreCore

/// Phrases participants chose to keep as written.
struct CreateLanguageMarks: AsyncMigration {
    var name: String { "005_language_marks" }

    func prepare(on db: any Database) async throws {
        try await db.schema("language_marks")
            .id()
            .field("review_id", .uuid, .required, .references("reviews", "id", onDelete: .cascade))
            .field("section", .string, .required)
            .field("rule_id", .string, .required)
            .field("matched_text", .string, .required)
            .field("note", .string, .required)
            .field("marked_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("marked_at", .datetime, .required)
            .unique(on: "review_id", "section", "rule_id", "matched_text")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("language_marks").delete()
    }
}

final class LanguageMarkRow: Model, @unchecked Sendable {
    static let schema = "language_marks"
    @ID(key: .id) var id: UUID?
    @Field(key: "review_id") var reviewID: UUID
    @Field(key: "section") var section: String
    @Field(key: "rule_id") var ruleID: String
    @Field(key: "matched_text") var matchedText: String
    @Field(key: "note") var note: String
    @OptionalField(key: "marked_by") var markedBy: UUID?
    @Field(key: "marked_at") var markedAt: Date
    init() {}
}

extension LanguageMarkRow {
    var mark: LanguageMark {
        LanguageMark(reviewID: reviewID, section: section, ruleID: ruleID, matchedText: matchedText, note: note, markedBy: markedBy, markedAt: markedAt.ms)
    }
}
