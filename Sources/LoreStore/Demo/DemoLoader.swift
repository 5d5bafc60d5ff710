import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// Fills an empty database with the demo dataset, in one transaction.
    /// Refuses when incidents already exist, so it never mixes demo content
    /// into real data. Returns how many incidents were added.
    @discardableResult
    public func loadDemo(_ data: DemoDataset, now: Date = Date()) async throws -> Int {
        try await transaction { store in
            guard try await IncidentRow.query(on: store.db).count() == 0 else {
                throw ValidationError(field: "database", code: "not_empty", message: "The database already holds incidents; demo data is only loaded into an empty one.")
            }
            let existingTeams = try await store.teamSlugs()
            for t in data.teams where !existingTeams.contains(t.slug) {
                try await store.createTeam(TeamInput(name: t.name, slug: t.slug))
            }
            let existingServices = try await store.serviceSlugs()
            for s in data.services where !existingServices.contains(s.slug) {
                try await store.createService(ServiceInput(name: s.name, slug: s.slug, owningTeam: s.owningTeam, onCallTeam: s.onCallTeam))
            }
            var userIDs: [String: UUID] = [:]
            var names: [String: String] = [:]
            for u in data.users {
                let user: User
                if let existing = try await store.user(email: u.email) {
                    user = existing
                } else {
                    user = try await store.createUser(UserInput(displayName: u.displayName, handle: u.handle, email: u.email, role: u.role), now: now)
                }
                userIDs[u.handle] = user.id
                names[u.handle] = user.displayName
                try await store.setMembership(teamSlug: u.teamSlug, userID: user.id, role: u.teamRole)
            }
            for d in data.incidents {
                let created = d.times.detectedAt ?? d.times.impactStartedAt ?? now
                let incident = try await store.createIncident(IncidentInput(
                    title: d.title, severity: d.severity, status: d.status, services: d.services, teams: d.teams,
                    detectionSource: d.detectionSource, impactStartedAt: .some(d.times.impactStartedAt),
                    detectedAt: .some(d.times.detectedAt), acknowledgedAt: .some(d.times.acknowledgedAt),
                    mitigatedAt: .some(d.times.mitigatedAt), resolvedAt: .some(d.times.resolvedAt),
                    customerImpact: d.customerImpact, labels: d.labels, externalReferences: d.externalReferences), now: max(created, d.times.resolvedAt ?? created))
                if let row = try await IncidentRow.find(incident.id, on: store.db) {
                    row.createdAt = created.ms
                    try await row.update(on: store.db)
                }
                for e in d.timeline {
                    try await store.addTimelineEntry(TimelineEntry(
                        incidentID: incident.id, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
                        author: names[e.authorHandle] ?? e.authorHandle, authorUserID: userIDs[e.authorHandle],
                        source: e.source, kind: e.kind, text: e.text, reflection: e.reflection, marker: e.marker))
                }
                var reviewID: UUID?
                if let r = d.review, let facilitator = userIDs[r.facilitatorHandle] {
                    let at = r.meetingAt.ms.map { min($0, now) } ?? now
                    let actor = Viewer(userID: facilitator, isAdmin: false, memberships: [])
                    let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                        title: "\(d.teams.first.map { names[$0] ?? $0 } ?? "Team") review", level: .team,
                        visibility: .organisation, teams: Array(d.teams.prefix(1)), status: r.status, facilitatorID: .some(facilitator),
                        participantIDs: [facilitator] + r.participantHandles.compactMap { userIDs[$0] }, meetingAt: .some(r.meetingAt),
                        sections: r.sections), by: actor, now: at)
                    reviewID = review.id
                }
                for f in d.followUps {
                    let created = try await store.createFollowUp(incidentID: incident.id, reviewID: reviewID, FollowUpInput(
                        title: f.title, description: f.description, ownerTeam: f.ownerTeam,
                        ownerUserID: .some(f.ownerHandle.flatMap { userIDs[$0] }), service: .some(f.service),
                        dueDate: .some(f.dueDate), trackerReference: .some(f.trackerReference), status: f.status, reason: f.reason, plan: f.plan), now: f.createdAt)
                    if let row = try await FollowUpRow.find(created.id, on: store.db) {
                        row.closedAt = f.status.isClosed ? (f.closedAt ?? f.createdAt).ms : nil
                        try await row.update(on: store.db)
                    }
                }
            }
            return data.incidents.count
        }
    }
}
