import FluentKit
import Foundation
import LoreCore
import SQLKit

/// What recording one PagerDuty activity did.
public struct PagerDutyRecording: Equatable, Sendable {
    /// The Lore incident it belongs to (`INC-42`).
    public var incidentKey: String
    /// True when this activity was the first Lore saw of the PagerDuty incident.
    public var createdIncident: Bool
    /// False when the same event or log entry had been recorded before.
    public var addedEntry: Bool
}

/// What a PagerDuty export import did.
public struct PagerDutyImportSummary: Equatable, Sendable {
    public var incidentsCreated: [String] = []
    public var incidentsUpdated: [String] = []
    public var entriesAdded = 0
    public var entriesAlreadyPresent = 0
}

extension LoreStore {
    // MARK: Subscriptions

    public func pagerDutySubscriptions() async throws -> [PagerDutySubscription] {
        try await PagerDutySubscriptionRow.query(on: db).sort(\.$name).all().map(Self.subscription)
    }

    /// Adds a subscription. The secret may come later (PagerDuty shows it only
    /// after it has been given the delivery URL).
    @discardableResult
    public func addPagerDutySubscription(name: String?, secret: String?, now: Date = Date(), by actor: AuditActor = .commandLine) async throws -> PagerDutySubscription {
        let (name, secret) = try PagerDutySubscription.validate(name: name, secret: secret)
        if try await PagerDutySubscriptionRow.query(on: db).filter(\.$name == name).first() != nil {
            throw StoreError.conflict(field: "name", message: "There is already a PagerDuty subscription named \"\(name)\".")
        }
        let row = PagerDutySubscriptionRow()
        row.name = name
        row.secret = secret
        row.createdAt = now.ms
        try await row.create(on: db)
        try await recordAudit(actor.event(.pagerDutySubscriptionAdded, subjectType: "pagerduty_subscription", subjectID: name, detail: secret == nil ? "no signing secret yet" : nil, at: now))
        return Self.subscription(row)
    }

    /// Sets or replaces a subscription's signing secret.
    public func setPagerDutySecret(name: String, secret: String?, by actor: AuditActor = .commandLine) async throws {
        let (_, secret) = try PagerDutySubscription.validate(name: name, secret: secret)
        guard let secret else { throw ValidationError(field: "secret", code: "required", message: "Paste the signing secret PagerDuty showed for this subscription.") }
        guard let row = try await PagerDutySubscriptionRow.query(on: db).filter(\.$name == name.lowercased()).first() else {
            throw StoreError.notFound("PagerDuty subscription \"\(name)\"")
        }
        row.secret = secret
        try await row.update(on: db)
        try await recordAudit(actor.event(.pagerDutySecretChanged, subjectType: "pagerduty_subscription", subjectID: row.name))
    }

    @discardableResult
    public func removePagerDutySubscription(name: String, by actor: AuditActor = .commandLine) async throws -> Bool {
        guard let row = try await PagerDutySubscriptionRow.query(on: db).filter(\.$name == name.lowercased()).first() else { return false }
        try await row.delete(on: db)
        try await recordAudit(actor.event(.pagerDutySubscriptionRemoved, subjectType: "pagerduty_subscription", subjectID: row.name))
        return true
    }

    /// The signing secret of a subscription, for checking a delivery. Nil when
    /// there is no such subscription or it has no secret yet.
    public func pagerDutySigningSecret(subscription name: String) async throws -> String? {
        try await PagerDutySubscriptionRow.query(on: db).filter(\.$name == name.lowercased()).first()?.secret
    }

    /// Notes that a verified delivery arrived, for the settings page. To the
    /// minute: a busy incident must not turn every delivery into a second write.
    public func notePagerDutyDelivery(subscription name: String, at now: Date = Date()) async throws {
        try await PagerDutySubscriptionRow.query(on: db).filter(\.$name == name.lowercased())
            .group(.or) { $0.filter(\.$lastDeliveryAt == nil).filter(\.$lastDeliveryAt < now.addingTimeInterval(-60)) }
            .set(\.$lastDeliveryAt, to: now.ms).update()
    }

    static func subscription(_ r: PagerDutySubscriptionRow) -> PagerDutySubscription {
        PagerDutySubscription(id: r.id!, name: r.name, hasSecret: r.secret?.isEmpty == false, createdAt: r.createdAt.ms, lastDeliveryAt: r.lastDeliveryAt.ms)
    }

    // MARK: Activity

    /// Records one PagerDuty activity (a webhook event or a log entry) in one
    /// transaction: finds the Lore incident by its PagerDuty id or creates it,
    /// brings it up to date unless a newer activity already did, and adds the
    /// timeline entry. The same activity id twice changes nothing.
    @discardableResult
    public func recordPagerDutyActivity(_ a: PagerDutyActivity, now: Date = Date()) async throws -> PagerDutyRecording {
        // Two deliveries for an incident Lore does not know yet can race to
        // create it (PostgreSQL, several servers); the loser retries and finds it.
        var attempt = 0
        while true {
            do {
                return try await transaction { store in try await store.applyPagerDutyActivity(a, now: now) }
            } catch StoreError.conflict where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// Records many activities (webhook deliveries that arrived together) in
    /// one transaction, with the same rules as `recordPagerDutyActivity` one
    /// by one, in the order given.
    ///
    /// Each query costs a round trip through the driver's thread pool, and
    /// SQLite has one connection: recording one by one takes about a dozen
    /// queries per delivery. Here the reads are one query per batch (entries
    /// already recorded, tracking rows, incidents and their links), entries
    /// are inserted in one statement, and only incidents whose state changed
    /// are written. An incident seen for the first time goes the one-by-one way.
    public func recordPagerDutyActivities(_ batch: [PagerDutyActivity], now: Date = Date()) async throws -> [PagerDutyRecording] {
        if batch.isEmpty { return [] }
        return try await transaction { store in try await store.applyPagerDutyBatch(batch, now: now) }
    }

    private func applyPagerDutyBatch(_ batch: [PagerDutyActivity], now: Date) async throws -> [PagerDutyRecording] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.configuration("PagerDuty recording needs an SQL database.") }
        let pdIDs = Array(Set(batch.map(\.incident.id))).sorted()
        for pdID in pdIDs { try await lockPagerDutyIncident(pdID) }
        // Plain SQL rows for the reads: decoding whole Fluent models of every
        // incident in the batch cost more than the queries themselves.
        var recorded = Set(try await sql.raw("""
            SELECT external_id FROM timeline_entries WHERE source = \(bind: TimelineSource.pagerduty.rawValue) AND external_id IN (\(binds: batch.map(\.id)))
            """).all().map { try $0.decode(column: "external_id", as: String.self) })
        let settings = try await settings()
        var known: [String: Tracked] = [:]
        func loadTracked(_ ids: [String]) async throws {
            let rows = try await sql.raw("""
                SELECT p.pagerduty_id, p.status_at, p.priority_at, p.title_at, i.id, i.number, i.title, i.severity, i.status,
                       i.detection_source, i.impact_started_at, i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at,
                       i.created_at, i.updated_at,
                       (SELECT COUNT(*) FROM incident_services s WHERE s.incident_id = i.id) AS service_count,
                       (SELECT r.url FROM incident_external_refs r WHERE r.incident_id = i.id AND r.system = \(bind: PagerDutySync.system)) AS pagerduty_url
                FROM pagerduty_incidents p JOIN incidents i ON i.id = p.incident_id WHERE p.pagerduty_id IN (\(binds: ids))
                """).all()
            for r in rows {
                let pdID = try r.decode(column: "pagerduty_id", as: String.self)
                let id = try r.decode(column: "id", as: UUID.self)
                let times = IncidentTimes(
                    impactStartedAt: try r.decode(column: "impact_started_at", as: Date?.self).ms, detectedAt: try r.decode(column: "detected_at", as: Date?.self).ms,
                    acknowledgedAt: try r.decode(column: "acknowledged_at", as: Date?.self).ms, mitigatedAt: try r.decode(column: "mitigated_at", as: Date?.self).ms,
                    resolvedAt: try r.decode(column: "resolved_at", as: Date?.self).ms)
                let url = try r.decode(column: "pagerduty_url", as: String?.self)
                let incident = Incident(
                    id: id, number: try r.decode(column: "number", as: Int.self), title: try r.decode(column: "title", as: String.self),
                    severity: try r.decode(column: "severity", as: String.self),
                    status: IncidentStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
                    detectionSource: try r.decode(column: "detection_source", as: String.self), times: times,
                    externalReferences: [ExternalReference(system: PagerDutySync.system, id: pdID, url: url)],
                    createdAt: try r.decode(column: "created_at", as: Date.self).ms, updatedAt: try r.decode(column: "updated_at", as: Date.self).ms)
                let state = PagerDutySyncState(
                    statusAt: try r.decode(column: "status_at", as: Date?.self).ms, priorityAt: try r.decode(column: "priority_at", as: Date?.self).ms,
                    titleAt: try r.decode(column: "title_at", as: Date?.self).ms)
                known[pdID] = Tracked(incident: incident, state: state, hasServices: try r.decode(column: "service_count", as: Int.self) > 0, original: (incident, state))
            }
        }
        try await loadTracked(pdIDs)
        var catalog: [Service]?
        var entries: [TimelineEntry] = []
        var results: [PagerDutyRecording] = []
        for a in batch {
            if a.occurredAt > now.addingTimeInterval(24 * 3600) {
                throw ValidationError(field: "occurredAt", code: "in_future", message: "PagerDuty \(a.type) \(a.id) is dated \(LoreTime.iso(a.occurredAt)), more than a day ahead of now.")
            }
            guard !recorded.contains(a.id) else {
                let key = try await sql.raw("""
                    SELECT i.number FROM timeline_entries e JOIN incidents i ON i.id = e.incident_id WHERE e.source = \(bind: TimelineSource.pagerduty.rawValue) AND e.external_id = \(bind: a.id)
                    """).first().map { Incident.key(for: try $0.decode(column: "number", as: Int.self)) } ?? known[a.incident.id]?.incident.key ?? ""
                results.append(PagerDutyRecording(incidentKey: key, createdIncident: false, addedEntry: false))
                continue
            }
            recorded.insert(a.id)
            guard var tracked = known[a.incident.id] else {
                // First sight of this incident: create it the careful way, then
                // keep it in hand for the rest of the batch.
                results.append(try await applyPagerDutyActivity(a, now: now))
                try await loadTracked([a.incident.id])
                continue
            }
            PagerDutySync.apply(a, to: &tracked.incident, state: &tracked.state, settings: settings, now: now)
            if !tracked.hasServices, a.incident.serviceID != nil || a.incident.serviceName != nil {
                if catalog == nil { catalog = try await services() }
                if let service = PagerDutySync.matchService(id: a.incident.serviceID, name: a.incident.serviceName, in: catalog!) {
                    try await addService(service.slug, to: tracked.incident.id)
                    tracked.hasServices = true
                }
            }
            known[a.incident.id] = tracked
            entries.append(a.entry(incidentID: tracked.incident.id, now: now))
            results.append(PagerDutyRecording(incidentKey: tracked.incident.key, createdIncident: false, addedEntry: true))
        }
        for (pdID, tracked) in known {
            var incident = tracked.incident
            incident.updatedAt = tracked.original.incident.updatedAt
            let stateChanged = tracked.state != tracked.original.state
            guard incident != tracked.original.incident || stateChanged else { continue }
            let t = incident.times
            try await sql.raw("""
                UPDATE incidents SET title = \(bind: incident.title), severity = \(bind: incident.severity), status = \(bind: incident.status.rawValue),
                  impact_started_at = \(bind: t.impactStartedAt), detected_at = \(bind: t.detectedAt), acknowledged_at = \(bind: t.acknowledgedAt),
                  mitigated_at = \(bind: t.mitigatedAt), resolved_at = \(bind: t.resolvedAt), updated_at = \(bind: now.ms)
                WHERE id = \(bind: incident.id)
                """).run()
            if stateChanged {
                try await sql.raw("""
                    UPDATE pagerduty_incidents SET status_at = \(bind: tracked.state.statusAt), priority_at = \(bind: tracked.state.priorityAt),
                      title_at = \(bind: tracked.state.titleAt) WHERE pagerduty_id = \(bind: pdID)
                    """).run()
            }
            if let url = incident.externalReferences.first?.url, tracked.original.incident.externalReferences.first?.url == nil {
                try await ExternalReferenceRow.query(on: db).filter(\.$incidentID == incident.id).filter(\.$system == PagerDutySync.system)
                    .filter(\.$url == .null).set(\.$url, to: url).update()
            }
        }
        try await TimelineImportSink(store: self).add(entries)
        return results
    }

    /// A PagerDuty incident in hand during a batch: Lore's incident (without
    /// the links the rules do not touch), how far it has been brought up to
    /// date, and both as they were read.
    private struct Tracked {
        var incident: Incident
        var state: PagerDutySyncState
        var hasServices: Bool
        var original: (incident: Incident, state: PagerDutySyncState)
    }

    /// Records everything an export holds, all or nothing: incidents first
    /// (their state as of the export), then log entries in time order.
    public func importPagerDuty(incidents: [PagerDutyIncidentSnapshot], activities: [PagerDutyActivity], now: Date = Date()) async throws -> PagerDutyImportSummary {
        try await transaction { store in
            var summary = PagerDutyImportSummary()
            var created = Set<String>(), touched: [String] = []
            func note(_ r: PagerDutyRecording) {
                if r.createdIncident { created.insert(r.incidentKey) }
                if !touched.contains(r.incidentKey) { touched.append(r.incidentKey) }
            }
            for snap in incidents {
                // A listing's snapshot is the state at its last status change.
                let at = snap.lastStatusChangeAt ?? snap.createdAt ?? now
                let state = PagerDutyActivity(id: "", type: "snapshot", change: .none, occurredAt: at, agent: nil, text: "", kind: .note, link: snap.url, incident: snap)
                note(try await store.applyPagerDutyActivity(state, now: now, addEntry: false))
            }
            for a in activities.sorted(by: { $0.occurredAt < $1.occurredAt }) {
                let r = try await store.applyPagerDutyActivity(a, now: now)
                note(r)
                if r.addedEntry { summary.entriesAdded += 1 } else { summary.entriesAlreadyPresent += 1 }
            }
            summary.incidentsCreated = touched.filter { created.contains($0) }
            summary.incidentsUpdated = touched.filter { !created.contains($0) }
            return summary
        }
    }

    func applyPagerDutyActivity(_ a: PagerDutyActivity, now: Date, addEntry: Bool = true) async throws -> PagerDutyRecording {
        // A time far ahead is a broken clock or a mangled export, not an event.
        if a.occurredAt > now.addingTimeInterval(24 * 3600) {
            throw ValidationError(field: "occurredAt", code: "in_future", message: "PagerDuty \(a.type) \(a.id) is dated \(LoreTime.iso(a.occurredAt)), more than a day ahead of now.")
        }
        try await lockPagerDutyIncident(a.incident.id)
        if addEntry, let existing = try await TimelineEntryRow.query(on: db).filter(\.$source == TimelineSource.pagerduty.rawValue)
            .filter(\.$externalID == a.id).first() {
            let key = try await IncidentRow.find(existing.incidentID, on: db).map { Incident.key(for: $0.number) } ?? ""
            return PagerDutyRecording(incidentKey: key, createdIncident: false, addedEntry: false)
        }
        let settings = try await settings()
        let pdID = a.incident.id
        var createdIncident = false
        let incidentRow: IncidentRow
        if let t = try await PagerDutyIncidentRow.query(on: db).filter(\.$pagerDutyID == pdID).first(), let row = try await IncidentRow.find(t.incidentID, on: db) {
            incidentRow = row
            var incident = try await load(row)
            var state = PagerDutySyncState(statusAt: t.statusAt.ms, priorityAt: t.priorityAt.ms, titleAt: t.titleAt.ms)
            let before = (incident, state)
            PagerDutySync.apply(a, to: &incident, state: &state, settings: settings, now: now)
            if incident.services.isEmpty, let service = try await matchedService(a.incident) {
                try await addService(service.slug, to: row.id!)
            }
            incident.updatedAt = before.0.updatedAt
            if incident != before.0 || state != before.1 {
                incident.updatedAt = now.ms
                write(incident, to: row)
                try await row.update(on: db)
                t.statusAt = state.statusAt
                t.priorityAt = state.priorityAt
                t.titleAt = state.titleAt
                try await t.update(on: db)
                if let ref = incident.externalReferences.first(where: { $0.system == PagerDutySync.system }), let url = ref.url {
                    try await ExternalReferenceRow.query(on: db).filter(\.$incidentID == row.id!).filter(\.$system == PagerDutySync.system)
                        .filter(\.$url == .null).set(\.$url, to: url).update()
                }
            }
        } else if let linked = try await ExternalReferenceRow.query(on: db).filter(\.$system == PagerDutySync.system).filter(\.$externalID == pdID).first() {
            // Someone linked a Lore incident to this PagerDuty incident by hand:
            // follow that one rather than opening another.
            let t = PagerDutyIncidentRow()
            t.pagerDutyID = pdID
            t.incidentID = linked.incidentID
            try await t.create(on: db)
            return try await applyPagerDutyActivity(a, now: now, addEntry: addEntry)
        } else {
            // The first activity seen of this incident — not necessarily its trigger.
            let services = try await matchedService(a.incident).map { [$0.slug] } ?? []
            let (incident, state) = PagerDutySync.newIncident(for: a, number: try await nextIncidentNumber(), services: services, settings: settings, now: now)
            let row = IncidentRow()
            row.id = incident.id
            row.number = incident.number
            row.createdAt = incident.createdAt
            row.customerImpact = ""
            row.labels = []
            write(incident, to: row)
            try await row.create(on: db)
            for slug in services { try await addService(slug, to: row.id!) }
            let ref = ExternalReferenceRow()
            ref.incidentID = row.id!
            ref.system = PagerDutySync.system
            ref.externalID = pdID
            ref.url = a.incident.url
            try await ref.create(on: db)
            let t = PagerDutyIncidentRow()
            t.pagerDutyID = pdID
            t.incidentID = row.id!
            t.statusAt = state.statusAt
            t.priorityAt = state.priorityAt
            t.titleAt = state.titleAt
            try await t.create(on: db)
            incidentRow = row
            createdIncident = true
        }
        let key = Incident.key(for: incidentRow.number)
        guard addEntry else { return PagerDutyRecording(incidentKey: key, createdIncident: createdIncident, addedEntry: false) }
        // Checked for a duplicate above, under the lock: insert directly.
        try await Self.row(a.entry(incidentID: incidentRow.id!, now: now)).create(on: db)
        return PagerDutyRecording(incidentKey: key, createdIncident: createdIncident, addedEntry: true)
    }

    /// On PostgreSQL the transaction takes an advisory lock on the PagerDuty id, so that
    /// servers applying events of one incident take turns — including the
    /// first events of an incident nobody has created yet, where there is no
    /// row to lock.
    private func lockPagerDutyIncident(_ pdID: String) async throws {
        if isPostgres, let sql = db as? any SQLDatabase {
            let key = Int64(bitPattern: ImportIdentity.hash("pagerduty:\(pdID)"))
            _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").all()
        }
    }

    private func matchedService(_ snap: PagerDutyIncidentSnapshot) async throws -> Service? {
        guard snap.serviceID != nil || snap.serviceName != nil else { return nil }
        return PagerDutySync.matchService(id: snap.serviceID, name: snap.serviceName, in: try await services())
    }

    private func addService(_ slug: String, to incidentID: UUID) async throws {
        let s = IncidentServiceRow()
        s.incidentID = incidentID
        s.serviceSlug = slug
        s.position = 0
        try await s.create(on: db)
    }

    private func write(_ incident: Incident, to row: IncidentRow) {
        row.title = incident.title
        row.severity = incident.severity
        row.status = incident.status.rawValue
        row.detectionSource = incident.detectionSource
        row.impactStartedAt = incident.times.impactStartedAt
        row.detectedAt = incident.times.detectedAt
        row.acknowledgedAt = incident.times.acknowledgedAt
        row.mitigatedAt = incident.times.mitigatedAt
        row.resolvedAt = incident.times.resolvedAt
        row.updatedAt = incident.updatedAt
    }
}
