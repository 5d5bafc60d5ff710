import Foundation
import LoreCore
import Testing
@testable import LoreImport

/// A review exported as Markdown reads back through `lore import timeline`
/// into the same entries, and nothing typed becomes markup in either format.
@Suite struct ReviewExportTests {
    static let created = LoreTime.parseISO("2026-03-01T14:00:00Z")!

    static func document(timeline: [TimelineEntry]? = nil) -> ReviewDocument {
        let incident = Incident(
            number: 42, title: "Checkout *down* | <script>alert(1)</script> #1", severity: "SEV2", status: .resolved,
            services: ["checkout-api"], teams: ["payments"], detectionSource: "monitoring alert",
            times: IncidentTimes(detectedAt: created, resolvedAt: created.addingTimeInterval(3600)), createdAt: created, updatedAt: created)
        var review = Review(incidentID: incident.id, title: "Payments [team] review", level: .team, status: .published, createdAt: created, updatedAt: created)
        review.sections[.summary] = "The checkout API returned 503s for **40 minutes**."
        // A table with times inside a section is part of the story, not the timeline.
        review.sections[.whatHappened] = "| Time | Event |\n|---|---|\n| 14:30 | From the chat log |\n\n<img src=x onerror=alert(2)>"
        let entries = timeline ?? [
            TimelineEntry(incidentID: incident.id, occurredAt: created, recordedAt: created, author: "Priya", source: .manual, kind: .alert,
                          text: "Alert fired: p99 | 4 s"),
            TimelineEntry(incidentID: incident.id, occurredAt: created.addingTimeInterval(125.25), recordedAt: created, author: "Tom, on call", source: .manual,
                          kind: .action, text: "Rolled back **v2.3**\nthen watched the queue", reflection: "The graph looked flat; I suspected the cache"),
            TimelineEntry(incidentID: incident.id, occurredAt: created.addingTimeInterval(86_400 + 60), recordedAt: created, author: "Imported", source: .markdown,
                          kind: .note, text: "<b>Next day</b>: postmortem scheduled"),
        ]
        let finding = Finding(reviewID: review.id, kind: .contributingFactor, text: "Retries had no budget\nso they piled up", createdBy: nil, createdAt: created)
        var followUp = FollowUp(incidentID: incident.id, reviewID: review.id, title: "Add a retry *budget*", description: "Cap retries at 10 %.", ownerTeam: "payments", status: .done, createdAt: created)
        followUp.trackerReference = "OPS-12"
        return ReviewDocument(incident: incident, review: review, timeline: entries, findings: [finding], followUps: [followUp],
                              timeZone: TimeZone(identifier: "Europe/Berlin")!, exportedAt: created.addingTimeInterval(7 * 86_400))
    }

    @Test func theMarkdownTimelineReadsBackIntoTheSameEntries() throws {
        let d = Self.document()
        let md = ReviewExport.markdown(d)
        let result = try TimelineTable.parse(md, fileName: "INC-42-review.md", timeZone: TimeZone(identifier: "America/New_York")!, date: nil, skipBadRows: false)
        #expect(result.skipped.isEmpty)
        #expect(result.rows.map(\.occurredAt) == d.timeline.map(\.occurredAt))
        #expect(result.rows.map(\.author) == d.timeline.map(\.author))
        #expect(result.rows.map(\.text) == d.timeline.map(\.text))
        #expect(result.rows.map { $0.kind ?? .note } == d.timeline.map(\.kind))
        #expect(result.rows.map(\.reflection) == d.timeline.map(\.reflection))
        // The same identities: importing the export again adds nothing.
        let incident = UUID()
        #expect(result.entries(incidentID: incident, now: Date()).map(\.externalID)
            == d.timeline.map { ImportIdentity.rowID(incidentID: incident, occurredAt: $0.occurredAt, author: $0.author, text: $0.text) })
    }

    @Test func theMarkdownHoldsFactsSectionsFindingsAndFollowUpsWithTitlesEscaped() {
        let md = ReviewExport.markdown(Self.document())
        #expect(md.hasPrefix("# INC-42: Checkout \\*down\\* \\| \\<script\\>alert(1)\\</script\\> \\#1\n"))
        #expect(md.contains("- **Severity:** SEV2"))
        #expect(md.contains("- **Resolved:** 2026-03-01 16:00"))  // in the reader's zone (Berlin)
        #expect(md.contains("## Summary\n\nThe checkout API returned 503s for **40 minutes**."))
        #expect(md.contains("- **Contributing factor:** Retries had no budget\n  so they piled up"))
        #expect(md.contains("- **Add a retry \\*budget\\***: Done · owner: payments · OPS-12\n  Cap retries at 10 %."))
        #expect(!md.contains("<script>"))
        // The Markdown file renders safely too.
        #expect(!Markdown.html(md).contains("<script"))
    }

    @Test func theHTMLIsSelfContainedPrintableAndEscapesEverything() {
        let html = ReviewExport.html(Self.document())
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<strong>v2.3</strong>"))  // Markdown rendered
        #expect(html.contains("&lt;b&gt;Next day&lt;/b&gt;"))  // raw HTML in an entry shown as typed
        #expect(html.contains("2026-03-01 14:02:05.250"))
        #expect(!html.contains("src=\"http") && !html.contains("<link"))  // nothing fetched from elsewhere
    }

    @Test func anEmptyTimelineSaysSoAndStillExports() throws {
        let d = Self.document(timeline: [])
        #expect(ReviewExport.markdown(d).contains("## Timeline\n\nNo entries.\n"))
        #expect(ReviewExport.html(d).contains("<p>No entries.</p>"))
        #expect(ReviewExport.fileName(d, format: .html) == "INC-42-review-\(d.review.id.uuidString.prefix(8).lowercased()).html")
    }
}
