import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

/// `lore digest`: a team's weekly digest at the terminal — print any week's
/// (the text its webhooks receive), or choose when it goes out.
struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a team's weekly digest, or choose when it is sent.",
        discussion: "lore digest payments prints the newest digest already due; --week 2026-W48 another week. lore digest payments --day friday --hour 16 --time-zone Europe/Berlin sets the time; --stop stops it. It holds only what every member of the team may see.")
    @OptionGroup var data: DataOptions
    @Argument(help: "The team (slug).") var team: String
    @Option(help: "An ISO week such as 2026-W48 (default: the newest already due).") var week: String?
    @Option(help: "Send it on this day (Monday … Sunday).") var day: String?
    @Option(help: "… at this hour, 0–23 (default 9).") var hour: String?
    @Option(help: "… on this clock, an IANA zone such as Europe/Berlin (default UTC).") var timeZone: String?
    @Flag(help: "Stop sending the team's digest.") var stop = false
    @Flag(help: "Print JSON (as GET /api/v1/teams/{slug}/digest).") var json = false

    func run() async throws {
        var chosen: DigestSchedule?
        if day != nil || hour != nil || timeZone != nil {
            do throws(LoreCore.ValidationError) {
                chosen = try DigestSchedule.validated(weekday: day, hour: hour ?? "9", timeZone: timeZone ?? "UTC")
            } catch {
                let flags = ["weekday": "--day", "hour": "--hour", "timeZone": "--time-zone"]
                throw CLIFailure(message: error.issues.map { "\(flags[$0.field] ?? $0.field): \($0.message)" }.joined(separator: "\n"), code: 2)
            }
        }
        let week: DigestWeek?
        if let text = self.week {
            guard let w = DigestWeek.parse(text) else { throw CLIFailure(message: "--week: a week is written like 2026-W48 (an ISO week).", code: 2) }
            week = w
        } else {
            week = nil
        }
        try await data.withStore { store, _ in
            guard try await store.team(slug: team) != nil else { throw CLIFailure(message: "Unknown team \"\(team)\"; lore catalog lists the teams.") }
            if stop || chosen != nil {
                try await store.setDigestSchedule(teamSlug: team, stop ? nil : chosen)
                if let s = chosen, !stop {
                    let next = s.latestWeek(atOrBefore: Date()).next
                    print("\(team): weekly digest on \(s.weekdayName)s at \(s.hour):00 (\(s.timeZone)); next \(next) at \(LoreTime.iso(s.sendMoment(of: next))).")
                } else {
                    print("\(team): no weekly digest.")
                }
                return
            }
            let schedule = try await store.digestSchedule(teamSlug: team)
            let which = week ?? (schedule ?? .standard).latestWeek(atOrBefore: Date())
            guard let digest = try await store.teamDigest(teamSlug: team, week: which) else { return }
            let names = Dictionary(uniqueKeysWithValues: try await store.services().map { ($0.slug, $0.name) })
            let text = digest.text(serviceName: { names[$0] ?? $0 })
            if json {
                printJSON(TeamDigestJSON(digest, schedule: schedule, text: text))
            } else {
                print(text)
                if schedule == nil { print("\n(Not sent: the team has chosen no time. Set one with --day and --hour.)") }
            }
        }
    }
}
