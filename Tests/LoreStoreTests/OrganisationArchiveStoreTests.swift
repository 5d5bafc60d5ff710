import Foundation
import LoreCore
@testable import LoreStore
import LoreTestSupport
import Testing

/// Moving an organisation between databases (`lore move`, `lore export
/// organisation` / `lore import organisation`) and backing it up and
/// restoring it (`lore backup` / `lore restore`): what a team relies on to
/// keep years of history.
@Suite struct OrganisationArchiveStoreTests {
    /// The demo, plus what the demo lacks: a closed ballot with its frozen
    /// tally and a follow-through reading, a kept phrase, an API token, an
    /// outgoing webhook, a PagerDuty subscription, a pending job, changed
    /// settings and a planted phrase to search for afterwards.
    static func fill(_ store: LoreStore) async throws -> (reviewID: UUID, tokenSecret: String) {
        _ = try await store.loadDemo(DemoData.generate(now: t("2026-11-01T09:00:00Z")))
        let users = try await store.users()
        let admin = try await store.viewer(for: try #require(users.first { $0.role == .admin }))
        let incident = try await store.createIncident(IncidentInput(
            title: "Ledger writes stalled: quokka-lattice", severity: "SEV2", status: .resolved, services: [], teams: [],
            detectionSource: "monitoring alert", impactStartedAt: .some(t("2026-11-20T10:00:00.123456Z")),
            detectedAt: .some(t("2026-11-20T10:04:00Z")), resolvedAt: .some(t("2026-11-20T11:00:00Z")), labels: ["ledger", "writes"]
        ), now: t("2026-11-20T10:05:00Z"))
        try await store.addTimelineEntry(TimelineEntry(
            incidentID: incident.id, occurredAt: t("2026-11-20T10:06:00.5Z"), recordedAt: t("2026-11-20T10:07:00Z"),
            author: "Ops", source: .manual, kind: .note, text: "Queue depth \"climbing\"\nsecond line\ttab — ünïcode ✓"))
        let review = try await store.createReview(incidentID: incident.id, ReviewInput(
            title: "Ledger review", level: .team, visibility: .organisation, teams: [], status: .held,
            participantIDs: users.prefix(3).map(\.id), sections: [.summary: "The operator made a human error."]
        ), by: admin, now: t("2026-11-21T09:00:00Z"))
        let followUp = try await store.createFollowUp(incidentID: incident.id, reviewID: review.id, FollowUpInput(title: "Alert on write stalls", ownerTeam: try #require(try await store.teams().first).slug), by: admin, now: t("2026-11-21T09:10:00Z"))
        try await store.openBallot(reviewID: review.id, by: admin, now: t("2026-11-21T09:20:00Z"))
        try await store.vote(reviewID: review.id, picks: [followUp.id], by: admin, now: t("2026-11-21T09:30:00Z"))
        let ballot = try await store.closeBallot(reviewID: review.id, by: admin, now: t("2026-11-21T09:40:00Z"))
        _ = try await store.takeFollowThroughReading(ballotID: ballot.id, day: 14, now: t("2026-12-01T09:00:00Z"))
        try await store.keepAsWritten(reviewID: review.id, section: "summary", ruleID: "error-label", matchedText: "human error", note: "quoting the ticket", by: admin)
        _ = try await store.addFinding(reviewID: review.id, kind: .contributingFactor, text: "The write queue had no alert on its depth.", by: admin)
        let (secret, _) = try await store.createAPIToken(userID: admin.userID, name: "ci")
        _ = try await store.createWebhookEndpoint(WebhookEndpointInput(name: "ops", url: "https://hooks.example.com/lore", format: .slack, secret: "a-signing-secret-of-some-length"))
        _ = try await store.addPagerDutySubscription(name: "main", secret: "pd-secret-of-some-length-123")
        _ = try await store.enqueueJob(kind: "reminder", dedupeKey: "archive-test", payload: "{\"x\":1}", dueAt: t("2026-12-10T00:00:00Z"))
        var settings = try await store.settings()
        settings.practiceName = "Learning review"
        _ = try await store.saveSettings(settings)
        return (review.id, secret)
    }

    static func archivePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lore-archive-\(UUID().uuidString).jsonl").path
    }

    /// SQLite → PostgreSQL → SQLite (or SQLite → SQLite without PostgreSQL):
    /// every table's count and content digest survive each step, and the
    /// moved organisation works: it signs in with the old token, finds the
    /// planted phrase, shows the frozen tally.
    @Test func theDemoMovesToTheOtherDatabaseAndBack() async throws {
        let other: Backend = Backend.available.contains(.postgres) ? .postgres : .sqlite
        let first = Self.archivePath(), second = Self.archivePath()
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        let (exported, reviewID, secret) = try await withTestDatabase(.sqlite) { _, store in
            let (reviewID, secret) = try await Self.fill(store)
            return (try await store.exportOrganisation(to: first), reviewID, secret)
        }
        #expect(exported.rows > 5000)
        for table in ["findings", "ballots", "ballot_results", "follow_through_readings", "language_marks", "api_tokens", "webhook_endpoints", "pagerduty_subscriptions", "jobs", "organisation_settings", "follow_up_changes", "audit_events"] {
            #expect((exported.tables.first { $0.table == table }?.rows ?? 0) > 0, "\(table) was not carried")
        }
        #expect(!exported.tables.contains { $0.table.hasPrefix("search_") }, "the search index is rebuilt, not carried")

        let moved = try await withTestDatabase(other) { _, store in
            let imported = try await store.importOrganisation(from: first)
            #expect(imported.tables == exported.tables)
            // The search index is written in the order things happened, not
            // table by table: incidents' documents and timeline entries'
            // interleave (search reads document ids as time).
            let sql = try store.sqlDatabase()
            let newestIncident = try #require(try await sql.raw("SELECT max(id) AS n FROM search_documents WHERE kind = 'incident'").first()?.decode(column: "n", as: Int.self))
            let oldestEntry = try #require(try await sql.raw("SELECT min(id) AS n FROM search_documents WHERE kind = 'timeline'").first()?.decode(column: "n", as: Int.self))
            #expect(oldestEntry < newestIncident)
            // Exported before it is used: signing in with the token notes its use.
            let again = try await store.exportOrganisation(to: second)
            // What the moved organisation does, not only what it holds.
            let tokenUser = try #require(try await store.user(apiToken: secret))
            #expect(tokenUser.role == .admin)
            let ada = try await store.viewer(for: tokenUser)
            let found = try await store.search(SearchRequest(query: try SearchQuery.parse("quokka")), viewer: ada)
            #expect(found.hits.contains { $0.incidentTitle.contains("quokka-lattice") })
            let ballot = try #require(try await store.ballot(reviewID: reviewID, viewer: ada))
            #expect(ballot.closedAt != nil && ballot.tally != nil && ballot.readings.count == 1)
            #expect(try await store.settings().practiceName == "Learning review")
            let planted = try #require(found.hits.first { $0.incidentTitle.contains("quokka-lattice") })
            let texts = try await store.timeline(incidentID: planted.incidentID).map(\.text)
            #expect(texts.contains("Queue depth \"climbing\"\nsecond line\ttab — ünïcode ✓"))
            return again
        }
        #expect(moved.tables == exported.tables, "exporting the moved organisation gives the same tables, counts and digests")

        try await withTestDatabase(.sqlite) { _, store in
            let back = try await store.importOrganisation(from: second)
            #expect(back.tables == exported.tables)
            #expect(try await store.incidentCount() == exported.tables.first { $0.table == "incidents" }?.rows)
        }
    }

    /// An archive that breaks off, holds a value of the wrong kind, or was
    /// altered after export leaves the target exactly as empty as it was.
    @Test(arguments: Backend.available) func aBrokenArchiveWritesNothing(_ backend: Backend) async throws {
        let path = Self.archivePath(), broken = Self.archivePath()
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: broken) }
        try await withTestDatabase(.sqlite) { _, store in _ = try await Self.fill(store); _ = try await store.exportOrganisation(to: path) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let entriesStart = try #require(lines.firstIndex { $0.hasPrefix("{\"table\":\"timeline_entries\"") })
        let firstEntry = entriesStart + 1

        // One entry's text changed by a character after the export: every
        // line still reads, only the digest can tell.
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[entriesStart].utf8)) as? [String: Any])
        let textColumn = try #require((header["columns"] as? [[String: String]])?.firstIndex { $0["name"] == "text" })
        func edited(_ change: (inout [Any]) -> Void) throws -> [String] {
            var copy = lines
            var cells = try #require(try JSONSerialization.jsonObject(with: Data(copy[firstEntry].utf8)) as? [Any])
            change(&cells)
            copy[firstEntry] = String(decoding: try JSONSerialization.data(withJSONObject: cells), as: UTF8.self)
            return copy
        }
        let altered = try edited { $0[textColumn] = "\($0[textColumn])!" }
        let wrongKind = try edited { $0[0] = "not a uuid" }

        let cases: [(name: String, lines: [String], says: String)] = [
            ("cut off", Array(lines[..<(firstEntry + 100)]), "ends inside timeline_entries"),
            ("wrong kind", wrongKind, "line \(firstEntry + 1): timeline_entries.id"),
            ("altered", altered, "the rows of timeline_entries do not match its digest"),
            ("not JSON", Array(lines[..<firstEntry]) + ["[\"oops\""] + Array(lines[(firstEntry + 1)...]), "line \(firstEntry + 1): not JSON"),
        ]
        for c in cases {
            try c.lines.joined(separator: "\n").write(toFile: broken, atomically: true, encoding: .utf8)
            try await withTestDatabase(backend) { _, store in
                do {
                    _ = try await store.importOrganisation(from: broken)
                    Issue.record("\(c.name): the import succeeded")
                } catch let e as OrganisationArchive.Failure {
                    #expect(e.description.contains(c.says), "\(c.name): \(e)")
                }
                #expect(try await store.incidentCount() == 0, "\(c.name)")
                #expect(try await store.users().isEmpty, "\(c.name)")
            }
        }
    }

    @Test(arguments: Backend.available) func aTargetThatHoldsDataIsReplacedOnlyWhenAsked(_ backend: Backend) async throws {
        let path = Self.archivePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withTestDatabase(.sqlite) { _, store in _ = try await Self.fill(store); _ = try await store.exportOrganisation(to: path) }
        try await withTestDatabase(backend) { _, store in
            _ = try await store.createIncident(IncidentInput(title: "Already here", severity: "SEV3", status: .open, services: [], teams: [], detectionSource: "customer support"))
            await #expect(throws: OrganisationArchive.Failure.self) { try await store.importOrganisation(from: path) }
            #expect(try await store.incidentCount() == 1)
            let summary = try await store.importOrganisation(from: path, replacing: true)
            #expect(try await store.incidentCount() == summary.tables.first { $0.table == "incidents" }?.rows)
            #expect(try await store.incidentCount() > 300)
        }
    }

    @Test func anArchiveFromANewerLoreIsRefused() async throws {
        let path = Self.archivePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withTestDatabase(.sqlite) { _, store in _ = try await store.exportOrganisation(to: path) }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"migrations\":[", with: "\"migrations\":[\"099_from_the_future\",")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await withTestDatabase(.sqlite) { _, store in
            do {
                _ = try await store.importOrganisation(from: path)
                Issue.record("a newer archive was read")
            } catch let e as OrganisationArchive.Failure {
                #expect(e.description.contains("newer Lore") && e.description.contains("099_from_the_future"))
            }
        }
    }

    /// The archive's kinds come from each database's own column types; a
    /// column whose kinds disagree (a REAL that is not a time, say) would
    /// be moved wrongly, so they are compared here for every column.
    @Test func bothDatabasesDescribeEveryColumnAlike() async throws {
        guard Backend.available.contains(.postgres) else { return }
        let sqlite = try await withTestDatabase(.sqlite) { _, store in try await store.archiveTables() }
        let postgres = try await withTestDatabase(.postgres) { _, store in try await store.archiveTables() }
        #expect(sqlite.map(\.name) == postgres.map(\.name), "same tables in the same order")
        for (a, b) in zip(sqlite, postgres) {
            #expect(a.columns.map(\.name) == b.columns.map(\.name), "\(a.name)")
            for (x, y) in zip(a.columns, b.columns) where !(x.kind == .integer && y.kind == .boolean) {
                #expect(x.kind == y.kind, "\(a.name).\(x.name): SQLite \(x.kind), PostgreSQL \(y.kind)")
            }
        }
    }

    // MARK: Backups

    actor Written {
        var count = 0
        func add() { count += 1 }
    }

    /// A SQLite database of the test's own, shut down however `body` ends.
    static func opened<T>(_ path: String, migrate: Bool = true, _ body: (LoreDatabase) async throws -> T) async throws -> T {
        let db = try await LoreDatabase.open(.sqlite(path: path))
        do {
            if migrate { try await db.migrate() }
            let result = try await body(db)
            await db.shutdown()
            return result
        } catch {
            await db.shutdown()
            throw error
        }
    }

    /// A backup taken while another connection keeps writing holds exactly
    /// the rows it reports, passes SQLite's integrity check and restores
    /// into a working database.
    @Test func aSQLiteBackupWhileWritingRestoresWhole() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/live/lore.sqlite", backup = dir + "/backup.sqlite", restored = dir + "/restored/lore.sqlite"
        let (report, demo, written) = try await Self.opened(source) { db in
            let store = db.store
            let demo = try await store.loadDemo(DemoData.generate(now: t("2026-11-01T09:00:00Z")))
            let written = Written()
            let writer = Task {
                while !Task.isCancelled {
                    _ = try await store.createIncident(IncidentInput(title: "Zebrafish written during the backup", severity: "SEV3", status: .open, services: [], teams: [], detectionSource: "customer support"))
                    await written.add()
                }
            }
            while await written.count < 10 { try await Task.sleep(for: .milliseconds(5)) }
            let report = try await LoreBackup.backupSQLite(from: source, to: backup, replacing: false)
            let after = await written.count
            while await written.count < after + 10 { try await Task.sleep(for: .milliseconds(5)) }
            writer.cancel()
            _ = await writer.result
            return (report, demo, await written.count)
        }
        // A snapshot: some incidents were written before it, more after.
        let inBackup = try #require(report.rows["incidents"]) - demo
        #expect(inBackup >= 10 && inBackup < written)
        #expect(report.verification.contains("integrity check ok"))
        #expect(report.bytes > 0)
        // One self-contained file: the header's read and write versions
        // (bytes 18 and 19) say "rollback journal" (1), not WAL (2).
        let header = try #require(FileHandle(forReadingAtPath: backup)?.readData(ofLength: 20))
        #expect(header.count == 20 && header[18] == 1 && header[19] == 1, "the backup is not in WAL mode")
        let permissions = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "the backup holds secrets: its owner only")
        await #expect(throws: StoreError.self) { try await LoreBackup.backupSQLite(from: source, to: backup, replacing: false) }

        let back = try await LoreBackup.restoreSQLite(from: backup, to: restored, replacing: false)
        #expect(back.rows == report.rows)
        try await Self.opened(restored) { reopened in
            #expect(try await reopened.store.incidentCount() == report.rows["incidents"])
            let found = try await reopened.store.searchForOperator(SearchRequest(query: try SearchQuery.parse("zebrafish")))
            #expect(found.hits.count == min(SearchRequest.pageSize, inBackup))
        }

        // Over a database that holds data: only when asked.
        await #expect(throws: StoreError.self) { try await LoreBackup.restoreSQLite(from: backup, to: restored, replacing: false) }
        _ = try await LoreBackup.restoreSQLite(from: backup, to: restored, replacing: true)
    }

    /// A backup whose schema this Lore does not know is refused; one whose
    /// schema is older is restored and migrated.
    @Test func restoringChecksTheSchemaVersion() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/live/lore.sqlite"
        let last = try #require(LoreMigrations.all.last).name
        try await Self.opened(source) { db in
            _ = try await db.store.createIncident(IncidentInput(title: "Kept", severity: "SEV3", status: .open, services: [], teams: [], detectionSource: "customer support"))
            // Older: as if the newest migration had not run yet.
            try await LoreMigrations.all.last!.revert(on: db.database).get()
            try await db.sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: last)").run()
            _ = try await LoreBackup.backupSQLite(from: source, to: dir + "/older.sqlite", replacing: false)
            try await db.sql.raw("INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) VALUES (\(bind: UUID()), '099_from_the_future', 99, 0, 0)").run()
            _ = try await LoreBackup.backupSQLite(from: source, to: dir + "/newer.sqlite", replacing: false)
        }

        do {
            _ = try await LoreBackup.restoreSQLite(from: dir + "/newer.sqlite", to: dir + "/a/lore.sqlite", replacing: false)
            Issue.record("a backup from a newer Lore was restored")
        } catch let e as StoreError {
            #expect(e.description.contains("newer Lore") && e.description.contains("099_from_the_future"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/a/lore.sqlite"))

        _ = try await LoreBackup.restoreSQLite(from: dir + "/older.sqlite", to: dir + "/b/lore.sqlite", replacing: false)
        try await Self.opened(dir + "/b/lore.sqlite", migrate: false) { restored in
            #expect(try await restored.pendingMigrations() == [last])
            try await restored.migrate()
            #expect(try await restored.pendingMigrations().isEmpty)
            #expect(try await restored.store.incidentCount() == 1)
        }
    }

    /// pg_dump from the snapshot Lore counts in, then pg_restore into a new
    /// database in one transaction.
    @Test func aPostgreSQLBackupRestoresIntoAnotherDatabase() async throws {
        guard Backend.available.contains(.postgres), let url = ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"] else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lore-\(UUID().uuidString).dump").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (report, schema) = try await withTestDatabase(.postgres) { db, store in
            _ = try await Self.fill(store)
            guard case .postgres(_, let schema?) = db.location else { throw StoreError.configuration("no schema") }
            return (try await LoreBackup.backupPostgres(db, to: file, replacing: false), schema)
        }
        let incidents = try #require(report.rows["incidents"])
        #expect(incidents > 300)
        #expect(LoreBackup.kind(ofFileAt: file) == .postgresDump)

        let name = "lore_restore_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let admin = try await LoreDatabase.open(.postgres(url: url))
        try await admin.createDatabase(String(name))
        var target = try #require(URLComponents(string: url))
        target.path = "/" + name
        do {
            // The dump is of the test's schema; restored into the same schema of another database.
            let empty = try await LoreDatabase.open(.postgres(url: target.string!))
            try await empty.createSchema(schema)
            await empty.shutdown()
            let restored = try await LoreDatabase.open(.postgres(url: target.string!, schema: schema))
            do {
                let migrations = try await LoreBackup.restorePostgres(from: file, into: restored, replacing: false)
                #expect(migrations == report.migrations)
                #expect(try await restored.store.incidentCount() == incidents)
                // Restoring again over data is refused unless asked; asked, it replaces.
                await #expect(throws: StoreError.self) { try await LoreBackup.restorePostgres(from: file, into: restored, replacing: false) }
                _ = try await restored.store.createIncident(IncidentInput(title: "Written after the backup", severity: "SEV3", status: .open, services: [], teams: [], detectionSource: "other"))
                _ = try await LoreBackup.restorePostgres(from: file, into: restored, replacing: true)
                #expect(try await restored.store.incidentCount() == incidents)
                await restored.shutdown()
            } catch {
                await restored.shutdown()
                throw error
            }
        } catch {
            try? await admin.dropDatabase(String(name))
            await admin.shutdown()
            throw error
        }
        try await admin.dropDatabase(String(name))
        await admin.shutdown()
    }
}
