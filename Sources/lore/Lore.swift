import ArgumentParser
import Foundation
import Logging
import LoreCore
import LoreServer
import LoreStore

/// `lore`: run the web application, and administer, report and import from
/// the command line.
@main
struct Lore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lore",
        abstract: "Lore: post-incident learning reviews, self-hosted.",
        discussion: """
            Exit codes: 0 success, 1 a finding or failure the command reports, 2 usage or input errors.
            Every command that touches data takes --data-dir and --database-url (or LORE_DATA_DIR and LORE_DATABASE_URL).
            """,
        subcommands: [Serve.self, Migrate.self, Users.self, Tokens.self, Incidents.self, Reviews.self, Ballot.self, Report.self, CatalogCommand.self, Lint.self, Import.self, Timeline.self, ExportCommand.self, Webhooks.self, Demo.self, Search.self, Digest.self, BackupCommand.self, RestoreCommand.self, MoveCommand.self]
    )

    /// ArgumentParser's usage errors exit 64; Lore promises 2, like most Unix tools.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as CLIFailure {
            FileHandle.standardError.write(Data("lore: \(error.message)\n".utf8))
            Foundation.exit(error.code)
        } catch let error as LoreCore.ValidationError {
            FileHandle.standardError.write(Data("lore: \(error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "\n  "))\n".utf8))
            Foundation.exit(2)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("lore: \(error)\n".utf8))
            if case .notFound = error { Foundation.exit(1) }
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            if code == .validationFailure { Foundation.exit(2) }
            Foundation.exit(code == .failure ? 1 : code.rawValue == 2 ? 2 : 1)
        }
    }
}

/// A failure the command reports, with its exit code.
struct CLIFailure: Error {
    var message: String
    var code: Int32 = 1
}

/// Where the data is: shared by every command that touches it.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory for the SQLite database (env LORE_DATA_DIR).", valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("postgres://user:pass@host:port/db to use PostgreSQL instead of SQLite (env LORE_DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    var location: DatabaseLocation {
        get throws {
            let env = ProcessInfo.processInfo.environment
            let dir = dataDir ?? env["LORE_DATA_DIR"] ?? "./data"
            do {
                return try DatabaseLocation.resolve(databaseURL: databaseURL ?? env["LORE_DATABASE_URL"], dataDirectory: dir)
            } catch let e as StoreError {
                throw CLIFailure(message: e.description, code: 2)
            }
        }
    }

    /// Opens and migrates the database, runs `body`, and closes it.
    func withStore<T>(migrate: Bool = true, _ body: (LoreStore, LoreDatabase) async throws -> T) async throws -> T {
        try await Self.withStore(at: try location, migrate: migrate, body)
    }

    /// The same, for a database named some other way (`lore move --to`).
    static func withStore<T>(at location: DatabaseLocation, migrate: Bool = true, _ body: (LoreStore, LoreDatabase) async throws -> T) async throws -> T {
        LoggingSetup.once()
        let db: LoreDatabase
        do {
            db = try await LoreDatabase.open(location, logger: Logger(label: "lore.db"))
        } catch let e as StoreError {
            throw CLIFailure(message: e.description, code: 1)
        }
        do {
            if migrate { try await db.migrate() }
            let result = try await body(db.store, db)
            await db.shutdown()
            return result
        } catch {
            await db.shutdown()
            throw Self.explain(error)
        }
    }

    /// Database driver errors carry their detail in `String(reflecting:)`.
    static func explain(_ error: any Error) -> any Error {
        switch error {
        case is CLIFailure, is LoreCore.ValidationError, is StoreError: return error
        default: return CLIFailure(message: "database error: \(String(reflecting: error))", code: 1)
        }
    }
}

enum LoggingSetup {
    nonisolated(unsafe) private static var done = false
    static func once() {
        guard !done else { return }
        done = true
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LORE_LOG_LEVEL"] ?? "info") ?? .info
        let json = ProcessInfo.processInfo.environment["LORE_LOG_FORMAT"]?.lowercased() == "json"
        LoggingSystem.bootstrap { label in
            if json {
                var h = JSONLogHandler(label: label)
                h.logLevel = level
                return h
            }
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}

/// Prints a line straight to standard output, unbuffered, so that what a
/// long-running `lore serve` says (the first sign-in link) reaches a log file
/// at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// JSON for `--json` output.
func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data()
    print(String(decoding: data, as: UTF8.self))
}
