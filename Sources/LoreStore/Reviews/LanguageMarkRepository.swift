import FluentKit
import SQLKit
import Foundation
import LoreCore

extension LoreStore {
    /// The phrases kept as written in a review the viewer may see.
    public func languageMarks(reviewID: UUID, viewer: Viewer) async throws -> [LanguageMark] {
        guard let seen = try await seenReview(id: reviewID, viewer: viewer) else { throw StoreError.notFound("Review") }
        return try await languageMarks(of: seen)
    }

    public func languageMarks(of seen: SeenReview) async throws -> [LanguageMark] {
        try await LanguageMarkRow.query(on: db).filter(\.$reviewID == seen.review.id).sort(\.$markedAt).all().map { $0.mark }
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
        try await forgetWordingCount(reviewID: reviewID)
        return LanguageMark(reviewID: reviewID, section: section, ruleID: row.ruleID, matchedText: text, note: n, markedBy: actor.userID, markedAt: now.ms)
    }
}

// Open wording counts, kept on each review (`wording_open`). The store
// cannot count them itself (the checker is built by the server from the
// organisation's rules and the people it knows), so it forgets a count when
// the text or the kept phrases change, and the server counts what is
// forgotten before it reads counts.
extension LoreStore {
    func forgetWordingCount(reviewID: UUID) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE reviews SET wording_open = NULL WHERE id = \(bind: reviewID)").run()
    }

    /// Forgets every count not made by this checker (its rules or the
    /// people it knows changed).
    public func forgetWordingCounts(notCountedBy checker: String) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE reviews SET wording_open = NULL WHERE wording_open IS NOT NULL AND (wording_checker IS NULL OR wording_checker <> \(bind: checker))").run()
    }

    /// Up to `limit` reviews whose count is forgotten, with their kept
    /// phrases, regardless of visibility (counts name no review).
    public func reviewsAwaitingWordingCount(limit: Int) async throws -> [(review: Review, marks: [LanguageMark])] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let ids = try await sql.raw("SELECT id FROM reviews WHERE wording_open IS NULL LIMIT \(literal: limit)").all().map { try $0.decode(column: "id", as: UUID.self) }
        if ids.isEmpty { return [] }
        let marks = try await languageMarksForCounting(reviewIDs: ids)
        return try await reviewsForCounting(ids: ids).map { ($0, marks[$0.id] ?? []) }
    }

    /// Records counts made by `checker`, in one transaction.
    public func recordWordingCounts(_ counts: [UUID: Int], checker: String) async throws {
        guard !counts.isEmpty else { return }
        try await transaction { store in
            guard let sql = store.db as? any SQLDatabase else { return }
            for (id, open) in counts {
                try await sql.raw("UPDATE reviews SET wording_open = \(bind: open), wording_checker = \(bind: checker) WHERE id = \(bind: id)").run()
            }
        }
    }

    /// The reviews the viewer may see with open wording findings, most
    /// first (at most `limit`), and how many there are. Counts must be
    /// current (see `reviewsAwaitingWordingCount`).
    public func reviewsWithOpenWording(viewer: Viewer, limit: Int) async throws -> (items: [(review: Review, incident: Incident, open: Int)], total: Int) {
        guard let sql = db as? any SQLDatabase else { return ([], 0) }
        let access = ReviewScope.viewer(viewer, adminsSeeAll: try await settings().practice.adminsSeeAllReviews)
        var q: SQLQueryString = "FROM reviews w WHERE w.wording_open > 0"
        for c in Self.visibleReview("w.id", access) { q += " AND " + c }
        // The count rides along with the page, as for misaligned follow-ups.
        let found = try await sql.raw("SELECT w.id, w.wording_open, COUNT(*) OVER () AS n " + q + " ORDER BY w.wording_open DESC, w.created_at DESC LIMIT \(literal: limit)").all()
        let total = try found.first.map { try $0.decode(column: "n", as: Int.self) } ?? 0
        let page = try found.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "wording_open", as: Int.self)) }
        let reviews = Dictionary(uniqueKeysWithValues: try await reviewsForCounting(ids: page.map(\.0)).map { ($0.id, $0) })
        let incidents = Dictionary(uniqueKeysWithValues: try await self.incidents(ids: Array(Set(reviews.values.map(\.incidentID)))).map { ($0.id, $0) })
        return (page.compactMap { id, open in reviews[id].flatMap { r in incidents[r.incidentID].map { (r, $0, open) } } }, total)
    }
}
