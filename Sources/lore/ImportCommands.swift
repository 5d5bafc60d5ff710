import ArgumentParser
import Foundation
import LoreCore
import LoreImport
import LoreStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import timelines from files.", subcommands: [TimelineFile.self])

    struct TimelineFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Import a CSV or Markdown timeline table into an incident. All or nothing unless --skip-bad-rows.",
            discussion: "CSV needs a header with a time and a text column (author, kind and reflection are optional). A Markdown table needs a time and a description column; dates may come from a heading or the first row, or --date.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The file (.csv or Markdown).") var file: String
        @Option(help: "The incident key, e.g. INC-42.") var incident: String
        @Option(help: "Time zone for times without one (IANA name, default UTC).") var timezone: String = "UTC"
        @Option(help: "The day for a table with times only (YYYY-MM-DD).") var date: String?
        @Flag(help: "Import the rows that can be read and list the ones skipped.") var skipBadRows = false

        func run() async throws {
            guard let zone = TimeZone(identifier: timezone) else { throw CLIFailure(message: "--timezone \"\(timezone)\" is not an IANA time zone (for example Europe/Berlin).", code: 2) }
            var day: Date?
            if let date {
                guard let d = LoreTime.parseLocal(date + "T00:00", timeZone: zone) else { throw CLIFailure(message: "--date \"\(date)\" is not a date (YYYY-MM-DD).", code: 2) }
                day = d
            }
            let text = try Lint.read(file)
            let name = (file as NSString).lastPathComponent
            let table: TimelineTableResult
            do {
                table = try TimelineTable.parse(text, fileName: name, timeZone: zone, date: day, skipBadRows: skipBadRows)
            } catch {
                throw CLIFailure(message: "\(error.description)\nNothing was imported.", code: 2)
            }
            try await data.withStore { store, _ in
                guard let incident = try await store.incident(key: self.incident) else { throw CLIFailure(message: "no incident \(self.incident.uppercased()).", code: 2) }
                let entries = table.entries(incidentID: incident.id, now: Date())
                let (added, present) = try await store.importTimeline(entries)
                print("\(incident.key): imported \(added), already present \(present), skipped \(table.skipped.count).")
                for s in table.skipped { print("  skipped \(name):\(s.line): \(s.reason)") }
            }
        }
    }
}
