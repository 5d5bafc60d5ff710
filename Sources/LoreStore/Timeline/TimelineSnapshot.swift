import Foundation
import LoreCore
import NIOConcurrencyHelpers

/// An incident's timeline as it stood at one revision (see
/// `CreateTimelineRevisions`): what the incident page shows, and what a
/// page may build from it and keep while the revision stands.
public struct TimelineSnapshot: Sendable {
    public let incidentID: UUID
    /// Goes up with every change to the incident's entries, by any writer.
    public let revision: Int64
    /// In time order; entries at the same moment in the order they were written.
    public let entries: [TimelineEntry]
    /// Most recently removed first.
    public let removed: [TimelineEntry]
    /// False when a write landed while the entries were read: they may be
    /// newer than `revision`, so nothing should be kept under it.
    public let isExact: Bool

    /// Roughly what the snapshot holds in memory.
    var bytes: Int {
        [entries, removed].joined().reduce(0) { sum, e in
            sum + 320 + e.author.utf8.count + e.text.utf8.count + (e.reflection?.utf8.count ?? 0) + (e.sourceURL?.utf8.count ?? 0)
                + (e.externalID?.utf8.count ?? 0) + (e.removal?.byName.utf8.count ?? 0)
        }
    }
}

/// The timelines this process read last, by incident, each under its
/// revision. Bounded by the text it holds: past `capacity` it starts
/// over, and a timeline larger than a quarter of it (an imported channel of
/// a million messages) is never kept.
final class TimelineSnapshots: Sendable {
    static let capacity = 64 << 20
    private let state = NIOLockedValueBox<(kept: [UUID: (snapshot: TimelineSnapshot, bytes: Int)], bytes: Int)>(([:], 0))

    func snapshot(incidentID: UUID, revision: Int64) -> TimelineSnapshot? {
        state.withLockedValue { s in s.kept[incidentID].flatMap { $0.snapshot.revision == revision ? $0.snapshot : nil } }
    }

    func remember(_ snapshot: TimelineSnapshot) {
        let bytes = snapshot.bytes
        guard snapshot.isExact, bytes <= Self.capacity / 4 else { return }
        state.withLockedValue { s in
            if let old = s.kept[snapshot.incidentID] {
                // A slower reader does not put back what a faster one replaced.
                if old.snapshot.revision > snapshot.revision { return }
                s.bytes -= old.bytes
            }
            if s.bytes + bytes > Self.capacity { s = ([:], 0) }
            s.kept[snapshot.incidentID] = (snapshot, bytes)
            s.bytes += bytes
        }
    }
}
