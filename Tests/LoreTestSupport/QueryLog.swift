import Foundation
import Logging
import LoreStore

/// The statements a database ran, read from its log as a person would read
/// them with `LORE_LOG_LEVEL=debug`: for the query-budget tests, which check
/// that a page asks the same number of questions whatever the data's size.
public final class QueryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    public init() {}

    /// A logger that records every statement into this log.
    public var logger: Logger {
        Logger(label: "lore.db.counted") { _ in QueryLogHandler(log: self) }
    }

    /// Every statement recorded while `body` ran.
    public func recording(_ body: () async throws -> Void) async rethrows -> [String] {
        let before = lock.withLock { statements.count }
        try await body()
        return lock.withLock { Array(statements[before...]) }
    }

    fileprivate func record(_ sql: String) { lock.withLock { statements.append(sql) } }
}

private struct QueryLogHandler: LogHandler {
    let log: QueryLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        guard level == LoreDatabase.queryLogLevel, message == LoreDatabase.queryLogMessage else { return }
        if case .string(let sql)? = metadata?["sql"] { log.record(sql) } else { log.record(message.description) }
    }
}
