import ArgumentParser
import Foundation
import LoreCore
import LoreImport
import LoreServer
import LoreStore

struct Reviews: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Review windows and reviews.", subcommands: [Due.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Incidents whose review window is open (soonest first) or closed without a review held.",
            discussion: "Exits 1 when a window closed in the last 90 days without a review held.")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let missedAny = try await data.withStore { store, _ -> Bool in
                let settings = try await store.settings()
                let now = Date()
                let incidents = try await store.incidents(IncidentFilter(perPage: 200)).items
                let schedule = ReviewSchedule.build(incidents: incidents, reviews: try await store.allReviewsForOperator(), windowHours: settings.reviewWindowHours, now: now)
                struct ReviewRow: Encodable { var id: String, level: String, status: String }
                struct Entry: Encodable {
                    var key: String, title: String, closesAt: String, window: String, reviews: [ReviewRow], held: Bool
                }
                struct Schedule: Encodable {
                    var open: [Entry], missed: [Entry], kept: Int, missedCount: Int
                    @Nullable var share: Double?
                    var summary: String
                }
                func entry(_ d: DueReview) -> Entry {
                    Entry(key: d.incident.key, title: d.incident.title, closesAt: LoreTime.iso(d.window.closesAt), window: d.window.describe(at: now),
                          reviews: d.reviews.map { ReviewRow(id: $0.id.uuidString, level: $0.level.rawValue, status: $0.status.rawValue) }, held: d.heldAt != nil)
                }
                if json {
                    printJSON(Schedule(open: schedule.open.map(entry), missed: schedule.missed.map(entry), kept: schedule.keeping.kept,
                                       missedCount: schedule.keeping.missed, share: schedule.keeping.share, summary: schedule.keeping.sentence))
                } else {
                    print("Open review windows (soonest first):")
                    if schedule.open.isEmpty { print("  none") }
                    for d in schedule.open {
                        print("  \(d.incident.key)  \(d.window.describe(at: now))  \(d.heldAt != nil ? "held" : d.reviews.isEmpty ? "no \(settings.practiceNameLowercased) yet" : "not held yet")  \(d.incident.title)")
                    }
                    print("Closed without a \(settings.practiceNameLowercased) held (last 90 days):")
                    if schedule.missed.isEmpty { print("  none") }
                    for d in schedule.missed { print("  \(d.incident.key)  \(d.window.describe(at: now))  \(d.incident.title)") }
                    print(schedule.keeping.sentence)
                }
                return !schedule.missed.isEmpty
            }
            if missedAny { throw ExitCode(1) }
        }
    }
}

struct Ballot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ballots that rank a review's follow-ups.", subcommands: [TallyCommand.self])

    struct TallyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tally", abstract: "Print a closed ballot's ranking (picks stay secret until the ballot closes).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The review's id.") var review: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let id = UUID(uuidString: review) else { throw CLIFailure(message: "\"\(review)\" is not a review id (a UUID, shown in the review's URL).", code: 2) }
            try await data.withStore { store, _ in
                guard let ballot = try await store.ballotForOperator(reviewID: id) else { throw CLIFailure(message: "review \(review) has no ballot.", code: 1) }
                guard let tally = ballot.tally else {
                    throw CLIFailure(message: "the ballot is still open (\(ballot.voters.count) voted); the tally is only shown once it closes.", code: 1)
                }
                if json {
                    struct Row: Encodable { var rank: Int, followUpId: String, title: String, points: Int, pickers: Int, focus: Bool }
                    struct Tally: Encodable { var voters: Int, focus: [String], rows: [Row] }
                    printJSON(Tally(voters: tally.voterCount, focus: tally.focus.map(\.uuidString), rows: tally.rows.map {
                        Row(rank: $0.rank, followUpId: $0.followUpID.uuidString, title: $0.title, points: $0.points, pickers: $0.pickers, focus: $0.isFocus)
                    }))
                } else {
                    print("\(tally.voterCount) voted; top \(ballot.rules.focusSize) are the focus.")
                    for r in tally.rows {
                        print(String(format: "%3d. %3d pts  %2d picked  %@%@", r.rank, r.points, r.pickers, r.title, r.isFocus ? "  [focus]" : ""))
                    }
                }
            }
        }
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reports.", subcommands: [Trends.self, FollowThrough.self, Maintenance.self])

    struct Maintenance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maintenance",
            abstract: "Per service and quarter: incidents, their minutes and the follow-ups done (by tag); recurrences; follow-ups linked to later incidents.",
            discussion: "An argument for funding maintenance, with what the numbers cannot show. Dates in UTC; by default the last four quarters and this one.")
        @OptionGroup var data: DataOptions
        @Option(help: "From this date (YYYY-MM-DD).") var since: String?
        @Option(help: "Until this date, included (YYYY-MM-DD).") var until: String?
        @Flag(help: "Print JSON (as GET /api/v1/reports/maintenance).") var json = false

        func run() async throws {
            let (from, to) = try MaintenanceReport.period(since: since, until: until)
            try await data.withStore { store, _ in
                let report = try await store.maintenanceReport(since: from, until: to, viewer: nil)
                if json { return printJSON(MaintenanceReportJSON(report)) }
                print("quarter  service                 incidents  minutes  follow-ups done  by tag")
                for r in report.rows {
                    let tags = r.doneByTag.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    func column(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
                    print(column(r.quarter.description, 8) + " " + column(r.service.isEmpty ? "(none)" : r.service, 23)
                          + String(format: " %9d  %7d  %15d  ", r.incidents, r.incidentMinutes, r.followUpsDone) + tags)
                }
                if !report.recurrences.isEmpty { print("\nRecurrences (incidents of a service whose reviews tagged a factor alike):") }
                for r in report.recurrences { print("  \(r.service) · \(r.tag): \(r.incidentKeys.joined(separator: ", "))") }
                if !report.links.isEmpty { print("\nFollow-ups linked to later incidents:") }
                for l in report.links { print("  \(l.fromIncidentKey) \"\(l.followUpTitle)\" (\(l.followUpStatus.label)) \(l.effect.label) \(l.incidentKey)") }
                print("\nWhat the numbers cannot show:")
                for c in MaintenanceReport.caveats { print("  - \(c)") }
            }
        }
    }

    struct FollowThrough: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow-through",
            abstract: "What was done of what the team ranked highest, at each checkpoint after a ballot closed.")
        @OptionGroup var data: DataOptions
        @Option(help: "Only checkpoints taken since this date (YYYY-MM-DD or RFC 3339).") var since: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var sinceDate: Date?
            if let since {
                guard let d = LoreTime.parseISO(since) ?? LoreTime.parseLocal(since + "T00:00", timeZone: TimeZone(identifier: "UTC")!) else {
                    throw CLIFailure(message: "--since \"\(since)\" is not a date (YYYY-MM-DD or 2026-03-01T00:00:00Z).", code: 2)
                }
                sinceDate = d
            }
            try await data.withStore { store, _ in
                let rows = try await store.followThroughReadings(since: sinceDate)
                let reviews = Dictionary(uniqueKeysWithValues: try await store.allReviewsForOperator().map { ($0.id, $0) })
                var keys: [UUID: String] = [:]
                for r in reviews.values { keys[r.id] = try await store.incident(id: r.incidentID)?.key }
                let focusClosed = rows.map(\.reading.focusClosed).reduce(0, +), focusTotal = rows.map(\.reading.focusTotal).reduce(0, +)
                let othersClosed = rows.map(\.reading.othersClosed).reduce(0, +), othersTotal = rows.map(\.reading.othersTotal).reduce(0, +)
                if json {
                    struct Totals: Encodable { var focusClosed: Int, focusTotal: Int, othersClosed: Int, othersTotal: Int }
                    struct Checkpoint: Encodable {
                        @Nullable var incidentKey: String?
                        var reviewId: String, day: Int, takenAt: String, focusClosed: Int, focusTotal: Int, othersClosed: Int, othersTotal: Int, sentence: String
                    }
                    struct Readings: Encodable { var checkpoints: [Checkpoint], totals: Totals }
                    printJSON(Readings(checkpoints: rows.map { r in
                        Checkpoint(incidentKey: keys[r.reviewID], reviewId: r.reviewID.uuidString, day: r.reading.day, takenAt: LoreTime.iso(r.reading.takenAt),
                                   focusClosed: r.reading.focusClosed, focusTotal: r.reading.focusTotal, othersClosed: r.reading.othersClosed,
                                   othersTotal: r.reading.othersTotal, sentence: r.reading.sentence)
                    }, totals: Totals(focusClosed: focusClosed, focusTotal: focusTotal, othersClosed: othersClosed, othersTotal: othersTotal)))
                } else {
                    if rows.isEmpty { print("No follow-through checkpoints\(since.map { " since \($0)" } ?? "") yet.") }
                    for r in rows {
                        print("\(keys[r.reviewID] ?? "?")  day \(r.reading.day)  \(LoreTime.iso(r.reading.takenAt).prefix(10))  \(r.reading.sentence)")
                    }
                    if !rows.isEmpty {
                        print("Across all checkpoints: \(focusClosed) of \(focusTotal) focus items closed, \(othersClosed) of \(othersTotal) others.")
                    }
                }
            }
        }
    }
}

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "The service catalog: teams, services and who is paged.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or update teams, memberships and services from a YAML file (format: docs/catalog.md). All or nothing.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The catalog file (YAML).") var file: String

        func run() async throws {
            let text: String
            do {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                guard let t = String(data: bytes, encoding: .utf8) else { throw CLIFailure(message: "\(file): not UTF-8 text.", code: 2) }
                text = t
            } catch let e as CLIFailure {
                throw e
            } catch {
                throw CLIFailure(message: "\(file): cannot read: \(error.localizedDescription)", code: 2)
            }
            try await data.withStore { store, _ in
                let catalog: CatalogFile
                do {
                    catalog = try CatalogFile.parse(text, fileName: (file as NSString).lastPathComponent, knownTeams: try await store.teamSlugs())
                } catch let e as CatalogFileError {
                    throw CLIFailure(message: "catalog not imported; nothing was changed:\n" + e.description, code: 2)
                }
                do {
                    let s = try await store.importCatalog(
                        teams: catalog.teams.map { CatalogEntryTeam(input: $0.input, members: $0.members.map { ($0.email, $0.role) }, line: $0.line) },
                        services: catalog.services.map { CatalogEntryService(input: $0.input, line: $0.line) },
                        fileName: (file as NSString).lastPathComponent)
                    print("Teams: \(s.teamsCreated) created, \(s.teamsUpdated) renamed. Services: \(s.servicesCreated) created, \(s.servicesUpdated) updated. Memberships: \(s.memberships).")
                } catch let e as LoreCore.ValidationError {
                    throw CLIFailure(message: "catalog not imported; nothing was changed:\n" + e.issues.map(\.message).joined(separator: "\n"), code: 2)
                }
            }
        }
    }
}
