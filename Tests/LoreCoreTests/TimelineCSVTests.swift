import Foundation
import Testing
@testable import LoreCore

@Suite("Timeline CSV export")
struct TimelineCSVTests {
    @Test func headerThenOneQuotedLinePerEntryAndNoFormulas() {
        let id = UUID()
        let entries = [
            TimelineEntry(incidentID: id, occurredAt: LoreTime.parseISO("2026-03-01T10:00:00Z")!, recordedAt: LoreTime.parseISO("2026-03-01T10:01:00Z")!,
                          author: "Ana", source: .manual, kind: .observation, text: "Latency up, \"p99\" at 2s", reflection: "Looked like\na client issue", marker: .detection),
            TimelineEntry(incidentID: id, occurredAt: LoreTime.parseISO("2026-03-01T10:05:00Z")!, recordedAt: LoreTime.parseISO("2026-03-09T10:00:00Z")!,
                          author: "=HYPERLINK(\"x\")", source: .slack, kind: .note, text: "+1 from support", externalID: "C1:123.4",
                          sourceURL: "https://acme.slack.com/archives/C1/p1234000"),
        ]
        let csv = TimelineCSV.render(entries, resolvedAt: LoreTime.parseISO("2026-03-01T11:00:00Z")!, reviewWindow: 72 * 3600)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "occurred_at,recorded_at,author,source,kind,marker,text,reflection,recalled_later,external_id,source_url")
        #expect(lines[1].hasPrefix("2026-03-01T10:00:00.000Z,2026-03-01T10:01:00.000Z,Ana,manual,observation,detection,\"Latency up, \"\"p99\"\" at 2s\",\"Looked like"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))   // formula neutralised, then quoted
        #expect(csv.contains(",'+1 from support,"))
        #expect(csv.contains(",false,C1:123.4,https://acme.slack.com/archives/C1/p1234000\r\n"))  // slack messages are never "recalled later"
        #expect(csv.hasSuffix("\r\n"))
    }
}
