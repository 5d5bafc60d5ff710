import Foundation
import Testing
@testable import LoreImport
import LoreCore

// MARK: - Helpers

private let pagerDutyFixtures: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/pagerduty")

private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: pagerDutyFixtures.appendingPathComponent(name))
}

/// A time written the way the fixtures write it, read by Foundation (not by
/// the code under test), at Lore's millisecond precision.
private func utc(_ text: String) -> Date {
    LoreTime.milliseconds(LoreTime.parseISO(text)!)
}

private func webhook(_ json: String) throws -> PagerDutyActivity {
    try PagerDutyWebhookEvent.parse(Data(json.utf8))
}

/// The error a webhook body is rejected with; records an issue if it is accepted.
private func webhookError(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> PagerDutyPayloadError? {
    do {
        let activity = try PagerDutyWebhookEvent.parse(Data(json.utf8))
        Issue.record("expected the body to be rejected, got \(activity)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.fileName == nil, sourceLocation: sourceLocation)
        return error
    }
}

private func exportError(_ json: String, fileName: String = "export.json", sourceLocation: SourceLocation = #_sourceLocation) -> PagerDutyPayloadError? {
    do {
        let contents = try PagerDutyExport.parse(Data(json.utf8), fileName: fileName)
        Issue.record("expected the file to be rejected, got \(contents)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.fileName == fileName, sourceLocation: sourceLocation)
        return error
    }
}

/// A minimal valid webhook body around `data`.
private func body(type: String = "incident.acknowledged", occurredAt: String = "\"2026-04-01T02:18:59.674Z\"", id: String = "\"EV1\"",
                  agent: String = "null", client: String = "null", data: String = #"{"id": "PINC1", "type": "incident"}"#) -> String {
    """
    {"event": {"id": \(id), "event_type": "\(type)", "resource_type": "incident", "occurred_at": \(occurredAt),
     "agent": \(agent), "client": \(client), "data": \(data)}}
    """
}

private let streamFiles = [
    "escalate_v3.json", "delegated_v3.json", "priority_updated_v3.json", "status_updated_v3.json", "annotated_v3.json",
    "responder_added.json", "conference_bridge_updated_v3.json", "responder_replied_v3.json",
    "workflow_started_v3.json", "workflow_completed_v3.json",
]

// MARK: - Webhook events: the captured fixtures

@Suite struct PagerDutyWebhookFixtureTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var id: String
        var type: String
        var change: PagerDutyActivity.Change
        var kind: TimelineKind
        var agent: String?
        var at: String
        var incident: String
        var text: String
        var testDescription: String { file }
    }

    static let harsh = "Harsh Santwani"
    static let pig = "PIG 208"
    static let q3 = "Q3B15VLMF3ASBD"

    static let expected: [Expected] = [
        .init(file: "acknowledged_v3.json", id: "01BZYK8N47N5JG55J1EEEHPEJI", type: "incident.acknowledged", change: .acknowledged,
              kind: .action, agent: pig, at: "2021-06-04T13:55:30.394Z", incident: "PQ1K5C8", text: "Acknowledged by PIG 208"),
        .init(file: "annotated_v3.json", id: "01GI0KTE33V5QXBVIJDEVJFUNE", type: "incident.annotated", change: .none,
              kind: .note, agent: harsh, at: "2026-04-01T02:18:59.674Z", incident: q3,
              text: "Running KILL on long-running queries from the reporting-service."),
        .init(file: "conference_bridge_updated_v3.json", id: "01GI0KX5GCRKLDQFLNMGZ30JV2", type: "incident.conference_bridge.updated",
              change: .none, kind: .communication, agent: harsh, at: "2026-04-01T02:20:15.274Z", incident: q3,
              text: "Conference bridge: https://example.com/123-456-789"),
        .init(file: "delegated_v3.json", id: "01GI0KCK1VJGU2A90B814E1RF0", type: "incident.delegated", change: .reassigned,
              kind: .action, agent: harsh, at: "2026-04-01T02:13:20.295Z", incident: q3,
              text: "Delegated to escalation policy APIs-ep, assigned to Harsh Santwani"),
        .init(file: "escalate_v3.json", id: "01GI0JWUU28G8XE5M6IIT4BZ39", type: "incident.escalated", change: .none,
              kind: .action, agent: harsh, at: "2026-04-01T02:08:04.642Z", incident: q3,
              text: "Escalated to Harsh Santwani (escalation policy Default)"),
        .init(file: "priority_updated_v3.json", id: "01GI0KJAEAC3CFEOFSC8BIJF3O", type: "incident.priority_updated",
              change: .priorityChanged, kind: .decision, agent: harsh, at: "2026-04-01T02:15:36.315Z", incident: q3,
              text: "Priority changed to P2"),
        .init(file: "reassigned_v3.json", id: "01BZY282OVDQMFPDC3VB98DR1L", type: "incident.reassigned", change: .reassigned,
              kind: .action, agent: pig, at: "2021-06-04T10:17:54.838Z", incident: "PIQUG8X", text: "Reassigned to Test User"),
        .init(file: "reopened_v3.json", id: "01GI0KHLHVH4YZ44BJY1VLT6F2", type: "incident.reopened", change: .reopened,
              kind: .action, agent: harsh, at: "2026-04-01T02:15:02.274Z", incident: "Q05XJA8GDXGOB3", text: "Reopened by Harsh Santwani"),
        .init(file: "resolved_v3.json", id: "01BZYH1JJY09P9LEIST8HG2PMN", type: "incident.resolved", change: .resolved,
              kind: .action, agent: pig, at: "2021-06-04T13:16:53.816Z", incident: "PCPZE64", text: "Resolved by PIG 208"),
        .init(file: "responder_added.json", id: "01GI0KX4BFZXPEDNCS4USCAH22", type: "incident.responder.added", change: .none,
              kind: .communication, agent: harsh, at: "2026-04-01T02:20:14.737Z", incident: q3,
              text: "Harsh Santwani was asked to respond: Please help with \"Critical: Checkout API High Latency\""),
        .init(file: "responder_replied_v3.json", id: "01GI0L22UIJYVH9Y2II3TNPVER", type: "incident.responder.replied", change: .none,
              kind: .communication, agent: harsh, at: "2026-04-01T02:21:54.532Z", incident: q3, text: "Harsh Santwani replied: accepted"),
        .init(file: "status_updated_v3.json", id: "01GI0KPHX6I892N2PFKDLH25XK", type: "incident.status_update_published", change: .none,
              kind: .communication, agent: harsh, at: "2026-04-01T02:17:41.211Z", incident: q3,
              text: "Status update: Investigating a P1 incident with the Checkout API in us-east-1. Customers may see 504 errors or delays during purchase. We've identified a database lock and are working on a fix. Expected remediation within 30 minutes; next update at 08:15 UTC."),
        .init(file: "triggered_v3.json", id: "01BZYIL05THJDFF2Y08X9SVMTU", type: "incident.triggered", change: .triggered,
              kind: .alert, agent: pig, at: "2021-06-04T13:35:29.781Z", incident: "PFQZPSY",
              text: "Triggered: Test Incident 3 on pig208 (high urgency)"),
        .init(file: "workflow_completed_v3.json", id: "32743191412443541367815146404898342710", type: "incident.workflow.completed",
              change: .none, kind: .action, agent: nil, at: "2026-04-01T02:52:43.174Z", incident: q3,
              text: "Workflow \"Incident WorkFlow\" completed: Manually Started"),
        .init(file: "workflow_started_v3.json", id: "32743190385439511823355034091750713370", type: "incident.workflow.started",
              change: .none, kind: .action, agent: harsh, at: "2026-04-01T02:51:47.500Z", incident: q3,
              text: "Workflow \"Incident WorkFlow\" started: Manually Started"),
    ]

    @Test func everyFixtureIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: pagerDutyFixtures.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(Self.expected.map(\.file)))
        #expect(files.count == 15)
    }

    @Test(arguments: expected) func fixtureParses(_ e: Expected) throws {
        let a = try PagerDutyWebhookEvent.parse(try fixture(e.file))
        #expect(a.id == e.id)
        #expect(a.type == e.type)
        #expect(a.change == e.change)
        #expect(a.kind == e.kind)
        #expect(a.agent == e.agent)
        #expect(a.occurredAt == utc(e.at))
        #expect(a.incident.id == e.incident)
        #expect(a.text == e.text)
        #expect(a.link == "https://\(e.incident.hasPrefix("Q") ? "harsh0303" : "pig208").pagerduty.com/incidents/\(e.incident)")
        #expect(a.link == a.incident.url)
    }

    @Test func timesAreExactToTheMillisecond() throws {
        let ack = try PagerDutyWebhookEvent.parse(try fixture("acknowledged_v3.json"))
        #expect(ack.occurredAt.timeIntervalSince1970 == 1_622_814_930.394)
        let note = try PagerDutyWebhookEvent.parse(try fixture("annotated_v3.json"))
        #expect(note.occurredAt.timeIntervalSince1970 == 1_775_009_939.674)
        let escalated = try PagerDutyWebhookEvent.parse(try fixture("escalate_v3.json"))
        #expect(escalated.incident.createdAt?.timeIntervalSince1970 == 1_775_009_250)
    }

    @Test func annotatedGivesTheNoteItself() throws {
        let a = try PagerDutyWebhookEvent.parse(try fixture("annotated_v3.json"))
        #expect(a.text == "Running KILL on long-running queries from the reporting-service.")
        #expect(a.kind == .note)
        #expect(a.change == .none)
        // A note names its incident and nothing else.
        #expect(a.incident == PagerDutyIncidentSnapshot(
            id: "Q3B15VLMF3ASBD", title: "Critical: Checkout API High Latency",
            url: "https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD"
        ))
    }

    @Test func incidentTypedDataGivesAFullSnapshot() throws {
        let t = try PagerDutyWebhookEvent.parse(try fixture("triggered_v3.json"))
        #expect(t.incident == PagerDutyIncidentSnapshot(
            id: "PFQZPSY", number: 9, title: "Test Incident 3", url: "https://pig208.pagerduty.com/incidents/PFQZPSY",
            status: .triggered, urgency: "high", priority: nil, serviceID: "PA2P440", serviceName: "pig208",
            createdAt: nil, assignees: ["PIG 208"]
        ))
        let r = try PagerDutyWebhookEvent.parse(try fixture("resolved_v3.json"))
        #expect(r.incident.status == .resolved)
        #expect(r.incident.assignees == [])  // resolved: nobody assigned, which is news, not absence
        let reopened = try PagerDutyWebhookEvent.parse(try fixture("reopened_v3.json"))
        #expect(reopened.incident.priority == "P3")
        #expect(reopened.incident.urgency == "low")
        #expect(reopened.incident.createdAt == utc("2026-03-30T13:37:07Z"))
    }

    @Test func theQ3StreamAgreesOnItsIncident() throws {
        let activities = try streamFiles.map { try PagerDutyWebhookEvent.parse(try fixture($0)) }
        #expect(activities.count == 10)
        #expect(Set(activities.map(\.id)).count == 10)
        for a in activities {
            #expect(a.incident.id == "Q3B15VLMF3ASBD", "\(a.type)")
            #expect(a.incident.url == "https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD", "\(a.type)")
            #expect(a.incident.title == "Critical: Checkout API High Latency", "\(a.type)")
        }
        // The stream starts mid-incident: no trigger, the first event is the escalation.
        let ordered = activities.sorted { $0.occurredAt < $1.occurredAt }
        #expect(!activities.contains { $0.change == .triggered })
        #expect(ordered.first?.type == "incident.escalated")
        #expect(ordered.last?.type == "incident.workflow.completed")
        // Full snapshots agree with each other; references leave the rest nil.
        let full = activities.filter { $0.incident.number != nil }
        #expect(Set(full.map(\.type)) == ["incident.escalated", "incident.delegated", "incident.priority_updated"])
        for a in full {
            #expect(a.incident.number == 5)
            #expect(a.incident.createdAt == utc("2026-04-01T02:07:30Z"))
            #expect(a.incident.serviceID == "PLVTM9H")
            #expect(a.incident.status == .triggered)
        }
        #expect(full.map(\.incident.priority).sorted { ($0 ?? "") < ($1 ?? "") } == ["P1", "P1", "P2"])
        for a in activities where a.incident.number == nil {
            #expect(a.incident.status == nil && a.incident.serviceID == nil && a.incident.assignees == nil, "\(a.type)")
        }
    }

    @Test func activityBecomesATimelineEntry() throws {
        let a = try PagerDutyWebhookEvent.parse(try fixture("workflow_completed_v3.json"))
        let incidentID = UUID()
        let entry = a.entry(incidentID: incidentID, now: utc("2026-04-01T03:00:00Z"))
        #expect(entry.author == "PagerDuty")  // no agent, no client
        #expect(entry.source == .pagerduty)
        #expect(entry.externalID == "32743191412443541367815146404898342710")
        #expect(entry.sourceURL == "https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD")
        #expect(entry.occurredAt == utc("2026-04-01T02:52:43.174Z"))
    }
}

// MARK: - Webhook events: other shapes

@Suite struct PagerDutyWebhookShapeTests {
    @Test func unknownEventTypeBecomesAGenericNote() throws {
        let a = try webhook(body(
            type: "incident.custom_field_values.updated",
            data: #"{"type": "incident_field_values", "incident": {"id": "PINC9", "type": "incident_reference", "summary": "Disk full", "html_url": "https://x.pagerduty.com/incidents/PINC9"}, "summary": "Customer impact set to high", "custom_fields": [{"name": "impact", "value": 3}]}"#
        ))
        #expect(a.change == .none)
        #expect(a.kind == .note)
        #expect(a.text == "PagerDuty event incident.custom_field_values.updated: Customer impact set to high")
        #expect(a.incident.id == "PINC9")
        #expect(a.incident.title == "Disk full")

        // Without any summary, the incident's title.
        let b = try webhook(body(type: "incident.something_new", data: #"{"type": "incident", "id": "PINC2", "title": "Queue backlog"}"#))
        #expect(b.text == "PagerDuty event incident.something_new: Queue backlog")
        // An unknown member of an odd shape is not a reason to refuse the event.
        let c = try webhook(body(type: "incident.something_new", data: #"{"type": "weird", "incident": {"id": "P3"}, "summary": 42}"#))
        #expect(c.text == "PagerDuty event incident.something_new")
    }

    @Test func nonIncidentEventsAreIgnorable() throws {
        let serviceUpdated = """
        {"event": {"id": "01BRB6ZP4M6T8ZG4X6BP63ZB9O", "event_type": "service.updated", "resource_type": "service",
         "occurred_at": "2021-03-02T13:35:11.682Z", "agent": null, "client": null,
         "data": {"id": "PF9KMXH", "summary": "testing service updates", "type": "service", "teams": []}}}
        """
        let e = try #require(webhookError(serviceUpdated))
        #expect(e.reason == .notAnIncidentEvent)
        #expect(e.isIgnorable)
        #expect(e.eventType == "service.updated")
        #expect(e.path == "event.event_type")
        #expect(try PagerDutyWebhookEvent.parseIfAboutIncident(Data(serviceUpdated.utf8)) == nil)

        // The subscription's ping: no resource type, no id needed.
        let ping = #"{"event": {"event_type": "pagey.ping", "resource_type": "pagey", "occurred_at": "2026-04-01T02:00:00Z", "agent": null, "client": null, "data": {"message": "Hello from your friend Pagey!", "type": "ping"}}}"#
        #expect(webhookError(ping)?.reason == .notAnIncidentEvent)
        #expect(try PagerDutyWebhookEvent.parseIfAboutIncident(Data(ping.utf8)) == nil)

        // An incident event through parseIfAboutIncident is returned; real errors still throw.
        #expect(try PagerDutyWebhookEvent.parseIfAboutIncident(try fixture("triggered_v3.json"))?.change == .triggered)
        #expect(throws: PagerDutyPayloadError.self) { try PagerDutyWebhookEvent.parseIfAboutIncident(Data("{}".utf8)) }
    }

    @Test func agentFallsBackToTheClient() throws {
        #expect(try webhook(body(client: #"{"name": "Datadog"}"#)).agent == "Datadog")
        #expect(try webhook(body(client: #""Slack""#)).agent == "Slack")
        #expect(try webhook(body(agent: #"{"summary": "Priya", "type": "user_reference"}"#, client: #"{"name": "Datadog"}"#)).agent == "Priya")
        #expect(try webhook(body()).agent == nil)
        #expect(try webhook(body()).text == "Acknowledged")
    }

    @Test func resolveReasonPriorityAndAssignees() throws {
        let merged = try webhook(body(type: "incident.resolved", data: #"""
            {"id": "P1", "type": "incident", "status": "resolved", "assignees": [],
             "resolve_reason": {"type": "merge_resolve_reason", "incident": {"id": "P2", "type": "incident_reference", "summary": "DB down"}}}
            """#))
        #expect(merged.text == "Resolved (merged into DB down)")
        #expect(merged.change == .resolved)

        let noPriority = try webhook(body(type: "incident.priority_updated", data: #"{"id": "P1", "type": "incident", "priority": null}"#))
        #expect(noPriority.text == "Priority removed")
        #expect(noPriority.incident.priority == nil)

        let unassigned = try webhook(body(type: "incident.reassigned", data: #"{"id": "P1", "type": "incident", "assignees": []}"#))
        #expect(unassigned.text == "Reassigned; no one is assigned now")
        let two = try webhook(body(type: "incident.reassigned", data: #"{"id": "P1", "type": "incident", "assignees": [{"summary": "A"}, {"summary": "B"}]}"#))
        #expect(two.text == "Reassigned to A, B")
        #expect(two.incident.assignees == ["A", "B"])

        let unacked = try webhook(body(type: "incident.unacknowledged", data: #"{"id": "P1", "type": "incident", "status": "triggered"}"#))
        #expect(unacked.kind == .alert)
        #expect(unacked.change == .none)
        #expect(unacked.incident.status == .triggered)
    }

    @Test func conferenceBridgeNumbers() throws {
        let a = try webhook(body(type: "incident.conference_bridge.updated", data: #"""
            {"type": "incident_conference_bridge", "incident": {"id": "P1"}, "conference_url": null,
             "conference_numbers": [{"label": "US", "number": "+1 555 0100,,123#"}, "+49 30 1234"]}
            """#))
        #expect(a.text == "Conference bridge: +1 555 0100,,123# (US), +49 30 1234")
        let removed = try webhook(body(type: "incident.conference_bridge.updated", data: #"{"type": "incident_conference_bridge", "incident": {"id": "P1"}, "conference_url": null, "conference_numbers": null}"#))
        #expect(removed.text == "Conference bridge removed")
    }

    @Test func stringEscapesAreDecoded() throws {
        let a = try webhook(body(type: "incident.annotated", data: #"""
            {"type": "incident_note", "incident": {"id": "P1"}, "content": "Caf\u00e9 \ud83d\udd25 \"quoted\"\nline two\\done"}
            """#))
        #expect(a.text == "Café 🔥 \"quoted\"\nline two\\done")
    }

    @Test func timesWithOffsetsAndFractions() throws {
        let cases: [(String, String)] = [
            ("2026-04-01T04:18:59.674+02:00", "2026-04-01T02:18:59.674Z"),
            ("2026-04-01T02:18:59Z", "2026-04-01T02:18:59.000Z"),
            ("2026-03-31T21:18:59.6745-05:00", "2026-04-01T02:18:59.675Z"),  // rounded to the millisecond
            ("2026-04-01T02:18:59.1234567Z", "2026-04-01T02:18:59.123Z"),
            ("2024-02-29T23:59:59.999+0000", "2024-02-29T23:59:59.999Z"),
        ]
        for (given, expected) in cases {
            let a = try webhook(body(occurredAt: "\"\(given)\""))
            #expect(a.occurredAt == utc(expected), "\(given)")
        }
        #expect(PagerDutyTime.display(utc("2026-03-10T15:43:00Z")) == "2026-03-10 15:43 UTC")
        #expect(PagerDutyTime.display(utc("1969-12-31T23:59:00Z")) == "1969-12-31 23:59 UTC")
    }
}

// MARK: - Webhook events: rejected bodies

@Suite struct PagerDutyWebhookErrorTests {
    @Test func invalidJSONSaysWhere() throws {
        let e = try #require(webhookError("{\"event\": {\n  \"id\": \"EV1\",\n  \"event_type\" \"incident.acknowledged\"\n}}"))
        #expect(e.reason == .invalidJSON)
        #expect(e.line == 3)
        #expect(e.column == 16)
        #expect(e.message == "not valid JSON: unexpected '\"'; expected ':' after the member name")
        #expect(e.description == "line 3, column 16: not valid JSON: unexpected '\"'; expected ':' after the member name")

        #expect(webhookError("")?.message == "not valid JSON: the document is empty")
        #expect(webhookError(#"{"event": {"id": "E1""#)?.message == "not valid JSON: the document ends early; expected ',' or '}'")
        #expect(webhookError(#"{"event": "a\u12"}"#)?.reason == .invalidJSON)
        #expect(webhookError(#"{"event": {}} x"#)?.message == "not valid JSON: unexpected 'x' after the end of the JSON value")
        #expect(webhookError("{\"event\": \"tab\there\"}")?.reason == .invalidJSON)
        #expect(webhookError(#"{"event": [1, 2,]}"#)?.reason == .invalidJSON)
        #expect(webhookError(#"{"event": 01}"#)?.reason == .invalidJSON)
        #expect(webhookError(String(repeating: "[", count: 300) + String(repeating: "]", count: 300))?.message
            == "not valid JSON: nested more than 256 levels deep")
        // Multi-byte characters count as one column.
        #expect(webhookError("{\"é\": x}")?.column == 7)
    }

    @Test func missingEvent() throws {
        let e = try #require(webhookError(#"{"events": []}"#))
        #expect(e.reason == .unexpectedContent)
        #expect(e.path == "event")
        #expect(e.message.hasPrefix("missing; expected the webhook's event object"))
        #expect(webhookError("[]")?.message == #"expected a PagerDuty v3 webhook body, {"event": {...}}, found an array"#)
        #expect(webhookError(#"{"event": "hello"}"#)?.description == #"event: expected an object, found "hello""#)
    }

    @Test func missingOrBlankID() throws {
        let missing = try #require(webhookError(#"{"event": {"event_type": "incident.acknowledged", "occurred_at": "2026-04-01T02:18:59Z", "data": {"id": "P1", "type": "incident"}}}"#))
        #expect(missing.path == "event.id")
        #expect(missing.description == "event.id: missing; expected the event's id as text")
        #expect(missing.eventType == "incident.acknowledged")

        #expect(webhookError(body(id: "\"  \""))?.description == "event.id: blank; expected the event's id as text")
        #expect(webhookError(body(id: "null"))?.path == "event.id")
        #expect(webhookError(body(id: "42"))?.description == "event.id: expected text, found the number 42")
    }

    @Test func badTime() throws {
        let e = try #require(webhookError(body(occurredAt: "\"yesterday\"")))
        #expect(e.path == "event.occurred_at")
        #expect(e.description == #"event.occurred_at: expected a date and time such as "2026-04-01T02:18:59.674Z", found "yesterday""#)
        for bad in ["\"2026-02-30T10:00:00Z\"", "\"2026-04-01T24:00:00Z\"", "\"2026-04-01T02:18:59\"", "\"2026-04-01\"",
                    "\"2026-04-01T02:18:59.Z\"", "1775009939", "{}"] {
            #expect(webhookError(body(occurredAt: bad))?.path == "event.occurred_at", "\(bad)")
        }
        #expect(webhookError(body(occurredAt: "null"))?.message.hasPrefix("missing; expected when the event happened") == true)
    }

    @Test func noIncidentAnywhere() throws {
        let note = try #require(webhookError(body(type: "incident.annotated", data: #"{"type": "incident_note", "id": "N1", "content": "hi"}"#)))
        #expect(note.path == "event.data.incident")
        #expect(note.message == "missing; expected a reference to the incident this incident_note is about, with its id")

        let reference = try #require(webhookError(body(type: "incident.annotated", data: #"{"type": "incident_note", "incident": {"summary": "x"}}"#)))
        #expect(reference.description == "event.data.incident.id: missing; expected the incident's id")

        #expect(webhookError(body(data: #"{"type": "incident", "id": ""}"#))?.description == "event.data.id: blank; expected the incident's id")
        #expect(webhookError(body(data: "null"))?.path == "event.data")
    }

    @Test func wrongTypesNameThePath() throws {
        #expect(webhookError(body(data: #"{"type": "incident", "id": "P1", "number": "five"}"#))?.description
            == #"event.data.number: expected a whole number, found "five""#)
        #expect(webhookError(body(data: #"{"type": "incident", "id": "P1", "assignees": [{"summary": "A"}, "B"]}"#))?.description
            == #"event.data.assignees[1]: expected an object with a "summary", found "B""#)
        #expect(webhookError(body(data: #"{"type": "incident", "id": "P1", "service": {"id": 7}}"#))?.path == "event.data.service.id")
        #expect(webhookError(body(data: #"{"type": "incident", "id": "P1", "priority": "P1"}"#))?.description
            == #"event.data.priority: expected an object, found "P1""#)
        #expect(webhookError(body(agent: #"["x"]"#))?.path == "event.agent")
        #expect(webhookError(#"{"event": {"event_type": 3}}"#)?.path == "event.event_type")
    }
}

// MARK: - REST exports

@Suite struct PagerDutyExportTests {
    static let incidentURL = "https://acme-shop.pagerduty.com/incidents/PR7XK2M"

    @Test func singleIncident() throws {
        let c = try PagerDutyExport.parse(try fixture("rest/incident_PR7XK2M.json"), fileName: "incident_PR7XK2M.json")
        #expect(c.pages == [.init(document: .incident, fileName: "incident_PR7XK2M.json", count: 1)])
        #expect(c.activities.isEmpty)
        #expect(c.incidents == [PagerDutyIncidentSnapshot(
            id: "PR7XK2M", number: 1042, title: "Checkout API: 5xx rate above 5%", url: Self.incidentURL,
            status: .resolved, urgency: "high", priority: "P1", serviceID: "PSC7K1A", serviceName: "checkout-api",
            createdAt: utc("2026-03-10T14:02:11Z"), assignees: [], lastStatusChangeAt: utc("2026-03-10T15:31:02Z")
        )])
        #expect(c.incidents[0].createdAt?.timeIntervalSince1970 == 1_773_151_331)
    }

    @Test func listingOverTwoPages() throws {
        let one = try PagerDutyExport.parse(try fixture("rest/incidents_page1.json"), fileName: "incidents_page1.json")
        let two = try PagerDutyExport.parse(try fixture("rest/incidents_page2.json"), fileName: "incidents_page2.json")
        #expect(one.pages == [.init(document: .incidentList, fileName: "incidents_page1.json", count: 2, offset: 0, limit: 2, more: true, total: nil)])
        #expect(two.pages == [.init(document: .incidentList, fileName: "incidents_page2.json", count: 1, offset: 2, limit: 2, more: false, total: nil)])
        #expect(one.incidents.map(\.id) == ["PR7XK2M", "P0FQ3ZB"])
        #expect(two.incidents.map(\.id) == ["PN4W8CE"])
        // Alone, the first page says the export is incomplete; with the second, it is not.
        #expect(one.pagesWithMissingNext == one.pages)
        #expect(two.pagesWithMissingNext.isEmpty)
        let both = PagerDutyExportContents.merged([two, one])
        #expect(both.pagesWithMissingNext.isEmpty)
        #expect(both.pages.map(\.fileName) == ["incidents_page2.json", "incidents_page1.json"])
        #expect(both.incidents.map(\.id) == ["PN4W8CE", "PR7XK2M", "P0FQ3ZB"])

        let acked = one.incidents[1]
        #expect(acked == PagerDutyIncidentSnapshot(
            id: "P0FQ3ZB", number: 1043, title: "payments-db: replication lag above 30 s",
            url: "https://acme-shop.pagerduty.com/incidents/P0FQ3ZB", status: .acknowledged, urgency: "high", priority: "P2",
            serviceID: "PDB7Q1N", serviceName: "payments-db", createdAt: utc("2026-03-10T14:05:48Z"), assignees: ["Tom Becker"],
            lastStatusChangeAt: utc("2026-03-10T14:07:15Z")
        ))
        let triggered = two.incidents[0]
        #expect(triggered.priority == nil)
        #expect(triggered.urgency == "low")
        #expect(triggered.status == .triggered)
        #expect(triggered.assignees == ["Alex Kim"])
        // The same incident in the listing and in GET /incidents/{id}.
        let single = try PagerDutyExport.parse(try fixture("rest/incident_PR7XK2M.json"), fileName: "i.json")
        #expect(one.incidents[0] == single.incidents[0])
    }

    @Test func concatenatedPagesInOneArray() throws {
        let one = try String(decoding: fixture("rest/incidents_page1.json"), as: UTF8.self)
        let two = try String(decoding: fixture("rest/incidents_page2.json"), as: UTF8.self)
        let c = try PagerDutyExport.parse(Data("[\(one),\(two)]".utf8), fileName: "all.json")
        #expect(c.incidents.map(\.id) == ["PR7XK2M", "P0FQ3ZB", "PN4W8CE"])
        #expect(c.pages.map(\.path) == ["[0]", "[1]"])
        #expect(c.pages.map(\.offset) == [0, 2])
        #expect(c.pagesWithMissingNext.isEmpty)

        // Bare incidents and log entries in an array are read too.
        let bare = """
        [{"id": "PX1", "type": "incident", "incident_number": 7, "title": "Bare"},
         {"id": "L1", "type": "annotate_log_entry", "created_at": "2026-03-10T14:06:02Z", "channel": {"type": "note", "summary": "a note"}, "incident": {"id": "PX1", "type": "incident_reference", "summary": "[#7] Bare"}}]
        """
        let b = try PagerDutyExport.parse(Data(bare.utf8), fileName: "bare.json")
        #expect(b.incidents.map(\.title) == ["Bare"])
        #expect(b.activities.map(\.text) == ["a note"])
        #expect(b.pages.map(\.document) == [.incident, .logEntry])
        #expect(try PagerDutyExport.parse(Data("[]".utf8), fileName: "empty.json") == PagerDutyExportContents())
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var id: String
        var type: String
        var change: PagerDutyActivity.Change
        var kind: TimelineKind
        var agent: String?
        var at: String
        var text: String
        var testDescription: String { type }
    }

    /// The log entries fixture, oldest first.
    static let rows: [Row] = [
        .init(id: "R1TRG0PR7XK2M0001", type: "trigger_log_entry", change: .triggered, kind: .alert, agent: "checkout-api",
              at: "2026-03-10T14:02:11Z", text: "Triggered: Checkout API: 5xx rate above 5% on checkout-api"),
        .init(id: "R2ASG0PR7XK2M0002", type: "assign_log_entry", change: .reassigned, kind: .action, agent: "Checkout on-call",
              at: "2026-03-10T14:02:12Z", text: "Assigned to Priya Raman"),
        .init(id: "R3NTF0PR7XK2M0003", type: "notify_log_entry", change: .none, kind: .communication, agent: nil,
              at: "2026-03-10T14:02:13Z", text: "Notified Priya Raman by push notification"),
        .init(id: "R4NTF0PR7XK2M0004", type: "notify_log_entry", change: .none, kind: .communication, agent: nil,
              at: "2026-03-10T14:02:14Z", text: "Notified Priya Raman by SMS"),
        .init(id: "R5ACK0PR7XK2M0005", type: "acknowledge_log_entry", change: .acknowledged, kind: .action, agent: "Priya Raman",
              at: "2026-03-10T14:04:40.212Z", text: "Acknowledged by Priya Raman"),
        .init(id: "R6ANN0PR7XK2M0006", type: "annotate_log_entry", change: .none, kind: .note, agent: "Priya Raman",
              at: "2026-03-10T14:06:02.847Z",
              text: "Error rate started right after the 13:58 deploy of checkout-api v2.14.3 (connection pool 20 -> 50). Rolling back to v2.14.2."),
        .init(id: "R7PRI0PR7XK2M0007", type: "priority_change_log_entry", change: .priorityChanged, kind: .decision, agent: "Priya Raman",
              at: "2026-03-10T14:09:30Z", text: "Priority changed from P3 to P1."),
        .init(id: "R8DLG0PR7XK2M0008", type: "delegate_log_entry", change: .reassigned, kind: .action, agent: "Priya Raman",
              at: "2026-03-10T14:10:05Z", text: "Delegated to Tom Becker"),
        .init(id: "R9NTF0PR7XK2M0009", type: "notify_log_entry", change: .none, kind: .communication, agent: nil,
              at: "2026-03-10T14:10:06Z", text: "Notified Tom Becker by phone"),
        .init(id: "RAESC0PR7XK2M0010", type: "escalate_log_entry", change: .none, kind: .action, agent: "Payments on-call",
              at: "2026-03-10T14:40:06Z", text: "Escalated to Alex Kim"),
        .init(id: "RBNTF0PR7XK2M0011", type: "notify_log_entry", change: .none, kind: .communication, agent: nil,
              at: "2026-03-10T14:40:07Z", text: "Notified Alex Kim by SMS"),
        .init(id: "RCACK0PR7XK2M0012", type: "acknowledge_log_entry", change: .acknowledged, kind: .action, agent: "Alex Kim",
              at: "2026-03-10T14:41:30Z", text: "Acknowledged by Alex Kim"),
        .init(id: "RDSNZ0PR7XK2M0013", type: "snooze_log_entry", change: .none, kind: .action, agent: "Alex Kim",
              at: "2026-03-10T14:43:00Z", text: "Snoozed by Alex Kim until 2026-03-10 15:43 UTC"),
        .init(id: "RECFV0PR7XK2M0014", type: "custom_field_value_change_log_entry", change: .none, kind: .note, agent: "Alex Kim",
              at: "2026-03-10T14:50:19Z", text: "Custom field Customer impact changed to \"About 8% of checkouts failing\"."),
        .init(id: "RFRES0PR7XK2M0015", type: "resolve_log_entry", change: .resolved, kind: .action, agent: "Alex Kim",
              at: "2026-03-10T15:12:45Z", text: "Resolved by Alex Kim"),
        .init(id: "RGREO0PR7XK2M0016", type: "reopen_log_entry", change: .reopened, kind: .action, agent: "Priya Raman",
              at: "2026-03-10T15:20:30Z", text: "Reopened by Priya Raman"),
        .init(id: "RHRES0PR7XK2M0017", type: "resolve_log_entry", change: .resolved, kind: .action, agent: "Priya Raman",
              at: "2026-03-10T15:31:02Z", text: "Resolved by Priya Raman"),
    ]

    @Test func logEntriesMapping() throws {
        let c = try PagerDutyExport.parse(try fixture("rest/log_entries_PR7XK2M.json"), fileName: "log_entries_PR7XK2M.json")
        #expect(c.incidents.isEmpty)
        #expect(c.pages == [.init(document: .logEntryList, fileName: "log_entries_PR7XK2M.json", count: 17, offset: 0, limit: 100, more: false, incidentID: "PR7XK2M")])
        // File order is kept (this export is newest first).
        #expect(c.activities.map(\.id) == Self.rows.reversed().map(\.id))
        let byID = Dictionary(uniqueKeysWithValues: c.activities.map { ($0.id, $0) })
        for row in Self.rows {
            let a = try #require(byID[row.id])
            #expect(a.type == row.type, "\(row.id)")
            #expect(a.change == row.change, "\(row.type)")
            #expect(a.kind == row.kind, "\(row.type)")
            #expect(a.agent == row.agent, "\(row.type)")
            #expect(a.occurredAt == utc(row.at), "\(row.type)")
            #expect(a.text == row.text, "\(row.type)")
            #expect(a.link == Self.incidentURL)
            // A log entry's incident is a reference: number and title from its summary, nothing else.
            #expect(a.incident == PagerDutyIncidentSnapshot(
                id: "PR7XK2M", number: 1042, title: "Checkout API: 5xx rate above 5%", url: Self.incidentURL
            ))
        }
    }

    @Test func incidentAndLogEntriesMerged() throws {
        let incident = try PagerDutyExport.parse(try fixture("rest/incident_PR7XK2M.json"), fileName: "a.json")
        let log = try PagerDutyExport.parse(try fixture("rest/log_entries_PR7XK2M.json"), fileName: "b.json")
        let all = PagerDutyExportContents.merged([incident, log, log])
        #expect(all.incidents == incident.incidents)
        #expect(all.activities.map(\.id) == Self.rows.map(\.id))  // once each, oldest first
        #expect(all.pages.count == 3)
        #expect(all.activities.first?.change == .triggered)
        #expect(all.activities.last?.change == .resolved)
        // A later, thinner snapshot fills in but never erases.
        var thin = PagerDutyExportContents()
        thin.incidents = [PagerDutyIncidentSnapshot(id: "PR7XK2M", status: .triggered)]
        let m = PagerDutyExportContents.merged([incident, thin])
        #expect(m.incidents[0].status == .triggered)
        #expect(m.incidents[0].priority == "P1")
        #expect(m.incidents[0].number == 1042)
    }

    /// Every log entry type, as a bare entry.
    private func entry(_ type: String, _ extra: String = "", summary: String? = "The summary.") throws -> PagerDutyActivity {
        let summaryMember = summary.map { #""summary": "\#($0)", "# } ?? ""
        let json = """
        {"log_entry": {"id": "L1", "type": "\(type)", \(summaryMember)"created_at": "2026-03-10T14:00:00Z",
         "agent": {"type": "user_reference", "summary": "Sam"}, "incident": {"id": "P1", "type": "incident_reference", "summary": "[#12] Disk full", "html_url": "https://x.pagerduty.com/incidents/P1"}\(extra)}}
        """
        let c = try PagerDutyExport.parse(Data(json.utf8), fileName: "entry.json")
        #expect(c.pages == [.init(document: .logEntry, fileName: "entry.json", count: 1, incidentID: "P1")])
        return try #require(c.activities.first)
    }

    @Test func logEntryTypeTable() throws {
        typealias C = PagerDutyActivity.Change
        let table: [(String, String, C, TimelineKind, String)] = [
            ("trigger_log_entry", "", .triggered, .alert, "Triggered: Disk full"),
            ("trigger_log_entry_reference", "", .triggered, .alert, "Triggered: Disk full"),
            ("acknowledge_log_entry", "", .acknowledged, .action, "Acknowledged by Sam"),
            ("unacknowledge_log_entry", "", .none, .alert, "Unacknowledged: the incident is triggered again"),
            ("resolve_log_entry", "", .resolved, .action, "Resolved by Sam"),
            ("reopen_log_entry", "", .reopened, .action, "Reopened by Sam"),
            ("assign_log_entry", #", "assignees": [{"summary": "A"}, {"summary": "B"}]"#, .reassigned, .action, "Assigned to A, B"),
            ("assign_log_entry", "", .reassigned, .action, "The summary."),
            ("delegate_log_entry", "", .reassigned, .action, "The summary."),
            ("escalate_log_entry", #", "assignees": [{"summary": "C"}]"#, .none, .action, "Escalated to C"),
            ("notify_log_entry", #", "user": {"summary": "Dana"}, "channel": {"type": "email"}"#, .none, .communication, "Notified Dana by email"),
            ("notify_log_entry", #", "user": {"summary": "Dana"}, "channel": {"type": "slack_direct_message"}"#, .none, .communication,
             "Notified Dana by slack direct message"),
            ("annotate_log_entry", #", "channel": {"type": "note", "summary": "Rolled back."}"#, .none, .note, "Rolled back."),
            ("annotate_log_entry_reference", "", .none, .note, "The summary."),
            ("snooze_log_entry", #", "changed_actions": [{"type": "unacknowledge", "at": "2026-03-10T16:00:00Z"}]"#, .none, .action,
             "Snoozed by Sam until 2026-03-10 16:00 UTC"),
            ("snooze_log_entry", "", .none, .action, "Snoozed by Sam"),
            ("priority_change_log_entry", "", .priorityChanged, .decision, "The summary."),
            ("urgency_change_log_entry", "", .none, .decision, "The summary."),
            ("reach_trigger_limit_log_entry", "", .none, .alert, "The summary."),
            ("reach_ack_limit_log_entry", "", .none, .alert, "The summary."),
            ("exhaust_escalation_path_log_entry", "", .none, .alert, "The summary."),
            ("repeat_escalation_path_log_entry", "", .none, .action, "The summary."),
            ("link_log_entry", "", .none, .note, "The summary."),
            ("brand_new_log_entry", "", .none, .note, "The summary."),
        ]
        for (type, extra, change, kind, text) in table {
            let a = try entry(type, extra)
            #expect(a.type == type)
            #expect(a.change == change, "\(type)")
            #expect(a.kind == kind, "\(type)")
            #expect(a.text == text, "\(type)")
            #expect(a.agent == "Sam")
            #expect(a.id == "L1")
            #expect(a.incident.number == 12)
        }
        #expect(try entry("brand_new_log_entry", summary: nil).text == "PagerDuty log entry brand_new_log_entry")
        #expect(try entry("exhaust_escalation_path_log_entry", summary: nil).text == "Escalation policy exhausted: no one acknowledged")
        // A polymorphic channel of an unexpected shape does not fail the entry.
        #expect(try entry("annotate_log_entry", #", "channel": {"type": "note", "summary": 5}"#).text == "The summary.")
        // A reference leaves the status unknown; with include[]=incidents the entry carries the whole incident.
        #expect(try entry("acknowledge_log_entry").incident.status == nil)
        let json = #"{"log_entries": [{"id": "L9", "type": "acknowledge_log_entry", "created_at": "2026-03-10T14:00:00Z", "incident": {"id": "P1", "type": "incident", "incident_number": 12, "title": "Disk full", "status": "acknowledged", "urgency": "high"}}]}"#
        let included = try PagerDutyExport.parse(Data(json.utf8), fileName: "inc.json").activities[0].incident
        #expect(included.status == .acknowledged)
        #expect(included.urgency == "high")
    }

    // Errors

    @Test func otherJSONIsRefusedWithTheAcceptedShapes() throws {
        let e = try #require(exportError(#"{"users": [], "limit": 25}"#, fileName: "users.json"))
        #expect(e.path == nil)
        #expect(e.description == "users.json: " + PagerDutyExport.acceptedShapes + #"; found an object with "users", "limit""#)
        #expect(e.message.contains(#"{"log_entries": [...]} (GET /incidents/{id}/log_entries)"#))
        #expect(exportError("42")?.message == PagerDutyExport.acceptedShapes + "; found the number 42")
        #expect(exportError("[{}, 3]")?.path == "[0]")
        #expect(exportError(#"[{"incidents": []}, 3]"#)?.description == "export.json: [1]: expected an object (one PagerDuty response, incident or log entry), found the number 3")
    }

    @Test func invalidJSONNamesFileLineAndColumn() throws {
        let e = try #require(exportError("{\"incidents\": [\n  {\"id\": \"P1\",}\n]}", fileName: "page.json"))
        #expect(e.reason == .invalidJSON)
        #expect(e.description == "page.json: line 2, column 15: not valid JSON: unexpected '}'; expected a member name in double quotes")
    }

    @Test func wrongTypesNameFileAndPath() throws {
        var log = try JSONSerialization.jsonObject(with: try fixture("rest/log_entries_PR7XK2M.json")) as! [String: Any]
        var entries = log["log_entries"] as! [[String: Any]]
        entries[3]["created_at"] = "last Tuesday"
        log["log_entries"] = entries
        let data = try JSONSerialization.data(withJSONObject: log)
        do {
            _ = try PagerDutyExport.parse(data, fileName: "log.json")
            Issue.record("accepted a bad created_at")
        } catch {
            #expect(error.reason == .unexpectedContent)
            #expect(error.path == "log_entries[3].created_at")
            #expect(error.description == #"log.json: log_entries[3].created_at: expected a date and time such as "2026-04-01T02:18:59.674Z", found "last Tuesday""#)
        }

        #expect(exportError(#"{"log_entries": {"id": "L1"}}"#)?.description == "export.json: log_entries: expected an array of log entries, found an object")
        #expect(exportError(#"{"incidents": [{"id": "P1"}, {"id": "P2", "incident_number": "2"}]}"#)?.description
            == #"export.json: incidents[1].incident_number: expected a whole number, found "2""#)
        #expect(exportError(#"{"incidents": [], "more": "yes"}"#)?.path == "more")
        #expect(exportError(#"{"incident": null}"#)?.description == "export.json: incident: expected an incident object, found null")
        #expect(exportError(#"{"incidents": [{"title": "no id"}]}"#)?.description == "export.json: incidents[0].id: missing; expected the incident's id")
        #expect(exportError(#"[{"log_entries": [{"id": "L1", "type": "annotate_log_entry", "created_at": "2026-03-10T14:00:00Z"}]}]"#)?.description
            == "export.json: [0].log_entries[0].incident: missing; expected the incident it belongs to, with its id")
        #expect(exportError(#"{"log_entries": [{"id": "L1", "created_at": "2026-03-10T14:00:00Z", "incident": {"id": "P1"}}]}"#)?.path
            == "log_entries[0].type")
        #expect(exportError(#"{"log_entries": [{"id": "L1", "type": "escalate_log_entry", "created_at": "2026-03-10T14:00:00Z", "incident": {"id": "P1"}, "assignees": "x"}]}"#)?.path
            == "log_entries[0].assignees")
    }
}

// MARK: - The JSON reader itself

@Suite struct PagerDutyJSONReaderTests {
    /// The document as Foundation would give it, built from the tokens.
    private func plain(_ doc: PagerDutyJSON.Document, _ index: Int) -> Any {
        let t = doc.tokens[index]
        switch t.kind {
        case .null: return NSNull()
        case .bool: return t.flag
        case .number: return Double(doc.raw(t))!
        case .string: return doc.string(t)
        case .array:
            var items: [Any] = []
            var k = index + 1
            while k < Int(t.next) {
                items.append(plain(doc, k))
                k = Int(doc.tokens[k].next)
            }
            return items
        case .object:
            var members: [String: Any] = [:]
            var k = index + 1
            while k < Int(t.next) {
                let key = doc.string(doc.tokens[k])
                if members[key] == nil { members[key] = plain(doc, k + 1) }
                k = Int(doc.tokens[k + 1].next)
            }
            return members
        }
    }

    private func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let x as String, let y as String): return x == y
        case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        case (let x as Bool, let y as NSNumber): return x == y.boolValue
        case (let x as Double, let y as NSNumber): return x == y.doubleValue
        default: return false
        }
    }

    static let files = [
        "acknowledged_v3.json", "annotated_v3.json", "conference_bridge_updated_v3.json", "delegated_v3.json",
        "escalate_v3.json", "priority_updated_v3.json", "reassigned_v3.json", "reopened_v3.json", "resolved_v3.json",
        "responder_added.json", "responder_replied_v3.json", "status_updated_v3.json", "triggered_v3.json",
        "workflow_completed_v3.json", "workflow_started_v3.json", "rest/incident_PR7XK2M.json",
        "rest/incidents_page1.json", "rest/incidents_page2.json", "rest/log_entries_PR7XK2M.json",
    ]

    @Test(arguments: files) func agreesWithJSONSerialization(_ file: String) throws {
        let data = try fixture(file)
        let doc = try PagerDutyJSON.Document.parse(data)
        #expect(same(plain(doc, 0), try JSONSerialization.jsonObject(with: data)))
    }

    @Test func escapesNumbersAndLiteralsAgree() throws {
        let json = #"{"s": "a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00 end", "n": [0, -1, 2.5, 1e3, -0.25E-2, 12345678901],"#
            + #" "t": true, "f": false, "z": null, "e": {}, "a": [], "nested": [[{"x": [1]}]], "ü": "ø"}"#
        let data = Data(json.utf8)
        let doc = try PagerDutyJSON.Document.parse(data)
        #expect(same(plain(doc, 0), try JSONSerialization.jsonObject(with: data)))
        #expect(doc.root.memberNames == ["s", "n", "t", "f", "z", "e", "a", "nested", "ü"])
    }

    /// Every cut-short webhook body is refused as invalid JSON, never read half.
    @Test func truncatedBodiesAreInvalidJSON() throws {
        let data = try fixture("priority_updated_v3.json")
        for cut in stride(from: 0, to: data.count - 1, by: 7) {
            do {
                _ = try PagerDutyWebhookEvent.parse(data.prefix(cut))
                Issue.record("accepted a body cut at \(cut)")
            } catch {
                #expect(error.reason == .invalidJSON, "cut at \(cut): \(error)")
            }
        }
    }
}
