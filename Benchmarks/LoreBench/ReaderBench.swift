import Foundation
import LoreImport

/// Lore's hand-written JSON readers against the safe alternative, Foundation's
/// `JSONDecoder`, on the same bytes in the same run (the hardening issue: if
/// the safe reader is within 1.5× of a pointer scanner, prefer it).
///
/// The `JSONDecoder` side only decodes: Decodable structs holding exactly the
/// fields Lore reads, with no mapping afterwards (no times parsed, no Slack
/// markup rendered, no timeline text). Lore's side does all of that too. So the
/// ratio printed is the least the safe reader would cost; a real safe importer
/// would be slower still.
func readerBench(slackMessages: Int, webhookRounds: Int) throws {
    try pagerDutyReaders(rounds: webhookRounds)
    try slackReaders(messages: slackMessages)
}

// MARK: PagerDuty webhooks

/// The fields of a v3 webhook body that `PagerDutyWebhookEvent.parse` reads.
private struct SafeWebhook: Decodable {
    struct Reference: Decodable {
        var id: String?
        var type: String?
        var summary: String?
        var name: String?
        var html_url: String?
    }

    struct Assignment: Decodable { var assignee: Reference? }

    struct Data: Decodable {
        var id: String?
        var type: String?
        var number: Int?
        var title: String?
        var status: String?
        var urgency: String?
        var html_url: String?
        var created_at: String?
        var last_status_change_at: String?
        var content: String?
        var message: String?
        var state: String?
        var conference_url: String?
        var resolve_reason: Reference?
        var incident: Reference?
        var service: Reference?
        var priority: Reference?
        var escalation_policy: Reference?
        var incident_workflow: Reference?
        var user: Reference?
        var assignees: [Reference]?
        var assignments: [Assignment]?
    }

    struct Event: Decodable {
        var id: String
        var event_type: String
        var resource_type: String?
        var occurred_at: String
        var agent: Reference?
        var client: Reference?
        var data: Data
    }

    var event: Event
}

private func pagerDutyReaders(rounds: Int) throws {
    let dir = URL(fileURLWithPath: "Tests/Fixtures/pagerduty")
    let bodies = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        .map { try Data(contentsOf: dir.appendingPathComponent($0)) }
    guard !bodies.isEmpty else { throw BenchFailure(message: "no webhook bodies in \(dir.path); run from the repository root") }
    // Both readers must accept every body, or the comparison means nothing.
    let decoder = JSONDecoder()
    for b in bodies {
        _ = try PagerDutyWebhookEvent.parseIfAboutIncident(b)
        _ = try decoder.decode(SafeWebhook.self, from: b)
    }
    let bytes = bodies.reduce(0) { $0 + $1.count }
    var sink = 0
    let lore = best(5) {
        for _ in 0..<rounds { for b in bodies { sink &+= (try? PagerDutyWebhookEvent.parseIfAboutIncident(b))?.id.utf8.count ?? 0 } }
    }
    let safe = best(5) {
        for _ in 0..<rounds { for b in bodies { sink &+= (try? decoder.decode(SafeWebhook.self, from: b))?.event.id.utf8.count ?? 0 } }
    }
    let n = Double(rounds * bodies.count)
    print("PagerDuty v3 webhook bodies (\(bodies.count) captured events, \(bytes / bodies.count) bytes on average, \(rounds) rounds, best of 5):")
    print(String(format: "  Lore's reader (PagerDutyJSON, parse and map to an activity): %.2f µs per event", lore / n * 1e6))
    print(String(format: "  JSONDecoder into structs of the same fields (decode only):   %.2f µs per event", safe / n * 1e6))
    print(String(format: "  JSONDecoder takes %.2f× Lore's reader  (checksum %d)", safe / lore, sink & 1))
}

// MARK: Slack day files

/// The fields of a Slack message that `SlackDayFileScanner` keeps.
private struct SafeSlackMessage: Decodable {
    struct File: Decodable {
        var name: String?
        var title: String?
    }

    struct Attachment: Decodable {
        var fallback: String?
        var pretext: String?
        var text: String?
    }

    struct Profile: Decodable {
        var real_name: String?
        var display_name: String?
        var name: String?
    }

    struct Comment: Decodable {
        var user: String?
        var comment: String?
    }

    /// `replies` is only checked for presence.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    var ts: String?
    var subtype: String?
    var user: String?
    var bot_id: String?
    var username: String?
    var text: String?
    var thread_ts: String?
    var reply_count: Int?
    var replies: [Present]?
    var hidden: Bool?
    var files: [File]?
    var file: File?
    var comment: Comment?
    var user_profile: Profile?
    var bot_profile: Profile?
    var attachments: [Attachment]?
}

private func slackReaders(messages: Int) throws {
    let days = 90
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-bench-readers-\(messages)")
    try? FileManager.default.removeItem(at: dir)
    let counts = try SlackExportGenerator.write(to: dir, channel: "incident-42", days: days, messagesPerDay: (messages + days - 1) / days, users: 300, seed: 42)
    defer { try? FileManager.default.removeItem(at: dir) }
    let channelDir = dir.appendingPathComponent("incident-42")
    let dayFiles = try FileManager.default.contentsOfDirectory(atPath: channelDir.path).filter { $0.hasSuffix(".json") }.sorted()
        .map { channelDir.appendingPathComponent($0) }
    let export = try SlackExport(path: dir.path)
    let channel = try export.channel(named: "incident-42")

    var loreMessages = 0, safeMessages = 0
    // Both read the day files from disk (the page cache, after the first run).
    let lore = best(3) {
        loreMessages = 0
        _ = try? export.read(channel: channel, options: SlackReadOptions(includeBots: true)) { (day: [SlackTimelineMessage]) throws(SlackExportError) in
            loreMessages += day.count
        }
    }
    let decoder = JSONDecoder()
    let safe = best(3) {
        safeMessages = 0
        for f in dayFiles {
            guard let data = try? Data(contentsOf: f), let day = try? decoder.decode([SafeSlackMessage].self, from: data) else { continue }
            safeMessages += day.count
        }
    }
    print("Slack day files (\(counts.messages) generated messages, \(counts.bytes >> 20) MB, \(dayFiles.count) day files, best of 3):")
    print(String(format: "  Lore's reader (SlackDayFileScanner, read and turned into timeline messages, %d kept): %.3f s = %.0f messages/s, %.0f MB/s",
                 loreMessages, lore, Double(counts.messages) / lore, Double(counts.bytes) / lore / 1e6))
    print(String(format: "  JSONDecoder into structs of the same fields (decode only, %d decoded):               %.3f s = %.0f messages/s, %.0f MB/s",
                 safeMessages, safe, Double(counts.messages) / safe, Double(counts.bytes) / safe / 1e6))
    print(String(format: "  JSONDecoder takes %.2f× Lore's reader", safe / lore))
}
