import Foundation
import LoreCore

/// Writes a made-up Slack export directory, for benchmarks and round-trip
/// tests of `SlackExport`.
///
/// Real exports are private, and the ones that can be shared are tiny; an
/// import of a busy incident channel (a million messages over a quarter) has
/// to be measured on something of that size. The export looks like Slack's:
/// pretty-printed day files, `client_msg_id`, `team`, `user_profile`, markup
/// (mentions, links with labels, `<!here>`, escaped `&`, `<`, `>`), threads
/// with `reply_count`/`replies` on the parent, about 3% `channel_join` and
/// about 10% bot messages. The same seed gives the same bytes.
///
/// Day files are written one at a time, so the generator's memory does not
/// grow with the size of the export.
public enum SlackExportGenerator {
    /// What was written, so a test can say what a reader should find.
    public struct Counts: Equatable, Sendable {
        /// Every message record in the day files.
        public var messages: Int
        /// `channel_join` records (skipped by the reader).
        public var joins: Int
        /// `bot_message` records (skipped unless bots are included).
        public var botMessages: Int
        /// Thread replies among the people's messages.
        public var threadReplies: Int
        /// Bytes of all day files.
        public var bytes: Int

        /// Messages that a reader keeps without `includeBots` and without a time window.
        public var peopleMessages: Int { messages - joins - botMessages }
    }

    /// The channel's id in the written `channels.json`.
    public static let channelID = "C0LORE0001"
    /// Midnight UTC of the first day, 2024-01-01.
    public static let firstDay = Date(timeIntervalSince1970: 1_704_067_200)

    /// Writes `users.json`, `channels.json` and `<channel>/YYYY-MM-DD.json`
    /// for `days` days starting on 2024-01-01, with `messagesPerDay`
    /// messages each, from `users` people, into `directory` (created if
    /// needed).
    @discardableResult
    public static func write(to directory: URL, channel: String, days: Int, messagesPerDay: Int, users: Int, seed: UInt64) throws -> Counts {
        let fm = FileManager.default
        let channelDirectory = directory.appendingPathComponent(channel, isDirectory: true)
        try fm.createDirectory(at: channelDirectory, withIntermediateDirectories: true)
        var random = SplitMix64(seed: seed)
        let people = (0..<max(1, users)).map { Person(index: $0) }

        var usersJSON = "[\n"
        for (i, p) in people.enumerated() {
            usersJSON += """
                {
                    "id": "\(p.id)",
                    "team_id": "T0LORE",
                    "name": "\(p.handle)",
                    "deleted": false,
                    "real_name": "\(p.realName)",
                    "tz": "Europe/Berlin",
                    "profile": {
                        "title": "Engineer",
                        "real_name": "\(p.realName)",
                        "display_name": "\(p.handle)",
                        "team": "T0LORE"
                    },
                    "is_bot": false
                }\(i == people.count - 1 ? "" : ",")

            """
        }
        usersJSON += "]\n"
        try Data(usersJSON.utf8).write(to: directory.appendingPathComponent("users.json"))
        let channelsJSON = """
            [
                {
                    "id": "\(channelID)",
                    "name": "\(jsonEscaped(channel))",
                    "created": "1704067200",
                    "creator": "\(people[0].id)",
                    "is_archived": false,
                    "is_general": false,
                    "members": [\(people.prefix(20).map { "\"\($0.id)\"" }.joined(separator: ", "))],
                    "topic": { "value": "Incident channel", "creator": "", "last_set": "0" },
                    "purpose": { "value": "", "creator": "", "last_set": "0" }
                },
                {
                    "id": "C0LORE0002",
                    "name": "ops",
                    "created": "1704067200",
                    "creator": "\(people[0].id)",
                    "is_archived": false,
                    "is_general": true,
                    "members": [],
                    "topic": { "value": "", "creator": "", "last_set": "0" },
                    "purpose": { "value": "", "creator": "", "last_set": "0" }
                }
            ]

            """
        try Data(channelsJSON.utf8).write(to: directory.appendingPathComponent("channels.json"))

        var counts = Counts(messages: 0, joins: 0, botMessages: 0, threadReplies: 0, bytes: 0)
        let dayFormat = DateFormatter()
        dayFormat.locale = Locale(identifier: "en_US_POSIX")
        dayFormat.timeZone = TimeZone(identifier: "UTC")
        dayFormat.dateFormat = "yyyy-MM-dd"
        // Threads still open for replies: (thread ts, author id).
        var openThreads: [(ts: String, user: String)] = []
        var out: [UInt8] = []
        out.reserveCapacity(messagesPerDay * 420)
        for day in 0..<days {
            let dayStart = Int64(firstDay.timeIntervalSince1970) + Int64(day) * 86_400
            // Spread the day's messages over its 86,400 seconds, in order, with
            // distinct microseconds so every ts is unique.
            let step = max(1, 86_400_000_000 / Int64(max(1, messagesPerDay)))
            var records: [Record] = []
            records.reserveCapacity(messagesPerDay)
            for n in 0..<messagesPerDay {
                let micros = dayStart * 1_000_000 + Int64(n) * step + Int64(random.next() % UInt64(max(1, step / 2)))
                let fraction = String(micros % 1_000_000)
                let ts = "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
                let person = people[Int(random.next() % UInt64(people.count))]
                let roll = random.next() % 100
                if roll < 3 {
                    records.append(Record(ts: ts, user: person, kind: .join))
                    counts.joins += 1
                } else if roll < 13 {
                    records.append(Record(ts: ts, user: person, kind: .bot(alert: Int(random.next() % 1000))))
                    counts.botMessages += 1
                } else if roll < 23, !openThreads.isEmpty {
                    let t = openThreads[Int(random.next() % UInt64(openThreads.count))]
                    records.append(Record(ts: ts, user: person, kind: .reply(threadTS: t.ts, parentUser: t.user, text: sentence(&random, people: people))))
                    counts.threadReplies += 1
                } else {
                    let isParent = roll >= 95
                    records.append(Record(ts: ts, user: person, kind: .message(text: sentence(&random, people: people), isParent: isParent)))
                    if isParent {
                        openThreads.append((ts, person.id))
                        if openThreads.count > 8 { openThreads.removeFirst() }
                    }
                }
            }
            // Give parents their reply counts (as Slack does) from the replies in this day.
            var repliesByThread: [String: [(user: String, ts: String)]] = [:]
            for r in records {
                if case .reply(let threadTS, _, _) = r.kind { repliesByThread[threadTS, default: []].append((r.user.id, r.ts)) }
            }
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: "[\n".utf8)
            for (i, r) in records.enumerated() {
                r.append(to: &out, replies: repliesByThread[r.ts] ?? [], random: &random)
                out.append(contentsOf: (i == records.count - 1 ? "\n" : ",\n").utf8)
            }
            out.append(contentsOf: "]\n".utf8)
            counts.messages += records.count
            counts.bytes += out.count
            let name = dayFormat.string(from: Date(timeIntervalSince1970: TimeInterval(dayStart))) + ".json"
            try Data(out).write(to: channelDirectory.appendingPathComponent(name))
        }
        return counts
    }

    // MARK: - Parts

    private struct Person {
        var id: String
        var handle: String
        var realName: String

        static let first = ["Priya", "Tom", "Alex", "Jordan", "Maria", "Chen", "Sam", "Fatima", "Lukas", "Aisha", "Kenji", "Olu", "Ines", "Rafael", "Mei", "Noah"]
        static let last = ["Shah", "Berg", "Kim", "Lee", "Garcia", "Wang", "Okafor", "Haddad", "Müller", "Khan", "Sato", "Adeyemi", "Costa", "Silva", "Lin", "Weber"]

        init(index: Int) {
            id = "U" + String(format: "%08d", index + 1)
            let f = Person.first[index % Person.first.count]
            let l = Person.last[(index / Person.first.count) % Person.last.count]
            realName = index < 256 ? "\(f) \(l)" : "\(f) \(l) \(index)"
            handle = "\(f.lowercased()).\(l.lowercased())\(index < 256 ? "" : String(index))"
        }
    }

    private enum Kind {
        case message(text: String, isParent: Bool)
        case reply(threadTS: String, parentUser: String, text: String)
        case join
        case bot(alert: Int)
    }

    private struct Record {
        var ts: String
        var user: Person
        var kind: Kind

        func append(to out: inout [UInt8], replies: [(user: String, ts: String)], random: inout SplitMix64) {
            func line(_ s: String) { out.append(contentsOf: s.utf8) }
            switch kind {
            case .join:
                line("""
                    {
                        "user": "\(user.id)",
                        "type": "message",
                        "subtype": "channel_join",
                        "ts": "\(ts)",
                        "text": "<@\(user.id)> has joined the channel"
                    }
                """)
            case .bot(let alert):
                line("""
                    {
                        "type": "message",
                        "subtype": "bot_message",
                        "text": "[FIRING:1] HighErrorRate checkout-api (p99 &gt; 2s) alert \(alert)",
                        "ts": "\(ts)",
                        "username": "Alertmanager",
                        "bot_id": "B0LOREBOT",
                        "attachments": [
                            {
                                "fallback": "[FIRING:1] HighErrorRate",
                                "color": "D00000",
                                "title": "<https://alerts.example.com/\(alert)|Alert \(alert)>"
                            }
                        ]
                    }
                """)
            case .message(let text, let isParent):
                line("""
                    {
                        "client_msg_id": "\(uuid(&random))",
                        "type": "message",
                        "text": "\(text)",
                        "user": "\(user.id)",
                        "ts": "\(ts)",
                        "team": "T0LORE",
                """)
                if isParent, !replies.isEmpty {
                    line("""

                            "thread_ts": "\(ts)",
                            "reply_count": \(replies.count),
                            "reply_users_count": \(Set(replies.map(\.user)).count),
                            "replies": [\(replies.map { "{\"user\": \"\($0.user)\", \"ts\": \"\($0.ts)\"}" }.joined(separator: ", "))],
                    """)
                }
                line("""

                        "user_profile": {
                            "real_name": "\(user.realName)",
                            "display_name": "\(user.handle)",
                            "name": "\(user.handle)",
                            "team": "T0LORE",
                            "is_restricted": false
                        }
                    }
                """)
            case .reply(let threadTS, let parentUser, let text):
                line("""
                    {
                        "client_msg_id": "\(uuid(&random))",
                        "type": "message",
                        "text": "\(text)",
                        "user": "\(user.id)",
                        "ts": "\(ts)",
                        "team": "T0LORE",
                        "thread_ts": "\(threadTS)",
                        "parent_user_id": "\(parentUser)"
                    }
                """)
            }
        }
    }

    private static let phrases = [
        "checkout latency is up again", "I see 5xx from the payments gateway", "rolling back the deploy now",
        "error rate back to normal", "who owns the cache cluster?", "paging the database on-call",
        "looks like the connection pool is exhausted", "the graphs show a spike at 14:02",
        "customers report timeouts on login", "feature flag turned off", "restarting the workers",
        "queue depth &gt; 10k and growing", "let's keep this channel for the incident, side talk in the thread",
        "disk on db-3 is at 97%", "I'm not sure what we're seeing yet", "status page updated",
    ]

    private static func sentence(_ random: inout SplitMix64, people: [Person]) -> String {
        let base = phrases[Int(random.next() % UInt64(phrases.count))]
        switch random.next() % 10 {
        case 0: return "<@\(people[Int(random.next() % UInt64(people.count))].id)> \(base)"
        case 1: return "\(base), see <https://grafana.example.com/d/abc?from=now-1h&amp;to=now|the dashboard>"
        case 2: return "<!here> \(base)"
        case 3: return "&gt; \(base)\\nagreed"
        case 4: return "\(base) (<#C0LORE0002|ops>)"
        case 5: return "\(base) <https://status.example.com>"
        default: return base
        }
    }

    /// A random UUID-shaped id (`client_msg_id`), as lowercase hex.
    private static func uuid(_ random: inout SplitMix64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        for word in [random.next(), random.next()] {
            for nibble in 0..<16 {
                if bytes.count == 8 || bytes.count == 13 || bytes.count == 18 || bytes.count == 23 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(hex[Int((word >> (60 - 4 * UInt64(nibble))) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func jsonEscaped(_ s: String) -> String {
        var r = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            default:
                if ch.value < 0x20 { r += String(format: "\\u%04x", ch.value) } else { r.unicodeScalars.append(ch) }
            }
        }
        return r
    }
}
