import Foundation

// Benchmarks, in release, each against a baseline measured in the same run
// (these machines are shared and noisy; ratios hold up better than seconds):
//
//   swift run -c release LoreBench [language] [corpus.jsonl]   language checker
//   swift run -c release LoreBench slack [--messages N]         Slack export import into SQLite
//   swift run -c release LoreBench webhooks [--events N --incidents N --senders N]   PagerDuty webhook deliveries over loopback
//   swift run -c release LoreBench markdown                      Markdown renderer, hostile and ordinary text, 100 KB and 1 MB
//   swift run -c release LoreBench readers [--messages N --rounds N]  Lore's JSON readers against JSONDecoder
//   swift run -c release LoreBench insights [--incidents N --runs N]  Insights over a large organisation (SQLite; PostgreSQL with LORE_BENCH_POSTGRES_URL)
//   swift run -c release LoreBench search [--incidents N --entries N --queries N --related N]  search and "seen before" at that size (likewise)
//
//   swift run -c release LoreBench http-seed --out FILE [--incidents N] [--people N]
//                                                            the organisation Benchmarks/http/run.py measures over HTTP
//
// Figures from this machine are in Benchmarks/README.md.

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Best of `runs`, in seconds.
func best(_ runs: Int, _ body: () -> Void) -> Double {
    var bestNs = UInt64.max
    for _ in 0..<runs {
        let start = nanos()
        body()
        bestNs = min(bestNs, nanos() - start)
    }
    return Double(bestNs) / 1e9
}

/// Hides a value from the optimiser: a baseline whose input it could see
/// through, or whose result it could drop, was measured at hundreds of
/// terabytes a second.
@inline(never) func opaque<T>(_ value: T) -> T { value }

nonisolated(unsafe) var benchSink = 0
/// Keeps a result alive, so that the work producing it is done.
@inline(never) func consume(_ n: Int) { benchSink &+= n }

/// `--name value` from the command line.
func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return fallback }
    return n
}

let mode = CommandLine.arguments.dropFirst().first ?? "language"
do {
    switch mode {
    case "slack": try await slackBench(messages: option("--messages", 1_000_000))
    case "slack-import": try await slackImportChild(Array(CommandLine.arguments.dropFirst(2)))
    case "webhooks": try await webhookBench(events: option("--events", 20_000), incidents: option("--incidents", 20), senders: option("--senders", 64))
    case "pd-store": try await pagerDutyStoreProbe(events: option("--events", 4_000))
    case "markdown": markdownBench()
    case "readers": try readerBench(slackMessages: option("--messages", 300_000), webhookRounds: option("--rounds", 2_000))
    case "insights": try await insightsBench(incidents: option("--incidents", 100_000), runs: option("--runs", 20))
    case "search": try await searchBench(incidents: option("--incidents", 100_000), entries: option("--entries", 2_000_000), queries: option("--queries", 1_000), related: option("--related", 200))
    case "http-seed": try await httpSeed(incidents: option("--incidents", 100_000), people: option("--people", 2_000), out: textOption("--out") ?? "http-seed.json")
    case "language": try languageBench(corpusPath: CommandLine.arguments.dropFirst(2).first ?? "Tests/Fixtures/language/corpus.jsonl")
    default: try languageBench(corpusPath: mode)
    }
} catch {
    FileHandle.standardError.write(Data("LoreBench: \(error)\n".utf8))
    exit(1)
}
