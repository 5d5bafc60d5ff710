import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoreCore
import Testing
@testable import LoreServer

/// The Insights charts are put into pages unescaped (`{{{svg}}}`), so these
/// tests hold them to well-formed XML with every piece of data escaped, and
/// check the marks the page relies on: ticks, links only where allowed, the
/// median and p90, and the dot cap.
@Suite("Insights charts")
struct InsightsChartsTests {
    static let hostile = "<script>alert(1)</script> & \"x\" 'y'"

    /// The SVG parses as XML: nothing from data opened or closed an element.
    static func isWellFormed(_ svg: String) -> Bool {
        XMLParser(data: Data(svg.utf8)).parse()
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func logTicksCoverTheDataWithRoundDurations() {
        // Zero is drawn at the 10 s floor, so an axis with zeros starts there.
        #expect(InsightsCharts.logTicks(min: 0, max: 3 * 3600) == [10, 60, 300, 900, 3600, 14_400])
        #expect(InsightsCharts.logTicks(min: 120, max: 2 * 86_400) == [60, 300, 900, 3600, 14_400, 86_400, 604_800])
        // A single value still gets an axis of two ticks.
        #expect(InsightsCharts.logTicks(min: 3600, max: 3600) == [3600, 14_400])
        // Bounds the wrong way round are read the right way round.
        #expect(InsightsCharts.logTicks(min: 5 * 3600, max: 60) == [60, 300, 900, 3600, 14_400, 86_400])
        // Past a year: the last two candidates (the axis itself reaches the value).
        #expect(InsightsCharts.logTicks(min: 400 * 86_400, max: 500 * 86_400) == [90 * 86_400, 365 * 86_400])
    }

    @Test func hostileTextIsEscapedInEveryChart() {
        let h = Self.hostile
        let strip = InsightsCharts.stripPlot(
            rows: [StripRow(label: h, values: [
                StripPoint(duration: 600, key: "INC-1\"><script>", title: h),
                StripPoint(duration: 0),
            ])],
            title: h, description: h
        )
        let ecdf = InsightsCharts.ecdf(rows: [ECDFRow(label: h, values: [60, 120, 3600])], title: h, description: h)
        let bars = InsightsCharts.shareBars(
            periods: [(label: h, parts: [(label: h, count: 3), (label: "other", count: 1)])], title: h, description: h
        )
        // The check itself can fail: a bare ampersand is not XML.
        #expect(!Self.isWellFormed("<svg><title>a & b</title></svg>"))
        for svg in [strip, ecdf, bars] {
            #expect(Self.isWellFormed(svg))
            #expect(!svg.contains("<script"))
            #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"))
        }
        // The key cannot leave its path segment or its attribute.
        #expect(strip.contains("href=\"/incidents/INC-1%22%3E%3Cscript%3E\""))
    }

    @Test func aControlCharacterFromAnOldImportDoesNotBreakTheXML() {
        let svg = InsightsCharts.stripPlot(
            rows: [StripRow(label: "bell\u{07}", values: [StripPoint(duration: 60, key: "INC-2", title: "nul\u{00}here")])],
            title: "t", description: ""
        )
        #expect(Self.isWellFormed(svg))
        #expect(svg.contains("INC-2 — nulhere: 1 min"))
    }

    @Test func theChartsAreAccessibleAndScaleToTheirContainer() {
        let svg = InsightsCharts.stripPlot(
            rows: [StripRow(label: "monitoring", values: [StripPoint(duration: 60)])], title: "Time to detect", description: "Q1 2026."
        )
        // No fixed size: the viewBox gives the proportions, the page the width.
        let openingTag = String(svg.prefix { $0 != ">" })
        #expect(openingTag.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(openingTag.contains(" width=\"100%\""))
        #expect(openingTag.contains(" viewBox=\"0 0 400 "))
        #expect(!openingTag.contains("height="))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains(">Time to detect</title>"))
        #expect(svg.contains("Q1 2026. Strip plot"))
        #expect(svg.contains("monitoring: 1 incident, median 1 min, 90th percentile 1 min."))
    }

    @Test func onlyPointsWithAKeyAreLinkedAndNamed() {
        let row = StripRow(label: "customer report", values: [
            StripPoint(duration: 11_100, key: "INC-12", title: "Ledger writes slow"),
            StripPoint(duration: 600, key: "INC-13"),
            // The caller did not clear the title of an incident the viewer
            // may not open: the chart still does not show it.
            StripPoint(duration: 300, key: nil, title: "Secret acquisition outage"),
        ])
        let svg = InsightsCharts.stripPlot(rows: [row], title: "Time to resolve", description: "")
        #expect(Self.isWellFormed(svg))
        #expect(Self.occurrences(of: "<a href=", in: svg) == 2)
        #expect(svg.contains("<a href=\"/incidents/INC-12\"><title>INC-12 — Ledger writes slow: 3 h 5 min</title>"))
        #expect(svg.contains("<a href=\"/incidents/INC-13\"><title>INC-13: 10 min</title>"))
        #expect(svg.contains("<title>an incident: 5 min</title>"))
        #expect(!svg.contains("Secret"))
    }

    @Test func eachRowShowsItsMedianAndP90() {
        let values = [60.0, 120, 600, 2520, 10_800].map { StripPoint(duration: $0) }
        let svg = InsightsCharts.stripPlot(
            rows: [
                StripRow(label: "monitoring", values: values),
                StripRow(label: "other", values: values, median: nil, p90: nil),
            ],
            title: "Time to mitigate", description: ""
        )
        // Type 7: the median of five is the third; p90 is 2520 + 0.6 · 8280 s.
        #expect(Self.occurrences(of: "<title>median: 10 min</title>", in: svg) == 1)
        #expect(Self.occurrences(of: "<title>90th percentile: 2 h 4 min</title>", in: svg) == 1)
        #expect(svg.contains("median 10 min, p90 2 h 4 min"))
        #expect(svg.contains("monitoring: 5 incidents, median 10 min, 90th percentile 2 h 4 min."))
        #expect(svg.contains("other: 5 incidents."))
    }

    @Test func zeroIsDrawnAtTheFloorAndTheChartSaysSo() {
        let svg = InsightsCharts.stripPlot(
            rows: [StripRow(label: "monitoring", values: [StripPoint(duration: 0), StripPoint(duration: 900)])], title: "t", description: ""
        )
        #expect(svg.contains("Times under 10 s, 0 s included, are drawn at 10 s."))
        #expect(svg.contains(">≤10 s</text>"))
        let noZero = InsightsCharts.stripPlot(rows: [StripRow(label: "m", values: [StripPoint(duration: 900)])], title: "t", description: "")
        #expect(!noZero.contains("Times under 10 s"))
    }

    @Test func aLargeRowIsSampledByRankAndSaysSo() {
        let n = 5000
        let points = (1 ... n).reversed().map { StripPoint(duration: Double($0), key: "INC-\($0)", title: "t") }
        let row = StripRow(label: "all", values: points)
        let svg = InsightsCharts.stripPlot(rows: [row], title: "t", description: "")
        #expect(Self.isWellFormed(svg))
        #expect(Self.occurrences(of: "<a href=", in: svg) == InsightsCharts.maxDotsPerRow)
        #expect(svg.contains("n = 5,000 (2,000 drawn)"))
        #expect(svg.contains("dots drawn for a sample of 2,000 of the 5,000, spread evenly by duration"))
        // The sample keeps both ends, so the shape stays right …
        #expect(svg.contains("href=\"/incidents/INC-1\""))
        #expect(svg.contains("href=\"/incidents/INC-5000\""))
        // … and the median comes from every value, not from the sample.
        #expect(row.median == 2500.5)
        #expect(svg.contains("<title>median: \(LoreTime.duration(2500.5))</title>"))
        // The same data draws the same bytes: no randomness.
        #expect(svg == InsightsCharts.stripPlot(rows: [row], title: "t", description: ""))
    }

    @Test func ecdfDrawsUpToEightDistinguishableLinesAndNamesTheRest() {
        let rows = (0 ..< 10).map { i in ECDFRow(label: "service-\(i)", values: [60, 600, 3600].map { $0 * Double(i + 1) }) }
        let svg = InsightsCharts.ecdf(rows: rows, title: "Time to resolve", description: "")
        #expect(Self.isWellFormed(svg))
        let styles = InsightsCharts.LineStyle.all
        #expect(Set(styles.map { $0.dash ?? "solid" }).count == styles.count)
        #expect(Set(styles.map(\.marker.name)).count == styles.count)
        #expect(svg.contains("service-7: 3 incidents, median"))
        #expect(!svg.contains("service-8: 3 incidents"))
        #expect(svg.contains("Not drawn: 2 more groups (see the table). service-8, service-9."))
        // Unsorted values are sorted rather than drawn wrong.
        let unsorted = InsightsCharts.ecdf(rows: [ECDFRow(label: "a", values: [3600, 60, 600])], title: "t", description: "")
        #expect(unsorted.contains("a (solid black line, circle): 3 incidents, median 10 min, 90th percentile 50 min."))
    }

    @Test func shareBarsGiveCountsAndPercentages() {
        let svg = InsightsCharts.shareBars(
            periods: [
                (label: "Q1 2026", parts: [(label: "monitoring", count: 52), (label: "customers", count: 40), (label: "other", count: 8)]),
                (label: "Q2 2026", parts: [(label: "monitoring", count: 0), (label: "customers", count: 0)]),
            ],
            title: "Detected by", description: ""
        )
        #expect(Self.isWellFormed(svg))
        #expect(svg.contains("<title>monitoring: 52 of 100 (52 %)</title>"))
        #expect(svg.contains(">52 %</text>"))
        #expect(svg.contains("Q1 2026: 100 incidents; monitoring 52 (52 %), customers 40 (40 %), other 8 (8 %)."))
        #expect(svg.contains("Q2 2026: no incidents."))
        // Never 100 % while one incident is elsewhere, never 0 % while one is there.
        #expect(InsightsCharts.percentage(199, of: 200) == 99)
        #expect(InsightsCharts.percentage(1, of: 300) == 1)
    }
}
