import FluentKit
@preconcurrency import FluentPostgresDriver
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOCore

/// How this server's database connection pools stand at one moment: the
/// connections checked out, those open and idle, the requests queued for a
/// connection, and the most the pools may open.
///
/// Requests queued here are what an operator looks for when pages slow down
/// with the database itself idle: the pool, not the queries, is the limit.
public struct ConnectionPoolState: Sendable, Equatable {
    public var inUse = 0
    public var idle = 0
    public var waiting = 0
    public var size = 0
}

/// Keeps the driver Fluent makes from a configuration, so that its pools can
/// be read later. The configuration is otherwise the driver's own: nothing
/// about how connections are made or used changes.
struct ObservedPoolConfiguration: DatabaseConfiguration {
    var inner: any DatabaseConfiguration
    let driver: NIOLockedValueBox<(any DatabaseDriver)?>

    init(_ factory: DatabaseConfigurationFactory, driver: NIOLockedValueBox<(any DatabaseDriver)?>) {
        self.inner = factory.make()
        self.driver = driver
    }

    var middleware: [any AnyModelMiddleware] {
        get { inner.middleware }
        set { inner.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        let made = inner.makeDriver(for: databases)
        driver.withLockedValue { $0 = made }
        return made
    }
}

enum ConnectionPoolReader {
    /// Reads the pool of `driver` (Fluent's PostgreSQL or SQLite driver) on
    /// `loop`: Lore's database is made on one event loop, and every statement
    /// and transaction takes its connection from that loop's pool.
    ///
    /// AsyncKit keeps the pool's counts private and exposes no metrics, so
    /// they are read by reflection of its stored properties
    /// (`activeConnections`, `available`, `waiters`), on the pool's own event
    /// loop where they are kept. A test fails if an update of AsyncKit
    /// renames them; this then returns nil (the metric is left out, never
    /// made up).
    static func state(of driver: any DatabaseDriver, on loop: any EventLoop) async -> ConnectionPoolState? {
        guard let group = Mirror(reflecting: driver).descendant("pool") else { return nil }
        if let pools = group as? EventLoopGroupConnectionPool<PostgresConnectionSource> {
            return await state(of: pools, on: loop)
        }
        if let pools = group as? EventLoopGroupConnectionPool<SQLiteConnectionSource> {
            return await state(of: pools, on: loop)
        }
        return nil
    }

    private static func state<Source>(of pools: EventLoopGroupConnectionPool<Source>, on loop: any EventLoop) async -> ConnectionPoolState? {
        nonisolated(unsafe) let pool = pools.pool(for: loop)
        let size = pools.maxConnectionsPerEventLoop
        return try? await loop.submit {
            let fields = Mirror(reflecting: pool)
            guard let open = fields.descendant("activeConnections") as? Int,
                  let available = fields.descendant("available").flatMap(count),
                  let waiting = fields.descendant("waiters").flatMap(count)
            else { return nil }
            return ConnectionPoolState(inUse: max(0, open - available), idle: available, waiting: waiting, size: size)
        }.get()
    }

    /// The number of elements of a collection or dictionary (the waiters
    /// are an `OrderedDictionary`, a sequence that reflects as a dictionary).
    private static func count(_ value: Any) -> Int? {
        if let collection = value as? any Collection { return collection.count }
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .dictionary ? mirror.children.count : nil
    }
}
