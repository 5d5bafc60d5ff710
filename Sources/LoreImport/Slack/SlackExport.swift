import Foundation
import LoreCore
import ZIPFoundation

/// Why a Slack export was rejected, naming the export, the file inside it
/// and, for broken JSON, the line and column:
/// `export.zip: general/2016-01-14.json, line 3, column 12: not valid JSON (invalid value)`.
///
/// The import runs in one database transaction, so any of these leaves the
/// timeline as it was; the message has to be enough to fix the file.
public struct SlackExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The export as given: `export.zip` or the directory's name.
    public var fileName: String
    /// The file inside the export (`general/2016-01-14.json`), when the
    /// problem is in one.
    public var innerPath: String?
    /// 1-based, when known (broken JSON).
    public var line: Int?
    /// 1-based, in characters, when known.
    public var column: Int?
    public var message: String

    public init(fileName: String, innerPath: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.fileName = fileName
        self.innerPath = innerPath
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = fileName
        if let innerPath { place += ": " + innerPath }
        if let line { place += ", line \(line)" }
        if let column { place += ", column \(column)" }
        return "\(place): \(message)"
    }
}

/// A conversation in the export, as listed in `channels.json` (or, for
/// private conversations, `groups.json`, `mpims.json`, `dms.json`).
public struct SlackChannel: Equatable, Sendable, Identifiable {
    public enum Kind: String, Sendable {
        case channel, privateChannel, groupMessage, directMessage
    }

    /// `C0JGLMMNX`: part of every imported entry's external id.
    public var id: String
    /// Without the `#`.
    public var name: String
    public var isArchived: Bool
    public var kind: Kind
    /// The folder holding the day files: the name, or the id for direct messages.
    var folder: String
}

/// What to take from a channel.
public struct SlackReadOptions: Equatable, Sendable {
    /// Inclusive: messages at or after this time.
    public var from: Date?
    /// Exclusive: messages before this time.
    public var to: Date?
    /// Bots (alerting, deploy notices) are left out by default: in a busy
    /// incident channel they drown what people said and thought. The alerts
    /// themselves come better from the pager import.
    public var includeBots: Bool
    /// `https://acme.slack.com`: when given, each entry links back to its message.
    public var workspaceURL: String?

    public init(from: Date? = nil, to: Date? = nil, includeBots: Bool = false, workspaceURL: String? = nil) {
        self.from = from
        self.to = to
        self.includeBots = includeBots
        self.workspaceURL = workspaceURL
    }
}

/// Where a read is, for a progress bar: after each day file.
public struct SlackProgress: Equatable, Sendable {
    /// 1-based index of the day file just done.
    public var dayIndex: Int
    public var dayCount: Int
    /// `general/2016-01-14.json`
    public var fileName: String
    /// Messages handed over so far.
    public var messagesSoFar: Int

    public init(dayIndex: Int, dayCount: Int, fileName: String, messagesSoFar: Int) {
        self.dayIndex = dayIndex
        self.dayCount = dayCount
        self.fileName = fileName
        self.messagesSoFar = messagesSoFar
    }
}

/// One message as it goes on the timeline.
public struct SlackTimelineMessage: Equatable, Sendable {
    /// `<channel id>:<ts>` with `ts` exactly as in the export
    /// (`C0JGLMMNX:1452737262.000002`), so importing the same channel again
    /// adds nothing.
    public var externalID: String
    /// The message's time in whole milliseconds; for a thread reply never
    /// before its parent (see `SlackExport`).
    public var occurredAt: Date
    public var author: String
    /// Readable text: markup resolved, replies prefixed with `↳`.
    public var text: String
    /// Permalink, when a workspace URL was given.
    public var link: String?
    public var isThreadReply: Bool

    public init(externalID: String, occurredAt: Date, author: String, text: String, link: String?, isThreadReply: Bool) {
        self.externalID = externalID
        self.occurredAt = occurredAt
        self.author = author
        self.text = text
        self.link = link
        self.isThreadReply = isThreadReply
    }

    /// The timeline entry: source Slack, kind communication, recorded now
    /// (a chat message is evidence however late it is imported, see
    /// `TimelineEntry.isRecalledLater`).
    public func entry(incidentID: UUID, now: Date) -> TimelineEntry {
        TimelineEntry(
            incidentID: incidentID, occurredAt: occurredAt, recordedAt: LoreTime.milliseconds(now), author: author,
            source: .slack, kind: .communication, text: text, externalID: externalID, sourceURL: link
        )
    }
}

/// What a read did: how many messages were handed over and why the others were not.
public struct SlackImportSummary: Equatable, Sendable {
    /// Messages handed to the `day` callback.
    public var imported: Int
    /// Reason → count: `channel_join`, `bot message (use --include-bots)`,
    /// `outside --from/--to`, `empty message`, …
    public var skipped: [String: Int]
    /// Day files read.
    public var days: Int
    /// Day files not opened at all because their whole day lies outside
    /// `from`/`to`; their messages are not in `skipped`.
    public var daysNotRead: Int
    /// Messages whose text held bytes that are not UTF-8 (a damaged or
    /// hand-edited export); they are imported with U+FFFD in their place, and
    /// the person is told how many.
    public var invalidUTF8Messages: Int

    public init(imported: Int = 0, skipped: [String: Int] = [:], days: Int = 0, daysNotRead: Int = 0, invalidUTF8Messages: Int = 0) {
        self.imported = imported
        self.skipped = skipped
        self.days = days
        self.daysNotRead = daysNotRead
        self.invalidUTF8Messages = invalidUTF8Messages
    }

    /// One line for people, or nil when every message was valid UTF-8.
    public var invalidUTF8Note: String? {
        guard invalidUTF8Messages > 0 else { return nil }
        return "\(invalidUTF8Messages) message\(invalidUTF8Messages == 1 ? "" : "s") held bytes that are not UTF-8; each such byte was replaced with \u{FFFD}."
    }
}

/// A Slack workspace export (the .zip from "Export data", or the folder it
/// unzips to), opened: people and channels are read; messages are read one
/// day file at a time by `read(channel:options:progress:day:)`.
///
/// **Streaming.** A channel's day files are read in date order and each
/// day's messages are handed to the callback before the next file is opened
/// (from a zip, one entry is inflated at a time), so memory is bounded by
/// the largest day, not the export. What is kept across days is the user
/// names and one short snippet per thread parent.
///
/// **Threads.** Slack's export puts a reply in the day file of its own `ts`,
/// but edited or imported data can give a reply a `ts` before its parent's.
/// So a reply (a message whose `thread_ts` differs from its `ts`) gets the
/// time `max(ts, thread_ts)` and can never sort above the message it
/// answers, and its text says it is a reply:
/// `↳ (reply in thread “first 60 characters of the parent…”) text`, or
/// `↳ (reply in thread) text` when the parent was not seen (another day
/// file not read, or a later one). A timeline is a single column; this keeps
/// the thread's context without inventing nesting the timeline lacks. A
/// `thread_broadcast` ("also send to channel") is an ordinary message.
///
/// **Skipped** (counted by reason in the summary): joins, leaves, topic,
/// purpose and name changes, archive notices, integrations added or
/// removed, pins, edit/delete records, tombstones, empty messages, and bot
/// messages unless `includeBots`. Shared files are kept with the file named.
///
/// **Days and time zones.** Day files are named by the date in the
/// workspace's time zone, not UTC (the fixture export's `2016-01-14.json`
/// holds messages from 05:55 UTC on the 15th). With `from`/`to` a file is
/// skipped unopened only when no time zone (UTC−12 to UTC+14) could put its
/// messages inside the window. This assumes a reply's `ts` is not earlier
/// than its parent's, which holds for Slack's own exports.
///
/// Sendable, so a server can open an upload on a worker thread; reads of a
/// zip take turns on its file handle.
public struct SlackExport: Sendable {
    /// The export as named in errors: `export.zip`, `slack-export`.
    public let name: String
    /// Every conversation listed in the export, in file order.
    public let channels: [SlackChannel]
    /// User id → name shown (`profile.real_name`, `real_name`,
    /// `profile.display_name`, `name`, then the id).
    public let userNames: [String: String]
    let storage: SlackExportStorage

    /// Opens an export directory or zip and reads `users.json` and the
    /// channel lists. A zip whose files are inside one top folder works too.
    public init(path: String) throws(SlackExportError) {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        self.name = name
        storage = try SlackExportStorage.open(url, exportName: name)
        let json = SlackJSON(exportName: name)

        guard let usersData = try storage.data(at: "users.json", exportName: name) else {
            throw SlackExportError(fileName: name, message: "has no users.json. \(SlackExport.whatAnExportHolds)")
        }
        let users = try json.decode([SlackUserRecord].self, from: usersData, path: "users.json", expected: "a list of users (a JSON array)", item: "user")
        var names: [String: String] = [:]
        names.reserveCapacity(users.count)
        for u in users where names[u.id] == nil { names[u.id] = u.shownName }
        userNames = names

        var channels: [SlackChannel] = []
        var seen = Set<String>()
        var foundList = false
        let lists: [(String, SlackChannel.Kind)] = [
            ("channels.json", .channel), ("groups.json", .privateChannel), ("mpims.json", .groupMessage), ("dms.json", .directMessage),
        ]
        for (file, kind) in lists {
            guard let data = try storage.data(at: file, exportName: name) else { continue }
            foundList = true
            let records = try json.decode([SlackChannelRecord].self, from: data, path: file, expected: "a list of channels (a JSON array)", item: "channel")
            for r in records where seen.insert(r.id).inserted {
                let channelName = (r.name?.isEmpty == false ? r.name! : r.id)
                channels.append(SlackChannel(
                    id: r.id, name: channelName, isArchived: r.is_archived ?? false, kind: kind,
                    folder: kind == .directMessage ? r.id : channelName
                ))
            }
        }
        guard foundList else {
            throw SlackExportError(fileName: name, message: "has no channels.json. \(SlackExport.whatAnExportHolds)")
        }
        self.channels = channels
    }

    static let whatAnExportHolds = "A Slack export holds users.json, channels.json and a folder per channel with one JSON file per day (general/2024-03-01.json): give the .zip from Slack's “Export data” page or the folder it unzips to."

    /// The channel with this name (`incident-42` or `#incident-42`) or id.
    /// The error lists the channels there are.
    public func channel(named wanted: String) throws(SlackExportError) -> SlackChannel {
        var key = wanted.trimmingCharacters(in: .whitespaces)
        if key.hasPrefix("#") { key.removeFirst() }
        if let c = channels.first(where: { $0.name == key }) ?? channels.first(where: { $0.id == key })
            ?? channels.first(where: { $0.name.lowercased() == key.lowercased() }) {
            return c
        }
        let known = channels.map { $0.kind == .directMessage ? $0.id : "#" + $0.name }.sorted()
        let list: String
        if known.isEmpty {
            list = "it lists no channels"
        } else if known.count > 10 {
            list = "its channels are " + known.prefix(10).joined(separator: ", ") + " and \(known.count - 10) more"
        } else {
            list = "its channels are " + known.joined(separator: ", ")
        }
        throw SlackExportError(fileName: name, message: "there is no channel “\(key)” in the export; \(list)")
    }

    /// Reads the channel day by day, in date order, handing each day's
    /// messages (sorted by time) to `day`; `progress` is called after every
    /// day file, read or not.
    ///
    /// Errors in a day file are thrown when that file is reached, after the
    /// earlier days were handed over: run the whole read inside one
    /// transaction so that a bad file leaves nothing behind. (`readDays`
    /// does this with an async `day`, reading ahead on a thread of its own.)
    ///
    /// This overload keeps the error type for callers whose `day` throws
    /// nothing else (a preview, a count); the other passes any error of
    /// `day` through.
    @discardableResult
    public func read(
        channel: SlackChannel, options: SlackReadOptions = SlackReadOptions(),
        progress: (SlackProgress) -> Void = { _ in },
        day: ([SlackTimelineMessage]) throws(SlackExportError) -> Void
    ) throws(SlackExportError) -> SlackImportSummary {
        var reader = try SlackChannelReader(export: self, channel: channel, options: options)
        while let (messages, after) = try reader.next() {
            if !messages.isEmpty { try day(messages) }
            progress(after)
        }
        return reader.summary
    }

    /// `read` with a `day` that may throw anything: its errors pass through unchanged.
    @discardableResult
    public func read(
        channel: SlackChannel, options: SlackReadOptions = SlackReadOptions(),
        progress: (SlackProgress) -> Void = { _ in },
        day: ([SlackTimelineMessage]) throws -> Void
    ) throws -> SlackImportSummary {
        var reader = try SlackChannelReader(export: self, channel: channel, options: options)
        while let (messages, after) = try reader.next() {
            if !messages.isEmpty { try day(messages) }
            progress(after)
        }
        return reader.summary
    }

    /// Whether any message of a day file named for `dayStart` (midnight UTC
    /// of its date) could fall in `[from, to)`, in any time zone.
    static func dayMayOverlap(_ dayStart: Date, from: Date?, to: Date?) -> Bool {
        let earliest = dayStart.addingTimeInterval(-14 * 3600)
        let latest = dayStart.addingTimeInterval((24 + 12) * 3600 + 1)
        if let from, latest <= from { return false }
        if let to, earliest >= to { return false }
        return true
    }

    /// `2016-01-14.json` → midnight UTC of that day; nil for other names.
    static func dayStart(ofFileNamed name: String) -> Date? {
        let u = Array(name.utf8)
        guard u.count == 15, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), name.hasSuffix(".json") else { return nil }
        let days: Int? = u.withUnsafeBufferPointer { b in
            guard let y = CivilDate.number(b, 0..<4), let m = CivilDate.number(b, 5..<7), let d = CivilDate.number(b, 8..<10),
                  (1...12).contains(m), (1...31).contains(d)
            else { return nil }
            return CivilDate.daysSinceEpoch(year: y, month: m, day: d)
        }
        return days.map { Date(timeIntervalSince1970: TimeInterval($0) * 86_400) }
    }
}

// MARK: - Reading a channel

/// Reads one channel of an export a day file at a time; what `read` and
/// `readDays` drive, so both behave the same.
struct SlackChannelReader {
    let export: SlackExport
    let options: SlackReadOptions
    let folder: String
    let files: [(name: String, dayStart: Date)]
    private var index = 0
    private var converter: SlackMessageConverter
    private(set) var summary = SlackImportSummary()

    init(export: SlackExport, channel: SlackChannel, options: SlackReadOptions) throws(SlackExportError) {
        var workspace: String?
        if var w = options.workspaceURL?.trimmingCharacters(in: .whitespaces), !w.isEmpty {
            guard w.lowercased().hasPrefix("https://"), w.count > "https://".count else {
                throw SlackExportError(fileName: export.name, message: "the workspace URL “\(w)” must start with https:// (like https://acme.slack.com)")
            }
            while w.hasSuffix("/") { w.removeLast() }
            workspace = w
        }
        var folder = channel.folder
        var files = export.storage.dayFiles(in: folder)
        if files.isEmpty, channel.id != folder {
            let byID = export.storage.dayFiles(in: channel.id)
            if !byID.isEmpty {
                folder = channel.id
                files = byID
            }
        }
        var channelNames: [String: String] = [:]
        for c in export.channels { channelNames[c.id] = c.name }
        self.export = export
        self.options = options
        self.folder = folder
        self.files = files
        converter = SlackMessageConverter(
            markup: SlackMarkup(userNames: export.userNames, channelNames: channelNames),
            channelID: channel.id, options: options, workspace: workspace
        )
    }

    /// The next day file's messages, sorted by time (empty when the file
    /// lies outside `from`/`to` or holds nothing to keep), and the progress
    /// after it; nil after the last file.
    mutating func next() throws(SlackExportError) -> (messages: [SlackTimelineMessage], progress: SlackProgress)? {
        guard index < files.count else { return nil }
        let file = files[index]
        index += 1
        let path = folder + "/" + file.name
        var batch: [SlackTimelineMessage] = []
        if !SlackExport.dayMayOverlap(file.dayStart, from: options.from, to: options.to) {
            summary.daysNotRead += 1
        } else if let data = try export.storage.data(at: path, exportName: export.name) {
            batch.reserveCapacity(data.count / 300)
            // One validating pass per day; the rare day that fails is then
            // checked message by message to say how many were repaired.
            let validUTF8 = String(data: data, encoding: .utf8) != nil
            do throws(SlackDayFileScanner.Failure) {
                try SlackDayFileScanner.forEachMessage(in: data) { (record, number) throws(SlackDayFileScanner.Failure) in
                    if !validUTF8, let text = record.text, String(bytes: text.bytes, encoding: .utf8) == nil {
                        summary.invalidUTF8Messages += 1
                    }
                    if let reason = try converter.convert(record, number: number, into: &batch) {
                        summary.skipped[reason, default: 0] += 1
                    }
                }
            } catch {
                let (line, column) = JSONText.position(of: error.offset, in: data)
                throw SlackExportError(fileName: export.name, innerPath: path, line: line, column: column, message: error.message)
            }
            summary.days += 1
            if batch.indices.dropFirst().contains(where: { batch[$0].occurredAt < batch[$0 - 1].occurredAt }) {
                // Replies moved to their parent's time. Stable: equal times keep file order.
                batch = batch.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(\.element)
            }
            summary.imported += batch.count
        }
        return (batch, SlackProgress(dayIndex: index, dayCount: files.count, fileName: path, messagesSoFar: summary.imported))
    }
}

// MARK: - Messages

/// Turns message records into timeline messages, one at a time, remembering
/// only thread parents' snippets and names learned from `user_profile`.
struct SlackMessageConverter {
    static let botReason = "bot message (use --include-bots)"
    static let outsideReason = "outside --from/--to"
    static let emptyReason = "empty message"

    /// Records about the channel rather than in it.
    static let skippedSubtypes: Set<String> = [
        "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
        "channel_archive", "channel_unarchive", "channel_convert_to_private", "channel_convert_to_public",
        "channel_posting_permissions", "group_join", "group_leave", "group_topic", "group_purpose",
        "group_name", "group_archive", "group_unarchive", "bot_add", "bot_remove", "bot_enable", "bot_disable",
        "pinned_item", "unpinned_item", "message_changed", "message_deleted", "message_replied", "tombstone",
        "reminder_add", "reminder_delete", "app_conversation_join", "app_conversation_leave",
    ]

    var markup: SlackMarkup
    let channelID: String
    let options: SlackReadOptions
    let workspace: String?
    /// Thread ts → the start of the parent's text. One entry per thread.
    var threadSnippets: [String: String] = [:]
    private var scratch: [UInt8] = []

    init(markup: SlackMarkup, channelID: String, options: SlackReadOptions, workspace: String?) {
        self.markup = markup
        self.channelID = channelID
        self.options = options
        self.workspace = workspace
    }

    /// Appends the message to `batch`, or returns why it is skipped.
    mutating func convert(_ m: borrowing SlackMessageRecord, number: Int, into batch: inout [SlackTimelineMessage]) throws(SlackDayFileScanner.Failure) -> String? {
        var subtype: String?
        if let raw = m.subtype {
            let s = raw.string
            if SlackMessageConverter.skippedSubtypes.contains(s) { return s }
            subtype = s
        }
        if m.hidden == true { return subtype ?? "hidden message" }
        let ts = m.ts!
        guard let seconds = SlackMessageConverter.seconds(ts), seconds >= 0 else {
            throw SlackDayFileScanner.Failure(offset: m.offset, message: "message \(number): “ts” is “\(ts.string)”, expected a Slack timestamp like 1452737262.000002")
        }
        let threadTS = m.threadTS
        let isParent = (threadTS.map { $0 == ts } ?? false) || (m.replyCount ?? 0) > 0 || m.hasReplies
        let isReply = threadTS != nil && !(threadTS! == ts) && subtype != "thread_broadcast"
        var when = seconds
        if isReply, let t = SlackMessageConverter.seconds(threadTS!), t > seconds { when = t }
        let occurredAt = LoreTime.milliseconds(Date(timeIntervalSince1970: when))

        let isBot = subtype == "bot_message" || (m.botID != nil && m.user == nil)
        var skip: String?
        if isBot && !options.includeBots {
            skip = SlackMessageConverter.botReason
        } else if let from = options.from, occurredAt < from {
            skip = SlackMessageConverter.outsideReason
        } else if let to = options.to, occurredAt >= to {
            skip = SlackMessageConverter.outsideReason
        }
        if let skip {
            // A reply further on may still be read: keep what its thread was about.
            if isParent { remember(body(m, subtype: subtype), parent: ts.string) }
            return skip
        }
        // The author first: a guest's `user_profile` also names their mentions in the text.
        let author = author(m)
        var text = body(m, subtype: subtype)
        if isParent { remember(text, parent: ts.string) }
        if text.isEmpty { return SlackMessageConverter.emptyReason }
        if isReply {
            var prefixed = ""
            if let snippet = threadSnippets[threadTS!.string] {
                prefixed.reserveCapacity(snippet.utf8.count + text.utf8.count + 32)
                prefixed += "↳ (reply in thread “"
                prefixed += snippet
                prefixed += "”) "
            } else {
                prefixed.reserveCapacity(text.utf8.count + 24)
                prefixed += "↳ (reply in thread) "
            }
            prefixed += text
            text = prefixed
        }
        // External id and link are built in a reused buffer: one allocation each.
        let tsBytes = ts.bytes
        var link: String?
        if let workspace {
            // `…/archives/C…/p1452737262000002`; a reply also names its thread.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: workspace.utf8)
            scratch.append(contentsOf: "/archives/".utf8)
            scratch.append(contentsOf: channelID.utf8)
            scratch.append(UInt8(ascii: "/"))
            scratch.append(UInt8(ascii: "p"))
            for b in tsBytes where b != UInt8(ascii: ".") { scratch.append(b) }
            if isReply {
                scratch.append(contentsOf: "?thread_ts=".utf8)
                scratch.append(contentsOf: threadTS!.bytes)
                scratch.append(contentsOf: "&cid=".utf8)
                scratch.append(contentsOf: channelID.utf8)
            }
            link = String(decoding: scratch, as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: channelID.utf8)
        scratch.append(UInt8(ascii: ":"))
        scratch.append(contentsOf: tsBytes)
        batch.append(SlackTimelineMessage(
            externalID: String(decoding: scratch, as: UTF8.self), occurredAt: occurredAt,
            author: SlackMessageConverter.limited(author, to: Limits.name),
            text: SlackMessageConverter.limited(text, to: Limits.longText), link: link, isThreadReply: isReply
        ))
        return nil
    }

    /// Who wrote it: the name from `users.json`, else the message's own
    /// `user_profile` (people from other workspaces, deleted accounts), else
    /// the bot's or integration's name, else the id.
    private mutating func author(_ m: borrowing SlackMessageRecord) -> String {
        let userID = (m.user ?? m.commentUser)?.string
        if let userID, let name = markup.userNames[userID] { return name }
        if let name = SlackUserRecord.firstNonBlank([m.profileRealName?.string, m.profileDisplayName?.string, m.profileName?.string]) {
            // Mentions of them further on read the same way; one entry per person.
            if let userID { markup.userNames[userID] = name }
            return name
        }
        if let name = SlackUserRecord.firstNonBlank([m.username?.string, m.botProfileName?.string]) { return name }
        if let userID { return userID }
        if let bot = m.botID { return "bot " + bot.string }
        return "unknown"
    }

    /// The readable text with shared files named; for a message with no
    /// text of its own (many bot posts), its attachments' text.
    private func body(_ m: borrowing SlackMessageRecord, subtype: String?) -> String {
        var text = m.text.map(readable) ?? ""
        if text.isEmpty, !m.attachments.isEmpty {
            text = m.attachments.compactMap { a -> String? in
                for part in [a.fallback, a.pretext, a.text] {
                    if let part { let t = readable(part); if !t.isEmpty { return t } }
                }
                return nil
            }.joined(separator: "\n")
        }
        if m.files.isEmpty && m.file == nil { return text }
        var names: [String] = []
        for f in m.files + (m.file.map { [$0] } ?? []) {
            names.append(SlackUserRecord.firstNonBlank([f.title?.string, f.name?.string]) ?? "a file")
        }
        if subtype == "file_comment" {
            if text.isEmpty, let c = m.commentText {
                return "commented on \(names[0]): " + readable(c)
            }
            return text
        }
        if text.isEmpty {
            return names.count == 1 ? "shared a file: \(names[0])" : "shared files: " + names.joined(separator: ", ")
        }
        // Old exports already say "uploaded a file: <url|name>"; do not name it twice.
        for name in names where !text.contains(name) { text += " [file: \(name)]" }
        return text
    }

    /// Markup resolved, surrounding white space removed.
    private func readable(_ raw: SlackRawString) -> String {
        raw.withDecodedBytes { markup.readable($0) }.trimmed
    }

    /// Keeps the first 60 characters (Unicode scalars) of a thread parent, on one line.
    private mutating func remember(_ text: String, parent ts: String) {
        guard !text.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        var scalars = 0
        var cut = false
        for b in text.utf8 {
            if b & 0xC0 != 0x80 {
                // The first byte of a scalar.
                if scalars == 60 {
                    cut = true
                    break
                }
                scalars += 1
            }
            bytes.append(b == 0x0A || b == 0x0D || b == 0x09 ? 0x20 : b)
        }
        if cut {
            while bytes.last == 0x20 { bytes.removeLast() }
            bytes.append(contentsOf: "…".utf8)
        }
        threadSnippets[ts] = String(decoding: bytes, as: UTF8.self)
    }

    /// `1452737262.000002` → seconds. The digits are read as one integer and
    /// divided by a power of ten, both exact in a Double, which gives the
    /// same correctly rounded value as `Double(String)` without making a
    /// String; other shapes go through `Double(String)`.
    static func seconds(_ ts: SlackRawString) -> Double? {
        var value: UInt64 = 0
        var digits = 0
        var fraction = -1
        for c in ts.bytes {
            if c == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
                continue
            }
            // Beyond 2^53 the integer is no longer exact in a Double.
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), value < (1 << 49), fraction <= 16 else {
                return Double(ts.string).flatMap { $0.isFinite ? $0 : nil }
            }
            value = value * 10 + UInt64(c - UInt8(ascii: "0"))
            digits += 1
            if fraction >= 0 { fraction += 1 }
        }
        guard digits > 0 else { return nil }
        return fraction > 0 ? Double(value) / powersOfTen[fraction] : Double(value)
    }

    private static let powersOfTen: [Double] = (0...16).map { pow(10, Double($0)) }

    static func limited(_ s: String, to max: Int) -> String {
        guard s.utf8.count > max, s.count > max else { return s }
        return String(s.prefix(max - 1)) + "…"
    }
}

// MARK: - Directory or zip

/// Where the export's files are: a directory, or a zip read entry by entry.
enum SlackExportStorage: Sendable {
    case directory(URL)
    case zip(SlackZip)

    private static let lists = ["users.json", "channels.json", "groups.json", "mpims.json", "dms.json"]

    static func open(_ url: URL, exportName: String) throws(SlackExportError) -> SlackExportStorage {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw SlackExportError(fileName: exportName, message: "does not exist")
        }
        if isDirectory.boolValue {
            if lists.contains(where: { fm.fileExists(atPath: url.appendingPathComponent($0).path) }) {
                return .directory(url)
            }
            // Unzipped into a folder of its own: use the one folder that holds an export.
            let subfolders = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { name in
                var d: ObjCBool = false
                return !name.hasPrefix(".") && name != "__MACOSX"
                    && fm.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &d) && d.boolValue
                    && lists.contains(where: { fm.fileExists(atPath: url.appendingPathComponent(name).appendingPathComponent($0).path) })
            }
            return .directory(subfolders.count == 1 ? url.appendingPathComponent(subfolders[0], isDirectory: true) : url)
        }
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { handle -> Data? in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 4)
        } ?? Data()
        let isZip = head.starts(with: [0x50, 0x4B]) || url.pathExtension.lowercased() == "zip"
        guard isZip else {
            throw SlackExportError(fileName: exportName, message: "is neither a directory nor a zip file; give the .zip of a Slack export or the folder it unzips to")
        }
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw damaged(exportName, path: nil, error)
        }
        var all: [String: Entry] = [:]
        var total: UInt64 = 0
        for entry in archive where entry.type == .file {
            var path = entry.path
            if path.hasPrefix("./") { path.removeFirst(2) }
            if path.hasPrefix("__MACOSX/") { continue }
            // Refused before anything is inflated: what a file would inflate
            // to, and the whole export, are known from the zip's directory
            // (and inflating never goes past what it declares).
            try SlackZip.checkLimits(entry, path: path, exportName: exportName)
            total += entry.uncompressedSize
            guard total <= SlackZip.largestExport else {
                throw SlackExportError(fileName: exportName, innerPath: path, message: "the export unzips to more than \(SlackZip.largestExport >> 30) GB (reached at this file); split it by channel or date range")
            }
            all[path] = entry
        }
        var prefix = ""
        if !lists.contains(where: { all[$0] != nil }) {
            let tops = Set(all.keys.compactMap { path -> Substring? in
                let parts = path.split(separator: "/")
                return parts.count == 2 && lists.contains(String(parts[1])) ? parts[0] : nil
            })
            if tops.count == 1 { prefix = tops.first! + "/" }
        }
        if prefix.isEmpty { return .zip(SlackZip(archive: archive, entries: all)) }
        var entries: [String: Entry] = [:]
        for (path, entry) in all where path.hasPrefix(prefix) { entries[String(path.dropFirst(prefix.count))] = entry }
        return .zip(SlackZip(archive: archive, entries: entries))
    }

    static func damaged(_ exportName: String, path: String?, _ error: any Error) -> SlackExportError {
        let reason: String
        switch error as? Archive.ArchiveError {
        case .invalidCRC32?: reason = "checksum mismatch"
        case .missingEndOfCentralDirectoryRecord?: reason = "the end of the archive is missing"
        case .unreadableArchive?: reason = "unreadable archive"
        case .some(let e): reason = "\(e)"
        case nil: reason = "\(error)"
        }
        return SlackExportError(fileName: exportName, innerPath: path, message: "the zip archive is damaged or truncated (\(reason))")
    }

    /// The file's bytes, or nil when the export has no such file.
    func data(at path: String, exportName: String) throws(SlackExportError) -> Data? {
        switch self {
        case .directory(let root):
            let url = root.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber, size.uint64Value > SlackZip.largestFile {
                throw SlackExportError(fileName: exportName, innerPath: path, message: "is \(size.uint64Value >> 20) MB, more than the \(SlackZip.largestFile >> 20) MB a file of an export can be")
            }
            do {
                return try Data(contentsOf: url)
            } catch {
                throw SlackExportError(fileName: exportName, innerPath: path, message: "could not be read (\(error.localizedDescription))")
            }
        case .zip(let zip):
            return try zip.data(at: path, exportName: exportName)
        }
    }

    /// Day files (`YYYY-MM-DD.json`) directly in `folder`, in date order;
    /// files with other names are ignored.
    func dayFiles(in folder: String) -> [(name: String, dayStart: Date)] {
        var names: [String]
        switch self {
        case .directory(let root):
            names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder, isDirectory: true).path)) ?? []
        case .zip(let zip):
            let prefix = folder + "/"
            names = zip.entries.keys.compactMap { path in
                guard path.hasPrefix(prefix) else { return nil }
                let rest = path.dropFirst(prefix.count)
                return rest.contains("/") ? nil : String(rest)
            }
        }
        names.sort()
        return names.compactMap { name in SlackExport.dayStart(ofFileNamed: name).map { (name, $0) } }
    }
}

/// An opened zip export. ZIPFoundation's `Archive` reads through one file
/// handle, so extractions take turns under a lock; that is what makes
/// `SlackExport` safe to share between threads.
final class SlackZip: @unchecked Sendable {
    private let archive: Archive
    /// By path relative to the export's root (written once, at opening).
    let entries: [String: Entry]
    private let lock = NSLock()

    init(archive: Archive, entries: [String: Entry]) {
        self.archive = archive
        self.entries = entries
    }

    /// Limits that keep a hostile zip (a "zip bomb": a megabyte that
    /// inflates to gigabytes) from taking the server's memory, while leaving
    /// room for real exports. A day file of a very busy channel is a few
    /// megabytes and a large workspace's users.json some tens; JSON deflates
    /// about 5–30 times, text made of one repeated byte over 1,000 times.
    ///
    /// - a file inflates to at most 64 MB (it is read whole);
    static let largestFile: UInt64 = 64 << 20
    /// - and to at most 200 times its compressed size once over 1 MB;
    static let largestRatio: UInt64 = 200
    static let ratioAppliesFrom: UInt64 = 1 << 20
    /// - the whole export inflates to at most 4 GB.
    static let largestExport: UInt64 = 4 << 30

    static func checkLimits(_ entry: Entry, path: String, exportName: String) throws(SlackExportError) {
        let size = entry.uncompressedSize
        guard size <= largestFile else {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "is \(size >> 20) MB unzipped, more than the \(largestFile >> 20) MB a file of an export can be")
        }
        if size > ratioAppliesFrom, size / max(entry.compressedSize, 1) > largestRatio {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "would inflate \(size / max(entry.compressedSize, 1)) times (\(entry.compressedSize) bytes to \(size >> 20) MB), more than the \(largestRatio) times real exports do; this looks like a zip bomb")
        }
    }

    private struct TooLarge: Error {}

    /// One entry, inflated and checked, or nil when the zip has no such file.
    func data(at path: String, exportName: String) throws(SlackExportError) -> Data? {
        guard let entry = entries[path] else { return nil }
        let size = entry.uncompressedSize
        try Self.checkLimits(entry, path: path, exportName: exportName)
        var data = Data()
        data.reserveCapacity(Int(min(size, 64 << 20)))
        var failure: (any Error)?
        lock.lock()
        do {
            // The checksum is checked below, faster (see SlackCRC32).
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                // Never inflate past the size the zip declares.
                guard UInt64(data.count + chunk.count) <= size else { throw TooLarge() }
                data.append(chunk)
            }
        } catch {
            failure = error
        }
        lock.unlock()
        if failure is TooLarge {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "the zip archive is damaged or truncated (the file is longer than the archive says)")
        }
        if let failure { throw SlackExportStorage.damaged(exportName, path: path, failure) }
        guard UInt64(data.count) == entry.uncompressedSize else {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "the zip archive is damaged or truncated (\(data.count) of \(entry.uncompressedSize) bytes)")
        }
        guard SlackCRC32.checksum(data) == entry.checksum else {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "the zip archive is damaged or truncated (checksum mismatch)")
        }
        return data
    }
}
