import Foundation
import NIOConcurrencyHelpers

/// How many documents hold each searched term (BM25's weights), kept for
/// ten minutes: each count is one more read of the index per term
/// (`LoreStore.documentsMatching`), and a weight that is ten minutes old
/// ranks the same, as a term's share of a large history barely moves.
final class TermCounts: Sendable {
    static let freshFor: TimeInterval = 600
    /// Past this many terms the oldest knowledge is dropped at once.
    static let capacity = 20_000

    private let entries = NIOLockedValueBox<[String: (count: Int, at: Date)]>([:])

    /// The fresh counts among `keys`.
    func fresh(_ keys: [String], now: Date = Date()) -> [String: Int] {
        entries.withLockedValue { entries in
            var out: [String: Int] = [:]
            for k in keys { if let e = entries[k], now.timeIntervalSince(e.at) < Self.freshFor { out[k] = e.count } }
            return out
        }
    }

    func remember(_ counts: [String: Int], now: Date = Date()) {
        entries.withLockedValue { entries in
            if entries.count + counts.count > Self.capacity { entries.removeAll(keepingCapacity: true) }
            for (k, v) in counts { entries[k] = (v, now) }
        }
    }
}
