import Foundation
import Logging
import LoreCore
import LoreStore

/// The databases a store test runs on: SQLite always, PostgreSQL when
/// `LORE_TEST_POSTGRES_URL` is set (CI always sets it).
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static var available: [Backend] {
        ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    public var description: String { rawValue }
}

/// Runs `body` against a fresh, migrated database of its own: a temporary
/// SQLite file, or a new PostgreSQL schema that is dropped afterwards. Tests
/// can therefore run in parallel and leave nothing behind.
public func withTestDatabase<T>(
    _ backend: Backend, logger: Logger = Logger(label: "lore.db"), _ body: (LoreDatabase, LoreStore) async throws -> T
) async throws -> T {
    switch backend {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try await LoreDatabase.open(.sqlite(path: dir.appendingPathComponent("lore.sqlite").path), logger: logger)
        return try await run(db, body)
    case .postgres:
        guard let url = ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_URL"] else {
            throw TestSetupError(message: "LORE_TEST_POSTGRES_URL is not set")
        }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = try await LoreDatabase.open(.postgres(url: url))
        do {
            try await admin.createSchema(String(schema))
        } catch {
            await admin.shutdown()
            throw error
        }
        if let marker = ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_MARKER"],
           let handle = FileHandle(forWritingAtPath: marker) {
            handle.seekToEndOfFile()
            handle.write(Data("\(schema)\n".utf8))
            try? handle.close()
        }
        do {
            let db = try await LoreDatabase.open(.postgres(url: url, schema: String(schema)), logger: logger)
            let result = try await run(db, body)
            try await admin.dropSchema(String(schema))
            await admin.shutdown()
            return result
        } catch {
            try? await admin.dropSchema(String(schema))
            await admin.shutdown()
            throw error
        }
    }
}

private func run<T>(_ db: LoreDatabase, _ body: (LoreDatabase, LoreStore) async throws -> T) async throws -> T {
    do {
        try await db.migrate()
        var store = db.store
        store.passwordCost = 4  // bcrypt's minimum: tests check behaviour, not cost
        let result = try await body(db, store)
        await db.shutdown()
        return result
    } catch {
        await db.shutdown()
        throw error
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A small catalog most tests need: two teams, two services, one admin.
public struct Fixture: Sendable {
    public var admin: User
    public var member: User
    public var payments: Team
    public var platform: Team
    public var checkout: Service
    public var ledger: Service

    public static func make(_ store: LoreStore) async throws -> Fixture {
        let payments = try await store.createTeam(TeamInput(name: "Payments"))
        let platform = try await store.createTeam(TeamInput(name: "Platform"))
        let checkout = try await store.createService(ServiceInput(name: "Checkout API", slug: "checkout-api", owningTeam: "payments", onCallTeam: "payments"))
        let ledger = try await store.createService(ServiceInput(name: "Ledger", owningTeam: "payments", onCallTeam: "platform"))
        let admin = try await store.createUser(UserInput(displayName: "Ada Admin", email: "ada@example.com", role: .admin, password: "correct horse battery"))
        let member = try await store.createUser(UserInput(displayName: "Mo Member", email: "mo@example.com", role: .member, password: "another long password"))
        return Fixture(admin: admin, member: member, payments: payments, platform: platform, checkout: checkout, ledger: ledger)
    }
}

/// `2026-03-01T14:02:00.000Z`-style literal times for readable tests.
public func t(_ iso: String) -> Date {
    guard let d = LoreTime.parseISO(iso) else { fatalError("bad test time \(iso)") }
    return d
}
