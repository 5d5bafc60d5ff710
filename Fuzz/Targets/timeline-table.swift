// libFuzzer target: CSV / Markdown timeline tables
// and timelines written as text (TimelineTable.parse in Sources/LoreImport/Timeline).
// The first input byte picks the options (skipBadRows, --date, time zone,
// file name); the rest is the file, decoded as UTF-8 as the importer does.
import Foundation

private let zones: [TimeZone] = [
    TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Berlin")!,
    TimeZone(identifier: "America/New_York")!, TimeZone(identifier: "Asia/Kolkata")!,
]
private let names = ["timeline.csv", "timeline.md", "timeline.txt", "notes.markdown"]
private let day = Date(timeIntervalSince1970: 1_709_251_200) // 2024-03-01T00:00:00Z

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let options = data[0]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    do {
        let result = try TimelineTable.parse(
            text, fileName: names[Int(options >> 4) & 3], timeZone: zones[Int(options >> 1) & 3],
            date: options & 0x40 != 0 ? day : nil, skipBadRows: options & 1 != 0)
        let entries = result.entries(incidentID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), now: day)
        _ = entries.count
        // Every line a result names is a line of the file.
        // (An upper bound: CRLF counts twice, which only loosens the check.)
        let lineCount = text.unicodeScalars.filter { $0 == "\n" || $0 == "\r" }.count + 1
        for line in result.rows.map(\.line) + (result.skipped + result.notes + result.unread).map(\.line) where line < 1 || line > lineCount {
            fatalError("line \(line) is outside the file (\(lineCount) lines)")
        }
    } catch {
        _ = error.description
    }
    return 0
}
