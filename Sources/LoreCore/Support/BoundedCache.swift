import Foundation

/// Work a process keeps so it is not done again on the next view (Markdown
/// rendered, a timeline read or written as HTML), by key, bounded by the
/// bytes it holds: past `capacity` it starts over, which costs one redo per
/// value used again, and a value larger than a quarter of it (an imported
/// channel of a million messages) is never kept. Starting over rather than
/// evicting one by one keeps every operation a dictionary lookup under a
/// lock held for no longer than that.
///
/// A value may carry the revision of what it was made from: a slower
/// maker does not put back a value older than the one a faster maker kept.
/// (Guarded by an `NSLock`: `Synchronization.Mutex` needs macOS 15.)
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    public let capacity: Int
    private struct Kept {
        var value: Value
        var bytes: Int
        var revision: Int64
    }
    private let lock = NSLock()
    private var kept: [Key: Kept] = [:]
    private var held = 0

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public func value(_ key: Key) -> Value? {
        lock.withLock { kept[key]?.value }
    }

    /// Keeps `value` under `key`, replacing what was kept unless that was
    /// made from a newer `revision`.
    public func keep(_ value: Value, for key: Key, bytes: Int, revision: Int64 = 0) {
        guard bytes <= capacity / 4 else { return }
        lock.withLock {
            if let old = kept[key] {
                if old.revision > revision { return }
                held -= old.bytes
            }
            if held + bytes > capacity {
                kept.removeAll()
                held = 0
            }
            kept[key] = Kept(value: value, bytes: bytes, revision: revision)
            held += bytes
        }
    }
}
