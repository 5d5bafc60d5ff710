import Foundation
import Hummingbird
import LoreCore
import LoreStore
import NIOConcurrencyHelpers

/// Insights: are we getting better at this, and where? Durations per
/// incident as distributions (every incident a dot, median and 90th
/// percentile, never a bare mean), changes between two periods stated only
/// as strongly as the data allows, the longest incidents by name, detection
/// proportions. `/insights` (page), `/insights/durations.csv` and
/// `GET /api/v1/insights` answer the same `InsightsRequest`.
struct InsightsPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/insights") { request, context in try await page(request, context) }
        group.get("/insights/durations.csv") { request, context in
            _ = try context.requireUser()
            let parsed = try InsightsRequest.parse(Self.parameters(request), settings: try await store.settings(), asOf: Date())
            return try await Self.csv(parsed, store: store)
        }
    }

    func registerAPI(on api: RouterGroup<LoreRequestContext>) {
        api.get("insights") { request, context in
            let viewer = try await store.viewer(for: try context.requireUser())
            try InsightsRequest.requireExactValues(Self.parameters(request))
            let parsed = try InsightsRequest.parse(Self.parameters(request), settings: try await store.settings(), asOf: Date())
            return JSONResponse.make(try await InsightsView.make(parsed, store: store, viewer: viewer, language: app.language).json)
        }
    }

    /// The query string as the request's parameters; a repeated name keeps its first value.
    static func parameters(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where out[String(k)] == nil { out[String(k)] = String(v) }
        return out
    }

    /// One line per incident of the period with its four durations in
    /// seconds (blank when not measured, with why), for analysts' own tools.
    static func csv(_ request: InsightsRequest, store: LoreStore) async throws -> Response {
        let text = try await InsightsCSV.render(request, store: store)
        return .attachment(text, contentType: "text/csv; charset=utf-8", fileName: "lore-incident-durations.csv")
    }

    func page(_ request: Request, _ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let settings = try await store.settings()
        let parameters = Self.parameters(request)
        let parsed: InsightsRequest
        do {
            parsed = try InsightsRequest.parse(parameters, settings: settings, asOf: Date())
        } catch {
            // The form again, with what was wrong beside it.
            return app.views.page("insights", title: "Insights", context: context, settings: settings, status: .unprocessableContent, values: [
                "note": InsightsView.note, "errors": ViewValues.errors(error), "hasErrors": true,
                "errorList": error.issues.map { ["field": $0.field, "message": $0.message] },
                "form": Self.form(parameters, settings: settings, catalog: try await CatalogNames.load(store)),
            ])
        }
        let view = try await InsightsView.make(parsed, store: store, viewer: try await store.viewer(for: user), language: app.language, withDots: true)
        return app.views.page("insights", title: "Insights", context: context, settings: settings,
                              values: InsightsPageValues.make(view, parameters: parameters, settings: settings, catalog: try await CatalogNames.load(store)))
    }

    /// The filter form's values, with what was asked selected.
    static func form(_ p: [String: String], settings: OrganisationSettings, catalog: CatalogNames) -> [String: Any] {
        func choices(_ all: [(String, String)], _ selected: String?) -> [[String: Any]] {
            all.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (selected ?? "")] }
        }
        return [
            "by": choices(InsightsGrouping.allCases.map { ($0.parameter, $0.label) }, p["by"] ?? InsightsGrouping.default.parameter),
            "measure": choices(InsightsMeasure.allCases.map { ($0.parameter, $0.label) }, p["measure"] ?? InsightsRequest.defaultMeasure.parameter),
            "split": choices([("quarter", "Quarters"), ("month", "Months")], p["split"] ?? "quarter"),
            "since": p["since"] ?? "", "until": p["until"] ?? "",
            "severity": choices([("", "Any")] + settings.severities.map { ($0, $0) }, p["severity"]),
            "service": choices([("", "Any")] + catalog.services.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }, p["service"]),
            "team": choices([("", "Any")] + catalog.teams.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }, p["team"]),
            "status": choices([("", "Any"), ("open", "Open"), ("mitigated", "Mitigated"), ("resolved", "Resolved")], p["status"]),
            "mitigatedWithin": p["mitigatedWithin"] ?? "60",
        ]
    }
}

/// The per-incident durations as CSV (RFC 4180, formula-safe cells, as
/// `TimelineCSV`): one line per incident of the period.
public enum InsightsCSV {
    static let header = [
        "incident", "title", "occurred_at", "status", "severity", "detection_source", "services", "teams",
        "to_detect_seconds", "to_acknowledge_seconds", "to_mitigate_seconds", "to_resolve_seconds", "not_measured",
    ]

    public static func render(_ request: InsightsRequest, store: LoreStore) async throws -> String {
        let lines = NIOLockedValueBox<[(Date, String, String)]>([])
        try await store.forEachInsightsIncident(in: request.options.period, filter: request.filter, withServicesAndTeams: true) { i in
            let outcomes = InsightsMeasure.outcomes(times: i.times, status: i.status)
            var why: [String] = []
            let seconds = InsightsMeasure.allCases.map { m -> String in
                switch outcomes[m] {
                case .measured(let d): return String(format: "%.3f", d)
                case .stillOpen: why.append("\(m.parameter): still open")
                case .excluded(let r): why.append("\(m.parameter): \(r.label)")
                }
                return ""
            }
            let cells = [i.key, i.title, LoreTime.iso(i.occurredAt), i.status.rawValue, i.severity, i.detectionSource,
                         i.services.joined(separator: " "), i.teams.joined(separator: " ")] + seconds + [why.joined(separator: "; ")]
            lines.withLockedValue { $0.append((i.occurredAt, i.key, cells.map(TimelineCSV.cell).joined(separator: ","))) }
        }
        // In time order, so the file reads like the period it covers.
        let sorted = lines.withLockedValue { $0 }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        return header.joined(separator: ",") + "\r\n" + sorted.map { $0.2 + "\r\n" }.joined()
    }
}

/// What the Insights template shows, built from an `InsightsView`.
enum InsightsPageValues {
    static func make(_ view: InsightsView, parameters: [String: String], settings: OrganisationSettings, catalog: CatalogNames) -> [String: Any] {
        let report = view.report, measure = view.request.measure, whole = report.whole
        func duration(_ d: TimeInterval?) -> String { d.map(LoreTime.duration) ?? "—" }
        func excludedText(_ m: MeasureSummary) -> String {
            m.excluded.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.label)" }.joined(separator: ", ")
        }
        let groupRows: [[String: Any]] = whole.groups.map { g in
            let m = g.measures[measure]
            return ["label": g.group.label, "incidents": g.incidentCount, "measured": m.distribution.count, "median": duration(m.distribution.median),
                    "p90": duration(m.distribution.p90), "stillOpen": m.stillOpen, "excluded": excludedText(m)]
        }
        let allMeasure = whole.all[measure]
        let strip = InsightsCharts.stripPlot(
            rows: whole.groups.map { g in
                let d = g.measures[measure].distribution
                return StripRow(label: g.group.label, values: view.dots[g.group.value] ?? [], median: d.median, p90: d.p90)
            },
            title: "\(measure.label) per incident, by \(report.grouping.label.lowercased()), \(whole.label)",
            description: "\(allMeasure.distribution.count) incidents measured; median \(duration(allMeasure.distribution.median)), 90th percentile \(duration(allMeasure.distribution.p90))."
        )
        let ecdf = InsightsCharts.ecdf(
            rows: whole.groups.filter { !$0.measures[measure].distribution.isEmpty }.map { ECDFRow(label: $0.group.label, values: $0.measures[measure].distribution.values) },
            title: "Share of incidents within each \(measure.phrase), by \(report.grouping.label.lowercased())",
            description: "Each line climbs from 0 to 100 % as durations grow; a line further left is faster."
        )
        let practice: [[String: Any]] = zip(report.buckets, view.practice).map { b, p in
            ["label": b.label, "complete": b.isComplete, "sentence": p.sentence, "followUps": p.followUpSentence,
             "followThrough": p.followThrough.map(\.sentence).joined(separator: " "), "wording": p.wording.sentence]
        }
        let buckets: [[String: Any]] = report.buckets.map { b in
            let m = b.all[measure]
            return ["label": b.label, "complete": b.isComplete, "incidents": b.incidentCount, "measured": m.distribution.count,
                    "median": duration(m.distribution.median), "p90": duration(m.distribution.p90), "stillOpen": m.stillOpen,
                    "mitigatedWithin": b.mitigatedWithin.sentence]
        }
        let shares = InsightsCharts.shareBars(
            periods: report.buckets.map { b in
                (label: b.label, parts: DetectionClass.allCases.map { (label: $0.label, count: b.detection[$0]) })
            },
            title: "Who noticed first, per \(report.period.split.rawValue)",
            description: "Incidents first noticed by our monitoring, by customers (support, call centre) and otherwise."
        )
        var query = parameters
        query["by"] = report.grouping.parameter
        let csvQuery = query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var values: [String: Any] = [
            "note": InsightsView.note,
            "form": InsightsPages.form(parameters, settings: settings, catalog: catalog),
            "measureLabel": measure.label, "measureExplanation": measure.explanation, "groupingLabel": report.grouping.label.lowercased(),
            "periodLabel": whole.label, "incidentCount": whole.incidentCount,
            "measured": allMeasure.distribution.count, "median": duration(allMeasure.distribution.median), "p90": duration(allMeasure.distribution.p90),
            "stillOpen": allMeasure.stillOpen, "hasStillOpen": allMeasure.stillOpen > 0, "excluded": excludedText(allMeasure), "hasExcluded": allMeasure.excludedCount > 0,
            "groups": groupRows, "hasGroups": !groupRows.isEmpty,
            "strip": strip, "ecdf": ecdf, "shares": shares,
            "buckets": buckets, "split": report.period.split == .month ? "Month" : "Quarter",
            "longest": view.longest.map { e, reviews in
                ["key": e.key, "title": e.title, "duration": LoreTime.duration(e.duration), "occurredAt": LoreTime.iso(e.occurredAt).prefix(10),
                 "reviews": reviews.map { ["id": $0.id.uuidString, "title": $0.title.isEmpty ? "\($0.level.label) \(settings.practiceNameLowercased)" : $0.title, "key": e.key] }] as [String: Any]
            },
            "hasLongest": !view.longest.isEmpty, "longestNote": LongTail.note,
            "csvQuery": csvQuery,
            "practice": practice, "practiceWhole": view.wholePractice.sentence, "practiceFollowUps": view.wholePractice.followUpSentence,
            "practiceFollowThrough": view.wholePractice.followThrough.map(\.sentence), "hasPracticeFollowThrough": !view.wholePractice.followThrough.isEmpty,
            "practiceWording": view.wholePractice.wording.sentence,
        ]
        if let c = view.request.comparison {
            values["comparison"] = [
                "earlier": report.period.buckets[c.earlier].label, "later": report.period.buckets[c.later].label,
                "changes": view.changes.map { ch -> [String: Any] in
                    return ["group": ch.group?.label ?? "All incidents", "sentence": ch.sentence, "kind": ch.verdict.name,
                            "earlierCount": ch.earlierCount, "laterCount": ch.laterCount]
                },
            ] as [String: Any]
        }
        return values
    }
}
