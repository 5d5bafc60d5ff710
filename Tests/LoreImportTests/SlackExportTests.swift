import Foundation
import Testing
import ZIPFoundation
@testable import LoreImport
import LoreCore

// MARK: - Fixtures and helpers

private let slackFixtures: URL = {
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/slack", isDirectory: true)
}()

private func fixture(_ path: String) -> URL { slackFixtures.appendingPathComponent(path) }

/// A fresh directory, removed by the caller's `defer`.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lore-slack-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A writable copy of a fixture export (the fixtures are read-only).
private func copyOfFixture(_ path: String, in directory: URL) throws -> URL {
    let target = directory.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent, isDirectory: true)
    try FileManager.default.copyItem(at: fixture(path), to: target)
    try makeWritable(target)
    return target
}

private func makeWritable(_ url: URL) throws {
    let fm = FileManager.default
    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    for name in (try? fm.subpathsOfDirectory(atPath: url.path)) ?? [] {
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.appendingPathComponent(name).path)
    }
}

private struct ReadResult {
    var messages: [SlackTimelineMessage] = []
    var days: [[SlackTimelineMessage]] = []
    var progress: [SlackProgress] = []
    var summary = SlackImportSummary()
}

private func read(_ path: String, channel: String, _ options: SlackReadOptions = SlackReadOptions()) throws -> ReadResult {
    let export = try SlackExport(path: path)
    var result = ReadResult()
    result.summary = try export.read(channel: try export.channel(named: channel), options: options, progress: { result.progress.append($0) }) { day in
        result.days.append(day)
        result.messages += day
    }
    return result
}

/// Progress reports collected from another thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [SlackProgress] = []
    func add(_ p: SlackProgress) {
        lock.lock()
        reports.append(p)
        lock.unlock()
    }
    var all: [SlackProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}

/// Expects `body` to throw a `SlackExportError` and returns it.
private func exportError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> SlackExportError? {
    do {
        try body()
        Issue.record("expected a SlackExportError", sourceLocation: sourceLocation)
    } catch let error as SlackExportError {
        return error
    } catch {
        Issue.record("expected a SlackExportError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// `YYYY-MM-DDTHH:MM:SSZ`
private func utc(_ text: String) -> Date { LoreTime.parseISO(text)! }

/// Counts straight from the fixture's files, independently of the reader.
private struct FileCounts {
    var plain = 0, plainWithText = 0, bots = 0, botsWithText = 0, joins = 0, botAdds = 0, fileShares = 0, fileComments = 0, total = 0
    var timestamps: [String] = []

    init(channelDirectory: URL, from: Date? = nil, to: Date? = nil) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: channelDirectory.path) where name.hasSuffix(".json") {
            let data = try Data(contentsOf: channelDirectory.appendingPathComponent(name))
            for m in try JSONSerialization.jsonObject(with: data) as! [[String: Any]] {
                let ts = m["ts"] as! String
                let time = LoreTime.milliseconds(Date(timeIntervalSince1970: Double(ts)!))
                if let from, time < from { continue }
                if let to, time >= to { continue }
                total += 1
                let text = (m["text"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                switch m["subtype"] as? String {
                case nil:
                    plain += 1
                    if !text.isEmpty { plainWithText += 1; timestamps.append(ts) }
                case "bot_message":
                    bots += 1
                    let attachments = (m["attachments"] as? [[String: Any]]) ?? []
                    if !text.isEmpty || attachments.contains(where: { ($0["fallback"] as? String)?.isEmpty == false }) { botsWithText += 1 }
                case "channel_join": joins += 1
                case "bot_add": botAdds += 1
                case "file_share": fileShares += 1; timestamps.append(ts)
                case "file_comment": fileComments += 1; timestamps.append(ts)
                case let other?: Issue.record("unexpected subtype \(other) in \(name)")
                }
            }
        }
    }
}

private let testarchive = fixture("testarchive").path
private let testarchiveZip = fixture("testarchive.zip").path
private let handmade = fixture("handmade").path

// MARK: - The real export

@Suite struct SlackTestArchiveTests {
    @Test func directoryAndZipGiveTheSameResult() throws {
        let dir = try SlackExport(path: testarchive)
        let zip = try SlackExport(path: testarchiveZip)
        #expect(dir.channels == zip.channels)
        #expect(dir.channels.map(\.name) == ["enrique", "traveling-sailor"])
        #expect(dir.channels.map(\.id) == ["C0JGLMMNX", "C0JL6CGQ2"])
        #expect(dir.userNames == zip.userNames)
        for channel in ["enrique", "traveling-sailor"] {
            for options in [SlackReadOptions(), SlackReadOptions(includeBots: true, workspaceURL: "https://mesos-magellan.slack.com")] {
                let a = try read(testarchive, channel: channel, options)
                let b = try read(testarchiveZip, channel: channel, options)
                #expect(a.messages == b.messages)
                #expect(a.summary == b.summary)
                #expect(a.progress == b.progress)
                #expect(!a.messages.isEmpty)
            }
        }
    }

    @Test func countsMatchTheFiles() throws {
        var all: [FileCounts] = []
        for channel in ["enrique", "traveling-sailor"] {
            let counts = try FileCounts(channelDirectory: fixture("testarchive/\(channel)"))
            all.append(counts)
            let plain = try read(testarchive, channel: channel)
            #expect(plain.summary.imported == counts.plainWithText + counts.fileShares + counts.fileComments)
            #expect(Set(plain.messages.map(\.externalID)) == Set(counts.timestamps.map { "\(plain.messages[0].externalID.prefix(9)):\($0)" }))
            #expect(plain.summary.skipped["channel_join"] == counts.joins)
            #expect(plain.summary.skipped["bot_add"] == counts.botAdds)
            #expect(plain.summary.skipped[SlackMessageConverter.botReason] == counts.bots)
            #expect(plain.summary.imported + plain.summary.skipped.values.reduce(0, +) == counts.total)
            #expect(plain.summary.days == (try FileManager.default.contentsOfDirectory(atPath: fixture("testarchive/\(channel)").path).count))
            #expect(plain.summary.daysNotRead == 0)

            let withBots = try read(testarchive, channel: channel, SlackReadOptions(includeBots: true))
            #expect(withBots.summary.imported == plain.summary.imported + counts.botsWithText)
            #expect(withBots.summary.skipped[SlackMessageConverter.botReason] == nil)
            #expect((withBots.summary.skipped[SlackMessageConverter.emptyReason] ?? 0) == counts.bots - counts.botsWithText + counts.plain - counts.plainWithText)
        }
        // What the export holds in all, as counted when it was added.
        #expect(all.map(\.plain).reduce(0, +) == 49)
        #expect(all.map(\.bots).reduce(0, +) == 94)
        #expect(all.map(\.joins).reduce(0, +) == 8)
        #expect(all.map(\.botAdds).reduce(0, +) == 3)
        #expect(all.map(\.fileShares).reduce(0, +) == 3)
        #expect(all.map(\.fileComments).reduce(0, +) == 1)
        #expect(all.map(\.total).reduce(0, +) == 158)
    }

    @Test func namesAreResolved() throws {
        let export = try SlackExport(path: testarchive)
        #expect(export.userNames["U0BMQB6JE"] == "Hamza Faran")
        #expect(export.userNames["U0BMYT2FL"] == "Harry Potter")
        // No real name anywhere: falls back to the handle.
        #expect(export.userNames["U0BMM2FEH"] == "heroeshannibal")
        let userIDs = Array(export.userNames.keys)
        for channel in ["enrique", "traveling-sailor"] {
            for m in try read(testarchive, channel: channel, SlackReadOptions(includeBots: true)).messages {
                // Links may hold ids (file URLs do); the words around them may not.
                let words = m.text.split(whereSeparator: \.isWhitespace).filter { !$0.contains("://") }.joined(separator: " ")
                for id in userIDs {
                    #expect(!m.author.contains(id), "\(m.externalID)")
                    #expect(!words.contains(id), "\(m.externalID): \(m.text)")
                }
                #expect(!m.text.contains("<@"), "\(m.externalID)")
            }
        }
        let first = try read(testarchive, channel: "enrique").messages[0]
        #expect(first.author == "Hamza Faran")
        #expect(first.text == "@Harry Potter: Created an issue for a setup.py so that it can be installed to a standard place")
        #expect(first.externalID == "C0JGLMMNX:1452837352.000006")
        #expect(first.occurredAt == Date(timeIntervalSince1970: 1_452_837_352))
        #expect(first.link == nil)
        #expect(!first.isThreadReply)
    }

    @Test func filesAndFileCommentsAreKept() throws {
        let messages = try read(testarchive, channel: "traveling-sailor").messages
        let share = try #require(messages.first { $0.externalID == "C0JL6CGQ2:1459052866.000012" })
        #expect(share.author == "Hermione Granger")
        // The old export's text already names the file: it is not named twice.
        #expect(share.text == "@Hermione Granger uploaded a file: 100 cities (https://mesos-magellan.slack.com/files/U0BMS113R/F0VNAKDE2/100_cities.js)")
        let comment = try #require(messages.first { $0.text.contains("commented on") })
        #expect(comment.author == "Hermione Granger")
        #expect(comment.text.hasPrefix("@Hermione Granger commented on @Hermione Granger’s file 10 cities (https://"))
    }

    @Test func botsAreNamedWhenIncluded() throws {
        let messages = try read(testarchive, channel: "enrique", SlackReadOptions(includeBots: true)).messages
        // These integration posts have no name of their own, only a bot id, and no text but attachments.
        let commit = try #require(messages.first { $0.externalID == "C0JGLMMNX:1454892394.000004" })
        #expect(commit.author == "bot B0JL6RASU")
        #expect(commit.text == "[enrique:master] 1 new commit (https://github.com/mesos-magellan/enrique/commit/ed1acbe9837b5ddf91e93606b604df3c2b4e128f) by Anthony Bilinski")
    }

    @Test func externalIDsAreStableAndUnique() throws {
        for channel in ["enrique", "traveling-sailor"] {
            let first = try read(testarchive, channel: channel, SlackReadOptions(includeBots: true))
            let again = try read(testarchiveZip, channel: channel, SlackReadOptions(includeBots: true))
            let ids = first.messages.map(\.externalID)
            #expect(Set(ids).count == ids.count)
            #expect(ids == again.messages.map(\.externalID))
            let channelID = try SlackExport(path: testarchive).channel(named: channel).id
            for id in ids {
                #expect(id.hasPrefix(channelID + ":"))
                let ts = id.dropFirst(channelID.count + 1)
                #expect(ts.count == 17 && ts.dropFirst(10).first == ".", "\(id)")
            }
        }
    }

    @Test func permalinks() throws {
        let messages = try read(testarchive, channel: "enrique", SlackReadOptions(workspaceURL: "https://mesos-magellan.slack.com/")).messages
        #expect(messages[0].link == "https://mesos-magellan.slack.com/archives/C0JGLMMNX/p1452837352000006")
        #expect(messages.allSatisfy { $0.link?.hasPrefix("https://mesos-magellan.slack.com/archives/C0JGLMMNX/p") == true })
        let export = try SlackExport(path: testarchive)
        for bad in ["http://mesos-magellan.slack.com", "mesos-magellan.slack.com", "https://"] {
            let error = exportError {
                _ = try export.read(channel: try export.channel(named: "enrique"), options: SlackReadOptions(workspaceURL: bad)) { _ in }
            }
            #expect(error?.message.contains("must start with https://") == true, "\(bad)")
        }
    }

    @Test func fromAndToFilterOnTheMessageTime() throws {
        let from = utc("2016-02-07T00:00:00Z"), to = utc("2016-03-17T00:00:00Z")
        let counts = try FileCounts(channelDirectory: fixture("testarchive/enrique"), from: from, to: to)
        let result = try read(testarchiveZip, channel: "enrique", SlackReadOptions(from: from, to: to))
        #expect(result.summary.imported == counts.plainWithText + counts.fileShares + counts.fileComments)
        #expect(result.summary.imported > 0)
        #expect(result.messages.allSatisfy { $0.occurredAt >= from && $0.occurredAt < to })
        // 2016-01-14 … 2016-01-16 and 2016-03-25 … 2016-03-28 are not even opened.
        #expect(result.summary.daysNotRead == 6)
        #expect(result.summary.days == 3)
        #expect(result.progress.count == 9)
        #expect(result.summary.skipped[SlackMessageConverter.outsideReason] ?? 0 > 0)
    }

    @Test func dayFilesAreNamedInLocalTimeSoTheEdgesAreKept() throws {
        // enrique/2016-01-14.json holds messages of 05:55 UTC on the 15th
        // (the workspace is in California): a window starting on the 15th
        // (UTC) must still open it.
        let from = utc("2016-01-15T00:00:00Z"), to = utc("2016-01-15T06:00:00Z")
        let result = try read(testarchive, channel: "enrique", SlackReadOptions(from: from, to: to))
        #expect(result.messages.map(\.externalID) == ["C0JGLMMNX:1452837352.000006", "C0JGLMMNX:1452837359.000007"])
        // An exclusive end: a window ending at a message's exact time leaves it out.
        let exact = Date(timeIntervalSince1970: 1_452_837_359)
        let before = try read(testarchive, channel: "enrique", SlackReadOptions(from: from, to: exact))
        #expect(before.messages.map(\.externalID) == ["C0JGLMMNX:1452837352.000006"])
        let starting = try read(testarchive, channel: "enrique", SlackReadOptions(from: exact, to: to))
        #expect(starting.messages.map(\.externalID) == ["C0JGLMMNX:1452837359.000007"])
    }

    @Test func readDaysGivesWhatReadGives() async throws {
        let export = try SlackExport(path: testarchiveZip)
        let options = SlackReadOptions(includeBots: true, workspaceURL: "https://mesos-magellan.slack.com")
        for channel in export.channels {
            var asyncDays: [[SlackTimelineMessage]] = []
            let asyncProgress = ProgressLog()
            let summary = try await export.readDays(channel: channel, options: options, progress: { asyncProgress.add($0) }) { day in
                await Task.yield()
                asyncDays.append(day)
            }
            let sync = try read(testarchiveZip, channel: channel.name, options)
            #expect(asyncDays == sync.days)
            #expect(asyncProgress.all == sync.progress)
            #expect(summary == sync.summary)
        }
    }

    @Test func progressAndSummary() throws {
        let result = try read(testarchiveZip, channel: "traveling-sailor")
        #expect(result.progress.map(\.dayIndex) == Array(1...8))
        #expect(result.progress.allSatisfy { $0.dayCount == 8 })
        #expect(result.progress.first?.fileName == "traveling-sailor/2016-01-16.json")
        #expect(result.progress.last?.messagesSoFar == result.summary.imported)
        #expect(result.progress.map(\.messagesSoFar) == result.progress.map(\.messagesSoFar).sorted())
        #expect(result.days.map(\.count).reduce(0, +) == result.summary.imported)
        // Each day is handed over in time order, and the days in date order.
        let times = result.messages.map(\.occurredAt)
        #expect(times == times.sorted())
    }

    @Test func entryForTheTimeline() throws {
        let message = try read(testarchive, channel: "enrique", SlackReadOptions(workspaceURL: "https://mesos-magellan.slack.com")).messages[0]
        let incident = UUID()
        let now = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let entry = message.entry(incidentID: incident, now: now)
        #expect(entry.incidentID == incident)
        #expect(entry.source == .slack)
        #expect(entry.kind == .communication)
        #expect(entry.author == "Hamza Faran")
        #expect(entry.text == message.text)
        #expect(entry.occurredAt == message.occurredAt)
        #expect(entry.recordedAt == LoreTime.milliseconds(now))
        #expect(entry.externalID == "C0JGLMMNX:1452837352.000006")
        #expect(entry.sourceURL == "https://mesos-magellan.slack.com/archives/C0JGLMMNX/p1452837352000006")
        #expect(!entry.isRecalledLater(resolvedAt: Date(timeIntervalSince1970: 0), reviewWindow: 60))
    }
}

// MARK: - Threads

@Suite struct SlackThreadTests {
    /// An export around the Zulip thread fixture, whose second reply has a
    /// `ts` years before its parent's.
    private func threadExport(in directory: URL) throws -> String {
        let root = directory.appendingPathComponent("threads-export", isDirectory: true)
        let channel = root.appendingPathComponent("random", isDirectory: true)
        try FileManager.default.createDirectory(at: channel, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture("threads/channels.json"), to: root.appendingPathComponent("channels.json"))
        try FileManager.default.copyItem(at: fixture("threads/normal_thread.json"), to: channel.appendingPathComponent("2015-06-12.json"))
        try FileManager.default.copyItem(at: fixture("threads/test_slack_importer/random/2017-06-25.json"), to: channel.appendingPathComponent("2017-06-25.json"))
        let users = #"[{"id": "U061A5N1G", "name": "jane", "profile": {"real_name": "Jane Doe"}}, {"id": "U061A1R2R", "name": "john", "real_name": "John Roe"}]"#
        try Data(users.utf8).write(to: root.appendingPathComponent("users.json"))
        return root.path
    }

    @Test func aReplyNeverSortsBeforeItsParent() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try threadExport(in: directory)
        let export = try SlackExport(path: path)
        let random = try export.channel(named: "#random")
        #expect(random.isArchived)
        let result = try read(path, channel: "random", SlackReadOptions(workspaceURL: "https://zulip.slack.com"))
        #expect(result.messages.map(\.text) == [
            "message body text",
            "↳ (reply in thread “message body text”) random",
            "another thread message",
            "↳ (reply in thread “another thread message”) another reply",
            "edfadfa",
        ])
        let parent = result.messages[2], reply = result.messages[3]
        // The reply's own ts (1449868294) is before its parent's (1539868294): it takes the parent's time.
        #expect(reply.externalID == "C061A0WJG:1449868294.000007")
        #expect(reply.occurredAt == parent.occurredAt)
        #expect(reply.occurredAt == LoreTime.milliseconds(Date(timeIntervalSince1970: 1_539_868_294.000007)))
        #expect(reply.isThreadReply && !parent.isThreadReply)
        #expect(reply.author == "John Roe")
        #expect(result.messages[0].author == "Jane Doe")
        // A reply in order keeps its own time.
        #expect(result.messages[1].occurredAt == LoreTime.milliseconds(Date(timeIntervalSince1970: 1_439_868_294.000007)))
        #expect(reply.link == "https://zulip.slack.com/archives/C061A0WJG/p1449868294000007?thread_ts=1539868294.000007&cid=C061A0WJG")
        #expect(parent.link == "https://zulip.slack.com/archives/C061A0WJG/p1539868294000007")
        #expect(result.summary.skipped == ["channel_join": 1])
    }

    @Test func repliesOnLaterDaysAndUnseenParents() throws {
        let result = try read(handmade, channel: "incident-42")
        let texts = result.messages.map(\.text)
        #expect(texts.contains("↳ (reply in thread “rolling back, @alex.k can you watch the queue?”) queue draining"))
        // The parent was on the day before.
        #expect(texts.contains("↳ (reply in thread “rolling back, @alex.k can you watch the queue?”) queue is back to normal"))
        // Long parents are cut at 60 characters.
        #expect(texts.contains("↳ (reply in thread “Summary so far: the deploy at 13:58 changed the connection p…”) agreed"))
        // A parent that is not in the export.
        #expect(texts.contains("↳ (reply in thread) reply to a thread we never saw"))
        // "Also send to channel" is an ordinary message.
        #expect(texts.contains("update: rolled back"))
        #expect(result.messages.filter(\.isThreadReply).count == 4)
    }
}

// MARK: - Message kinds and markup

@Suite struct SlackMessageTests {
    @Test func handmadeExportKeepsAndSkipsTheRightMessages() throws {
        let result = try read(handmade, channel: "incident-42")
        #expect(result.summary.skipped == [
            "channel_join": 1, "channel_topic": 1, "message_changed": 1, "tombstone": 1, "pinned_item": 1, "bot_add": 1,
            SlackMessageConverter.botReason: 2, SlackMessageConverter.emptyReason: 1,
        ])
        #expect(result.summary.imported == 15)
        #expect(result.summary.days == 2)
        let byTS = Dictionary(uniqueKeysWithValues: result.messages.map { (String($0.externalID.split(separator: ":")[1]), $0) })
        #expect(byTS["1709301660.000002"]?.text == "@here checkout errors > 5% since 14:02, see dashboard (https://grafana.example.com/d/x?a=1&b=2)")
        #expect(byTS["1709301660.000002"]?.author == "Priya Shah")
        #expect(byTS["1709302320.000008"]?.text == "here is the graph [file: Error graph]")
        #expect(byTS["1709302320.000008"]?.author == "sam")
        #expect(byTS["1709302340.000009"]?.text == "shared a file: log.txt")
        // Known only from the message's own profile; their mention reads the same.
        #expect(byTS["1709302380.000013"]?.author == "Guest Person")
        #expect(byTS["1709302380.000013"]?.text == "hi from @Guest Person, I own the gateway")
        #expect(byTS["1709302420.000015"]?.text == "cc @tom in #general and #general, mail oncall@acme.com, page @sre-oncall, at Mar 1 at 14:02, literal &lt;b&gt; and U05: @U05NONAME")
        #expect(byTS["1709302440.000016"]?.text == "is looking at the logs")
        #expect(byTS["1709302500.000019"]?.author == "U05NONAME")
        #expect(byTS["1709302500.000019"]?.text == "multi\nline\tmessage")
        #expect(byTS["1709388300.000023"]?.text == "commented on Error graph: looks like the spike")
        #expect(byTS["1709388300.000023"]?.author == "Tom Berg")
        #expect(byTS["1709302200.000005"]?.author == "Tom Berg")
        #expect(byTS["1709302260.000006"]?.author == "alex.k")
    }

    @Test func botsOnlyWhenAskedFor() throws {
        let result = try read(handmade, channel: "incident-42", SlackReadOptions(includeBots: true))
        #expect(result.summary.skipped[SlackMessageConverter.botReason] == nil)
        #expect(result.summary.imported == 17)
        let pagerDuty = try #require(result.messages.first { $0.externalID == "C01INC42:1709301690.000003" })
        #expect(pagerDuty.author == "PagerDuty")
        #expect(pagerDuty.text == "Triggered: #1234 High error rate (https://acme.pagerduty.com/incidents/P1)")
        let deploy = try #require(result.messages.first { $0.externalID == "C01INC42:1709301720.000004" })
        #expect(deploy.author == "Deploy Bot")
        #expect(deploy.text == "Deployed checkout v2.3.1 & migrations")
    }

    @Test(arguments: [
        ("<@U01>", "@Priya Shah"),
        ("<@U01|priya>", "@priya"),
        ("<@UNKNOWN>", "@UNKNOWN"),
        ("<#C01>", "#incident-42"),
        ("<#C01|incident-42>", "#incident-42"),
        ("<#CNOPE>", "#CNOPE"),
        ("<https://example.com/a?b=1&amp;c=2|the graph>", "the graph (https://example.com/a?b=1&c=2)"),
        ("<https://example.com>", "https://example.com"),
        ("<https://example.com|https://example.com>", "https://example.com"),
        ("<mailto:a@b.com|a@b.com>", "a@b.com"),
        ("<mailto:a@b.com|Ann>", "Ann (a@b.com)"),
        ("<mailto:a@b.com>", "a@b.com"),
        ("<!here>", "@here"),
        ("<!here|here>", "@here"),
        ("<!channel>", "@channel"),
        ("<!everyone>", "@everyone"),
        ("<!subteam^S123|@oncall>", "@oncall"),
        ("<!subteam^S123|oncall>", "@oncall"),
        ("<!subteam^S123>", "@S123"),
        ("<!date^1392734382^Posted {date_num} {time_secs}|Posted 2014-02-18 6:39:42 AM>", "Posted 2014-02-18 6:39:42 AM"),
        ("<tel:555-0100|555-0100>", "555-0100"),
        ("<something-new>", "something-new"),
        ("<something-new|shown>", "shown"),
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
        ("&amp;lt; stays &amp;lt;", "&lt; stays &lt;"),
        ("&quot; &nbsp; are not Slack's", "&quot; &nbsp; are not Slack's"),
        ("a lone &lt; and a lone < without end &", "a lone < and a lone < without end &"),
        ("no markup at all", "no markup at all"),
        ("", ""),
        ("<@U01> and <@U02> → ok ✓", "@Priya Shah and @R&amp;D → ok ✓"),
    ])
    func markup(_ input: String, _ expected: String) {
        // A name from users.json is shown as it is, never unescaped.
        let markup = SlackMarkup(userNames: ["U01": "Priya Shah", "U02": "R&amp;D"], channelNames: ["C01": "incident-42"])
        #expect(markup.readable(input) == expected)
    }

    @Test func namePreference() throws {
        let export = try SlackExport(path: handmade)
        #expect(export.userNames["U01PRIYA"] == "Priya Shah")   // profile.real_name
        #expect(export.userNames["U02TOM"] == "Tom Berg")       // real_name
        #expect(export.userNames["U03ALEX"] == "alex.k")        // profile.display_name
        #expect(export.userNames["U04SAM"] == "sam")            // name (a blank real name does not count)
        #expect(export.userNames["U05NONAME"] == "U05NONAME")   // the id
    }

    @Test func longTextIsCutToTheLimit() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try copyOfFixture("handmade", in: directory)
        let long = String(repeating: "é", count: Limits.longText + 500)
        let day = #"[{"type": "message", "user": "U01PRIYA", "text": "\#(long)", "ts": "1709600000.000001"}]"#
        try Data(day.utf8).write(to: root.appendingPathComponent("incident-42/2024-03-05.json"))
        let message = try #require(try read(root.path, channel: "incident-42").messages.last)
        #expect(message.text.count == Limits.longText)
        #expect(message.text.hasSuffix("…"))
    }

    @Test func escapesInStringsAndKeys() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try copyOfFixture("handmade", in: directory)
        let day = #"[{"type": "message", "user": "U01PRIYA", "te\u0078t": "caf\u00e9 \ud83d\ude00 \"quoted\" back\\slash\/ line\nbreak", "ts": "1709600000.000001", "extra": [1, -2.5e3, true, false, null, {"a": [{}]}]}]"#
        try Data(day.utf8).write(to: root.appendingPathComponent("incident-42/2024-03-05.json"))
        let message = try #require(try read(root.path, channel: "incident-42").messages.last)
        #expect(message.text == "café 😀 \"quoted\" back\\slash/ line\nbreak")
    }

    @Test func channelsByNameOrIDIncludingPrivateOnes() throws {
        let export = try SlackExport(path: handmade)
        #expect(export.channels.map(\.name) == ["incident-42", "general", "sec-incident"])
        #expect(try export.channel(named: "#incident-42").id == "C01INC42")
        #expect(try export.channel(named: "C01INC42").name == "incident-42")
        #expect(try export.channel(named: "Incident-42").id == "C01INC42")
        let secret = try export.channel(named: "sec-incident")
        #expect(secret.kind == .privateChannel)
        #expect(secret.isArchived)
        #expect(try read(handmade, channel: "sec-incident").messages.map(\.text) == ["private channel note"])
        // A channel with no folder has nothing to read.
        let general = try read(handmade, channel: "general")
        #expect(general.summary == SlackImportSummary())
    }

    @Test func zipWithATopFolder() throws {
        let zip = fixture("handmade-in-folder.zip").path
        let a = try read(handmade, channel: "incident-42", SlackReadOptions(includeBots: true, workspaceURL: "https://acme.slack.com"))
        let b = try read(zip, channel: "incident-42", SlackReadOptions(includeBots: true, workspaceURL: "https://acme.slack.com"))
        #expect(a.messages == b.messages)
        #expect(a.summary == b.summary)
        #expect(try SlackExport(path: zip).channels == (try SlackExport(path: handmade)).channels)
    }

    @Test func aDirectoryHoldingTheExportFolder() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try copyOfFixture("handmade", in: directory)
        let result = try read(directory.path, channel: "incident-42")
        #expect(result.summary.imported == 15)
    }
}

// MARK: - Bad input

@Suite struct SlackExportErrorTests {
    @Test func missingPathAndNotAnExport() throws {
        let missing = exportError { _ = try SlackExport(path: "/nonexistent/export.zip") }
        #expect(missing?.description == "export.zip: does not exist")

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let notZip = exportError { _ = try SlackExport(path: text.path) }
        #expect(notZip?.fileName == "notes.txt")
        #expect(notZip?.message.contains("neither a directory nor a zip file") == true)
    }

    @Test func truncatedZipNamesTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = try Data(contentsOf: fixture("testarchive.zip"))
        let truncated = directory.appendingPathComponent("export.zip")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let error = exportError { _ = try SlackExport(path: truncated.path) }
        #expect(error?.fileName == "export.zip")
        #expect(error?.description.hasPrefix("export.zip: the zip archive is damaged or truncated (") == true)

        // A zip named .zip that is not one at all.
        let fake = directory.appendingPathComponent("fake.zip")
        try Data("not a zip".utf8).write(to: fake)
        #expect(exportError { _ = try SlackExport(path: fake.path) }?.message.contains("damaged or truncated") == true)
    }

    /// A zip bomb is refused from the zip's directory, before anything is
    /// inflated, with the entry named: one file of 2 MB of zeros (a ratio
    /// of about 1,000).
    @Test func zipBombsAreRefusedBeforeInflating() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func export(_ name: String, dayFile: Data) throws -> String {
            let url = directory.appendingPathComponent(name)
            let archive = try Archive(url: url, accessMode: .create)
            for (path, data) in [("users.json", Data("[]".utf8)), ("channels.json", Data(#"[{"id":"C1","name":"ops"}]"#.utf8)), ("ops/2024-01-01.json", dayFile)] {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position) ..< Int(position) + size)
                }
            }
            return url.path
        }
        let bomb = try export("bomb.zip", dayFile: Data(count: 2 << 20))
        let refused = exportError { _ = try SlackExport(path: bomb) }
        #expect(refused?.innerPath == "ops/2024-01-01.json")
        #expect(refused?.message.contains("zip bomb") == true)

        // Files over 64 MB are refused the same way (Tests/e2e/hostile-uploads.py builds one; too slow to deflate here).
    }

    @Test func corruptEntryNamesTheFileInside() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = [UInt8](try Data(contentsOf: fixture("testarchive.zip")))
        // Find the local header of enrique/2016-02-07.json and damage its compressed data.
        let name = Array("enrique/2016-02-07.json".utf8)
        func isHeader(_ i: Int) -> Bool {
            guard bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 3, bytes[i + 3] == 4 else { return false }
            let nameLength = Int(bytes[i + 26]) | Int(bytes[i + 27]) << 8
            return nameLength == name.count && Array(bytes[(i + 30)..<(i + 30 + name.count)]) == name
        }
        let header = try #require((0..<(bytes.count - 30)).first(where: isHeader))
        let extra = Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8
        let dataStart = header + 30 + name.count + extra
        for k in 200..<240 { bytes[dataStart + k] ^= 0x5A }
        let damaged = directory.appendingPathComponent("export.zip")
        try Data(bytes).write(to: damaged)

        let export = try SlackExport(path: damaged.path)   // users and channels are fine
        var handedOver = 0
        let error = exportError {
            _ = try export.read(channel: try export.channel(named: "enrique")) { handedOver += $0.count }
        }
        #expect(error?.fileName == "export.zip")
        #expect(error?.innerPath == "enrique/2016-02-07.json")
        #expect(error?.message.contains("damaged or truncated") == true)
        // The days before it were handed over: the caller's transaction undoes them.
        #expect(handedOver == 9)
    }

    @Test func anEntryLongerThanTheZipSaysIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = [UInt8](try Data(contentsOf: fixture("testarchive.zip")))
        // Make the central directory say users.json is 100 bytes long.
        let name = Array("users.json".utf8)
        func isCentralHeader(_ i: Int) -> Bool {
            guard bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 1, bytes[i + 3] == 2 else { return false }
            let nameLength = Int(bytes[i + 28]) | Int(bytes[i + 29]) << 8
            return nameLength == name.count && Array(bytes[(i + 46)..<(i + 46 + name.count)]) == name
        }
        let header = try #require((0..<(bytes.count - 46)).first(where: isCentralHeader))
        bytes[header + 24] = 100
        bytes[header + 25] = 0
        bytes[header + 26] = 0
        bytes[header + 27] = 0
        let lying = directory.appendingPathComponent("export.zip")
        try Data(bytes).write(to: lying)
        let error = exportError { _ = try SlackExport(path: lying.path) }
        #expect(error?.innerPath == "users.json")
        #expect(error?.message == "the zip archive is damaged or truncated (the file is longer than the archive says)")
    }

    private func exportWithDay(_ broken: String, in directory: URL) throws -> URL {
        let root = try copyOfFixture("handmade", in: directory)
        try FileManager.default.copyItem(at: fixture("broken/\(broken)"), to: root.appendingPathComponent("incident-42/2024-03-05.json"))
        return root
    }

    @Test func invalidJSONGivesTheFileLineAndColumn() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try exportWithDay("syntax.json", in: directory)
        let error = exportError { _ = try read(root.path, channel: "incident-42") }
        #expect(error?.fileName == "handmade")
        #expect(error?.innerPath == "incident-42/2024-03-05.json")
        #expect(error?.line == 5)
        #expect(error?.column == 9)
        #expect(error?.description == "handmade: incident-42/2024-03-05.json, line 5, column 9: expected “,” or “}” after a field, found “\"”")
    }

    @Test func unterminatedString() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try exportWithDay("unterminated.json", in: directory)
        let error = exportError { _ = try read(root.path, channel: "incident-42") }
        #expect(error?.innerPath == "incident-42/2024-03-05.json")
        #expect(error?.line == 4)
        // Columns count characters: "é" and "—" are one each.
        #expect(error?.column == 37)
        #expect(error?.message.contains("control character inside a string") == true)
    }

    @Test func aDayFileThatIsNotAList() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try exportWithDay("object.json", in: directory)
        let error = exportError { _ = try read(root.path, channel: "incident-42") }
        #expect(error?.innerPath == "incident-42/2024-03-05.json")
        #expect(error?.message == "expected a list of messages (a JSON array), found an object")
        #expect(error?.line == 1)
    }

    @Test func aFieldOfTheWrongType() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try exportWithDay("wrong-type.json", in: directory)
        let error = exportError { _ = try read(root.path, channel: "incident-42") }
        #expect(error?.description == "handmade: incident-42/2024-03-05.json, line 12, column 15: message 2, field “ts”: expected a string, found a number")
    }

    @Test func moreBadDayFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try copyOfFixture("handmade", in: directory)
        let day = root.appendingPathComponent("incident-42/2024-03-05.json")
        let cases: [(String, String)] = [
            ("", "the file is empty; expected a list of messages (a JSON array)"),
            ("[{\"text\": \"no ts\"}]", "message 1 has no “ts”"),
            ("[{\"ts\": \"yesterday\"}]", "message 1: “ts” is “yesterday”, expected a Slack timestamp like 1452737262.000002"),
            ("[1]", "message 1: expected an object, found a number"),
            ("[{\"ts\": \"1.0\", \"files\": {}}]", "message 1, field “files”: expected a list, found an object"),
            ("[{\"ts\": \"1.0\", \"user_profile\": {\"real_name\": 5}}]", "message 1, field “user_profile.real_name”: expected a string, found a number"),
            ("[{\"ts\": \"1.0\"}] x", "unexpected “x” after the end of the list of messages"),
            ("[{\"ts\": \"1.0\", \"n\": 01}]", "invalid number (leading zero)"),
            ("[{\"ts\": \"1.0\", \"n\": tru}]", "unexpected “t”"),
            ("[{\"ts\": \"1.0\"", "unexpected end of file"),
            ("[{\"ts\": \"\\x\"}]", "unknown escape “\\x” in a string"),
        ]
        for (content, message) in cases {
            try Data(content.utf8).write(to: day)
            let error = exportError { _ = try read(root.path, channel: "incident-42") }
            #expect(error?.innerPath == "incident-42/2024-03-05.json", "\(content)")
            #expect(error?.message == message, "\(content)")
        }
    }

    @Test func errorsInUsersAndChannelsComeFirst() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try copyOfFixture("handmade", in: directory)
        try Data("[{\"id\": \"U1\",\n \"name\": 5}]".utf8).write(to: root.appendingPathComponent("users.json"))
        let wrongType = exportError { _ = try SlackExport(path: root.path) }
        #expect(wrongType?.innerPath == "users.json")
        #expect(wrongType?.message == "user 1, field “name”: expected a string, found a number")

        try Data("[{\"id\": \"U1\",\n \"name\": }]".utf8).write(to: root.appendingPathComponent("users.json"))
        let syntax = exportError { _ = try SlackExport(path: root.path) }
        #expect(syntax?.innerPath == "users.json")
        #expect(syntax?.line == 2)
        #expect(syntax?.message.hasPrefix("not valid JSON") == true)

        try Data("{}".utf8).write(to: root.appendingPathComponent("channels.json"))
        try FileManager.default.copyItem(at: fixture("handmade/users.json"), to: root.appendingPathComponent("users-good.json"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("users.json"))
        try FileManager.default.moveItem(at: root.appendingPathComponent("users-good.json"), to: root.appendingPathComponent("users.json"))
        let channels = exportError { _ = try SlackExport(path: root.path) }
        #expect(channels?.innerPath == "channels.json")
        #expect(channels?.message == "expected a list of channels (a JSON array), found an object")
    }

    @Test func missingUsersOrChannelsSaysWhatAnExportHolds() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try copyOfFixture("handmade", in: directory)
        try FileManager.default.removeItem(at: root.appendingPathComponent("users.json"))
        let noUsers = exportError { _ = try SlackExport(path: root.path) }
        #expect(noUsers?.message.hasPrefix("has no users.json. A Slack export holds users.json, channels.json and a folder per channel") == true)

        try FileManager.default.copyItem(at: fixture("handmade/users.json"), to: root.appendingPathComponent("users.json"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("channels.json"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("groups.json"))
        let noChannels = exportError { _ = try SlackExport(path: root.path) }
        #expect(noChannels?.message.hasPrefix("has no channels.json.") == true)
    }

    @Test func unknownChannelListsTheKnownOnes() throws {
        let export = try SlackExport(path: testarchiveZip)
        let error = exportError { _ = try export.channel(named: "#incident-7") }
        #expect(error?.description == "testarchive.zip: there is no channel “incident-7” in the export; its channels are #enrique, #traveling-sailor")
    }

    @Test func unknownChannelListIsShortened() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let channels = (1...14).map { #"{"id": "C\#($0)", "name": "team-\#(String(format: "%02d", $0))"}"# }
        try Data("[\(channels.joined(separator: ","))]".utf8).write(to: directory.appendingPathComponent("channels.json"))
        try Data("[]".utf8).write(to: directory.appendingPathComponent("users.json"))
        let error = exportError { _ = try SlackExport(path: directory.path).channel(named: "nope") }
        #expect(error?.message.hasSuffix("#team-01, #team-02, #team-03, #team-04, #team-05, #team-06, #team-07, #team-08, #team-09, #team-10 and 4 more") == true)
    }

    @Test func errorsFromTheCallbackPassThrough() async throws {
        struct DatabaseDown: Error {}
        let export = try SlackExport(path: testarchive)
        let channel = try export.channel(named: "enrique")
        #expect(throws: DatabaseDown.self) {
            try export.read(channel: channel) { _ in throw DatabaseDown() }
        }
        await #expect(throws: DatabaseDown.self) {
            try await export.readDays(channel: channel) { _ in throw DatabaseDown() }
        }
        let stop = SlackExportError(fileName: "x", message: "stop")
        #expect(throws: stop) {
            try export.read(channel: channel) { _ throws(SlackExportError) in throw stop }
        }
    }

    @Test func aPreviewKeepsTheErrorType() throws {
        // Typed throws all the way, as a server offloading the read needs.
        let preview = { () throws(SlackExportError) -> (Int, SlackImportSummary) in
            let export = try SlackExport(path: testarchiveZip)
            var rows = 0
            let summary = try export.read(channel: try export.channel(named: "enrique")) { day in rows += day.count }
            return (rows, summary)
        }
        let (rows, summary) = try preview()
        #expect(rows == summary.imported)
    }
}

// MARK: - Generator

@Suite struct SlackExportGeneratorTests {
    @Test func roundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let counts = try SlackExportGenerator.write(to: directory, channel: "incident-42", days: 3, messagesPerDay: 700, users: 40, seed: 7)
        #expect(counts.messages == 2100)
        #expect(counts.joins > 20 && counts.joins < 120)
        #expect(counts.botMessages > 120 && counts.botMessages < 300)
        #expect(counts.threadReplies > 0)

        let export = try SlackExport(path: directory.path)
        let result = try read(directory.path, channel: "incident-42", SlackReadOptions(workspaceURL: "https://acme.slack.com"))
        #expect(result.summary.imported == counts.peopleMessages)
        #expect(result.summary.skipped == ["channel_join": counts.joins, SlackMessageConverter.botReason: counts.botMessages])
        #expect(result.summary.days == 3)
        #expect(result.messages.filter(\.isThreadReply).count == counts.threadReplies)
        let names = Set(export.userNames.values)
        for m in result.messages {
            #expect(names.contains(m.author))
            #expect(!m.text.contains("<@") && !m.text.contains("&gt;") && !m.text.contains("&amp;"), "\(m.text)")
            #expect(m.link?.hasPrefix("https://acme.slack.com/archives/\(SlackExportGenerator.channelID)/p") == true)
        }
        #expect(result.messages.contains { $0.text.contains("the dashboard (https://grafana.example.com/d/abc?from=now-1h&to=now)") })
        #expect(result.messages.contains { $0.text.contains("#ops") })
        let withBots = try read(directory.path, channel: "incident-42", SlackReadOptions(includeBots: true))
        #expect(withBots.summary.imported == counts.peopleMessages + counts.botMessages)
    }

    @Test func sameSeedSameBytes() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        try SlackExportGenerator.write(to: a, channel: "c", days: 2, messagesPerDay: 100, users: 5, seed: 99)
        try SlackExportGenerator.write(to: b, channel: "c", days: 2, messagesPerDay: 100, users: 5, seed: 99)
        for file in ["users.json", "channels.json", "c/2024-01-01.json", "c/2024-01-02.json"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(file)) == (try Data(contentsOf: b.appendingPathComponent(file))))
        }
        // Every day file is valid JSON.
        _ = try JSONSerialization.jsonObject(with: Data(contentsOf: a.appendingPathComponent("c/2024-01-02.json")))
    }
}

// MARK: - Day files

@Suite struct SlackDayFileTests {
    @Test func dayFileNames() {
        #expect(SlackExport.dayStart(ofFileNamed: "2016-01-14.json") == utc("2016-01-14T00:00:00Z"))
        #expect(SlackExport.dayStart(ofFileNamed: "2024-02-29.json") == utc("2024-02-29T00:00:00Z"))
        #expect(SlackExport.dayStart(ofFileNamed: "1999-12-31.json") == utc("1999-12-31T00:00:00Z"))
        for name in ["canvas.json", "2016-1-14.json", "2016-13-01.json", "2016-01-14.txt", "2016-01-14.json.bak", "x2016-01-14.json"] {
            #expect(SlackExport.dayStart(ofFileNamed: name) == nil, "\(name)")
        }
    }

    @Test func aDayIsSkippedOnlyWhenNoTimeZoneCouldPutItInTheWindow() {
        let day = utc("2024-03-01T00:00:00Z")
        // In UTC+14 the 1st starts at 10:00 UTC on Feb 29; in UTC-12 it ends at 12:00 UTC on Mar 2.
        #expect(SlackExport.dayMayOverlap(day, from: utc("2024-03-02T11:59:00Z"), to: nil))
        #expect(!SlackExport.dayMayOverlap(day, from: utc("2024-03-02T12:01:00Z"), to: nil))
        #expect(SlackExport.dayMayOverlap(day, from: nil, to: utc("2024-02-29T10:01:00Z")))
        #expect(!SlackExport.dayMayOverlap(day, from: nil, to: utc("2024-02-29T10:00:00Z")))
        #expect(SlackExport.dayMayOverlap(day, from: nil, to: nil))
    }

    @Test func zipChecksum() {
        #expect(SlackCRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(SlackCRC32.checksum(Data()) == 0)
        #expect(SlackCRC32.checksum(Data("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test func timestamps() {
        for ts in ["1452737262.000002", "1709301600.195413", "0.5", "1452737262", "1539868294.000007", "9999999999.999999"] {
            var s = ts
            let parsed = s.withUTF8 { SlackMessageConverter.seconds(SlackRawString(start: $0.baseAddress!, count: $0.count, escaped: false)) }
            #expect(parsed == Double(ts), "\(ts)")
        }
        var bad = "1.2.3"
        #expect(bad.withUTF8 { SlackMessageConverter.seconds(SlackRawString(start: $0.baseAddress!, count: $0.count, escaped: false)) } == nil)
    }
}
