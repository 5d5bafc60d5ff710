import Foundation
import HummingbirdTesting
import LoreCore
import LoreStore
import LoreTestSupport
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The value of a hidden field in the last page.
private func hidden(_ name: String, in html: String) -> String? {
    guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    let rest = html[r.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
}

@Suite("Uploading timelines on the incident page")
struct TimelineUploadWebTests {
    @Test(arguments: Backend.available) func slackExportUploadPreviewsThenAddsOnce(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "monitoring alert"))
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            try await b.get("/incidents/\(incident.key)/import")
            let zip = try Data(contentsOf: fixtures.appendingPathComponent("slack/testarchive.zip"))
            // No channel given: the page offers the export's channels.
            var page = try await b.upload("/incidents/\(incident.key)/import/file", [("channel", "")], file: ("file", "acme-export.zip", zip))
            #expect(page.status == .ok)
            #expect(page.text.contains("<option value=\"enrique\">#enrique</option>") && page.text.contains("#traveling-sailor"))
            let token = try #require(hidden("upload", in: page.text))
            // Choosing one shows what will be added; nothing is written yet.
            page = try await b.post("/incidents/\(incident.key)/import/slack", [("upload", token), ("channel", "enrique"), ("workspace", "https://acme.slack.com")])
            #expect(page.status == .ok)
            let count = try #require(page.text.firstMatch(of: /Preview: (\d+) messages from #enrique/).map { Int($0.1)! })
            #expect(count > 0)
            #expect(page.text.contains("bot message"), "what is left out, and why")
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)
            // Confirming adds them, links and all.
            page = try await b.post("/incidents/\(incident.key)/import/slack", [("upload", token), ("channel", "enrique"), ("workspace", "https://acme.slack.com"), ("confirm", "1")])
            #expect(page.status == .seeOther || page.status == .found)
            let timeline = try await store.timeline(incidentID: incident.id)
            #expect(timeline.count == count)
            #expect(timeline.allSatisfy { $0.source == .slack && $0.sourceURL?.hasPrefix("https://acme.slack.com/archives/") == true })
            let incidentPage = try await b.get("/incidents/\(incident.key)")
            #expect(incidentPage.text.contains("from <a href=\"https://acme.slack.com/archives/"))
            // The upload is gone once used; the same confirmation again adds nothing.
            page = try await b.post("/incidents/\(incident.key)/import/slack", [("upload", token), ("channel", "enrique"), ("confirm", "1")])
            #expect(page.status == .unprocessableContent && page.text.contains("expired"))
            #expect(try await store.timeline(incidentID: incident.id).count == count)
        }
    }

    @Test(arguments: Backend.available) func truncatedZipsAndBadTablesAreExplainedAndWriteNothing(backend: Backend) async throws {
        try await withApp(backend) { client, store, _ in
            let incident = try await store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "monitoring alert"))
            let b = Browser(client)
            try await b.signIn("mo@example.com", "another long password")
            try await b.get("/incidents/\(incident.key)/import")
            let zip = try Data(contentsOf: fixtures.appendingPathComponent("slack/testarchive.zip"))
            var page = try await b.upload("/incidents/\(incident.key)/import/file", [("channel", "enrique")], file: ("file", "acme-export.zip", zip.prefix(zip.count / 2)))
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("acme-export.zip") && page.text.contains("Nothing was imported"))

            let csv = "time,author,text\n2026-04-01T02:00:00Z,Priya,Paged for latency\n02:61,Tom,Rolled back\n2026-04-01T02:20:00Z,Priya,Recovered\n"
            page = try await b.upload("/incidents/\(incident.key)/import/file", [], file: ("file", "timeline.csv", Data(csv.utf8)))
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("timeline.csv:3") && page.text.contains("02:61"))
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)

            // A good file is previewed in the table form, to be confirmed there.
            let good = "time,author,text\n2026-04-01T02:00:00Z,Priya,Paged for latency\n2026-04-01T02:20:00Z,Priya,Recovered\n"
            page = try await b.upload("/incidents/\(incident.key)/import/file", [], file: ("file", "timeline.csv", Data(good.utf8)))
            #expect(page.status == .ok && page.text.contains("Preview: 2 entries"))
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)
            // A postmortem as published: the preview says which entry to check and which lines were not read.
            let postmortem = "## Timeline\nFrom the pager.\n\n- 2016-04-01 02:00 UTC: Paged\n- 2026-04-01 02:05 UTC: Acked\n- 2026-04-01 02:20 UTC: Recovered\n"
            page = try await b.upload("/incidents/\(incident.key)/import/file", [], file: ("file", "postmortem.md", Data(postmortem.utf8)))
            #expect(page.status == .ok && page.text.contains("Preview: 3 entries"))
            #expect(page.text.contains("line 4: 2016-04-01T02:00:00Z is 3652 days from the entries next to it"))
            #expect(page.text.contains("were not read") && page.text.contains("line 2: no time in it"))
            #expect(try await store.timeline(incidentID: incident.id).isEmpty)
            // Pasted rather than uploaded, one heading per entry, as a wiki page would give it.
            let pasted = "# Storage outage, 2024-02-12\n\n## Timeline\nAll times are UTC.\n\n### 4:27\nThe first disk reported errors.\n\n### 8:20 - 8:24\nFailover refused.\n"
            page = try await b.post("/incidents/\(incident.key)/import", [("table", pasted), ("timeZone", "Europe/Berlin")])
            #expect(page.status == .ok && page.text.contains("Preview: 2 entries"))
            #expect(page.text.contains("The first disk reported errors.") && page.text.contains("Failover refused."))
            #expect(try await b.post("/incidents/\(incident.key)/import", [("table", pasted), ("timeZone", "Europe/Berlin"), ("confirm", "1")]).status == .seeOther)
            #expect(try await store.timeline(incidentID: incident.id).map(\.occurredAt) == [Date(timeIntervalSince1970: 1_707_712_020), Date(timeIntervalSince1970: 1_707_726_000)])
            // Without the form's token, an upload is refused.
            b.csrf = "forged"
            page = try await b.upload("/incidents/\(incident.key)/import/file", [], file: ("file", "timeline.csv", Data(good.utf8)))
            #expect(page.status == .forbidden)
        }
    }
}
