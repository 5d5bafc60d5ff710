import Foundation
import LoreCore
import LoreStore

/// `LoreBench search`: the large organisation of `LoreBench insights`
/// (about 100,000 incidents over three years, reviews and follow-ups in the
/// demo's proportions), its timelines topped up to `entries` with chatter of
/// the kind responders write (error codes, host names, log fragments), loaded
/// into SQLite and, with `LORE_BENCH_POSTGRES_URL`, PostgreSQL. Then:
///
/// - **baseline**: one incident read by its key (`INC-n`), an indexed lookup;
/// - **search**: `queries` mixed queries as a member of one team (words,
///   phrases, codes, host names, prefixes, exclusions; a third with a
///   filter of service, severity, date or kind), visibility applied inside the query as on the page;
/// - **related**: "seen before" for `related` incidents picked at random.
///
/// p50 and p95 of each, and p95 as a ratio to the baseline's p95.
func searchBench(incidents: Int, entries: Int, queries: Int, related: Int) async throws {
    let now = Date()
    var started = nanos()
    let data = DemoData.largeOrganisation(now: now, incidents: incidents, days: 3 * 365)
    let demoEntries = data.incidents.reduce(0) { $0 + $1.timeline.count }
    say(String(format: "Generated %d incidents (%d timeline entries of their own) in %.1f s", data.incidents.count, demoEntries, Double(nanos() - started) / 1e9))

    // `LORE_BENCH_SEARCH_SQLITE` and `LORE_BENCH_SEARCH_POSTGRES_SCHEMA` keep
    // the loaded databases (nine and twelve minutes of loading here).
    let targets = try await benchTargets(environmentPrefix: "LORE_BENCH_SEARCH", freshName: "search")

    var rng = SplitMix64(seed: 7)
    let workload = SearchWorkload.queries(queries, services: data.services.map(\.slug), severities: ["SEV1", "SEV2", "SEV3"], now: now, rng: &rng)
    for target in targets {
        let store = target.database.store
        started = nanos()
        let loaded = target.loaded
        if !loaded { _ = try await store.loadDemo(data, now: now) }
        say(loaded ? "\n\(target.name): measuring the database loaded by an earlier run" : String(format: "\n%@: demo organisation loaded in %.1f s", target.name, Double(nanos() - started) / 1e9))

        // Top the timelines up to `entries`, spread over the incidents, in
        // one streamed import (one transaction; the index is kept by the
        // same triggers as every other write).
        started = nanos()
        var all: [UUID] = []
        for page in IncidentFilter.pages where !loaded {
            let items = try await store.incidents(IncidentFilter(page: page, perPage: IncidentFilter.perPageRange.upperBound)).items
            all += items.map(\.id)
            if items.count < IncidentFilter.perPageRange.upperBound { break }
        }
        let extra = max(0, entries - demoEntries)
        if let anchor = all.first, extra > 0, !loaded {
            let incidentIDs = all
            try await store.importTimelineStream(incidentID: anchor) { sink in
                var chatter = SplitMix64(seed: 11)
                var batch: [TimelineEntry] = []
                batch.reserveCapacity(2_000)
                for n in 0 ..< extra {
                    let incident = incidentIDs[Int(chatter.next() % UInt64(incidentIDs.count))]
                    let at = now.addingTimeInterval(-Double(chatter.next() % (3 * 365 * 86_400)))
                    batch.append(TimelineEntry(incidentID: incident, occurredAt: at, recordedAt: at, author: "bench", source: .slack, kind: .communication,
                                               text: SearchWorkload.chatter(&chatter), externalID: "bench-\(n)"))
                    if batch.count == 2_000 {
                        try await sink.add(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try await sink.add(batch) }
            }
        }
        if !loaded { say(String(format: "%@: %d more timeline entries (%d in all) in %.1f s", target.name, extra, demoEntries + extra, Double(nanos() - started) / 1e9)) }

        // A member of one team, as most people are.
        let users = try await store.users()
        guard let member = users.first(where: { !$0.isAdmin }) else { throw StoreError.notFound("A member") }
        let viewer = try await store.viewer(for: member)
        let numbers = try await store.incidents(IncidentFilter(page: 1, perPage: 1)).items.first?.number ?? 1

        func percentiles(_ times: [Double]) -> (p50: Double, p95: Double) {
            let sorted = times.sorted()
            func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
            return (at(0.5), at(0.95))
        }
        var pick = SplitMix64(seed: 3)
        var lookups: [Double] = [], found = 0
        for _ in 0 ..< max(queries, 200) {
            let key = Incident.key(for: 1 + Int(pick.next() % UInt64(numbers)))
            let start = nanos()
            if try await store.incident(key: key) != nil { found += 1 }
            lookups.append(Double(nanos() - start) / 1e6)
        }
        var searches: [Double] = [], hits = 0, slowest: (Double, String) = (0, ""), byKind: [String: [Double]] = [:]
        for _ in 0 ..< 20 { _ = try await store.search(workload[0], viewer: viewer) }  // warm-up
        for q in workload {
            let start = nanos()
            hits += try await store.search(q, viewer: viewer).hits.count
            let ms = Double(nanos() - start) / 1e6
            searches.append(ms)
            byKind[SearchWorkload.kind(of: q), default: []].append(ms)
            if ms > slowest.0 { slowest = (ms, q.query.text) }
        }
        var relatedTimes: [Double] = [], shown = 0
        for _ in 0 ..< related {
            guard let incident = try await store.incident(number: 1 + Int(pick.next() % UInt64(numbers))) else { continue }
            let start = nanos()
            shown += try await store.relatedIncidents(to: incident).count
            relatedTimes.append(Double(nanos() - start) / 1e6)
        }
        let base = percentiles(lookups), s = percentiles(searches), r = percentiles(relatedTimes)
        say("\(target.name): \(numbers) incidents, \(demoEntries + extra) timeline entries; \(workload.count) queries as a team member (ms):")
        func line(_ name: String, _ m: (p50: Double, p95: Double), _ note: String) {
            say("  " + name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " p50 %7.2f   p95 %7.2f   (%6.1f× lookup)   ", m.p50, m.p95, m.p95 / base.p95) + note)
        }
        line("baseline: one incident by its key", base, "\(found) found")
        line("search, mixed queries", s, String(format: "%.1f hits a query; slowest %.0f ms: %@", Double(hits) / Double(workload.count), slowest.0, slowest.1))
        line("seen before, one incident", r, String(format: "%.1f shown each", Double(shown) / Double(max(1, relatedTimes.count))))
        for (kind, times) in byKind.sorted(by: { $0.key < $1.key }) { line("  search: " + kind, percentiles(times), "\(times.count) queries") }
        say((s.p95 < 30 ? "search p95 under 30 ms: met" : "search p95 under 30 ms: NOT met") + "; " + (r.p95 < 50 ? "seen before p95 under 50 ms: met" : "seen before p95 under 50 ms: NOT met"))
        await target.cleanup()
    }
}

/// What responders type into a search box, and what they write in a channel.
enum SearchWorkload {
    static let words = ["checkout", "ledger", "replica", "latency", "timeout", "deploy", "rollback", "queue", "backlog", "certificate", "dns", "cache",
                        "eviction", "throttling", "kafka", "consumer", "lag", "postgres", "failover", "memory", "oom", "disk", "webhook", "retry", "storm",
                        "payments", "search", "login", "session", "token", "quota", "rate", "limit", "canary", "migration", "index", "vacuum", "pager"]
    static let codes = ["503", "502", "504", "429", "ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "OOMKilled", "SIGTERM", "CrashLoopBackOff"]
    static let phrases = ["connection pool", "i/o timeout", "read replica", "circuit breaker", "health check", "disk full", "feature flag", "rate limit"]

    static func host(_ rng: inout SplitMix64) -> String {
        ["edge", "api", "orders-db", "cache", "worker"][Int(rng.next() % 5)] + "-" + String(format: "%02d", Int(rng.next() % 40))
    }

    /// One chat message: a few words, often a code, a host or a phrase.
    static func chatter(_ rng: inout SplitMix64) -> String {
        var parts: [String] = []
        for _ in 0 ..< 4 + Int(rng.next() % 8) { parts.append(words[Int(rng.next() % UInt64(words.count))]) }
        if rng.next() % 3 == 0 { parts.append(codes[Int(rng.next() % UInt64(codes.count))]) }
        if rng.next() % 3 == 0 { parts.append("on " + host(&rng)) }
        if rng.next() % 4 == 0 { parts.append(phrases[Int(rng.next() % UInt64(phrases.count))]) }
        return parts.joined(separator: " ")
    }

    /// What sort of query `r` is, for the figures by kind.
    static func kind(of r: SearchRequest) -> String {
        var kind: String
        switch (r.query.include.first, r.query.include.count, r.query.exclude.isEmpty) {
        case (_, _, false): kind = "exclusion"
        case (_, 2, _): kind = "two words"
        case (.phrase?, _, _): kind = "phrase"
        case (.prefix?, _, _): kind = "prefix"
        case (.word(let w)?, _, _): kind = w.contains("-") ? "host name" : codes.contains(w) ? "error code" : "word"
        default: kind = "other"
        }
        let f = r.filter
        if f.service != nil { kind += ", service filter" } else if f.severity != nil { kind += ", severity filter" } else if f.since != nil { kind += ", date filter" } else if f.kind != nil { kind += ", kind filter" }
        return kind
    }

    static func queries(_ n: Int, services: [String], severities: [String], now: Date, rng: inout SplitMix64) -> [SearchRequest] {
        var out: [SearchRequest] = []
        while out.count < n {
            let text: String
            switch rng.next() % 7 {
            case 0: text = words[Int(rng.next() % UInt64(words.count))]
            case 1: text = "\"" + phrases[Int(rng.next() % UInt64(phrases.count))] + "\""
            case 2: text = codes[Int(rng.next() % UInt64(codes.count))]
            case 3: text = host(&rng)
            case 4: text = String(words[Int(rng.next() % UInt64(words.count))].prefix(4)) + "*"
            case 5: text = words[Int(rng.next() % UInt64(words.count))] + " " + words[Int(rng.next() % UInt64(words.count))]
            default: text = words[Int(rng.next() % UInt64(words.count))] + " -" + words[Int(rng.next() % UInt64(words.count))]
            }
            guard let query = try? SearchQuery.parse(text) else { continue }
            var filter = SearchFilter()
            switch rng.next() % 12 {
            case 0: filter.service = services[Int(rng.next() % UInt64(services.count))]
            case 1: filter.severity = severities[Int(rng.next() % UInt64(severities.count))]
            case 2: filter.since = now.addingTimeInterval(-90 * 86_400)
            case 3: filter.kind = [.incident, .review, .followUp, .timeline][Int(rng.next() % 4)]
            default: break
            }
            out.append(SearchRequest(query: query, filter: filter))
        }
        return out
    }
}
