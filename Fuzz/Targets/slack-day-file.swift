// libFuzzer target: one Slack day file
// (SlackDayFileScanner.forEachMessage in Sources/LoreImport/Slack/SlackDayFileScanner.swift).
// The record's strings are views into the input, so every field is decoded
// here to make sure those views are actually read.
import Foundation

private let markup = SlackMarkup(userNames: ["U1": "ana"], channelNames: ["C1": "general"])

private func touch(_ s: SlackRawString?, _ sink: inout Int) {
    guard let s else { return }
    sink &+= s.string.utf8.count
    sink &+= s.withDecodedBytes { markup.readable($0).utf8.count }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    var sink = 0
    do throws(SlackDayFileScanner.Failure) {
        try SlackDayFileScanner.forEachMessage(in: bytes) { (record, number) throws(SlackDayFileScanner.Failure) in
            sink &+= number &+ record.offset &+ (record.replyCount ?? 0)
            if record.hasReplies { sink &+= 1 }
            if record.hidden == true { sink &+= 1 }
            touch(record.ts, &sink)
            touch(record.subtype, &sink)
            touch(record.user, &sink)
            touch(record.botID, &sink)
            touch(record.username, &sink)
            touch(record.text, &sink)
            touch(record.threadTS, &sink)
            touch(record.commentUser, &sink)
            touch(record.commentText, &sink)
            touch(record.profileRealName, &sink)
            touch(record.profileDisplayName, &sink)
            touch(record.profileName, &sink)
            touch(record.botProfileName, &sink)
            for f in record.files + (record.file.map { [$0] } ?? []) {
                touch(f.name, &sink)
                touch(f.title, &sink)
            }
            for a in record.attachments {
                touch(a.fallback, &sink)
                touch(a.pretext, &sink)
                touch(a.text, &sink)
            }
            if let ts = record.ts, let t = record.threadTS, ts == t { sink &+= 1 }
            if let s = record.subtype, s == "bot_message" { sink &+= 1 }
        }
    } catch {
        // As the importer does: turn the offset into a line and column.
        let (line, column) = JSONText.position(of: error.offset, in: bytes)
        sink &+= line &+ column &+ error.message.utf8.count
    }
    if sink == 0x7fff_ffff_ffff_fff1 { print(sink) }  // keep `sink` alive
    return 0
}
