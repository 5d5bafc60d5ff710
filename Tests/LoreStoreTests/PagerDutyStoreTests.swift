import Foundation
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

/// An activity as the PagerDuty readers produce it.
private func activity(
    _ id: String, _ change: PagerDutyActivity.Change, at time: String, pd: String = "Q3B15VLMF3ASBD",
    status: PagerDutyStatus? = nil, priority: String? = nil, title: String? = "Checkout API high latency",
    serviceID: String? = nil, serviceName: String? = nil, createdAt: String? = nil, text: String? = nil
) -> PagerDutyActivity {
    PagerDutyActivity(
        id: id, type: "incident.\(change.rawValue)", change: change, occurredAt: t(time), agent: "Harsh Santwani",
        text: text ?? "\(change.rawValue) at \(time)", kind: .action, link: "https://acme.pagerduty.com/incidents/\(pd)",
        incident: PagerDutyIncidentSnapshot(
            id: pd, number: 7, title: title, url: "https://acme.pagerduty.com/incidents/\(pd)", status: status, urgency: "high",
            priority: priority, serviceID: serviceID, serviceName: serviceName, createdAt: createdAt.map(t)))
}

@Suite("PagerDuty activity in the store")
struct PagerDutyStoreTests {
    @Test(arguments: Backend.available)
    func firstEventCreatesTheIncidentEvenMidLife(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            try await store.updateService(slug: "checkout-api", ServiceInput(name: "Checkout API", owningTeam: "payments", pagedTeams: ["payments"], pagerDutyServiceID: "PSVC001"))
            // The stream starts at an escalation: no trigger was ever delivered.
            let r = try await store.recordPagerDutyActivity(activity(
                "E1", .none, at: "2026-04-01T02:08:04.642Z", status: .triggered, priority: "P1", serviceID: "PSVC001",
                createdAt: "2026-04-01T02:07:58Z"), now: t("2026-04-01T02:08:05Z"))
            #expect(r.createdIncident && r.addedEntry)
            let incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(incident.key == r.incidentKey)
            #expect(incident.title == "Checkout API high latency")
            #expect(incident.severity == "SEV1")
            #expect(incident.status == .open)
            #expect(incident.services == ["checkout-api"])
            #expect(incident.detectionSource == "monitoring alert")
            #expect(incident.times.detectedAt == t("2026-04-01T02:07:58Z"))
            #expect(incident.externalReferences == [ExternalReference(system: "pagerduty", id: "Q3B15VLMF3ASBD", url: "https://acme.pagerduty.com/incidents/Q3B15VLMF3ASBD")])
            let timeline = try await store.timeline(incidentID: incident.id)
            #expect(timeline.count == 1)
            #expect(timeline[0].source == .pagerduty && timeline[0].externalID == "E1" && timeline[0].author == "Harsh Santwani")
            #expect(timeline[0].sourceURL == "https://acme.pagerduty.com/incidents/Q3B15VLMF3ASBD")
        }
    }

    @Test(arguments: Backend.available)
    func repeatedAndLateDeliveriesNeverDuplicateOrUndo(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let trigger = activity("T", .triggered, at: "2026-04-01T02:00:00Z", status: .triggered, priority: "P3")
            let ack = activity("A", .acknowledged, at: "2026-04-01T02:03:00Z", status: .acknowledged)
            let p1 = activity("P", .priorityChanged, at: "2026-04-01T02:05:00Z", status: .acknowledged, priority: "P1")
            let resolve = activity("R", .resolved, at: "2026-04-01T02:40:00Z", status: .resolved)
            // Arrival order: resolved first, the acknowledgement late, the trigger last, every one twice.
            for a in [resolve, p1, ack, resolve, trigger, ack, p1, trigger] {
                try await store.recordPagerDutyActivity(a)
            }
            let incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(incident.status == .resolved, "a late acknowledgement must not reopen it")
            #expect(incident.severity == "SEV1", "the newest priority wins, whatever the arrival order")
            #expect(incident.times.detectedAt == t("2026-04-01T02:00:00Z"))
            #expect(incident.times.acknowledgedAt == t("2026-04-01T02:03:00Z"))
            #expect(incident.times.resolvedAt == t("2026-04-01T02:40:00Z"))
            let timeline = try await store.timeline(incidentID: incident.id)
            #expect(timeline.map(\.externalID) == ["T", "A", "P", "R"])
            #expect(try await store.incidentCount() == 1)
        }
    }

    @Test(arguments: Backend.available)
    func reopeningNewerThanTheResolutionReopens(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            try await store.recordPagerDutyActivity(activity("R1", .resolved, at: "2026-04-01T02:10:00Z", status: .resolved))
            try await store.recordPagerDutyActivity(activity("O", .reopened, at: "2026-04-01T02:15:00Z", status: .triggered))
            var incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(incident.status == .open)
            #expect(incident.times.resolvedAt == nil && incident.times.mitigatedAt == nil)
            try await store.recordPagerDutyActivity(activity("R2", .resolved, at: "2026-04-01T02:52:00Z", status: .resolved))
            // The first resolution arrives again, late: still resolved at the second.
            try await store.recordPagerDutyActivity(activity("R1", .resolved, at: "2026-04-01T02:10:00Z", status: .resolved))
            incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(incident.status == .resolved)
            #expect(incident.times.resolvedAt == t("2026-04-01T02:52:00Z"))
        }
    }

    @Test(arguments: Backend.available)
    func anIncidentLinkedByHandIsFollowed(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let mine = try await store.createIncident(IncidentInput(
                title: "Checkout slow", severity: "SEV2", detectionSource: "customer support",
                externalReferences: [ExternalReference(system: "pagerduty", id: "PQ1K5C8")]))
            let r = try await store.recordPagerDutyActivity(activity("N1", .none, at: "2026-04-01T02:18:59Z", pd: "PQ1K5C8", title: nil, text: "Running KILL on long-running queries"))
            #expect(!r.createdIncident && r.incidentKey == mine.key)
            let after = try #require(try await store.incident(number: mine.number))
            #expect(after.title == "Checkout slow" && after.detectionSource == "customer support")
            #expect(after.externalReferences.first?.url == "https://acme.pagerduty.com/incidents/PQ1K5C8", "the link is filled in")
            #expect(try await store.timeline(incidentID: mine.id).map(\.text) == ["Running KILL on long-running queries"])
            #expect(try await store.incidentCount() == 1)
        }
    }

    @Test(arguments: Backend.available)
    func aBatchGivesWhatOneByOneGives(backend: Backend) async throws {
        let stream = [
            activity("T", .triggered, at: "2026-04-01T02:00:00Z", status: .triggered, priority: "P3", createdAt: "2026-04-01T02:00:00Z"),
            activity("A", .acknowledged, at: "2026-04-01T02:03:00Z", status: .acknowledged),
            activity("N", .none, at: "2026-04-01T02:04:00Z", title: nil, text: "Rolled back the canary"),
            activity("P", .priorityChanged, at: "2026-04-01T02:05:00Z", status: .acknowledged, priority: "P1"),
            activity("R", .resolved, at: "2026-04-01T02:40:00Z", status: .resolved),
            activity("X", .triggered, at: "2026-04-01T03:00:00Z", pd: "POTHER", status: .triggered, priority: "P4"),
        ]
        // Out of order and repeated, within a batch and across batches.
        let deliveries = [stream[4], stream[1], stream[4], stream[5], stream[0]] + [stream[3], stream[2], stream[1], stream[5]]
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let first = try await store.recordPagerDutyActivities(Array(deliveries[0..<5]))
            #expect(first.map(\.addedEntry) == [true, true, false, true, true])
            #expect(first[3].createdIncident && first[0].createdIncident)
            let second = try await store.recordPagerDutyActivities(Array(deliveries[5...]))
            #expect(second.map(\.addedEntry) == [true, true, false, false])
            let batched = try #require(try await store.incident(externalSystem: "pagerduty", id: "Q3B15VLMF3ASBD"))
            #expect(batched.status == .resolved && batched.severity == "SEV1")
            #expect(batched.times.detectedAt == t("2026-04-01T02:00:00Z") && batched.times.acknowledgedAt == t("2026-04-01T02:03:00Z"))
            #expect(batched.times.resolvedAt == t("2026-04-01T02:40:00Z"))
            #expect(try await store.timeline(incidentID: batched.id).map(\.externalID) == ["T", "A", "N", "P", "R"])
            let other = try #require(try await store.incident(externalSystem: "pagerduty", id: "POTHER"))
            #expect(other.severity == "SEV4" && other.status == .open)
            #expect(try await store.incidentCount() == 2)
        }
    }

    @Test(arguments: Backend.available)
    func concurrentDeliveriesOfANewIncidentCreateItOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let events = (0..<24).map { i in activity("C\(i % 12)", .none, at: "2026-04-01T02:\(10 + i % 12):00Z", pd: "PCONC", status: .triggered) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for e in events { group.addTask { try await store.recordPagerDutyActivity(e) } }
                try await group.waitForAll()
            }
            #expect(try await store.incidentCount() == 1)
            let incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "PCONC"))
            #expect(try await store.timeline(incidentID: incident.id).count == 12)
        }
    }

    @Test(arguments: Backend.available)
    func exportImportIsAllOrNothingAndIdempotent(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            _ = try await Fixture.make(store)
            let snapshot = PagerDutyIncidentSnapshot(
                id: "PEXP1", number: 12, title: "Ledger writes failing", url: "https://acme.pagerduty.com/incidents/PEXP1",
                status: .resolved, urgency: "high", priority: nil, serviceID: nil, serviceName: "ledger", createdAt: t("2026-03-01T10:00:00Z"),
                lastStatusChangeAt: t("2026-03-01T11:00:00Z"))
            let entries = [
                activity("L1", .triggered, at: "2026-03-01T10:00:00Z", pd: "PEXP1", title: nil),
                activity("L2", .acknowledged, at: "2026-03-01T10:04:00Z", pd: "PEXP1", title: nil),
                activity("L3", .resolved, at: "2026-03-01T11:00:00Z", pd: "PEXP1", title: nil),
            ]
            let first = try await store.importPagerDuty(incidents: [snapshot], activities: entries)
            #expect(first.incidentsCreated.count == 1 && first.entriesAdded == 3 && first.entriesAlreadyPresent == 0)
            let second = try await store.importPagerDuty(incidents: [snapshot], activities: entries.reversed())
            #expect(second.incidentsCreated.isEmpty && second.entriesAdded == 0 && second.entriesAlreadyPresent == 3)
            let incident = try #require(try await store.incident(externalSystem: "pagerduty", id: "PEXP1"))
            #expect(incident.status == .resolved && incident.services == ["ledger"] && incident.severity == "SEV2")
            #expect(incident.times.acknowledgedAt == t("2026-03-01T10:04:00Z") && incident.times.resolvedAt == t("2026-03-01T11:00:00Z"))

            // A failure part-way leaves nothing: an entry dated years ahead comes
            // after one that already created a new incident.
            let bad = activity("L9", .none, at: "2031-03-02T10:00:00Z", pd: "PEXP2", title: "Another")
            let before = try await store.incidentCount()
            let error = await #expect(throws: ValidationError.self) {
                try await store.importPagerDuty(incidents: [], activities: [activity("L8", .triggered, at: "2026-03-02T09:00:00Z", pd: "PEXP3"), bad], now: t("2026-03-03T00:00:00Z"))
            }
            #expect(error?.issues.first?.message.contains("L9") == true)
            #expect(try await store.incidentCount() == before)
            #expect(try await store.incident(externalSystem: "pagerduty", id: "PEXP3") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func subscriptionsNeedAValidNameAndKeepTheirSecret(backend: Backend) async throws {
        try await withTestDatabase(backend) { _, store in
            let s = try await store.addPagerDutySubscription(name: "Production", secret: nil)
            #expect(s.name == "production" && !s.hasSecret && s.path == "/hooks/pagerduty/production")
            #expect(try await store.pagerDutySigningSecret(subscription: "production") == nil)
            try await store.setPagerDutySecret(name: "production", secret: "ZQkz+secret/v1")
            #expect(try await store.pagerDutySigningSecret(subscription: "PRODUCTION") == "ZQkz+secret/v1")
            await #expect(throws: ValidationError.self) { try await store.addPagerDutySubscription(name: "no spaces please", secret: nil) }
            await #expect(throws: StoreError.self) { try await store.addPagerDutySubscription(name: "production", secret: nil) }
            #expect(try await store.removePagerDutySubscription(name: "production"))
            #expect(try await store.pagerDutySubscriptions().isEmpty)
        }
    }
}
