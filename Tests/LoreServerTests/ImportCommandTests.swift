import Foundation
import LoreCore
import LoreStore
import Testing

/// `lore import slack|pagerduty` and `lore webhooks pagerduty` as an operator
/// runs them: the built binary, a data directory, real exports.
@Suite("lore import and lore webhooks", .serialized)
struct ImportCommandTests {
    static let fixtures = LoreCLI.root.appendingPathComponent("Tests/Fixtures")

    static func lore(_ args: [String], dataDir: String, stdin: String? = nil) throws -> LoreCLI.Run {
        try LoreCLI.run(args + ["--data-dir", dataDir], stdin: stdin)
    }

    /// A data directory with one incident (INC-1) in it.
    static func dataDirectory() async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = try await LoreDatabase.open(.sqlite(path: dir + "/lore.sqlite"))
        try await db.migrate()
        try await db.store.createIncident(IncidentInput(title: "Checkout latency", severity: "SEV2", detectionSource: "monitoring alert"))
        await db.shutdown()
        return dir
    }

    static func timeline(_ dir: String) async throws -> [TimelineEntry] {
        let db = try await LoreDatabase.open(.sqlite(path: dir + "/lore.sqlite"))
        defer { Task { await db.shutdown() } }
        guard let i = try await db.store.incident(key: "INC-1") else { return [] }
        return try await db.store.timeline(incidentID: i.id)
    }

    /// A postmortem pasted into a file as published: its summary names the
    /// entry that is far out of order and every line of the Timeline section
    /// it did not read, each with its line.
    @Test(.enabled(if: LoreCLI.isBuilt))
    func timelineFromAPostmortemSaysWhatItNotedAndLeftUnread() async throws {
        let dir = try await Self.dataDirectory()
        let file = dir + "/postmortem.md"
        try """
        # Checkout latency

        ## Timeline
        Assembled from the pager and chat.

        **2021-03-01 14:02 UTC:** Alert fired
        **2026-03-01 14:05 UTC:** Paged the on-call
        **2026-03-01 14:20 UTC:** Rolled back
        **2026-03-01 14:31 UTC:** Recovered
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try Self.lore(["import", "timeline", file, "--incident", "INC-1"], dataDir: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("imported 4, already present 0, skipped 0."))
        #expect(run.out.contains("note postmortem.md:6: 2021-03-01T14:02:00Z is 1826 days from the entries next to it"))
        #expect(run.out.contains("not read postmortem.md:4: no time in it"))
        #expect(try await Self.timeline(dir).map(\.text).sorted() == ["Alert fired", "Paged the on-call", "Recovered", "Rolled back"])
    }

    /// `lore export review` then `lore import timeline` into another
    /// incident: the same entries; an unknown id or format says so.
    @Test(.enabled(if: LoreCLI.isBuilt))
    func aReviewExportedAsMarkdownImportsItsTimelineIntoAnotherIncident() async throws {
        let dir = try await Self.dataDirectory()
        let db = try await LoreDatabase.open(.sqlite(path: dir + "/lore.sqlite"))
        let source = try #require(try await db.store.incident(key: "INC-1"))
        let target = try await db.store.createIncident(IncidentInput(title: "Replay", severity: "SEV3", detectionSource: "monitoring alert"))
        for (offset, text) in [(0.0, "Paged | p99 4 s"), (61.5, "Rolled back\nand watched")] {
            _ = try await db.store.addTimelineEntry(TimelineEntry(
                incidentID: source.id, occurredAt: Date(timeIntervalSince1970: 1_772_373_600 + offset), recordedAt: Date(), author: "Priya",
                source: .manual, kind: .action, text: text))
        }
        let owner = try await db.store.createUser(UserInput(displayName: "Ops", email: "ops@example.com", role: .admin, password: "a long enough password"))
        let review = try await db.store.createReview(incidentID: source.id, ReviewInput(title: "Team review", sections: [.summary: "Retries piled up."]), by: try await db.store.viewer(for: owner))
        await db.shutdown()

        let file = dir + "/review.md"
        let export = try Self.lore(["export", "review", review.id.uuidString, "--format", "md", "--output", file], dataDir: dir)
        #expect(export.status == 0, "\(export.err)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("## Summary\n\nRetries piled up."))
        let html = try Self.lore(["export", "review", review.id.uuidString, "--format", "html"], dataDir: dir)
        #expect(html.status == 0 && html.out.hasPrefix("<!doctype html>"))
        let imported = try Self.lore(["import", "timeline", file, "--incident", target.key], dataDir: dir)
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("imported 2, already present 0, skipped 0."))
        let check = try await LoreDatabase.open(.sqlite(path: dir + "/lore.sqlite"))
        let original = try await check.store.timeline(incidentID: source.id)
        let copy = try await check.store.timeline(incidentID: target.id)
        await check.shutdown()
        #expect(copy.map(\.occurredAt) == original.map(\.occurredAt) && copy.map(\.text) == original.map(\.text))

        let notRedacted = try Self.lore(["export", "review", review.id.uuidString, "--keep", "example.org"], dataDir: dir)
        #expect(notRedacted.status == 2 && notRedacted.err.contains("only apply with --redact") && notRedacted.out.isEmpty)
        let unknown = try Self.lore(["export", "review", UUID().uuidString], dataDir: dir)
        #expect(unknown.status == 1 && unknown.err.contains("no review"))
        let badFormat = try Self.lore(["export", "review", review.id.uuidString, "--format", "pdf"], dataDir: dir)
        #expect(badFormat.status != 0 && badFormat.err.contains("pdf"))
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func slackExportImportsOnceWithASummary() async throws {
        let dir = try await Self.dataDirectory()
        let zip = Self.fixtures.appendingPathComponent("slack/testarchive.zip").path
        let first = try Self.lore(["import", "slack", zip, "--incident", "INC-1", "--channel", "#enrique", "--workspace", "https://acme.slack.com"], dataDir: dir)
        #expect(first.status == 0, "\(first.err)")
        let added = try #require(first.out.firstMatch(of: /added (\d+), already present 0/).map { Int($0.1)! })
        #expect(added > 0)
        #expect(first.out.contains("skipped"))
        #expect(first.err.contains("#enrique: "), "plain progress lines when not on a terminal")
        let entries = try await Self.timeline(dir)
        #expect(entries.count == added)
        #expect(entries.allSatisfy { $0.source == .slack && $0.externalID?.contains(":") == true && $0.sourceURL?.hasPrefix("https://acme.slack.com/archives/") == true })
        #expect(!entries.contains { $0.author.hasPrefix("U0") }, "user ids became names")
        // What was said in the channel is found by search at once (the index is
        // written in the import's transaction), as a responder would type it.
        let search = try Self.lore(["search", "\"setup.py\"", "--kind", "timeline", "--json"], dataDir: dir)
        #expect(search.status == 0, "\(search.err)")
        let hits = (try JSONSerialization.jsonObject(with: Data(search.out.utf8)) as? [String: Any])?["hits"] as? [[String: Any]] ?? []
        #expect(hits.count >= 3 && hits.allSatisfy { $0["incidentKey"] as? String == "INC-1" })
        #expect(entries.filter { $0.text.localizedCaseInsensitiveContains("setup.py") }.count >= hits.count)

        let again = try Self.lore(["import", "slack", zip, "--incident", "INC-1", "--channel", "enrique"], dataDir: dir)
        #expect(again.status == 0)
        #expect(again.out.contains("added 0, already present \(added)"))
        #expect(try await Self.timeline(dir).count == added)
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func damagedExportsAndBadArgumentsWriteNothing() async throws {
        let dir = try await Self.dataDirectory()
        let whole = try Data(contentsOf: Self.fixtures.appendingPathComponent("slack/testarchive.zip"))
        let truncated = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID().uuidString).zip")
        try whole.prefix(whole.count / 2).write(to: truncated)
        let cut = try Self.lore(["import", "slack", truncated.path, "--incident", "INC-1", "--channel", "enrique"], dataDir: dir)
        #expect(cut.status == 2)
        #expect(cut.err.contains(truncated.lastPathComponent) && cut.err.contains("Nothing was imported"))

        // A channel with a broken day file after good ones: the good days are not kept either.
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("slack/testarchive"), to: broken)
        let days = try FileManager.default.contentsOfDirectory(atPath: broken.appendingPathComponent("enrique").path).sorted()
        try Data("[{\"type\": \"message\", \"ts\": ".utf8).write(to: broken.appendingPathComponent("enrique/\(days.last!)"))
        let bad = try Self.lore(["import", "slack", broken.path, "--incident", "INC-1", "--channel", "enrique"], dataDir: dir)
        #expect(bad.status == 2)
        #expect(bad.err.contains("enrique/\(days.last!)") && bad.err.contains("line 1"))

        let unknown = try Self.lore(["import", "slack", broken.path, "--incident", "INC-1", "--channel", "no-such-channel"], dataDir: dir)
        #expect(unknown.status == 2 && unknown.err.contains("traveling-sailor"))
        let noIncident = try Self.lore(["import", "slack", broken.path, "--incident", "INC-99", "--channel", "traveling-sailor"], dataDir: dir)
        #expect(noIncident.status == 2 && noIncident.err.contains("INC-99"))
        let badTime = try Self.lore(["import", "slack", broken.path, "--incident", "INC-1", "--channel", "enrique", "--from", "yesterday"], dataDir: dir)
        #expect(badTime.status == 2 && badTime.err.contains("--from"))
        #expect(try await Self.timeline(dir).isEmpty)
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func pagerDutyRESTExportsCreateIncidentsOnce() async throws {
        let dir = try await Self.dataDirectory()
        let rest = Self.fixtures.appendingPathComponent("pagerduty/rest")
        let files = try FileManager.default.contentsOfDirectory(atPath: rest.path).filter { $0.hasSuffix(".json") }.sorted().map { rest.appendingPathComponent($0).path }
        let first = try Self.lore(["import", "pagerduty"] + files, dataDir: dir)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("incidents created: INC-2"))
        let added = try #require(first.out.firstMatch(of: /entries added (\d+), already present 0/).map { Int($0.1)! })
        #expect(added >= 10)
        let again = try Self.lore(["import", "pagerduty"] + files.reversed(), dataDir: dir)
        #expect(again.status == 0)
        #expect(again.out.contains("incidents created: none") && again.out.contains("entries added 0, already present \(added)"))

        // A file that is not a PagerDuty response stops everything before any write.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("not-pagerduty-\(UUID().uuidString).json")
        try Data("{\"services\": []}".utf8).write(to: other)
        let wrong = try Self.lore(["import", "pagerduty", files[0], other.path], dataDir: dir)
        #expect(wrong.status == 2 && wrong.err.contains(other.lastPathComponent) && wrong.err.contains("Nothing was imported"))
    }

    @Test(.enabled(if: LoreCLI.isBuilt))
    func webhookSubscriptionsFromTheCommandLine() async throws {
        let dir = try await Self.dataDirectory()
        let added = try Self.lore(["webhooks", "pagerduty", "add", "production", "--public-url", "https://lore.example.com"], dataDir: dir)
        #expect(added.status == 0)
        #expect(added.out.contains("https://lore.example.com/hooks/pagerduty/production"))
        #expect(added.out.contains("No signing secret yet"))
        #expect(try Self.lore(["webhooks", "pagerduty", "add", "production"], dataDir: dir).status == 2)
        #expect(try Self.lore(["webhooks", "pagerduty", "add", "two words"], dataDir: dir).status == 2)
        let secret = try Self.lore(["webhooks", "pagerduty", "secret", "production"], dataDir: dir, stdin: "whsec-from-pagerduty\n")
        #expect(secret.status == 0)
        let list = try Self.lore(["webhooks", "pagerduty", "list"], dataDir: dir)
        #expect(list.out.contains("production\t/hooks/pagerduty/production\tsecret set"))
        #expect(!list.out.contains("whsec-from-pagerduty"), "the secret is not printed")
        #expect(try Self.lore(["webhooks", "pagerduty", "remove", "production"], dataDir: dir).status == 0)
        #expect(try Self.lore(["webhooks", "pagerduty", "remove", "production"], dataDir: dir).status == 1)
    }
}
