import Foundation

/// One of the longest incidents of a period, by name, so the page can link
/// to it and its review.
public struct LongTailEntry: Equatable, Sendable, Identifiable {
    public var id: UUID
    /// `INC-42`.
    public var key: String
    public var title: String
    public var duration: TimeInterval
    /// When it happened (`InsightsIncident.occurredAt`).
    public var occurredAt: Date

    public init(id: UUID, key: String, title: String, duration: TimeInterval, occurredAt: Date) {
        self.id = id
        self.key = key
        self.title = title
        self.duration = duration
        self.occurredAt = occurredAt
    }
}

/// The longest incidents of a period, kept by name.
///
/// Why: the largest incidents are where most of the learning is, and an
/// average folds them away. They are listed on their own — never averaged,
/// never dropped as outliers — with `note` beside them. Only the longest
/// `capacity` are kept as incidents stream past, so memory stays bounded
/// whatever the number of incidents. Ties go to the earlier incident, then
/// by id, so the list does not depend on the order rows arrive in.
public struct LongTail: Equatable, Sendable {
    public let capacity: Int
    /// Longest first.
    public private(set) var entries: [LongTailEntry] = []

    public init(capacity: Int) {
        self.capacity = Swift.max(0, capacity)
    }

    /// Said once beside the list: a calm stretch is no forecast.
    public static let note = "A quiet quarter says nothing about whether the next incident will be a large one."

    public mutating func add(_ entry: LongTailEntry) {
        guard capacity > 0 else { return }
        if entries.count == capacity, let last = entries.last, !Self.ranksBefore(entry, last) { return }
        var i = entries.count
        while i > 0 && Self.ranksBefore(entry, entries[i - 1]) { i -= 1 }
        entries.insert(entry, at: i)
        if entries.count > capacity { entries.removeLast() }
    }

    /// Whether an incident of this duration and time would be kept, so that
    /// a caller streaming many incidents builds an entry only for those.
    public func wouldKeep(duration: TimeInterval, occurredAt: Date) -> Bool {
        guard capacity > 0 else { return false }
        guard entries.count == capacity, let last = entries.last else { return true }
        return duration > last.duration || (duration == last.duration && occurredAt <= last.occurredAt)
    }

    /// The `count` longest of `entries`, longest first.
    public static func longest(_ entries: some Sequence<LongTailEntry>, count: Int) -> [LongTailEntry] {
        var tail = LongTail(capacity: count)
        for e in entries { tail.add(e) }
        return tail.entries
    }

    static func ranksBefore(_ a: LongTailEntry, _ b: LongTailEntry) -> Bool {
        if a.duration != b.duration { return a.duration > b.duration }
        if a.occurredAt != b.occurredAt { return a.occurredAt < b.occurredAt }
        return a.id.uuidString < b.id.uuidString
    }
}
