import Foundation
import Logging
import LoreCore
import LoreServer
import LoreStore

/// `LoreBench insights`: a large organisation (the demo's kind of incidents,
/// with reviews and follow-ups in the demo's proportions, over three years)
/// loaded into SQLite and, when `LORE_BENCH_POSTGRES_URL` is set, into a
/// PostgreSQL schema of its own; then, for the last twelve months in quarters:
///
/// - **baseline**: `SELECT count(*)` over the same rows (the report's WHERE);
/// - **report**: the one streaming pass the report makes (`LoreStore.insights`);
/// - **page**: everything the Insights page gathers (report, dots, practice
///   health with focus follow-through and wording, the long tail's reviews),
///   without drawing it; the first run brings the wording counts kept on
///   each review up to date, the later ones read them, as a running server does.
///
/// Each is run `runs` times after one warm-up; p50 and p95, and p95 as a
/// ratio against the baseline's p95.
func insightsBench(incidents: Int, runs: Int) async throws {
    let now = Date()
    var started = nanos()
    let data = DemoData.largeOrganisation(now: now, incidents: incidents, days: 3 * 365)
    let reviews = data.incidents.filter { $0.review != nil }.count
    let followUps = data.incidents.reduce(0) { $0 + $1.followUps.count }
    let entries = data.incidents.reduce(0) { $0 + $1.timeline.count }
    say(String(format: "Generated %d incidents over three years (%d reviews, %d follow-ups, %d timeline entries) in %.1f s",
                 data.incidents.count, reviews, followUps, entries, Double(nanos() - started) / 1e9))

    // `LORE_BENCH_INSIGHTS_SQLITE` and `LORE_BENCH_INSIGHTS_POSTGRES_SCHEMA`
    // keep the loaded databases (four and six minutes of loading here).
    let targets = try await benchTargets(environmentPrefix: "LORE_BENCH_INSIGHTS", freshName: "insights")

    let settings = OrganisationSettings.default
    let request = try InsightsRequest.parse([:], settings: settings, asOf: now)
    let language = try LanguageSupport.load(rulesFile: nil, logger: quietLogger())
    for target in targets {
        let store = target.database.store
        started = nanos()
        if target.loaded {
            say("\n\(target.name): measuring the database loaded by an earlier run")
        } else {
            _ = try await store.loadDemo(data, now: now)
            say(String(format: "\n%@: loaded in %.1f s", target.name, Double(nanos() - started) / 1e9))
        }
        let rows = try await store.insightsIncidentCount(in: request.options.period, filter: request.filter)

        func measure(_ label: String, _ body: () async throws -> Void) async throws -> (p50: Double, p95: Double, first: Double) {
            var times: [Double] = []
            for _ in 0 ... runs {
                let start = nanos()
                try await body()
                times.append(Double(nanos() - start) / 1e6)
            }
            let first = times.removeFirst()
            let sorted = times.sorted()
            func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
            return (at(0.5), at(0.95), first)
        }
        let baseline = try await measure("count") { _ = try await store.insightsIncidentCount(in: request.options.period, filter: request.filter) }
        let report = try await measure("report") { _ = try await store.insights(request.options, filter: request.filter) }
        let page = try await measure("page") {
            _ = try await InsightsView.make(request, store: store, viewer: nil, language: language, withDots: true)
        }
        let byService = try InsightsRequest.parse(["by": "service"], settings: settings, asOf: now)
        let services = try await measure("report by service") { _ = try await store.insights(byService.options, filter: byService.filter) }
        say("\(rows) incidents in the last twelve months; \(runs) runs each after one warm-up (ms):")
        func line(_ name: String, _ m: (p50: Double, p95: Double, first: Double)) {
            say("  " + name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: " p50 %8.1f   p95 %8.1f   (%6.1f× count)   first %8.1f", m.p50, m.p95, m.p95 / baseline.p95, m.first))
        }
        line("baseline: count(*) of the rows", baseline)
        line("report, by detection source", report)
        line("report, by service", services)
        line("page: report, dots, practice", page)
        say(report.p95 < 200 ? "report p95 under 200 ms: met" : "report p95 under 200 ms: NOT met")
        await target.cleanup()
    }
}

/// A line of output at once, even into a file: a long benchmark shows where it is.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
