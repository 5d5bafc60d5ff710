import Foundation

/// Everything a review export holds, gathered by the caller with the
/// viewer's visibility already applied.
public struct ReviewDocument: Sendable {
    public var incident: Incident
    public var review: Review
    public var timeline: [TimelineEntry]
    public var findings: [Finding]
    public var followUps: [FollowUp]
    /// The zone the incident's facts are shown in (the reader's); the
    /// timeline table is always in UTC so that it reads back the same.
    public var timeZone: TimeZone
    public var exportedAt: Date

    public init(incident: Incident, review: Review, timeline: [TimelineEntry], findings: [Finding], followUps: [FollowUp], timeZone: TimeZone, exportedAt: Date) {
        self.incident = incident
        self.review = review
        self.timeline = timeline
        self.findings = findings
        self.followUps = followUps
        self.timeZone = timeZone
        self.exportedAt = exportedAt
    }
}

/// A review as one file to keep or send outside Lore: Markdown, whose
/// timeline table `lore import timeline` reads back into the same entries,
/// or a self-contained HTML page with a print stylesheet (a clean PDF from
/// the browser's print dialog).
///
/// What people typed as plain text (titles, facts, follow-up titles) is
/// escaped for the format; what they wrote as Markdown (sections, findings,
/// timeline text) stays Markdown in the Markdown file and goes through
/// ``Markdown/html(_:)`` in the HTML one, so raw HTML never becomes markup.
/// The Markdown timeline table's cells are written as the importer reads
/// them back (only pipes escaped, line breaks as `<br>`), so a renderer
/// other than Lore's shows their text as Markdown.
public enum ReviewExport {
    public enum Format: String, CaseIterable, Sendable {
        case md, html

        public var contentType: String {
            switch self {
            case .md: "text/markdown; charset=utf-8"
            case .html: "text/html; charset=utf-8"
            }
        }
    }

    public static func render(_ d: ReviewDocument, as format: Format) -> String {
        switch format {
        case .md: markdown(d)
        case .html: html(d)
        }
    }

    /// `INC-42-review.md`: ASCII only, for a Content-Disposition header.
    public static func fileName(_ d: ReviewDocument, format: Format) -> String {
        "\(d.incident.key)-review-\(d.review.id.uuidString.prefix(8).lowercased()).\(format.rawValue)"
    }

    // MARK: - Markdown

    public static func markdown(_ d: ReviewDocument) -> String {
        var out = "# \(escapeText("\(d.incident.key): \(d.incident.title)"))\n\n"
        let reviewTitle = d.review.title.isEmpty ? "\(d.review.level.label) review" : d.review.title
        out += "\(escapeText(reviewTitle)) · \(d.review.status.label)\n\n"
        for (label, value) in facts(d) {
            out += "- **\(label):** \(escapeText(value))\n"
        }
        out += "\n## Timeline\n\n"
        if d.timeline.isEmpty {
            out += "No entries.\n"
        } else {
            // The columns `lore import timeline` reads: a time in UTC, the
            // author, the text, its kind and what the person was seeing.
            out += "| Time (UTC) | Author | Event | Kind | What I was seeing |\n|---|---|---|---|---|\n"
            for e in d.timeline {
                let cells = [utcTime(e.occurredAt), e.author, e.text, e.kind.rawValue, e.reflection ?? ""]
                out += "| " + cells.map(tableCell).joined(separator: " | ") + " |\n"
            }
        }
        for section in ReviewSection.allCases {
            let text = (d.review.sections[section] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            out += "\n## \(section.title)\n\n\(text)\n"
        }
        if !d.findings.isEmpty {
            out += "\n## Findings\n\n"
            for f in d.findings {
                out += "- **\(f.kind.label):** " + indentContinuation(f.text.trimmingCharacters(in: .whitespacesAndNewlines)) + "\n"
            }
        }
        if !d.followUps.isEmpty {
            out += "\n## Follow-ups\n\n"
            for f in d.followUps {
                out += "- **\(escapeText(f.title))**: \(followUpFacts(f).map(escapeText).joined(separator: " · "))\n"
                let description = f.description.trimmingCharacters(in: .whitespacesAndNewlines)
                if !description.isEmpty { out += "  " + indentContinuation(description) + "\n" }
            }
        }
        out += "\n---\nExported from Lore on \(LoreTime.iso(d.exportedAt)).\n"
        return out
    }

    /// Backslash-escapes the characters Markdown would read as inline
    /// syntax, so a title such as `*prod* <script>` shows as typed. (Every
    /// value is written after a `# ` or a `- **Label:** `, never at the start
    /// of a line, so block syntax such as `#` or `1.` needs nothing.)
    public static func escapeText(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\n" || c == "\r" {
                out.append(" ")
                continue
            }
            if "\\`*_[]<>|~&!#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// One cell of a pipe table: pipes escaped, line breaks as `<br>` (the
    /// importer turns them back into line breaks).
    static func tableCell(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: "<br>")
    }

    /// Keeps a multi-line text inside the list item it starts.
    static func indentContinuation(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\n  ")
    }

    // MARK: - HTML

    public static func html(_ d: ReviewDocument) -> String {
        let e = Markdown.escape
        let title = "\(d.incident.key): \(d.incident.title)"
        let reviewTitle = d.review.title.isEmpty ? "\(d.review.level.label) review" : d.review.title
        var out = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title)) · \(e(reviewTitle))</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        <article>
        <h1>\(e(title))</h1>
        <p class="subtitle">\(e(reviewTitle)) · \(e(d.review.status.label))</p>
        <dl class="facts">
        """
        for (label, value) in facts(d) {
            out += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n"
        }
        out += "</dl>\n<h2>Timeline</h2>\n"
        if d.timeline.isEmpty {
            out += "<p>No entries.</p>\n"
        } else {
            out += "<table class=\"timeline\"><thead><tr><th>Time (UTC)</th><th>Author</th><th>Event</th><th>Kind</th></tr></thead><tbody>\n"
            for entry in d.timeline {
                var event = Markdown.html(entry.text)
                if let reflection = entry.reflection, !reflection.isEmpty {
                    event += "<div class=\"reflection\"><strong>What I was seeing:</strong> \(Markdown.html(reflection))</div>"
                }
                out += "<tr><td class=\"time\">\(e(utcTime(entry.occurredAt)))</td><td>\(e(entry.author))</td><td>\(event)</td><td>\(e(entry.kind.rawValue))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        for section in ReviewSection.allCases {
            let text = (d.review.sections[section] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            out += "<section><h2>\(e(section.title))</h2>\n\(Markdown.html(text))</section>\n"
        }
        if !d.findings.isEmpty {
            out += "<section><h2>Findings</h2><ul class=\"findings\">\n"
            for f in d.findings {
                out += "<li><strong>\(e(f.kind.label)):</strong> \(Markdown.html(f.text))</li>\n"
            }
            out += "</ul></section>\n"
        }
        if !d.followUps.isEmpty {
            out += "<section><h2>Follow-ups</h2><ul class=\"follow-ups\">\n"
            for f in d.followUps {
                out += "<li><strong>\(e(f.title))</strong> <span class=\"meta\">\(e(followUpFacts(f).joined(separator: " · ")))</span>"
                if !f.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out += Markdown.html(f.description) }
                out += "</li>\n"
            }
            out += "</ul></section>\n"
        }
        out += "<footer>Exported from Lore on \(e(LoreTime.iso(d.exportedAt))).</footer>\n</article>\n</body>\n</html>\n"
        return out
    }

    /// Readable on screen; on paper, no colours to waste ink, tables that do
    /// not split a row across pages, and the links' addresses written out.
    static let stylesheet = """
    body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:0 auto;max-width:52rem;padding:1.5rem}
    h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.75rem 0 .5rem;border-bottom:1px solid #ddd}
    .subtitle{color:#555;margin:0 0 1rem}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
    dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
    td.time{white-space:nowrap;font-variant-numeric:tabular-nums}td p{margin:0}.reflection{color:#555;margin-top:.25rem}
    pre{background:#f4f4f4;padding:.5rem;overflow:auto}code{font-size:.9em}.meta{color:#555}footer{margin-top:2rem;color:#777;font-size:.85rem}
    @page{margin:18mm}
    @media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}tr,li{break-inside:avoid}
    a{color:inherit}a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;word-break:break-all}pre{white-space:pre-wrap}}
    """

    // MARK: - Shared facts

    static func facts(_ d: ReviewDocument) -> [(String, String)] {
        let i = d.incident
        var facts: [(String, String)] = [
            ("Severity", i.severity), ("Incident status", i.status.rawValue), ("Detected by", i.detectionSource),
        ]
        if !i.services.isEmpty { facts.append(("Services", i.services.joined(separator: ", "))) }
        if !i.teams.isEmpty { facts.append(("Teams", i.teams.joined(separator: ", "))) }
        for (_, label, keyPath) in IncidentTimes.order {
            if let date = i.times[keyPath: keyPath] { facts.append((label, LoreTime.display(date, timeZone: d.timeZone))) }
        }
        if !i.labels.isEmpty { facts.append(("Labels", i.labels.joined(separator: ", "))) }
        facts.append(("Review", "\(d.review.level.rawValue) review, \(d.review.status.label.lowercased())"))
        if let held = d.review.heldAt { facts.append(("Held", LoreTime.display(held, timeZone: d.timeZone))) }
        if let published = d.review.publishedAt { facts.append(("Published", LoreTime.display(published, timeZone: d.timeZone))) }
        return facts
    }

    static func followUpFacts(_ f: FollowUp) -> [String] {
        var facts = [f.status.label, "owner: \(f.ownerTeam)"]
        if let service = f.service { facts.append("service: \(service)") }
        if let due = f.dueDate { facts.append("due \(LoreTime.iso(due).prefix(10))") }
        if let tracker = f.trackerReference { facts.append(tracker) }
        if let reason = f.decisionReason, !reason.isEmpty { facts.append("why: \(reason)") }
        return facts
    }

    /// `2026-03-01 14:02`, `2026-03-01 14:02:33`, `2026-03-01 14:02:33.250`:
    /// UTC, as exact as the entry, no more.
    static func utcTime(_ date: Date) -> String {
        var t = String(LoreTime.iso(date).dropLast())
        if t.hasSuffix(".000") {
            t.removeLast(4)
            if t.hasSuffix(":00") { t.removeLast(3) }
        }
        return t.replacingOccurrences(of: "T", with: " ")
    }
}
