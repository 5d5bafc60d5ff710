import Foundation
import Testing

/// `lore search` as an operator runs it: the built binary on the demo data.
@Suite("lore search", .serialized)
struct SearchCommandTests {
    @Test(.enabled(if: LoreCLI.isBuilt))
    func findsTheDemosIncidentsOnATerminalAndAsJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-search-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try LoreCLI.run(["demo", "--data-dir", dir]).status == 0)

        let table = try LoreCLI.run(["search", "--data-dir", dir, "\"i/o timeout\""])
        #expect(table.status == 0, "\(table.err)")
        #expect(table.out.contains("*i/o timeout*") || table.out.contains("*i*/*o* *timeout*"), "\(table.out)")
        #expect(table.out.contains("INC-"))

        let json = try LoreCLI.run(["search", "--data-dir", dir, "--json", "--kind", "incident", "replica"])
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let hits = try #require(results["hits"] as? [[String: Any]])
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { $0["kind"] as? String == "incident" })

        let bad = try LoreCLI.run(["search", "--data-dir", dir, "\"unclosed"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("never closed"))
        let badKind = try LoreCLI.run(["search", "--data-dir", dir, "--kind", "ticket", "pool"])
        #expect(badKind.status == 2)
        #expect(badKind.err.contains("--kind"))
    }
}
