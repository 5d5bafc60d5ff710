import FluentKit
import SQLKit
import Foundation
import LoreCore
import NIOPosix

/// Lore's repositories. Every method returns LoreCore values; no Fluent type
/// leaves this module. Writes that touch more than one row run in one
/// transaction, so a failure leaves nothing half-written.
public struct LoreStore: Sendable {
    let db: any Database
    /// The SQLite file, for work that needs a connection of its own (large
    /// imports); nil on PostgreSQL and inside a transaction, where such a
    /// connection would wait for the transaction's own lock.
    let sqliteFile: SQLiteFile?
    /// How many documents hold each searched term, kept between searches.
    let termCounts: TermCounts
    /// The settings as last read (see `settings()`).
    let settingsCache: SettingsCache
    let peopleChanges: PeopleChanges
    /// The incident list's totals as last counted (see `incidents(_:)`).
    let incidentCounts: IncidentCounts
    /// The teams and services as last read (see `teams()`); nil inside a
    /// transaction, which reads its own writes.
    let catalogCache: CatalogCache?
    /// Timelines as last read, by revision (see `timelineSnapshot`); nil
    /// inside a transaction, whose revision may yet be rolled back.
    let timelineSnapshots: TimelineSnapshots?
    /// bcrypt cost for new password hashes. 12 in production; tests lower it.
    public var passwordCost: UInt8 = 12

    init(db: any Database, sqliteFile: SQLiteFile? = nil, termCounts: TermCounts = TermCounts(), settingsCache: SettingsCache = SettingsCache(), peopleChanges: PeopleChanges = PeopleChanges(), incidentCounts: IncidentCounts = IncidentCounts(), catalogCache: CatalogCache? = nil, timelineSnapshots: TimelineSnapshots? = nil) {
        self.db = db
        self.sqliteFile = sqliteFile
        self.termCounts = termCounts
        self.settingsCache = settingsCache
        self.peopleChanges = peopleChanges
        self.incidentCounts = incidentCounts
        self.catalogCache = catalogCache
        self.timelineSnapshots = timelineSnapshots
    }

    /// PostgreSQL rather than SQLite, where the SQL Lore writes differs.
    var isPostgres: Bool { (db as? any SQLDatabase)?.dialect.name == "postgresql" }

    /// Goes up each time this process creates or renames an account.
    public var peopleChangeCount: Int { peopleChanges.value }

    /// Runs `body` in a transaction.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (LoreStore) async throws -> T) async throws -> T {
        let cost = passwordCost, termCounts = termCounts, settingsCache = settingsCache, peopleChanges = peopleChanges, incidentCounts = incidentCounts
        let catalogCache = catalogCache
        // Every write runs in a transaction; once it has committed (or not),
        // totals counted and the catalog read before it may be wrong, so this
        // process reads them anew.
        defer {
            incidentCounts.forget()
            catalogCache?.forget()
        }
        do {
            return try await db.transaction { tx in
                var inner = LoreStore(db: tx, termCounts: termCounts, settingsCache: settingsCache, peopleChanges: peopleChanges, incidentCounts: incidentCounts)
                inner.passwordCost = cost
                return try await body(inner)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two writers raced for the same unique value (checked just before,
            // but not yet committed): the loser is told, nothing is written.
            throw StoreError.conflict(field: "", message: "That conflicts with a change made at the same moment; reload and try again.")
        }
    }

    /// bcrypt (a quarter of a second of a core at cost 12) runs on a thread
    /// of its own, not on the shared pool that SQLite's connection also
    /// uses: a burst of sign-ins then queues behind itself instead of
    /// stalling every database request.
    static let passwordHashing: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    static func hashingPassword<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await passwordHashing.runIfActive { work() }
    }
}

extension LoreStore {
    /// When an incident (`i`) happened, as Insights, search, related
    /// incidents, service pages and digests all count it: impact started,
    /// else detected, else recorded.
    static let incidentHappened: SQLQueryString = "COALESCE(i.impact_started_at, i.detected_at, i.created_at)"
}

extension Date {
    /// Millisecond precision, as Lore stores every time.
    var ms: Date { LoreTime.milliseconds(self) }
}

extension Optional where Wrapped == Date {
    var ms: Date? { map(LoreTime.milliseconds) }
}

extension LoreStore {
    /// `ids` in runs short enough for one `IN (…)`: under SQLite's 32,766
    /// and PostgreSQL's 65,535 bound parameters.
    static func parameterBatches<ID>(_ ids: [ID]) -> [[ID]] {
        stride(from: 0, to: ids.count, by: 5_000).map { Array(ids[$0 ..< min($0 + 5_000, ids.count)]) }
    }
}
