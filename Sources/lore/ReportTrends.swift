import ArgumentParser
import Foundation
import Logging
import LoreCore
import LoreServer
import LoreStore

extension Report {
    /// `lore report trends`: the Insights page on a terminal, as JSON (the
    /// API's shape) or as the per-incident CSV.
    struct Trends: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Durations per incident as distributions (median, 90th percentile), what changed between two periods and whether the data can tell, the longest incidents.",
            discussion: "Feedback for the organisation, not targets: there is no figure per person. Defaults: the last 12 months in quarters, grouped by detection source, time to detect.")
        @OptionGroup var data: DataOptions
        @Option(help: "Group by detection-source, service, team or severity.") var by: String?
        @Option(help: "to-detect, to-acknowledge, to-mitigate or to-resolve.") var measure: String?
        @Option(help: "From this date (YYYY-MM-DD) or RFC 3339 time.") var since: String?
        @Option(help: "Until this date (included) or RFC 3339 time (excluded).") var until: String?
        @Option(help: "quarter or month.") var split: String?
        @Option(help: "Compare from this quarter or month (2026-Q1, 2026-03).") var earlier: String?
        @Option(help: "Compare with this quarter or month.") var later: String?
        @Option(help: "Only incidents of this severity.") var severity: String?
        @Option(help: "Only incidents of this service (slug).") var service: String?
        @Option(help: "Only incidents of this team (slug).") var team: String?
        @Option(help: "Only open, mitigated or resolved incidents.") var status: String?
        @Option(help: "How many of the longest incidents to list.") var longest: Int?
        @Option(help: "The organisation's language rules file (env LORE_LANGUAGE_RULES), for the open wording findings.") var languageRules: String?
        @Flag(help: "Print JSON (as GET /api/v1/insights).") var json = false
        @Flag(help: "Print every incident's durations as CSV.") var csv = false

        func run() async throws {
            guard !(json && csv) else { throw CLIFailure(message: "choose --json or --csv, not both.", code: 2) }
            var parameters: [String: String] = [:]
            for (name, value) in [("by", by), ("measure", measure), ("since", since), ("until", until), ("split", split), ("earlier", earlier),
                                  ("later", later), ("severity", severity), ("service", service), ("team", team), ("status", status),
                                  ("longest", longest.map(String.init))] {
                if let value { parameters[name] = value }
            }
            try await data.withStore { store, _ in
                let request: InsightsRequest
                let settings = try await store.settings()
                do throws(LoreCore.ValidationError) {
                    request = try InsightsRequest.parse(parameters, settings: settings, asOf: Date())
                } catch {
                    throw CLIFailure(message: error.issues.map { "--\($0.field): \($0.message)" }.joined(separator: "\n"), code: 2)
                }
                if csv {
                    FileHandle.standardOutput.write(Data(try await InsightsCSV.render(request, store: store).utf8))
                    return
                }
                let language = try LanguageSupport.load(rulesFile: languageRules ?? ProcessInfo.processInfo.environment["LORE_LANGUAGE_RULES"], logger: Logger(label: "lore.language"))
                let view = try await InsightsView.make(request, store: store, viewer: nil, language: language)
                if json { printJSON(view.json) } else { Self.printTable(view) }
            }
        }

        static func printTable(_ view: InsightsView) {
            let report = view.report, measure = view.request.measure, whole = report.whole
            func d(_ t: TimeInterval?) -> String { t.map(LoreTime.duration) ?? "—" }
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            let all = whole.all[measure]
            print("\(measure.label), \(whole.label): \(whole.incidentCount) incidents, \(all.distribution.count) measured, median \(d(all.distribution.median)), 90th percentile \(d(all.distribution.p90))"
                + (all.stillOpen > 0 ? ", \(all.stillOpen) still open" : "") + (all.excludedCount > 0 ? ", \(all.excludedCount) without the times to tell" : ""))
            print("")
            let width = max(24, (whole.groups.map(\.group.label.count).max() ?? 0) + 2)
            print(pad("By \(report.grouping.label.lowercased())", width) + pad("incidents", 11) + pad("measured", 10) + pad("median", 12) + pad("90th pct", 12) + "still open")
            for g in whole.groups {
                let m = g.measures[measure]
                print(pad(g.group.label, width) + pad("\(g.incidentCount)", 11) + pad("\(m.distribution.count)", 10) + pad(d(m.distribution.median), 12)
                      + pad(d(m.distribution.p90), 12) + "\(m.stillOpen)")
            }
            print("")
            print(pad(report.period.split == .month ? "Month" : "Quarter", 20) + pad("incidents", 11) + pad("median", 12) + pad("90th pct", 12) + "by monitoring / customers / other")
            for b in report.buckets {
                let m = b.all[measure]
                print(pad(b.label + (b.isComplete ? "" : " (so far)"), 20) + pad("\(b.incidentCount)", 11) + pad(d(m.distribution.median), 12) + pad(d(m.distribution.p90), 12)
                      + "\(b.detection.monitoring) / \(b.detection.customers) / \(b.detection.other)")
            }
            print("")
            print("Practice: " + view.wholePractice.sentence + " " + view.wholePractice.followUpSentence)
            for checkpoint in view.wholePractice.followThrough { print("Focus follow-through: " + checkpoint.sentence) }
            print("Wording: " + view.wholePractice.wording.sentence)
            if !view.changes.isEmpty {
                print("")
                for c in view.changes { print("• " + c.sentence) }
            }
            if !view.longest.isEmpty {
                print("")
                print("Longest (\(LongTail.note))")
                for (e, reviews) in view.longest {
                    print("  \(pad(e.key, 9)) \(pad(LoreTime.duration(e.duration), 10)) \(e.title)" + (reviews.isEmpty ? "" : "  [\(reviews.count) review\(reviews.count == 1 ? "" : "s")]"))
                }
            }
            print("")
            print(InsightsView.note)
        }
    }
}
