import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

struct Incidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List and show incidents.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")
        @OptionGroup var data: DataOptions
        @Option(help: "open, mitigated or resolved.") var status: String?
        @Option(help: "Severity, e.g. SEV2.") var severity: String?
        @Option(help: "Service slug.") var service: String?
        @Option(help: "Team slug.") var team: String?
        @Option(help: "How many.") var limit: Int = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var st: IncidentStatus?
            if let status {
                guard let s = IncidentStatus(rawValue: status) else { throw CLIFailure(message: "--status must be open, mitigated or resolved; got \"\(status)\".", code: 2) }
                st = s
            }
            guard limit > 0 else { throw CLIFailure(message: "--limit must be positive.", code: 2) }
            try await data.withStore { store, _ in
                let page = try await store.incidents(IncidentFilter(status: st, severity: severity, service: service, team: team, page: 1, perPage: min(limit, 200)))
                if json {
                    let settings = try await store.settings()
                    printJSON(page.items.map { Representation.incident($0, settings: settings) })
                } else {
                    for i in page.items {
                        print("\(i.key)\t\(i.severity)\t\(i.status.rawValue)\t\(i.times.detectedAt.map(LoreTime.iso) ?? "-")\t\(i.title)")
                    }
                    if page.total > page.items.count { print("(\(page.items.count) of \(page.total); use --limit)") }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one incident with its timeline, review and follow-ups.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The incident key, e.g. INC-42.") var key: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard Incident.number(fromKey: key) != nil else { throw CLIFailure(message: "\"\(key)\" is not an incident key (expected INC-42).", code: 2) }
            try await data.withStore { store, _ in
                guard let i = try await store.incident(key: key) else { throw CLIFailure(message: "no incident \(key.uppercased()).", code: 1) }
                let settings = try await store.settings()
                let timeline = try await store.timeline(incidentID: i.id)
                let reviews = try await store.reviewsForOperator(incidentID: i.id)
                let followUps = try await store.followUps(incidentID: i.id)
                if json {
                    printJSON(IncidentDetailJSON(
                        incident: Representation.incident(i, settings: settings),
                        timeline: timeline.map { Representation.entry($0, incident: i, settings: settings) },
                        reviews: reviews.map { Representation.review($0, incident: i, settings: settings) },
                        followUps: followUps.map { Representation.followUp($0, incidentKey: i.key) }
                    ))
                    return
                }
                print("\(i.key)  \(i.title)")
                print("\(i.severity) · \(i.status.label) · detected by \(i.detectionSource)")
                if !i.services.isEmpty { print("Services: \(i.services.joined(separator: ", "))") }
                for (field, label, kp) in IncidentTimes.order { if let d = i.times[keyPath: kp] { print("\(label): \(LoreTime.iso(d))"); _ = field } }
                print("\nTimeline")
                for e in timeline {
                    let recalled = e.isRecalledLater(resolvedAt: i.times.resolvedAt, reviewWindow: settings.reviewWindow) ? " (recalled later)" : ""
                    print("  \(LoreTime.iso(e.occurredAt))  \(e.author) [\(e.kind.rawValue)]\(recalled): \(e.text)")
                    if let r = e.reflection { print("      seeing at the time: \(r)") }
                }
                if reviews.isEmpty { print("\n\(settings.practiceNamePlural): none yet") }
                for r in reviews {
                    print("\n\(r.level.label) \(settings.practiceNameLowercased)\(r.title.isEmpty ? "" : " “\(r.title)”"): \(r.status.label)")
                    if !r.text(.summary).isEmpty { print("  \(r.text(.summary))") }
                }
                print("\nFollow-ups")
                for f in followUps { print("  [\(f.status.rawValue)] \(f.title) — \(f.ownerTeam)") }
            }
        }
    }
}
