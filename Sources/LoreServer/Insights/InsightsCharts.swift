import Foundation
import LoreCore

// MARK: - What the caller hands in

/// One incident in a strip plot: one dot.
///
/// Whether an incident may be named is the caller's decision (the
/// `ReviewAccess` rule): `key` is given only for incidents the viewer may
/// open. A dot without a key is still drawn — totals may count what the viewer
/// cannot open — but it links nowhere and says only "an incident". A `title`
/// without a `key` is never shown, so a caller that forgets to clear one does
/// not leak it.
struct StripPoint: Equatable, Sendable {
    /// Seconds; zero is a real value (see `InsightsCharts.durationFloor`).
    var duration: TimeInterval
    /// `INC-12`: the dot links to `/incidents/INC-12`.
    var key: String?
    /// The incident's title, shown with the key on hover and focus.
    var title: String?

    init(duration: TimeInterval, key: String? = nil, title: String? = nil) {
        self.duration = duration
        self.key = key
        self.title = title
    }
}

/// One group's row in a strip plot.
///
/// `median` and `p90` are passed in rather than computed from `values` so
/// that they always come from every incident of the group, even when the
/// caller hands over fewer points than it counted; nil draws no tick.
struct StripRow: Equatable, Sendable {
    /// The group, as the page names it ("customer support", "SEV2").
    var label: String
    /// The group's incidents, in any order. More than
    /// `InsightsCharts.maxDotsPerRow` are sampled for drawing.
    var values: [StripPoint]
    var median: TimeInterval?
    var p90: TimeInterval?

    init(label: String, values: [StripPoint], median: TimeInterval?, p90: TimeInterval?) {
        self.label = label
        self.values = values
        self.median = median
        self.p90 = p90
    }

    /// Median and 90th percentile computed from `values` by
    /// `DurationDistribution` (type 7), so the chart agrees with the table.
    init(label: String, values: [StripPoint]) {
        let d = DurationDistribution(values.map(\.duration))
        self.init(label: label, values: values, median: d.median, p90: d.p90)
    }
}

/// One group's line in an empirical cumulative distribution chart.
struct ECDFRow: Equatable, Sendable {
    var label: String
    /// Seconds, sorted ascending (`DurationDistribution.values`). Unsorted
    /// input is sorted again rather than drawn wrong.
    var values: [TimeInterval]

    init(label: String, values: [TimeInterval]) {
        self.label = label
        self.values = values
    }
}

// MARK: - Charts

/// Server-rendered SVG charts for Insights: strings the page template puts
/// in as raw HTML (`{{{…}}}`), so every piece of text from data is escaped
/// here, never by the template.
///
/// Why they look the way they do (issue 11, "Charts and formats" and
/// "Distributions, not averages"):
/// - Durations are long-tailed, so time runs along a **log axis** with ticks
///   people can read (1 min, 5 min, 15 min, 1 h …) and every incident is a
///   dot; the median and the 90th percentile are marked, never a mean.
/// - **Readable on a phone**: a 400-unit-wide `viewBox` with `width="100%"`
///   keeps 11–14 unit text at about 10–12 px on a 350 px column, labels sit
///   above their rows instead of eating a column at the left, and legends
///   stack. The `lore-chart` class lets the stylesheet cap the width on a
///   desktop.
/// - **Colour blindness and greyscale print**: dots are dark grey with
///   partial opacity (overlaps show darker), the median is a thick black
///   tick and the 90th percentile a dashed one; lines differ by dash pattern
///   and marker shape as well as colour (Okabe–Ito), bar segments by
///   lightness and hatching as well as colour. A legend names every mark.
/// - **Screen readers**: `role="img"` with a `<title>` and a `<desc>` that
///   states the numbers; the page adds a table beside the chart.
/// - **Deterministic**: the same data draws the same bytes (dots are
///   jittered by a hash of their key, never at random), so pages can be
///   compared and tested.
enum InsightsCharts {
    /// Dots drawn per row at most. Beyond this a row is sampled evenly by
    /// rank, so its shape stays right while the page stays a reasonable size
    /// (100,000 incidents in a year are possible; 2,000 dots already fill a
    /// row). The median and p90 still come from every value.
    static let maxDotsPerRow = 2000

    /// Steps drawn per ECDF line at most: finer than the screen can show.
    static let maxStepsPerLine = 500

    /// ECDF lines drawn at most: beyond eight, dash patterns and markers stop
    /// being told apart. The rest are named in a note and stay in the table.
    static let maxLines = 8

    /// A log axis has no place for zero, and a time to detect of zero is
    /// common and true (the alert that detected the impact is its first sign),
    /// so durations under ten seconds are drawn at ten seconds, and the chart
    /// says so.
    static let durationFloor: TimeInterval = 10

    /// The ticks a log time axis may have: round durations people think in.
    static let tickCandidates: [TimeInterval] = [
        10, 60, 5 * 60, 15 * 60, 3600, 4 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 90 * 86_400, 365 * 86_400,
    ]

    /// The ticks of a log time axis that covers `min` … `max` (seconds): from
    /// the largest candidate at or below `min` to the smallest at or above
    /// `max`, at least two. Values under `durationFloor` count as the floor,
    /// so an axis with zeros starts at 10 s; an axis past a year ends at the
    /// largest value, after the last tick.
    static func logTicks(min: TimeInterval, max: TimeInterval) -> [TimeInterval] {
        let c = tickCandidates
        var a = min.isFinite ? Swift.max(min, durationFloor) : durationFloor
        var b = max.isFinite ? Swift.max(max, durationFloor) : durationFloor
        if a > b { swap(&a, &b) }
        var lo = c.lastIndex { $0 <= a } ?? 0
        var hi = c.firstIndex { $0 >= b } ?? c.count - 1
        if hi <= lo {
            if lo + 1 < c.count { hi = lo + 1 } else { lo = hi - 1 }
        }
        return Array(c[lo ... hi])
    }

    // MARK: Strip plot

    /// A strip plot: one row per group, one dot per incident on a log time
    /// axis, with the median as a thick tick and the 90th percentile as a
    /// dashed one. Dots of incidents with a key link to them and name them on
    /// hover and focus. `title` names the chart (`<title>`); `description`
    /// opens its `<desc>`, which then states every row's numbers.
    static func stripPlot(rows: [StripRow], title: String, description: String) -> String {
        let id = chartID("strip", title, description, rows.map(\.label))
        let layout = Layout.standard
        var lo = Double.infinity, hi = -Double.infinity
        var belowFloor = false
        for row in rows {
            for p in row.values where p.duration.isFinite {
                lo = Swift.min(lo, p.duration)
                hi = Swift.max(hi, p.duration)
                if p.duration < durationFloor { belowFloor = true }
            }
        }
        if lo > hi { lo = 60; hi = 86_400 }  // nothing to draw: a plain one-day axis
        let axis = LogTimeAxis(min: lo, max: hi, from: layout.left, to: layout.right)

        var body = ""
        var summary: [String] = []
        var y = layout.top
        let bandHeight = 30.0
        for row in rows {
            let points = row.values.enumerated()
                .filter { $0.element.duration.isFinite }
                .sorted { $0.element.duration != $1.element.duration ? $0.element.duration < $1.element.duration : $0.offset < $1.offset }
                .map(\.element)
            let n = points.count
            let shown = sampledByRank(points, limit: maxDotsPerRow)

            // The row's heading: the label, the count, and the figures at the
            // right, or under the label when both would not fit.
            let countText = shown.count < n ? "n = \(grouped(n)) (\(grouped(shown.count)) drawn)" : "n = \(grouped(n))"
            var figures: [String] = []
            if let m = row.median { figures.append("median \(LoreTime.duration(m))") }
            if let p = row.p90 { figures.append("p90 \(LoreTime.duration(p))") }
            let figuresText = figures.joined(separator: ", ")
            let labelRoom = layout.width - textWidth(countText, 12) - 6
            let label = fitted(row.label, width: labelRoom, fontSize: 13, bold: true)
            let headWidth = textWidth(label, 13, bold: true) + 6 + textWidth(countText, 12)
            let figuresBeside = headWidth + 12 + textWidth(figuresText, 12) <= layout.width
            y += 14
            body += "<text x=\"\(num(layout.left))\" y=\"\(num(y))\"><title>\(xml(row.label))</title>"
            body += "<tspan font-weight=\"bold\">\(xml(label))</tspan><tspan fill=\"#4a4f54\" font-size=\"12\" dx=\"6\">\(countText)</tspan></text>"
            if !figuresText.isEmpty {
                if figuresBeside {
                    body += "<text x=\"\(num(layout.right))\" y=\"\(num(y))\" text-anchor=\"end\" font-size=\"12\" fill=\"#30353a\">\(xml(figuresText))</text>"
                } else {
                    y += 15
                    body += "<text x=\"\(num(layout.left))\" y=\"\(num(y))\" font-size=\"12\" fill=\"#30353a\">\(xml(figuresText))</text>"
                }
            }

            // The band: a light background and the ticks' grid lines, so each
            // dot can be read against the axis.
            let top = y + 6, bottom = top + bandHeight, middle = top + bandHeight / 2
            body += "<rect x=\"\(num(layout.left))\" y=\"\(num(top))\" width=\"\(num(layout.width))\" height=\"\(num(bandHeight))\" fill=\"#f1f3f4\"/>"
            for t in axis.ticks {
                body += "<line x1=\"\(num(axis.x(t)))\" x2=\"\(num(axis.x(t)))\" y1=\"\(num(top))\" y2=\"\(num(bottom))\" stroke=\"#cfd4d8\"/>"
            }

            if n == 0 {
                body += "<text x=\"\(num(layout.left + layout.width / 2))\" y=\"\(num(middle + 4))\" text-anchor=\"middle\" font-size=\"12\" font-style=\"italic\" fill=\"#4a4f54\">no incidents</text>"
            } else {
                // Fainter dots when there are many, so that density still
                // shows as darkness instead of one solid bar.
                let opacity = shown.count <= 100 ? "0.5" : shown.count <= 500 ? "0.3" : "0.15"
                body += "<g fill=\"#2b2f33\" fill-opacity=\"\(opacity)\">"
                for (i, p) in shown.enumerated() {
                    let cx = num(axis.x(Swift.max(p.duration, durationFloor)))
                    let cy = num(middle + (jitter(key: p.key, index: i) * 2 - 1) * (bandHeight / 2 - 4))
                    let time = LoreTime.duration(p.duration)
                    if let key = p.key, !key.isEmpty {
                        let name = p.title.map { "\(key) — \($0)" } ?? key
                        body += "<a href=\"/incidents/\(xml(pathSegment(key)))\"><title>\(xml(name)): \(time)</title><circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\"/></a>"
                    } else {
                        body += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\"><title>an incident: \(time)</title></circle>"
                    }
                }
                body += "</g>"
            }

            // Median and p90 on top of the dots, each with a white outline so
            // it stays visible inside a dark cloud of dots.
            if let m = row.median {
                let x = num(axis.x(Swift.max(m, durationFloor)))
                body += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(num(top - 3))\" y2=\"\(num(bottom + 3))\" stroke=\"#fff\" stroke-width=\"6\"/>"
                body += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(num(top - 3))\" y2=\"\(num(bottom + 3))\" stroke=\"#000\" stroke-width=\"3\"><title>median: \(LoreTime.duration(m))</title></line>"
            }
            if let p = row.p90 {
                let x = num(axis.x(Swift.max(p, durationFloor)))
                body += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(num(top - 3))\" y2=\"\(num(bottom + 3))\" stroke=\"#fff\" stroke-width=\"5\"/>"
                body += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(num(top - 3))\" y2=\"\(num(bottom + 3))\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"5 3\"><title>90th percentile: \(LoreTime.duration(p))</title></line>"
            }
            y = bottom + 14

            var sentence = n == 0 ? "\(row.label): no incidents" : "\(row.label): \(grouped(n)) \(n == 1 ? "incident" : "incidents")"
            if let m = row.median { sentence += ", median \(LoreTime.duration(m))" }
            if let p = row.p90 { sentence += ", 90th percentile \(LoreTime.duration(p))" }
            if shown.count < n {
                sentence += " (dots drawn for a sample of \(grouped(shown.count)) of the \(grouped(n)), spread evenly by duration)"
            }
            summary.append(sentence + ".")
        }
        if rows.isEmpty {
            y += 18
            body += "<text x=\"\(num(layout.left))\" y=\"\(num(y))\" font-style=\"italic\" fill=\"#4a4f54\">No incidents.</text>"
            y += 10
        }

        // The time axis under the last row.
        y = Swift.max(y - 6, layout.top)
        body += axisLabels(axis, y: y + 12, floorUsed: belowFloor)
        y += 28
        body += "<text x=\"\(num(layout.left + layout.width / 2))\" y=\"\(num(y))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a4f54\">time (log scale)</text>"

        // The legend: every mark named, since none is told by colour.
        y += 22
        let ly = num(y)
        body += "<g font-size=\"11\" fill=\"#30353a\">"
        body += "<circle cx=\"\(num(layout.left + 4))\" cy=\"\(num(y - 4))\" r=\"3.5\" fill=\"#2b2f33\" fill-opacity=\"0.5\"/>"
        body += "<text x=\"\(num(layout.left + 12))\" y=\"\(ly)\">one incident</text>"
        let mx = layout.left + 96
        body += "<line x1=\"\(num(mx))\" x2=\"\(num(mx))\" y1=\"\(num(y - 11))\" y2=\"\(num(y + 2))\" stroke=\"#000\" stroke-width=\"3\"/>"
        body += "<text x=\"\(num(mx + 7))\" y=\"\(ly)\">median</text>"
        let px = mx + 66
        body += "<line x1=\"\(num(px))\" x2=\"\(num(px))\" y1=\"\(num(y - 11))\" y2=\"\(num(y + 2))\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
        body += "<text x=\"\(num(px + 7))\" y=\"\(ly)\">p90: 90th percentile</text>"
        body += "</g>"
        if belowFloor {
            y += 17
            body += floorNote(x: layout.left, y: y)
        }
        y += 10

        var desc = [description.trimmingCharacters(in: .whitespacesAndNewlines)]
        desc.append("Strip plot: each dot is one incident, on a logarithmic time axis from \(axis.rangeText); a thick tick marks each group's median and a dashed tick its 90th percentile.")
        if belowFloor { desc.append(floorSentence) }
        desc += summary
        return document(id: id, height: y, title: title, desc: desc, body: body)
    }

    /// Times under the axis's floor (0 s among them) are drawn at it; a
    /// chart that does so says it once in the picture and in its description.
    static var floorSentence: String {
        "Times under \(LoreTime.duration(durationFloor)), 0 s included, are drawn at \(LoreTime.duration(durationFloor))."
    }

    static func floorNote(x: Double, y: Double) -> String {
        "<text x=\"\(num(x))\" y=\"\(num(y))\" font-size=\"11\" fill=\"#4a4f54\">Times under \(LoreTime.duration(durationFloor)), 0 s included, are drawn at ≤\(LoreTime.duration(durationFloor)).</text>"
    }

    // MARK: ECDF

    /// An empirical cumulative distribution per group: for each duration on
    /// the log axis, the share of the group's incidents that took at most
    /// that long, as a step line. Lines differ by dash pattern and marker
    /// shape as well as colour; each line's marker sits on its median (where
    /// it crosses 50 %). Up to `maxLines` groups are drawn, the rest named in
    /// a note.
    static func ecdf(rows: [ECDFRow], title: String, description: String) -> String {
        let id = chartID("ecdf", title, description, rows.map(\.label))
        // Room above the plot for what the vertical axis means.
        let layout = Layout(left: 42, right: 378, top: 30)
        let drawn = Array(rows.prefix(maxLines))
        let series: [[Double]] = drawn.map { row in
            let v = row.values.filter(\.isFinite)
            return zip(v, v.dropFirst()).allSatisfy { $0 <= $1 } ? v : v.sorted()
        }
        var lo = Double.infinity, hi = -Double.infinity
        for s in series {
            if let f = s.first { lo = Swift.min(lo, f) }
            if let l = s.last { hi = Swift.max(hi, l) }
        }
        let belowFloor = lo < durationFloor
        if lo > hi { lo = 60; hi = 86_400 }
        let axis = LogTimeAxis(min: lo, max: hi, from: layout.left, to: layout.right)
        let plotHeight = 180.0
        let top = layout.top, bottom = top + plotHeight
        func y(_ share: Double) -> Double { bottom - share * plotHeight }

        var body = "<text x=\"12\" y=\"14\" font-size=\"11\" fill=\"#4a4f54\">share of incidents that took at most this long</text>"
        // Grid: the shares people read off (50 % is each median, 90 % each
        // p90) and the time ticks.
        for t in axis.ticks {
            body += "<line x1=\"\(num(axis.x(t)))\" x2=\"\(num(axis.x(t)))\" y1=\"\(num(top))\" y2=\"\(num(bottom))\" stroke=\"#dde1e4\"/>"
        }
        for share in [0, 0.25, 0.5, 0.75, 0.9, 1] {
            let stroke = share == 0.5 || share == 0.9 ? "#8a9196" : "#dde1e4"
            let dash = share == 0.9 ? " stroke-dasharray=\"4 3\"" : ""
            body += "<line x1=\"\(num(layout.left))\" x2=\"\(num(layout.right))\" y1=\"\(num(y(share)))\" y2=\"\(num(y(share)))\" stroke=\"\(stroke)\"\(dash)/>"
            body += "<text x=\"\(num(layout.left - 5))\" y=\"\(num(y(share) + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#30353a\">\(Int((share * 100).rounded())) %</text>"
        }
        body += "<line x1=\"\(num(layout.left))\" x2=\"\(num(layout.right))\" y1=\"\(num(bottom))\" y2=\"\(num(bottom))\" stroke=\"#30353a\"/>"

        var summary: [String] = []
        var lines = ""
        var markers = ""
        for (i, (row, values)) in zip(drawn, series).enumerated() {
            let style = LineStyle.all[i % LineStyle.all.count]
            let n = values.count
            guard n > 0 else {
                summary.append("\(row.label): no incidents.")
                continue
            }
            let median = DurationDistribution.percentile(sorted: values, 0.5) ?? values[0]
            let p90 = DurationDistribution.percentile(sorted: values, 0.9) ?? values[n - 1]
            let figures = "\(grouped(n)) \(n == 1 ? "incident" : "incidents"), median \(LoreTime.duration(median)), 90th percentile \(LoreTime.duration(p90))"
            // The step line, at most `maxStepsPerLine` steps taken evenly by
            // rank: each step rises to the share of incidents at or below
            // that duration.
            let steps = Swift.min(n, maxStepsPerLine)
            var d = "M\(num(axis.x(Swift.max(values[0], durationFloor)))) \(num(y(0)))"
            var lastX = ""
            for s in 1 ... steps {
                let rank = Int((Double(s) * Double(n) / Double(steps)).rounded(.up))
                let x = num(axis.x(Swift.max(values[rank - 1], durationFloor)))
                if x != lastX { d += "H\(x)"; lastX = x }
                d += "V\(num(y(Double(rank) / Double(n))))"
            }
            d += "H\(num(layout.right))"
            lines += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(style.colour)\" stroke-width=\"\(style.width)\"\(style.dashAttribute)><title>\(xml(row.label)): \(figures)</title></path>"
            markers += "<path d=\"\(style.marker.path(x: axis.x(Swift.max(median, durationFloor)), y: y(0.5), size: 5))\" fill=\"\(style.colour)\" stroke=\"#fff\"><title>\(xml(row.label)): median \(LoreTime.duration(median))</title></path>"
            summary.append("\(row.label) (\(style.name), \(style.marker.name)): \(figures).")
        }
        body += lines + markers

        var yy = bottom
        body += axisLabels(axis, y: yy + 14, floorUsed: belowFloor)
        yy += 30
        body += "<text x=\"\(num(layout.left + (layout.right - layout.left) / 2))\" y=\"\(num(yy))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a4f54\">time (log scale)</text>"

        // Legend: one line per group, stacked so that long names fit a phone.
        yy += 8
        for (i, (row, values)) in zip(drawn, series).enumerated() {
            let style = LineStyle.all[i % LineStyle.all.count]
            yy += 19
            let n = values.count
            let count = n == 0 ? "no incidents" : "n = \(grouped(n)), median \(LoreTime.duration(DurationDistribution.percentile(sorted: values, 0.5) ?? 0))"
            if n > 0 {
                body += "<line x1=\"12\" x2=\"48\" y1=\"\(num(yy - 4))\" y2=\"\(num(yy - 4))\" stroke=\"\(style.colour)\" stroke-width=\"\(style.width)\"\(style.dashAttribute)/>"
                body += "<path d=\"\(style.marker.path(x: 30, y: yy - 4, size: 5))\" fill=\"\(style.colour)\" stroke=\"#fff\"/>"
            }
            let room = 388 - 56 - textWidth(count, 11) - 6
            body += "<text x=\"56\" y=\"\(num(yy))\" font-size=\"12\"><tspan font-weight=\"bold\">\(xml(fitted(row.label, width: room, fontSize: 12, bold: true)))</tspan><tspan dx=\"6\" font-size=\"11\" fill=\"#4a4f54\">\(count)</tspan></text>"
        }
        let omitted = rows.count - drawn.count
        if omitted > 0 {
            yy += 19
            let note = "Not drawn: \(omitted) more \(omitted == 1 ? "group" : "groups") (see the table)."
            body += "<text x=\"12\" y=\"\(num(yy))\" font-size=\"11\" font-style=\"italic\" fill=\"#4a4f54\">\(note)</text>"
            summary.append(note + " " + rows.dropFirst(drawn.count).map(\.label).joined(separator: ", ") + ".")
        }
        if belowFloor {
            yy += 17
            body += floorNote(x: 12, y: yy)
        }
        yy += 10

        var desc = [description.trimmingCharacters(in: .whitespacesAndNewlines)]
        desc.append("Empirical cumulative distribution: each line shows, for one group, the share of incidents that took at most a given time, on a logarithmic time axis from \(axis.rangeText); a line crosses 50 % at its median, marked with its symbol.")
        if belowFloor { desc.append(floorSentence) }
        desc += summary
        return document(id: id, height: yy, title: title, desc: desc, body: body)
    }

    // MARK: Share bars

    /// Stacked 100 % bars, one per period: how the period's incidents split
    /// (detected by monitoring, by customers, other). Parts with the same
    /// label get the same fill in every period; fills differ in lightness
    /// and hatching, not only colour. Percentages are written where they
    /// fit; every segment's count is in its `<title>` and in the `<desc>`.
    static func shareBars(
        periods: [(label: String, parts: [(label: String, count: Int)])], title: String, description: String
    ) -> String {
        let id = chartID("share", title, description, periods.map(\.label) + periods.flatMap { $0.parts.map(\.label) })
        let layout = Layout.standard
        var kinds: [String] = []
        for period in periods {
            for part in period.parts where !kinds.contains(part.label) { kinds.append(part.label) }
        }
        func style(_ label: String) -> (fill: String, index: Int) {
            let k = kinds.firstIndex(of: label) ?? 0
            let s = ShareFill.all[k % ShareFill.all.count]
            return (s.pattern == nil ? s.base : "url(#\(id)-f\(k % ShareFill.all.count))", k % ShareFill.all.count)
        }

        var defs = "<defs>"
        for (i, fill) in ShareFill.all.enumerated() where i < kinds.count {
            if let pattern = fill.pattern { defs += pattern(id + "-f\(i)") }
        }
        defs += "</defs>"

        var body = ""
        var summary: [String] = []
        var y = layout.top
        let barHeight = 28.0
        for period in periods {
            let parts = period.parts.map { (label: $0.label, count: Swift.max(0, $0.count)) }
            let total = parts.reduce(0) { $0 + $1.count }
            let countText = "n = \(grouped(total))"
            y += 14
            let label = fitted(period.label, width: layout.width - textWidth(countText, 12) - 6, fontSize: 13, bold: true)
            body += "<text x=\"\(num(layout.left))\" y=\"\(num(y))\"><title>\(xml(period.label))</title><tspan font-weight=\"bold\">\(xml(label))</tspan><tspan dx=\"6\" font-size=\"12\" fill=\"#4a4f54\">\(countText)</tspan></text>"
            let top = y + 6
            if total == 0 {
                body += "<rect x=\"\(num(layout.left))\" y=\"\(num(top))\" width=\"\(num(layout.width))\" height=\"\(num(barHeight))\" fill=\"#fff\" stroke=\"#8a9196\" stroke-dasharray=\"4 3\"/>"
                body += "<text x=\"\(num(layout.left + layout.width / 2))\" y=\"\(num(top + barHeight / 2 + 4))\" text-anchor=\"middle\" font-size=\"12\" font-style=\"italic\" fill=\"#4a4f54\">no incidents</text>"
                summary.append("\(period.label): no incidents.")
            } else {
                var x = layout.left
                var texts = ""
                var words: [String] = []
                for part in parts where part.count > 0 {
                    let w = layout.width * Double(part.count) / Double(total)
                    let (fill, k) = style(part.label)
                    let percent = "\(percentage(part.count, of: total)) %"
                    body += "<rect x=\"\(num(x))\" y=\"\(num(top))\" width=\"\(num(w))\" height=\"\(num(barHeight))\" fill=\"\(fill)\"><title>\(xml(part.label)): \(grouped(part.count)) of \(grouped(total)) (\(percent))</title></rect>"
                    // A white gap between segments, so neighbours stay apart
                    // in greyscale.
                    if x > layout.left {
                        body += "<line x1=\"\(num(x))\" x2=\"\(num(x))\" y1=\"\(num(top))\" y2=\"\(num(top + barHeight))\" stroke=\"#fff\" stroke-width=\"2\"/>"
                    }
                    if w >= textWidth(percent, 12, bold: true) + 8 {
                        let f = ShareFill.all[k]
                        // The halo in the segment's base colour keeps the
                        // number legible over hatching.
                        texts += "<text x=\"\(num(x + w / 2))\" y=\"\(num(top + barHeight / 2 + 4))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"\(f.text)\" stroke=\"\(f.base)\" stroke-width=\"3\" paint-order=\"stroke\" pointer-events=\"none\">\(percent)</text>"
                    }
                    words.append("\(part.label) \(grouped(part.count)) (\(percent))")
                    x += w
                }
                body += "<rect x=\"\(num(layout.left))\" y=\"\(num(top))\" width=\"\(num(layout.width))\" height=\"\(num(barHeight))\" fill=\"none\" stroke=\"#30353a\"/>"
                body += texts
                summary.append("\(period.label): \(grouped(total)) \(total == 1 ? "incident" : "incidents"); " + words.joined(separator: ", ") + ".")
            }
            y = top + barHeight + 12
        }
        if periods.isEmpty {
            y += 18
            body += "<text x=\"\(num(layout.left))\" y=\"\(num(y))\" font-style=\"italic\" fill=\"#4a4f54\">No incidents.</text>"
            y += 6
        }

        // Legend, flowing onto new lines as the width runs out.
        var lx = layout.left
        y += 16
        for kind in kinds {
            let text = fitted(kind, width: layout.width - 20, fontSize: 12)
            let w = 20 + textWidth(text, 12) + 14
            if lx > layout.left && lx + w > layout.right {
                lx = layout.left
                y += 20
            }
            body += "<rect x=\"\(num(lx))\" y=\"\(num(y - 11))\" width=\"14\" height=\"14\" fill=\"\(style(kind).fill)\" stroke=\"#30353a\"/>"
            body += "<text x=\"\(num(lx + 20))\" y=\"\(num(y))\" font-size=\"12\">\(xml(text))</text>"
            lx += w
        }
        y += 12

        var desc = [description.trimmingCharacters(in: .whitespacesAndNewlines)]
        desc.append("Stacked bars, one per period, each split into the shares of its incidents.")
        desc += summary
        return document(id: id, height: y, title: title, desc: desc, body: defs + body)
    }

    // MARK: - Pieces

    /// Horizontal extent of a chart in `viewBox` units; 400 wide (see the
    /// type's comment on phones).
    struct Layout {
        var left: Double
        var right: Double
        var top: Double
        var width: Double { right - left }
        static let viewWidth = 400.0
        /// Room at the sides for the first and last tick labels ("≤10 s",
        /// "365 d") centred on their ticks.
        static let standard = Layout(left: 20, right: 378, top: 4)
    }

    /// A log time axis placed on `from` … `to`.
    struct LogTimeAxis {
        let ticks: [TimeInterval]
        let lo: Double
        let hi: Double
        let from: Double
        let to: Double

        init(min: TimeInterval, max: TimeInterval, from: Double, to: Double) {
            ticks = InsightsCharts.logTicks(min: min, max: max)
            lo = ticks[0]
            // Past the last candidate (a year) the axis ends at the largest
            // value, so nothing is drawn off the end.
            hi = Swift.max(ticks[ticks.count - 1], max.isFinite ? max : 0)
            self.from = from
            self.to = to
        }

        /// Where a duration sits; values outside the axis sit at its ends.
        func x(_ value: TimeInterval) -> Double {
            let v = Swift.min(Swift.max(value, lo), hi)
            return from + (log(v) - log(lo)) / (log(hi) - log(lo)) * (to - from)
        }

        var rangeText: String { "\(LoreTime.duration(lo)) to \(LoreTime.duration(hi))" }
    }

    /// Tick labels under an axis, skipping any that would overlap the one
    /// before (5 min and 15 min are close on a long axis).
    static func axisLabels(_ axis: LogTimeAxis, y: Double, floorUsed: Bool) -> String {
        var out = "<g font-size=\"11\" fill=\"#30353a\" text-anchor=\"middle\">"
        var lastRight = -Double.infinity
        for t in axis.ticks {
            let text = t == durationFloor && floorUsed ? "≤\(LoreTime.duration(t))" : LoreTime.duration(t)
            let x = axis.x(t)
            let half = textWidth(text, 11) / 2
            guard x - half >= lastRight + 4 else { continue }
            out += "<line x1=\"\(num(x))\" x2=\"\(num(x))\" y1=\"\(num(y - 14))\" y2=\"\(num(y - 10))\" stroke=\"#30353a\"/>"
            out += "<text x=\"\(num(x))\" y=\"\(num(y))\">\(xml(text))</text>"
            lastRight = x + half
        }
        return out + "</g>"
    }

    /// The `<svg>` around a chart's body. No `<style>` inside: the pages'
    /// Content-Security-Policy (`style-src 'self'`) would refuse it, so the
    /// hover and focus rule for the dots lives in lore.css.
    static func document(id: String, height: Double, title: String, desc: [String], body: String) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lore-chart\" viewBox=\"0 0 \(num(Layout.viewWidth)) \(num(height.rounded(.up)))\" width=\"100%\""
        out += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"system-ui, -apple-system, Segoe UI, Roboto, sans-serif\" font-size=\"13\" fill=\"#1d2327\">"
        out += "<title id=\"\(id)-title\">\(xml(title))</title>"
        out += "<desc id=\"\(id)-desc\">\(xml(desc.filter { !$0.isEmpty }.joined(separator: " ")))</desc>"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        out += body
        out += "</svg>"
        return out
    }

    /// `limit` of the sorted `points`, at evenly spaced ranks from the
    /// shortest to the longest, so the sample keeps the shape of the whole.
    static func sampledByRank<T>(_ points: [T], limit: Int) -> [T] {
        let n = points.count
        guard n > limit, limit > 1 else { return points }
        let step = Double(n - 1) / Double(limit - 1)
        return (0 ..< limit).map { points[Swift.min(n - 1, Int((Double($0) * step).rounded()))] }
    }

    /// 0 ..< 1 from the key (the same incident keeps its height whatever else
    /// is drawn), or from the rank for dots without one. A fixed hash:
    /// Swift's `hashValue` is seeded per process and would move dots on
    /// every request.
    static func jitter(key: String?, index: Int) -> Double {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        if let key, !key.isEmpty {
            for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        } else {
            var i = UInt64(truncatingIfNeeded: index)
            for _ in 0 ..< 8 { h = (h ^ (i & 0xff)) &* 0x100_0000_01b3; i >>= 8 }
        }
        // SplitMix64's finaliser: neighbouring keys (INC-11, INC-12) end up
        // far apart.
        h ^= h >> 30; h &*= 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h &*= 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return Double(h >> 11) / Double(UInt64(1) << 53)
    }

    /// A short id for the `<title>`/`<desc>` references and patterns, from
    /// the chart's text, so that two charts on one page do not share ids and
    /// the output stays deterministic.
    static func chartID(_ kind: String, _ title: String, _ description: String, _ labels: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [kind, title, description] + labels {
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0x1f) &* 0x100_0000_01b3
        }
        return "lore-\(kind)-" + String(h >> 32, radix: 16)
    }

    /// Escapes data for XML and HTML alike, through Lore's one escape
    /// (`Markdown.escape`: `& < > " '`). Control characters that XML cannot
    /// hold at all are dropped first: Lore refuses them on the way in, but an
    /// old import may still carry one, and it would make the SVG unreadable
    /// as XML.
    static func xml(_ text: String) -> String {
        let clean: String
        if text.unicodeScalars.contains(where: isForbiddenInXML) {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.filter { !isForbiddenInXML($0) })
            clean = String(scalars)
        } else {
            clean = text
        }
        return Markdown.escape(clean)
    }

    private static func isForbiddenInXML(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF
    }

    /// The key as one path segment: only letters, digits, `-` and `_` pass
    /// as they are, so a key can never climb out of `/incidents/` (`..`) or
    /// add a query.
    static func pathSegment(_ key: String) -> String {
        var out = ""
        for b in key.utf8 {
            switch b {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                out.append(Character(Unicode.Scalar(b)))
            default:
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, written the same in every
    /// locale (a comma would break the SVG).
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let t = Int((v * 10).rounded())
        let whole = t / 10, tenth = abs(t % 10)
        let sign = t < 0 && whole == 0 ? "-" : ""
        return tenth == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(tenth)"
    }

    /// `100,000`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Rounded, but never 100 while a part is missing nor 0 while one is
    /// there (the rule of `MitigatedWithin`'s sentence).
    static func percentage(_ part: Int, of whole: Int) -> Int {
        guard whole > 0 else { return 0 }
        let p = Int((Double(part) * 100 / Double(whole)).rounded())
        if part < whole && p == 100 { return 99 }
        if part > 0 && p == 0 { return 1 }
        return p
    }

    /// A rough width of text in the system sans-serif: enough to decide
    /// whether a label fits, not to typeset. Errs wide.
    static func textWidth(_ text: String, _ fontSize: Double, bold: Bool = false) -> Double {
        Double(text.count) * fontSize * (bold ? 0.62 : 0.57)
    }

    /// `text`, shortened with "…" to fit `width`. The full text stays in a
    /// `<title>` beside it.
    static func fitted(_ text: String, width: Double, fontSize: Double, bold: Bool = false) -> String {
        let maxChars = Swift.max(4, Int(width / (fontSize * (bold ? 0.62 : 0.57))))
        guard text.count > maxChars else { return text }
        return String(text.prefix(maxChars - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// How one ECDF line is drawn: colour (Okabe and Ito's palette, safe for
    /// the common colour blindnesses), dash pattern and marker, each enough
    /// on its own to tell the lines apart.
    struct LineStyle {
        var colour: String
        var dash: String?
        var width: String
        var name: String
        var marker: Marker

        var dashAttribute: String { dash.map { " stroke-dasharray=\"\($0)\"" } ?? "" }

        static let all: [LineStyle] = [
            LineStyle(colour: "#000000", dash: nil, width: "2.5", name: "solid black line", marker: .circle),
            LineStyle(colour: "#0072B2", dash: "8 4", width: "2.5", name: "blue dashed line", marker: .square),
            LineStyle(colour: "#D55E00", dash: "2 3", width: "2.5", name: "vermilion dotted line", marker: .triangleUp),
            LineStyle(colour: "#009E73", dash: "10 3 2 3", width: "2.5", name: "green dash-dot line", marker: .diamond),
            LineStyle(colour: "#CC79A7", dash: "4 2", width: "2", name: "pink short-dashed line", marker: .triangleDown),
            LineStyle(colour: "#E69F00", dash: "14 4", width: "2.5", name: "orange long-dashed line", marker: .pentagon),
            LineStyle(colour: "#56B4E9", dash: "2 2 8 2", width: "2.5", name: "sky-blue dot-dash line", marker: .hexagon),
            LineStyle(colour: "#5f6b73", dash: "1 4", width: "3", name: "grey sparse-dotted line", marker: .star),
        ]
    }

    /// Shapes for the ECDF lines' median markers.
    enum Marker {
        case circle, square, triangleUp, diamond, triangleDown, pentagon, hexagon, star

        var name: String {
            switch self {
            case .circle: "circle"
            case .square: "square"
            case .triangleUp: "triangle"
            case .diamond: "diamond"
            case .triangleDown: "upside-down triangle"
            case .pentagon: "pentagon"
            case .hexagon: "hexagon"
            case .star: "star"
            }
        }

        /// A closed path of about `size` radius around (x, y).
        func path(x: Double, y: Double, size r: Double) -> String {
            func polygon(_ corners: Int, rotation: Double, inner: Double? = nil) -> String {
                let count = inner == nil ? corners : corners * 2
                var d = ""
                for i in 0 ..< count {
                    let angle = rotation + Double(i) * 2 * Double.pi / Double(count)
                    let radius = inner != nil && i % 2 == 1 ? r * inner! : r
                    d += (i == 0 ? "M" : "L") + "\(num(x + radius * cos(angle))) \(num(y + radius * sin(angle)))"
                }
                return d + "Z"
            }
            switch self {
            case .circle:
                return "M\(num(x - r)) \(num(y))a\(num(r)) \(num(r)) 0 1 0 \(num(2 * r)) 0a\(num(r)) \(num(r)) 0 1 0 \(num(-2 * r)) 0Z"
            case .square: return polygon(4, rotation: Double.pi / 4)
            case .triangleUp: return polygon(3, rotation: -Double.pi / 2)
            case .diamond: return polygon(4, rotation: 0)
            case .triangleDown: return polygon(3, rotation: Double.pi / 2)
            case .pentagon: return polygon(5, rotation: -Double.pi / 2)
            case .hexagon: return polygon(6, rotation: 0)
            case .star: return polygon(5, rotation: -Double.pi / 2, inner: 0.45)
            }
        }
    }

    /// How one kind of share bar segment is filled: a base colour
    /// (Okabe–Ito) whose lightness differs from its neighbours', plus a
    /// hatching for the middle ones, so greyscale print still tells them
    /// apart; `text` is the colour a percentage is written in over it.
    struct ShareFill {
        var base: String
        var text: String
        var pattern: (@Sendable (String) -> String)?

        static func lines(_ base: String, rotation: Int, opacity: String) -> @Sendable (String) -> String {
            { id in
                "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(\(rotation))\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(base)\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-opacity=\"\(opacity)\" stroke-width=\"1.5\"/></pattern>"
            }
        }

        static func dots(_ base: String) -> @Sendable (String) -> String {
            { id in
                "<pattern id=\"\(id)\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
                    + "<rect width=\"5\" height=\"5\" fill=\"\(base)\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.1\" fill=\"#000\" fill-opacity=\"0.55\"/></pattern>"
            }
        }

        static let all: [ShareFill] = [
            ShareFill(base: "#0072B2", text: "#fff", pattern: nil),  // dark, plain
            ShareFill(base: "#E69F00", text: "#000", pattern: lines("#E69F00", rotation: 45, opacity: "0.35")),  // middle, diagonal
            ShareFill(base: "#e4e6e8", text: "#000", pattern: nil),  // light, plain
            ShareFill(base: "#56B4E9", text: "#000", pattern: dots("#56B4E9")),  // middle, dotted
            ShareFill(base: "#CC79A7", text: "#000", pattern: lines("#CC79A7", rotation: 0, opacity: "0.4")),  // middle, vertical
            ShareFill(base: "#ffffff", text: "#000", pattern: lines("#ffffff", rotation: -45, opacity: "0.6")),  // white, other diagonal
        ]
    }
}
