import Foundation
import Testing
@testable import LoreImport

/// Published postmortems, imported as a person would: the file as published,
/// no --timezone and no --date, compared with a count made by hand (entries
/// that carry a time, and the first and last entry's moment in UTC). The
/// documents and their licences are in Tests/Fixtures/postmortems. The counts
/// were made blind to the reader; the reader was then changed with these
/// documents in view, so they guard against regressions and do not measure
/// unseen text (its README says what was measured before).
struct PublishedPostmortem: Decodable {
    let file: String
    let org: String
    /// Where it was published; its last part is the file's own name, as a
    /// person importing it would have it.
    let path: String?
    let entries: Int
    let first: String
    let last: String
}

enum PublishedTimelines {
    static let directory: URL = {
        if let dir = ProcessInfo.processInfo.environment["LORE_POSTMORTEMS"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postmortems")
    }()

    static var manifest: [PublishedPostmortem] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")) else { return [] }
        return (try? JSONDecoder().decode([PublishedPostmortem].self, from: data)) ?? []
    }

    /// What went wrong with one document, or nil when it imports right.
    static func mismatch(_ pm: PublishedPostmortem) -> String? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(pm.file), encoding: .utf8) else { return "unreadable" }
        let result: TimelineTableResult
        do {
            let name = pm.path.map { ($0 as NSString).lastPathComponent } ?? pm.file
            result = try TimelineTable.parse(text, fileName: name, timeZone: TimeZone(identifier: "UTC")!, date: nil, skipBadRows: true)
        } catch {
            return "refused: \(error)"
        }
        let iso = { (d: Date?) in d.map { $0.formatted(.iso8601) } ?? "none" }
        // A count written to the millisecond ("17:12:46.693Z", as a status
        // page stamps updates) is compared to the millisecond; one written to
        // the second, to the second (a person counting drops the milliseconds).
        func same(_ d: Date?, _ written: String) -> Bool {
            let reader = ISO8601DateFormatter()
            let precise = written.contains(".")
            if precise { reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
            guard let d, let expected = reader.date(from: written) else { return iso(d) == written }
            let read = precise ? d.timeIntervalSince1970 : d.timeIntervalSince1970.rounded(.down)
            return abs(read - expected.timeIntervalSince1970) < 0.0005
        }
        var problems: [String] = []
        if result.rows.count != pm.entries { problems.append("\(result.rows.count) entries, not \(pm.entries)") }
        if !same(result.rows.first?.occurredAt, pm.first) { problems.append("first \(iso(result.rows.first?.occurredAt)), not \(pm.first)") }
        if !same(result.rows.last?.occurredAt, pm.last) { problems.append("last \(iso(result.rows.last?.occurredAt)), not \(pm.last)") }
        if !problems.isEmpty, let skipped = result.skipped.first { problems.append("first skipped: line \(skipped.line): \(skipped.reason)") }
        // LORE_POSTMORTEMS_ROWS=1 lists what was read of each document that
        // did not import right, to compare with the hand count line by line.
        // (LORE_POSTMORTEMS_ROWS=full: each row's whole text.)
        if !problems.isEmpty, let rows = ProcessInfo.processInfo.environment["LORE_POSTMORTEMS_ROWS"] {
            let width = rows == "full" ? Int.max : 60
            for row in result.rows { problems.append("\n    line \(row.line): \(iso(row.occurredAt)) \(row.text.prefix(width).replacingOccurrences(of: "\n", with: " "))") }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}

@Test(.enabled(if: !PublishedTimelines.manifest.isEmpty)) func publishedPostmortemsImportAsCountedByHand() {
    let manifest = PublishedTimelines.manifest
    var right = 0
    for pm in manifest {
        if let problem = PublishedTimelines.mismatch(pm) {
            print("  \(pm.file): \(problem)")
        } else {
            right += 1
        }
    }
    print("Published postmortems imported right: \(right) of \(manifest.count)")
    // The goal; this set is now a regression set (see its README).
    #expect(Double(right) >= 0.9 * Double(manifest.count))
}
