import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

struct Timeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Incident timelines.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an incident's timeline as CSV (a header line, then one line per entry) or JSON.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The incident key, e.g. INC-42.") var key: String
        @Option(help: "csv or json.") var format: Format = .csv

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        func run() async throws {
            guard Incident.number(fromKey: key) != nil else { throw CLIFailure(message: "\"\(key)\" is not an incident key (expected INC-42).", code: 2) }
            try await data.withStore { store, _ in
                guard let incident = try await store.incident(key: key) else { throw CLIFailure(message: "no incident \(key.uppercased()).", code: 1) }
                let settings = try await store.settings()
                let entries = try await store.timeline(incidentID: incident.id)
                try await store.recordAudit(AuditActor.commandLine.event(.timelineExported, subjectType: "incident", subjectID: incident.key, detail: format.rawValue.uppercased()))
                switch format {
                case .csv: FileHandle.standardOutput.write(Data(TimelineCSV.render(entries, resolvedAt: incident.times.resolvedAt, reviewWindow: settings.reviewWindow).utf8))
                case .json: printJSON(TimelineExportJSON(incident: incident, entries: entries, settings: settings))
                }
            }
        }
    }
}
