import Foundation

/// Stable ids for imported timeline rows that have none of their own (CSV and
/// Markdown tables), made from what the row says, so that importing the same
/// file twice — or an edited copy with the same rows — adds nothing.
public enum ImportIdentity {
    /// FNV-1a (64 bit) over the incident, time, author and text, as hex.
    public static func rowID(incidentID: UUID, occurredAt: Date, author: String, text: String) -> String {
        let key = "\(incidentID.uuidString)|\(Int64((occurredAt.timeIntervalSince1970 * 1000).rounded()))|\(author)|\(text)"
        return String(hash(key), radix: 16)
    }

    /// FNV-1a, 64 bit: stable across runs and machines (Swift's `Hasher` is
    /// seeded per process), for ids and lock keys derived from text.
    public static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}
