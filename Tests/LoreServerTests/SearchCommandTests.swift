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

/// `lore digest` on the demo data: choose the time, print a week as text and JSON.
@Suite("lore digest", .serialized)
struct DigestCommandTests {
    @Test(.enabled(if: LoreCLI.isBuilt))
    func anOperatorSetsAndPrintsATeamsDigest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-digest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try LoreCLI.run(["demo", "--data-dir", dir]).status == 0)

        let set = try LoreCLI.run(["digest", "--data-dir", dir, "payments", "--day", "friday", "--hour", "16", "--time-zone", "Europe/Berlin"])
        #expect(set.status == 0, "\(set.err)")
        #expect(set.out.contains("weekly digest on Fridays at 16:00 (Europe/Berlin)"))

        let text = try LoreCLI.run(["digest", "--data-dir", dir, "payments"])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.hasPrefix("Weekly digest for Payments, "))
        let json = try LoreCLI.run(["digest", "--data-dir", dir, "payments", "--week", "2026-W10", "--json"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(body["week"] as? String == "2026-W10")
        #expect((body["schedule"] as? [String: Any])?["weekday"] as? Int == 5)

        let bad = try LoreCLI.run(["digest", "--data-dir", dir, "payments", "--day", "someday", "--hour", "25"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--day") && bad.err.contains("--hour"))
        #expect(try LoreCLI.run(["digest", "--data-dir", dir, "payments", "--week", "soon"]).status == 2)
        #expect(try LoreCLI.run(["digest", "--data-dir", dir, "nobody"]).status == 1)
    }
}
