import Foundation
import LoreCore

extension SlackExport {
    /// `read(channel:options:progress:day:)` for callers that write each day
    /// somewhere asynchronous (a database): the export is read on a thread of
    /// its own, at most two days ahead of `day`, so memory stays bounded by a
    /// couple of day files whatever the export's size. An error from `day`
    /// stops the reading; an error from the export is thrown after the days
    /// before it were handed over (run it all in one transaction).
    public func readDays(
        channel: SlackChannel, options: SlackReadOptions = SlackReadOptions(),
        progress: @escaping @Sendable (SlackProgress) -> Void = { _ in },
        day: ([SlackTimelineMessage]) async throws -> Void
    ) async throws -> SlackImportSummary {
        try await readDays(channel: channel, options: options, progress: progress, making: { $0 }, day: day)
    }

    /// `readDays`, handing over each day as timeline entries of the incident,
    /// made on the reading thread: making them (ids, copies) then overlaps
    /// with writing the day before, instead of coming between two writes.
    public func readTimelineDays(
        channel: SlackChannel, options: SlackReadOptions = SlackReadOptions(), incidentID: UUID, now: Date,
        progress: @escaping @Sendable (SlackProgress) -> Void = { _ in },
        day: ([TimelineEntry]) async throws -> Void
    ) async throws -> SlackImportSummary {
        try await readDays(channel: channel, options: options, progress: progress, making: { messages in
            messages.map { $0.entry(incidentID: incidentID, now: now) }
        }, day: day)
    }

    private func readDays<Piece: Sendable>(
        channel: SlackChannel, options: SlackReadOptions, progress: @escaping @Sendable (SlackProgress) -> Void,
        making piece: @escaping @Sendable ([SlackTimelineMessage]) -> Piece,
        day: (Piece) async throws -> Void
    ) async throws -> SlackImportSummary {
        let (days, continuation) = AsyncThrowingStream<Piece, any Error>.makeStream()
        let handoff = DayHandoff(ahead: 2)
        let reader = UncheckedExport(export: self)
        let thread = Thread {
            do {
                let summary = try reader.export.read(channel: channel, options: options, progress: progress) { messages in
                    // Wait until the consumer is no more than `ahead` days behind.
                    guard handoff.waitForRoom() else { throw CancellationError() }
                    continuation.yield(piece(messages))
                }
                handoff.finish(summary)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            for try await messages in days {
                try await day(messages)
                handoff.consumed()
            }
        } catch {
            handoff.cancel()
            // Let the reader notice and stop before the export goes away;
            // the error to report is `day`'s, not the reader's cancellation.
            do {
                for try await _ in days {}
            } catch {}
            throw error
        }
        guard let summary = handoff.summary else { throw CancellationError() }
        return summary
    }
}

/// The export is read only by the reader thread while the caller waits, so
/// handing it across is safe even though its zip handle is not `Sendable`.
private struct UncheckedExport: @unchecked Sendable {
    let export: SlackExport
}

/// Back-pressure between the reading thread and the async consumer.
private final class DayHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private var cancelled = false
    private let ahead: Int
    private(set) var summary: SlackImportSummary?

    init(ahead: Int) { self.ahead = ahead }

    /// False when the consumer gave up.
    func waitForRoom() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while inFlight >= ahead && !cancelled { condition.wait() }
        inFlight += 1
        return !cancelled
    }

    func consumed() {
        condition.lock()
        inFlight -= 1
        condition.signal()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func finish(_ s: SlackImportSummary) {
        condition.lock()
        summary = s
        condition.unlock()
    }
}
