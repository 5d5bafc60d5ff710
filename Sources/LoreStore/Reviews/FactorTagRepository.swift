import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// The tags of a review's findings, by finding.
    public func findingTags(reviewID: UUID) async throws -> [UUID: [String]] {
        var out: [UUID: [String]] = [:]
        for row in try await sqlDatabase().raw("""
            SELECT t.finding_id, t.tag FROM finding_tags t JOIN findings f ON f.id = t.finding_id WHERE f.review_id = \(bind: reviewID) ORDER BY t.tag
            """).all() {
            out[try row.decode(column: "finding_id", as: UUID.self), default: []].append(try row.decode(column: "tag", as: String.self))
        }
        return out
    }

    /// Sets a contributing factor's tags (replacing them), by someone who
    /// may edit its review. Tags come from the organisation's vocabulary;
    /// a tag the vocabulary has since dropped may stay on a finding that
    /// already had it, so that removing a word from Settings does not
    /// rewrite history.
    public func setFindingTags(findingID: UUID, tags: [String], by actor: Viewer) async throws {
        guard let row = try await FindingRow.find(findingID, on: db), let review = try await review(id: row.reviewID, viewer: actor) else {
            throw StoreError.notFound("Finding")
        }
        guard ReviewAccess.canEdit(review, viewer: actor) else { throw StoreError.forbidden("Only the review's participants can tag its findings.") }
        guard row.kind == FindingKind.contributingFactor.rawValue else {
            throw ValidationError(field: "tags", code: "not_a_factor", message: "Only contributing factors carry tags.")
        }
        let vocabulary = try await settings().factorTags
        let existing = Set(try await findingTags(reviewID: row.reviewID)[findingID] ?? [])
        var chosen: [String] = []
        for tag in tags.map({ $0.trimmingCharacters(in: .whitespaces) }) where !tag.isEmpty {
            guard let word = vocabulary.first(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) ?? existing.first(where: { $0 == tag }) else {
                throw ValidationError(field: "tags", code: "unknown", message: "\"\(tag)\" is not one of the organisation's contributing-factor tags (\(vocabulary.joined(separator: ", "))); an admin adds tags in Settings.")
            }
            if !chosen.contains(word) { chosen.append(word) }
        }
        let tagsToWrite = chosen
        try await transaction { store in
            let sql = try store.sqlDatabase()
            try await sql.raw("DELETE FROM finding_tags WHERE finding_id = \(bind: findingID)").run()
            for tag in tagsToWrite { try await sql.raw("INSERT INTO finding_tags (finding_id, tag) VALUES (\(bind: findingID), \(bind: tag))").run() }
        }
    }
}
