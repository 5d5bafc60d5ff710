import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

/// `lore search`: the search box on a terminal. The operator holds the
/// database itself, so every review is searched.
struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search incidents, timeline entries, reviews, findings and follow-ups.",
        discussion: "Words, \"a phrase\", a prefix*, -exclude; error codes (503, ECONNRESET) and host names (edge-03) as typed. Quote the whole query for the shell: lore search '\"i/o timeout\" -staging'.")
    @OptionGroup var data: DataOptions
    @Argument(help: "What to search for.") var query: [String]
    @Option(help: "incident, timeline, review, finding or follow_up.") var kind: String?
    @Option(help: "Only incidents of this service (slug).") var service: String?
    @Option(help: "Only incidents of this team (slug).") var team: String?
    @Option(help: "Only incidents of this severity.") var severity: String?
    @Option(help: "Only incidents first noticed this way (detection source).") var source: String?
    @Option(help: "Incidents from this date (YYYY-MM-DD) or RFC 3339 time.") var since: String?
    @Option(help: "Incidents until this date (included) or RFC 3339 time (excluded).") var until: String?
    @Option(help: "Which page of 20 results.") var page: Int?
    @Flag(help: "Print JSON (as GET /api/v1/search).") var json = false

    func run() async throws {
        var parameters = ["q": query.joined(separator: " ")]
        for (name, value) in [("kind", kind), ("service", service), ("team", team), ("severity", severity), ("source", source),
                              ("since", since), ("until", until), ("page", page.map(String.init))] {
            if let value { parameters[name] = value }
        }
        let request: SearchRequest
        do throws(LoreCore.ValidationError) {
            request = try SearchRequest.parse(parameters)
        } catch {
            throw CLIFailure(message: error.issues.map { ($0.field == "q" ? "" : "--\($0.field): ") + $0.message }.joined(separator: "\n"), code: 2)
        }
        try await data.withStore { store, _ in
            let results = try await store.searchForOperator(request)
            let indexing = try await store.searchBacklog()
            if json {
                printJSON(SearchJSON(request, results, indexing: indexing))
                return
            }
            for i in indexing { print("(Indexing the imported timeline of \(i.incidentKey): \(i.percent) % searchable so far.)") }
            if results.hits.isEmpty {
                print("Nothing found for \(request.query.text).")
                return
            }
            for h in results.hits {
                // Matches in *asterisks*: a terminal has no highlighting to rely on.
                let snippet = h.snippet.parts.map { $0.marked ? "*\($0.text)*" : $0.text }.joined()
                    .replacingOccurrences(of: "\n", with: " ")
                print("\(h.incidentKey)  \(h.kind.label)\(h.title.isEmpty ? "" : ": \(h.title)")  (\(h.incidentTitle))")
                if !snippet.isEmpty { print("    " + snippet) }
            }
            if results.hasMore { print("More results: --page \(request.page + 1)") }
            if let newest = results.rankedNewest {
                print("More matched than Lore ranks: these are the best of the newest matches (\(newest)). Add a word, a phrase or --since/--until to reach older ones.")
            }
        }
    }
}
