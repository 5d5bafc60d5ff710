import Foundation
import Testing

/// `lore report trends` as an operator runs it: the built binary on the demo data.
@Suite("lore report trends", .serialized)
struct ReportTrendsCommandTests {
    @Test(.enabled(if: LoreCLI.isBuilt))
    func theSameNumbersOnATerminalAsJSONAndAsCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-trends-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try LoreCLI.run(["demo", "--data-dir", dir]).status == 0)

        let table = try LoreCLI.run(["report", "trends", "--data-dir", dir, "--by", "service", "--measure", "to-resolve"])
        #expect(table.status == 0)
        #expect(table.out.contains("By service"))
        #expect(table.out.contains("Longest"))
        #expect(table.out.contains("not targets"))

        let json = try LoreCLI.run(["report", "trends", "--data-dir", dir, "--by", "service", "--measure", "to-resolve", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let whole = try #require(report["whole"] as? [String: Any])
        let count = try #require(whole["incidentCount"] as? Int)
        #expect(count > 0)
        #expect(table.out.contains("\(count) incidents"))
        // The operator sees every review of the longest incidents.
        #expect((report["longest"] as? [[String: Any]])?.contains { !(($0["reviews"] as? [Any]) ?? []).isEmpty } == true)

        let csv = try LoreCLI.run(["report", "trends", "--data-dir", dir, "--csv"])
        let lines = csv.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("incident,title,occurred_at") == true)
        #expect(lines.count == count + 1)

        let bad = try LoreCLI.run(["report", "trends", "--data-dir", dir, "--by", "colour"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--by"))
    }
}
