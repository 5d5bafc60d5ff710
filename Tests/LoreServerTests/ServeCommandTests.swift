import Foundation
import Testing

/// `lore serve` pointed at a database it cannot use: a message that names
/// the problem and exit status 1, not a crash.
@Suite("lore serve")
struct ServeCommandTests {
    @Test(.enabled(if: LoreCLI.isBuilt && ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"] != nil))
    func aDatabaseThatDoesNotExistIsNamed() throws {
        var url = try #require(URLComponents(string: ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"] ?? ""))
        url.path = "/lore_no_such_database_\(UInt32.random(in: 0...UInt32.max))"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try LoreCLI.run(["serve", "--data-dir", dir, "--port", "0", "--database-url", try #require(url.string)])
        #expect(run.status == 1, "exit status \(run.status): \(run.err.suffix(400))")
        #expect(run.err.contains("cannot open PostgreSQL"))
        #expect(run.err.contains("does not exist"))
        #expect(!run.err.contains("crashed"))
    }
}
