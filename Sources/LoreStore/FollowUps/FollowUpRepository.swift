import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// An incident's follow-ups, oldest first (the order they were raised).
    public func followUps(incidentID: UUID) async throws -> [FollowUp] {
        try await FollowUpRow.query(on: db).filter(\.$incidentID == incidentID).sort(\.$createdAt).sort(\.$id).all().map(Self.followUp)
    }

    public func followUp(id: UUID) async throws -> FollowUp? {
        try await FollowUpRow.find(id, on: db).map(Self.followUp)
    }

    /// Creates a follow-up of an incident (and of its review, if there is one).
    @discardableResult
    public func createFollowUp(incidentID: UUID, _ input: FollowUpInput, now: Date = Date()) async throws -> FollowUp {
        try await transaction { store in
            guard try await IncidentRow.find(incidentID, on: store.db) != nil else { throw StoreError.notFound("Incident") }
            var f = try await store.validate(input, existing: nil, incidentID: incidentID, now: now)
            f.reviewID = try await store.review(incidentID: incidentID)?.id
            let row = FollowUpRow()
            store.copy(f, to: row)
            try await row.create(on: store.db)
            return Self.followUp(row)
        }
    }

    @discardableResult
    public func updateFollowUp(id: UUID, _ input: FollowUpInput, now: Date = Date()) async throws -> FollowUp {
        try await transaction { store in
            guard let row = try await FollowUpRow.find(id, on: store.db) else { throw StoreError.notFound("Follow-up") }
            let f = try await store.validate(input, existing: Self.followUp(row), incidentID: row.incidentID, now: now)
            store.copy(f, to: row)
            try await row.update(on: store.db)
            return Self.followUp(row)
        }
    }

    func validate(_ input: FollowUpInput, existing: FollowUp?, incidentID: UUID, now: Date) async throws -> FollowUp {
        try input.apply(
            to: existing, incidentID: incidentID, knownTeams: try await teamSlugs(),
            knownServices: try await serviceSlugs(), knownUsers: try await userIDs(), now: now
        )
    }

    func copy(_ f: FollowUp, to row: FollowUpRow) {
        row.id = f.id
        row.incidentID = f.incidentID
        row.reviewID = f.reviewID
        row.title = f.title
        row.description = f.description
        row.ownerTeam = f.ownerTeam
        row.ownerUserID = f.ownerUserID
        row.service = f.service
        row.dueDate = f.dueDate
        row.trackerReference = f.trackerReference
        row.status = f.status.rawValue
        row.createdAt = f.createdAt
        row.closedAt = f.closedAt
    }

    static func followUp(_ r: FollowUpRow) -> FollowUp {
        FollowUp(
            id: r.id!, incidentID: r.incidentID, reviewID: r.reviewID, title: r.title, description: r.description,
            ownerTeam: r.ownerTeam, ownerUserID: r.ownerUserID, service: r.service, dueDate: r.dueDate.ms,
            trackerReference: r.trackerReference, status: FollowUpStatus(rawValue: r.status) ?? .open,
            createdAt: r.createdAt.ms, closedAt: r.closedAt.ms
        )
    }
}
