import Foundation

/// A timeline as CSV: a header line, then one line per entry (RFC 4180).
///
/// Cells that a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-`, `@`, tab or carriage return) get a leading apostrophe, so that an
/// exported timeline opened in a spreadsheet cannot run anything.
public enum TimelineCSV {
    public static let header = ["occurred_at", "recorded_at", "author", "source", "kind", "marker", "text", "reflection", "recalled_later", "external_id", "source_url"]

    public static func render(_ entries: [TimelineEntry], resolvedAt: Date?, reviewWindow: TimeInterval) -> String {
        var out = header.joined(separator: ",") + "\r\n"
        for e in entries {
            let cells = [
                LoreTime.iso(e.occurredAt), LoreTime.iso(e.recordedAt), e.author, e.source.rawValue, e.kind.rawValue,
                e.marker?.rawValue ?? "", e.text, e.reflection ?? "",
                e.isRecalledLater(resolvedAt: resolvedAt, reviewWindow: reviewWindow) ? "true" : "false", e.externalID ?? "", e.sourceURL ?? "",
            ]
            out += cells.map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    public static func cell(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
