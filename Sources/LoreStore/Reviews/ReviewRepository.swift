import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// The incident's review, if one has been started.
    public func review(incidentID: UUID) async throws -> Review? {
        guard let row = try await ReviewRow.query(on: db).filter(\.$incidentID == incidentID).sort(\.$createdAt).first() else { return nil }
        return try await load(row)
    }

    /// Applies a change to the incident's review, starting one if needed.
    @discardableResult
    public func saveReview(incidentID: UUID, _ input: ReviewInput, now: Date = Date()) async throws -> Review {
        try await transaction { store in
            guard try await IncidentRow.find(incidentID, on: store.db) != nil else { throw StoreError.notFound("Incident") }
            let row = try await ReviewRow.query(on: store.db).filter(\.$incidentID == incidentID).sort(\.$createdAt).first()
            var existing = Review(incidentID: incidentID, createdAt: now.ms, updatedAt: now.ms)
            if let row { existing = try await store.load(row) }
            let r = try input.apply(to: existing, knownUsers: try await store.userIDs(), now: now)
            let target = row ?? ReviewRow()
            target.incidentID = incidentID
            target.status = r.status.rawValue
            target.facilitatorID = r.facilitatorID
            target.meetingAt = r.meetingAt.ms
            target.summary = r.text(.summary)
            target.whatHappened = r.text(.whatHappened)
            target.contributingFactors = r.text(.contributingFactors)
            target.whatWentWell = r.text(.whatWentWell)
            target.whereWeGotLucky = r.text(.whereWeGotLucky)
            target.surprises = r.text(.surprises)
            target.openQuestions = r.text(.openQuestions)
            target.customerImpact = r.text(.customerImpact)
            target.createdAt = r.createdAt.ms
            target.updatedAt = r.updatedAt.ms
            target.heldAt = r.heldAt.ms
            target.publishedAt = r.publishedAt.ms
            try await target.save(on: store.db)
            if input.participantIDs != nil {
                try await ReviewParticipantRow.query(on: store.db).filter(\.$reviewID == target.id!).delete()
                for (i, uid) in r.participantIDs.enumerated() {
                    let p = ReviewParticipantRow()
                    p.reviewID = target.id!
                    p.userID = uid
                    p.role = "participant"
                    p.position = i
                    try await p.create(on: store.db)
                }
            }
            return try await store.load(target)
        }
    }

    func load(_ r: ReviewRow) async throws -> Review {
        let participants = try await ReviewParticipantRow.query(on: db).filter(\.$reviewID == r.id!).sort(\.$position).all().map(\.userID)
        let sections: [ReviewSection: String] = [
            .summary: r.summary, .whatHappened: r.whatHappened, .contributingFactors: r.contributingFactors,
            .whatWentWell: r.whatWentWell, .whereWeGotLucky: r.whereWeGotLucky, .surprises: r.surprises,
            .openQuestions: r.openQuestions, .customerImpact: r.customerImpact,
        ]
        return Review(
            id: r.id!, incidentID: r.incidentID, status: ReviewStatus(rawValue: r.status) ?? .draft,
            facilitatorID: r.facilitatorID, participantIDs: participants, meetingAt: r.meetingAt.ms, sections: sections,
            createdAt: r.createdAt.ms, updatedAt: r.updatedAt.ms, heldAt: r.heldAt.ms, publishedAt: r.publishedAt.ms
        )
    }
}
