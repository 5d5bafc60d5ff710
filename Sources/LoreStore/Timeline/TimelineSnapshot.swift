import Foundation
import LoreCore

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
/// revision (kept only when exact: read while nothing changed).
final class TimelineSnapshots: Sendable {
    static let capacity = 64 << 20
    private let kept = BoundedCache<UUID, TimelineSnapshot>(capacity: capacity)

    func snapshot(incidentID: UUID, revision: Int64) -> TimelineSnapshot? {
        kept.value(incidentID).flatMap { $0.revision == revision ? $0 : nil }
    }

    func remember(_ snapshot: TimelineSnapshot) {
        guard snapshot.isExact else { return }
        kept.keep(snapshot, for: snapshot.incidentID, bytes: snapshot.bytes, revision: snapshot.revision)
    }
}
