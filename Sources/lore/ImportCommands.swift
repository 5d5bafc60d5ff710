import ArgumentParser
import Foundation
import LoreCore
import LoreImport
import LoreStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import timelines from files: CSV or Markdown tables, PagerDuty REST exports, Slack exports.",
        subcommands: [TimelineFile.self, PagerDutyFiles.self, SlackExportCommand.self, Organisation.self])

    struct TimelineFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Import a timeline (CSV, or a Markdown postmortem as published) into an incident. All or nothing unless --skip-bad-rows.",
            discussion: "CSV needs a header with a time and a text column (author, kind and reflection are optional). Markdown is read as published postmortems write timelines: a table with a time and a description column (other columns are kept with the description), a list, a heading or paragraph per entry, times in sentences under a Timeline heading, or status-page updates with their time on their last line. Dates come from the entries, a heading, a line above the timeline, the date written nearest above it, the front matter, --date, or as a last resort the date a file's name starts with (2023-01-13-outage.md); each such choice is noted in the summary. A row with a day but no time is placed at the start of that day.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The file (.csv or Markdown).") var file: String
        @Option(help: "The incident key, e.g. INC-42.") var incident: String
        @Option(help: "Time zone for times without one (IANA name, default UTC; given, it also wins over the zone the document's other times state).") var timezone: String?
        @Option(help: "The day for a table with times only (YYYY-MM-DD); wins over a date written in a heading or above the table, not over dates in the rows.") var date: String?
        @Flag(help: "Import the rows that can be read and list the ones skipped.") var skipBadRows = false

        func run() async throws {
            let zoneName = timezone ?? "UTC"
            guard let zone = TimeZone(identifier: zoneName) else { throw CLIFailure(message: "--timezone \"\(zoneName)\" is not an IANA time zone (for example Europe/Berlin).", code: 2) }
            var day: Date?
            if let date {
                guard let d = LoreTime.parseLocal(date + "T00:00", timeZone: zone) else { throw CLIFailure(message: "--date \"\(date)\" is not a date (YYYY-MM-DD).", code: 2) }
                day = d
            }
            let text = try Lint.read(file)
            let name = (file as NSString).lastPathComponent
            let table: TimelineTableResult
            do {
                table = try TimelineTable.parse(text, fileName: name, timeZone: zone, zoneIsGiven: timezone != nil, date: day, skipBadRows: skipBadRows)
            } catch {
                throw CLIFailure(message: "\(error.description)\nNothing was imported.", code: 2)
            }
            try await data.withStore { store, _ in
                guard let incident = try await store.incident(key: self.incident) else { throw CLIFailure(message: "no incident \(self.incident.uppercased()).", code: 2) }
                let entries = table.entries(incidentID: incident.id, now: Date())
                let (added, present) = try await store.importTimeline(entries)
                print("\(incident.key): imported \(added), already present \(present), skipped \(table.skipped.count).")
                for s in table.skipped { print("  skipped \(name):\(s.line): \(s.reason)") }
                for n in table.notes { print("  note \(name):\(n.line): \(n.reason)") }
                for u in table.unread { print("  not read \(name):\(u.line): \(u.reason)") }
            }
        }
    }

    struct PagerDutyFiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pagerduty",
            abstract: "Import the JSON of PagerDuty's REST API: incidents, incident listings (any number of pages) and log entries.",
            discussion: """
                Accepts what GET /incidents/{id}, GET /incidents and GET /incidents/{id}/log_entries return, one response per \
                file (or a JSON array of responses). Incidents Lore does not know are created and found again later by their \
                PagerDuty id, as webhooks do; log entries become timeline entries, never twice. All files are read before \
                anything is written, and everything lands in one transaction.
                """)
        @OptionGroup var data: DataOptions
        @Argument(help: "JSON files from PagerDuty's REST API.") var files: [String]

        func run() async throws {
            guard !files.isEmpty else { throw CLIFailure(message: "give at least one file.", code: 2) }
            var parts: [PagerDutyExportContents] = []
            for file in files {
                let name = (file as NSString).lastPathComponent
                guard let bytes = FileManager.default.contents(atPath: file) else { throw CLIFailure(message: "cannot read \(file).", code: 2) }
                do {
                    parts.append(try PagerDutyExport.parse(bytes, fileName: name))
                } catch {
                    throw CLIFailure(message: "\(error.description)\nNothing was imported.", code: 2)
                }
            }
            let contents = PagerDutyExportContents.merged(parts)
            for page in contents.pagesWithMissingNext {
                FileHandle.standardError.write(Data("lore: warning: \(page.path ?? "a listing") says more pages follow (offset \((page.offset ?? 0) + page.count)), and none of the files is that page.\n".utf8))
            }
            try await data.withStore { store, _ in
                let summary = try await store.importPagerDuty(incidents: contents.incidents, activities: contents.activities)
                print("PagerDuty: \(contents.incidents.count) incidents and \(contents.activities.count) log entries read from \(files.count) file\(files.count == 1 ? "" : "s").")
                print("  incidents created: \(summary.incidentsCreated.isEmpty ? "none" : summary.incidentsCreated.joined(separator: ", "))")
                print("  incidents updated: \(summary.incidentsUpdated.isEmpty ? "none" : summary.incidentsUpdated.joined(separator: ", "))")
                print("  timeline entries added \(summary.entriesAdded), already present \(summary.entriesAlreadyPresent)")
            }
        }
    }

    struct SlackExportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slack",
            abstract: "Import a channel of a Slack export (.zip or unzipped folder) into an incident's timeline.",
            discussion: """
                Reads users.json, channels.json and the channel's day files one at a time (memory stays bounded). User ids \
                become names, Slack markup becomes text, thread replies stay after their parent, joins/leaves/topic changes \
                and bot messages are skipped (--include-bots keeps bots). Each message's id is channel + ts, so importing \
                again adds nothing. All or nothing: a damaged file stops the import and nothing is written.
                """)
        @OptionGroup var data: DataOptions
        @Argument(help: "The export: a .zip or the folder it unzips to.") var export: String
        @Option(help: "The incident key, e.g. INC-42.") var incident: String
        @Option(help: "The channel's name (or id).") var channel: String
        @Option(help: "Only messages at or after this time (ISO 8601, e.g. 2026-04-01T02:00:00Z).") var from: String?
        @Option(help: "Only messages before this time (ISO 8601).") var to: String?
        @Flag(help: "Keep messages from bots and integrations.") var includeBots = false
        @Option(help: "The workspace's address, e.g. https://acme.slack.com, to link each entry to its message.") var workspace: String?

        func run() async throws {
            let from = try from.map { try Self.time($0, "--from") }
            let to = try to.map { try Self.time($0, "--to") }
            if let from, let to, to <= from { throw CLIFailure(message: "--to must be after --from.", code: 2) }
            let opened: SlackExport
            let selected: SlackChannel
            do {
                opened = try SlackExport(path: export)
                selected = try opened.channel(named: channel)
            } catch {
                throw CLIFailure(message: "\(error.description)\nNothing was imported.", code: 2)
            }
            let options = SlackReadOptions(from: from, to: to, includeBots: includeBots, workspaceURL: workspace)
            let progress = ProgressLine(label: "#\(selected.name)")
            try await data.withStore { store, _ in
                guard let incident = try await store.incident(key: self.incident) else { throw CLIFailure(message: "no incident \(self.incident.uppercased()).", code: 2) }
                let now = Date()
                let result: (summary: SlackImportSummary, added: Int)
                do {
                    result = try await store.importTimelineStream(incidentID: incident.id) { sink in
                        var added = 0
                        let summary = try await opened.readTimelineDays(
                            channel: selected, options: options, incidentID: incident.id, now: now, progress: { progress.show($0) }
                        ) { day in
                            added += try await sink.add(day).added
                        }
                        return (summary, added)
                    }
                } catch let error as SlackExportError {
                    progress.finish()
                    throw CLIFailure(message: "\(error.description)\nNothing was imported.", code: 2)
                }
                progress.finish()
                let s = result.summary
                print("\(incident.key): #\(selected.name): added \(result.added), already present \(s.imported - result.added), from \(s.days) day file\(s.days == 1 ? "" : "s")\(s.daysNotRead > 0 ? " (\(s.daysNotRead) outside --from/--to not read)" : "").")
                if let note = s.invalidUTF8Note { print("  note: \(note)") }
                let skipped = s.skipped.values.reduce(0, +)
                if skipped > 0 {
                    print("  skipped \(skipped):")
                    for (reason, n) in s.skipped.sorted(by: { $0.value > $1.value }) { print("    \(n)\t\(reason)") }
                }
                // A large import is indexed for search after its commit; wait
                // for it here, saying so, rather than leave it to the next server.
                if try await !store.searchBacklog().isEmpty {
                    let started = Date()
                    FileHandle.standardError.write(Data("\(incident.key): indexing the imported entries for search…\n".utf8))
                    try await store.catchUpSearchIndex()
                    print(String(format: "  indexed for search in %.1f s", Date().timeIntervalSince(started)))
                }
            }
        }

        static func time(_ text: String, _ flag: String) throws -> Date {
            if let d = LoreTime.parseISO(text) { return d }
            if let d = LoreTime.parseLocal(text.count == 10 ? text + "T00:00" : text, timeZone: TimeZone(identifier: "UTC")!) { return d }
            throw CLIFailure(message: "\(flag) \"\(text)\" is not a time; use ISO 8601 such as 2026-04-01T02:00:00Z or a date 2026-04-01 (UTC).", code: 2)
        }
    }
}

/// Progress of a long import: a redrawn bar on a terminal, a plain line per
/// tenth otherwise (so logs of scripted runs stay readable).
final class ProgressLine: @unchecked Sendable {
    let label: String
    let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastTenth = -1
    private var drawn = false
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func show(_ p: SlackProgress) {
        lock.lock()
        defer { lock.unlock() }
        guard p.dayCount > 0 else { return }
        let fraction = Double(p.dayIndex) / Double(p.dayCount)
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(p.dayIndex)/\(p.dayCount) days, \(p.messagesSoFar) messages".utf8))
            drawn = true
        } else {
            let tenth = Int(fraction * 10)
            if tenth != lastTenth {
                lastTenth = tenth
                FileHandle.standardError.write(Data("\(label): \(p.dayIndex)/\(p.dayCount) days read, \(p.messagesSoFar) messages\n".utf8))
            }
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
