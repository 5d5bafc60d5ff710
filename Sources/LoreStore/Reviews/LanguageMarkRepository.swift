import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// The phrases kept as written in a review the viewer may see.
    public func languageMarks(reviewID: UUID, viewer: Viewer) async throws -> [LanguageMark] {
        guard try await review(id: reviewID, viewer: viewer) != nil else { throw StoreError.notFound("Review") }
        return try await LanguageMarkRow.query(on: db).filter(\.$reviewID == reviewID).sort(\.$markedAt).all().map {
            $0.mark
        }
    }

    /// The kept phrases of these reviews, regardless of visibility: for
    /// counts that name no review, never for display.
    public func languageMarksForCounting(reviewIDs: [UUID]) async throws -> [UUID: [LanguageMark]] {
        var out: [UUID: [LanguageMark]] = [:]
        for batch in Self.parameterBatches(reviewIDs) {
            for m in try await LanguageMarkRow.query(on: db).filter(\.$reviewID ~~ batch).all() {
                out[m.reviewID, default: []].append(m.mark)
            }
        }
        return out
    }

    /// Marks a flagged phrase as kept as written (participants only).
    @discardableResult
    public func keepAsWritten(reviewID: UUID, section: String, ruleID: String, matchedText: String, note: String?, by actor: Viewer, now: Date = Date()) async throws -> LanguageMark {
        guard let review = try await review(id: reviewID, viewer: actor) else { throw StoreError.notFound("Review") }
        guard ReviewAccess.canEdit(review, viewer: actor) else { throw StoreError.forbidden("Only the review's participants decide what stays as written.") }
        guard ReviewSection(rawValue: section) != nil else {
            throw ValidationError(field: "section", code: "unknown", message: "Unknown section \"\(section)\".")
        }
        let text = String(matchedText.prefix(Limits.shortText)).lowercased()
        let n = try LanguageMark.validatedNote(note)
        let existing = try await LanguageMarkRow.query(on: db).filter(\.$reviewID == reviewID).filter(\.$section == section)
            .filter(\.$ruleID == ruleID).filter(\.$matchedText == text).first()
        let row = existing ?? LanguageMarkRow()
        row.reviewID = reviewID
        row.section = section
        row.ruleID = String(ruleID.prefix(Limits.slug * 2))
        row.matchedText = text
        row.note = n
        row.markedBy = actor.userID
        row.markedAt = now.ms
        try await row.save(on: db)
        return LanguageMark(reviewID: reviewID, section: section, ruleID: row.ruleID, matchedText: text, note: n, markedBy: actor.userID, markedAt: now.ms)
    }
}
