import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// Fills an empty database with the demo dataset, in one transaction.
    /// Refuses when incidents already exist, so it never mixes demo content
    /// into real data. Returns how many incidents were added.
    ///
    /// Featured incidents go through the same calls as the API, one at a
    /// time. The few hundred history incidents (`DemoIncident.isHistory`)
    /// are checked by the same LoreCore rules (`IncidentInput.resolve`,
    /// `ReviewInput.apply`, `FollowUpInput.apply`) and written in batches of
    /// a few hundred rows per statement: one at a time they would take
    /// several seconds on a debug build (about fifty statements each).
    @discardableResult
    public func loadDemo(_ data: DemoDataset, now: Date = Date()) async throws -> Int {
        try await transaction { store in
            guard try await IncidentRow.query(on: store.db).count() == 0 else {
                throw ValidationError(field: "database", code: "not_empty", message: "The database already holds incidents; demo data is only loaded into an empty one.")
            }
            // External references are unique per system; the history is
            // written after the featured incidents have been checked against
            // the database, so check the whole dataset against itself first.
            var references = Set<String>()
            for d in data.incidents {
                for r in d.externalReferences where !references.insert(r.system.trimmingCharacters(in: .whitespaces) + "\u{1F}" + r.id.trimmingCharacters(in: .whitespaces)).inserted {
                    throw ValidationError(field: "externalReferences", code: "taken", message: "\(r.system) \(r.id) appears on two demo incidents.")
                }
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
            let teamNames = Dictionary(data.teams.map { ($0.slug, $0.name) }, uniquingKeysWith: { a, _ in a })
            var history = try await DemoHistoryBatch(store: store, userIDs: userIDs, names: names, teamNames: teamNames, now: now)
            // Numbers follow time. Each run of history incidents between two
            // featured ones (which take theirs through the API's calls)
            // reserves its numbers in one update.
            var reserved = 1 ..< 1
            for (i, d) in data.incidents.enumerated() {
                if d.isHistory {
                    if reserved.isEmpty {
                        let run = try await store.reserveIncidentNumbers(data.incidents[i...].prefix { $0.isHistory }.count)
                        reserved = run.lowerBound ..< run.upperBound + 1
                    }
                    try history.add(d, number: reserved.lowerBound)
                    reserved = reserved.dropFirst()
                } else {
                    try await store.addFeaturedDemoIncident(d, userIDs: userIDs, names: names, teamNames: teamNames, now: now)
                }
            }
            try await history.write(on: store.db)
            return data.incidents.count
        }
    }

    /// One featured incident, through the same calls as the API.
    func addFeaturedDemoIncident(_ d: DemoIncident, userIDs: [String: UUID], names: [String: String], teamNames: [String: String], now: Date) async throws {
        let created = d.times.detectedAt ?? d.times.impactStartedAt ?? now
        let incident = try await createIncident(DemoHistoryBatch.input(d), now: max(created, d.times.resolvedAt ?? created))
        if let row = try await IncidentRow.find(incident.id, on: db) {
            row.createdAt = created.ms
            try await row.update(on: db)
        }
        for e in d.timeline {
            try await addTimelineEntry(TimelineEntry(
                incidentID: incident.id, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
                author: names[e.authorHandle] ?? e.authorHandle, authorUserID: userIDs[e.authorHandle],
                source: e.source, kind: e.kind, text: e.text, reflection: e.reflection, marker: e.marker))
        }
        var reviewID: UUID?
        if let r = d.review, let facilitator = userIDs[r.facilitatorHandle] {
            let at = r.meetingAt.ms.map { min($0, now) } ?? now
            let actor = Viewer(userID: facilitator, isAdmin: false, memberships: [])
            let review = try await createReview(
                incidentID: incident.id, DemoHistoryBatch.reviewInput(r, d, facilitator: facilitator, userIDs: userIDs, teamNames: teamNames),
                by: actor, now: at)
            reviewID = review.id
            for (i, text) in DemoHistoryBatch.factors(of: r).enumerated() {
                let finding = try await addFinding(reviewID: review.id, kind: .contributingFactor, text: text, by: actor, now: at)
                if i == 0 { try await setFindingTags(findingID: finding.id, tags: DemoHistoryBatch.factorTags(of: d, vocabulary: try await settings().factorTags), by: actor) }
            }
        }
        for f in d.followUps {
            let created = try await createFollowUp(incidentID: incident.id, reviewID: reviewID, FollowUpInput(
                title: f.title, description: f.description, ownerTeam: f.ownerTeam,
                ownerUserID: .some(f.ownerHandle.flatMap { userIDs[$0] }), service: .some(f.service),
                dueDate: .some(f.dueDate), trackerReference: .some(f.trackerReference), status: f.status, reason: f.reason, plan: f.plan), now: f.createdAt)
            if let row = try await FollowUpRow.find(created.id, on: db) {
                row.closedAt = f.status.isClosed ? (f.closedAt ?? f.createdAt).ms : nil
                try await row.update(on: db)
            }
        }
    }
}

/// The history incidents of a demo load, gathered as rows and written in
/// batches at the end of the load's transaction. Each incident is checked by
/// the LoreCore rules its API call would apply, and its rows are the ones
/// those calls write (`createIncident`, `addTimelineEntry`, `createReview`,
/// `createFollowUp` with its status changes).
struct DemoHistoryBatch {
    let store: LoreStore
    let userIDs: [String: UUID]
    let names: [String: String]
    let teamNames: [String: String]
    let now: Date
    let settings: OrganisationSettings
    let services: Set<String>
    let teams: Set<String>
    let users: Set<UUID>

    var incidents: [IncidentRow] = []
    var incidentServices: [IncidentServiceRow] = []
    var incidentTeams: [IncidentTeamRow] = []
    var references: [ExternalReferenceRow] = []
    var entries: [TimelineEntry] = []
    var reviews: [ReviewRow] = []
    var participants: [ReviewParticipantRow] = []
    var reviewTeams: [ReviewTeamRow] = []
    var followUps: [FollowUpRow] = []
    var changes: [FollowUpChangeRow] = []
    var findings: [FindingRow] = []
    var findingTags: [(findingID: UUID, tag: String)] = []

    /// Each listed contributing factor of a demo review, as a finding's text.
    static func factors(of review: DemoReview) -> [String] {
        (review.sections[.contributingFactors] ?? "").split(separator: "\n").filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
    }

    /// The first factor's tags: from the incident's labels, and "alerting
    /// gap" when customers, not monitoring, told us.
    static func factorTags(of d: DemoIncident, vocabulary: [String]) -> [String] {
        var tags = Set(d.labels.compactMap { labelTags[$0] })
        if ["customer support", "call centre"].contains(d.detectionSource) { tags.insert("alerting gap") }
        return tags.sorted().filter(vocabulary.contains)
    }

    /// The demo's labels as contributing-factor tags of the default
    /// vocabulary, so that the maintenance report has recurrences to show.
    static let labelTags: [String: String] = [
        "capacity": "capacity", "memory": "capacity", "storage": "capacity", "rate-limiting": "capacity",
        "config-change": "configuration change", "feature-flag": "configuration change", "release": "configuration change",
        "certificates": "configuration change", "secrets": "configuration change", "dns": "configuration change", "tls": "configuration change",
        "third-party": "dependency", "partners": "dependency", "replication": "dependency",
    ]

    /// Rows per INSERT: the widest row (a review) has 23 values, which keeps
    /// a statement far below PostgreSQL's 65,535 bound values and SQLite's.
    static let rowsPerStatement = 500

    init(store: LoreStore, userIDs: [String: UUID], names: [String: String], teamNames: [String: String], now: Date) async throws {
        self.store = store
        self.userIDs = userIDs
        self.names = names
        self.teamNames = teamNames
        self.now = now
        settings = try await store.settings()
        services = try await store.serviceSlugs()
        teams = try await store.teamSlugs()
        users = try await store.userIDs()
    }

    static func input(_ d: DemoIncident) -> IncidentInput {
        IncidentInput(
            title: d.title, severity: d.severity, status: d.status, services: d.services, teams: d.teams,
            detectionSource: d.detectionSource, impactStartedAt: .some(d.times.impactStartedAt),
            detectedAt: .some(d.times.detectedAt), acknowledgedAt: .some(d.times.acknowledgedAt),
            mitigatedAt: .some(d.times.mitigatedAt), resolvedAt: .some(d.times.resolvedAt),
            customerImpact: d.customerImpact, labels: d.labels, externalReferences: d.externalReferences)
    }

    /// "Payments review": a team review of the incident's first team, open
    /// to the organisation.
    static func reviewInput(_ r: DemoReview, _ d: DemoIncident, facilitator: UUID, userIDs: [String: UUID], teamNames: [String: String]) -> ReviewInput {
        ReviewInput(
            title: "\(d.teams.first.map { teamNames[$0] ?? $0 } ?? "Team") review", level: .team,
            visibility: .organisation, teams: Array(d.teams.prefix(1)), status: r.status, facilitatorID: .some(facilitator),
            participantIDs: [facilitator] + r.participantHandles.compactMap { userIDs[$0] }, meetingAt: .some(r.meetingAt),
            sections: r.sections)
    }

    mutating func add(_ d: DemoIncident, number: Int) throws {
        let created = d.times.detectedAt ?? d.times.impactStartedAt ?? now
        // Recorded when its last known moment was: a mitigated incident whose
        // mitigation came days after detection is not "in the future".
        let at = [d.times.acknowledgedAt, d.times.mitigatedAt, d.times.resolvedAt].compactMap { $0 }.reduce(created, max)
        // createIncident
        let r = try Self.input(d).resolve(over: nil, settings: settings, knownServices: services, knownTeams: teams, now: at)
        let incidentID = UUID()
        let row = IncidentRow()
        row.id = incidentID
        row.number = number
        store.apply(r, to: row, now: at)
        row.createdAt = created.ms
        incidents.append(row)
        for (i, s) in r.services.enumerated() {
            let link = IncidentServiceRow()
            link.incidentID = incidentID
            link.serviceSlug = s
            link.position = i
            incidentServices.append(link)
        }
        for (i, t) in r.teams.enumerated() {
            let link = IncidentTeamRow()
            link.incidentID = incidentID
            link.teamSlug = t
            link.position = i
            incidentTeams.append(link)
        }
        for ref in r.externalReferences {
            let link = ExternalReferenceRow()
            link.incidentID = incidentID
            link.system = ref.system.trimmingCharacters(in: .whitespaces)
            link.externalID = ref.id.trimmingCharacters(in: .whitespaces)
            link.url = ref.url
            references.append(link)
        }

        // addTimelineEntry
        for e in d.timeline {
            entries.append(TimelineEntry(
                incidentID: incidentID, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
                author: names[e.authorHandle] ?? e.authorHandle, authorUserID: userIDs[e.authorHandle],
                source: e.source, kind: e.kind, text: e.text, reflection: e.reflection, marker: e.marker))
        }

        // createReview, as its facilitator
        var reviewID: UUID?
        if let rv = d.review, let facilitator = userIDs[rv.facilitatorHandle] {
            let at = (rv.meetingAt?.ms).map { min($0, now) } ?? now
            var blank = Review(incidentID: incidentID, level: .team, createdAt: at.ms, updatedAt: at.ms)
            blank.participants = [ReviewParticipant(userID: facilitator, role: .participant)]
            var review = try Self.reviewInput(rv, d, facilitator: facilitator, userIDs: userIDs, teamNames: teamNames)
                .apply(to: blank, knownUsers: users, knownTeams: teams, now: at)
            if !review.participants.contains(where: { $0.userID == facilitator }) {
                review.participants.append(ReviewParticipant(userID: facilitator, role: .participant))
            }
            if review.facilitatorID == nil, let i = review.participants.firstIndex(where: { $0.userID == facilitator }) {
                review.participants[i].role = .facilitator
            }
            addRows(of: review)
            reviewID = review.id
            for (i, text) in Self.factors(of: rv).enumerated() {
                let row = FindingRow()
                row.id = UUID()
                row.reviewID = review.id
                row.kind = FindingKind.contributingFactor.rawValue
                row.text = text
                row.createdBy = facilitator
                row.createdAt = at.ms
                findings.append(row)
                guard i == 0 else { continue }
                for tag in Self.factorTags(of: d, vocabulary: settings.factorTags) { findingTags.append((row.id!, tag)) }
            }
        }

        // createFollowUp, then the status change that closed it
        for f in d.followUps {
            let closed = f.status.isClosed
            var followUp = try FollowUpInput(
                title: f.title, description: f.description, ownerTeam: f.ownerTeam,
                ownerUserID: .some(f.ownerHandle.flatMap { userIDs[$0] }), service: .some(f.service),
                dueDate: .some(f.dueDate), trackerReference: .some(f.trackerReference), status: closed ? .open : f.status
            ).apply(to: nil, incidentID: incidentID, knownTeams: teams, knownServices: services, knownUsers: users, now: f.createdAt)
            followUp.reviewID = reviewID
            addChange(followUp.id, at: followUp.createdAt, from: nil, to: followUp.status, reason: nil)
            if closed {
                let closedAt = max(f.closedAt ?? f.createdAt, f.createdAt)
                let from = followUp.status
                followUp = try FollowUpInput(status: f.status, reason: f.reason, plan: f.plan)
                    .apply(to: followUp, incidentID: incidentID, knownTeams: teams, knownServices: services, knownUsers: users, now: closedAt)
                addChange(followUp.id, at: closedAt.ms, from: from, to: followUp.status, reason: followUp.decisionReason ?? f.reason)
            }
            let fr = FollowUpRow()
            store.copy(followUp, to: fr)
            followUps.append(fr)
        }
    }

    /// The rows `LoreStore.write(_:to:isNew:)` writes for a new review.
    mutating func addRows(of r: Review) {
        let row = ReviewRow()
        row.id = r.id
        row.copy(r)
        reviews.append(row)
        participants += ReviewParticipantRow.rows(of: r)
        reviewTeams += ReviewTeamRow.rows(of: r)
    }

    mutating func addChange(_ followUpID: UUID, at: Date, from: FollowUpStatus?, to: FollowUpStatus, reason: String?) {
        let row = FollowUpChangeRow()
        row.followUpID = followUpID
        row.at = at
        row.byUserID = nil
        row.fromStatus = from?.rawValue
        row.toStatus = to.rawValue
        row.reason = reason
        changes.append(row)
    }

    /// Parents before children, so every foreign key finds its row.
    func write(on db: any Database) async throws {
        try await Self.create(incidents, on: db)
        try await Self.create(incidentServices, on: db)
        try await Self.create(incidentTeams, on: db)
        try await Self.create(references, on: db)
        // The timeline import's multi-row insert, in its own batches.
        let added = try await TimelineImportSink.insert(entries, into: store)
        guard added == entries.count else { throw StoreError.configuration("Only \(added) of \(entries.count) demo timeline entries were written.") }
        try await Self.create(reviews, on: db)
        try await Self.create(participants, on: db)
        try await Self.create(reviewTeams, on: db)
        try await Self.create(followUps, on: db)
        try await Self.create(changes, on: db)
        try await Self.create(findings, on: db)
        guard let sql = db as? any SQLDatabase else { return }
        var start = 0
        while start < findingTags.count {
            let batch = findingTags[start ..< min(start + Self.rowsPerStatement, findingTags.count)]
            var q = SQLQueryString("INSERT INTO finding_tags (finding_id, tag) VALUES ")
            for (i, t) in batch.enumerated() {
                q.appendLiteral(i == 0 ? "(" : ", (")
                q.appendInterpolation(bind: t.findingID)
                q.appendLiteral(", ")
                q.appendInterpolation(bind: t.tag)
                q.appendLiteral(")")
            }
            try await sql.raw(q).run()
            start += Self.rowsPerStatement
        }
    }

    static func create<Row: Model & Sendable>(_ rows: [Row], on db: any Database) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + rowsPerStatement, rows.count)
            try await Array(rows[start ..< end]).create(on: db)
            start = end
        }
    }
}
