import Foundation

/// The durations of one group (one measure, one period), kept whole and in
/// order, with the figures the page prints beside the dots.
///
/// Incident durations are long-tailed — close to log-normal, with a mean two
/// or three times the median — so the middle and the spread are told by
/// percentiles, never by an average: a bare mean moves with one long incident
/// and tells nobody what a typical incident was like. That is why this type
/// has no `mean`. Every value stays in `values`: the long incidents are the
/// ones most worth learning from, and nothing is trimmed as an outlier.
///
/// **Percentiles** are Hyndman and Fan's type 7 (1996), the default of numpy
/// (`numpy.percentile`, `method="linear"`), R (`quantile`, `type = 7`) and
/// spreadsheets (`PERCENTILE.INC`): for sorted values x₀ … xₙ₋₁ and p in
/// [0, 1], let h = (n − 1) · p; the percentile is
/// x⌊h⌋ + (h − ⌊h⌋) · (x⌊h⌋₊₁ − x⌊h⌋), linear interpolation between the two
/// closest ranks. So the median of an even count is the average of the middle
/// two, p = 0 is the minimum and p = 1 the maximum, and an analyst checking
/// the CSV in their own tool gets the same numbers.
public struct DurationDistribution: Equatable, Sendable {
    /// Seconds, shortest first.
    public let values: [TimeInterval]

    /// Sorts `durations`. They must be finite (durations between two moments
    /// always are).
    public init(_ durations: [TimeInterval]) {
        values = durations.sorted()
    }

    init(sorted: [TimeInterval]) {
        values = sorted
    }

    /// No incidents.
    public static let empty = DurationDistribution(sorted: [])

    /// The durations of several periods together (a quarter out of its
    /// months, the whole year out of its quarters).
    public static func merging(_ parts: [DurationDistribution]) -> DurationDistribution {
        // Each part is sorted already: merge pairwise (linear per round)
        // rather than sort everything again.
        var runs = parts.map(\.values).filter { !$0.isEmpty }
        guard !runs.isEmpty else { return .empty }
        while runs.count > 1 {
            var next: [[Double]] = []
            next.reserveCapacity((runs.count + 1) / 2)
            var i = 0
            while i + 1 < runs.count {
                next.append(mergeSorted(runs[i], runs[i + 1]))
                i += 2
            }
            if i < runs.count { next.append(runs[i]) }
            runs = next
        }
        return DurationDistribution(sorted: runs[0])
    }

    static func mergeSorted(_ a: [Double], _ b: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var min: TimeInterval? { values.first }
    public var max: TimeInterval? { values.last }
    /// The 50th percentile (type 7: the average of the middle two for an even count).
    public var median: TimeInterval? { percentile(0.5) }
    /// The 90th percentile: how long the longer incidents take, without
    /// letting the single longest decide.
    public var p90: TimeInterval? { percentile(0.9) }

    /// The `p` percentile (`p` in 0 … 1, clamped), type 7; nil when empty.
    public func percentile(_ p: Double) -> TimeInterval? {
        Self.percentile(sorted: values, p)
    }

    /// Type 7 on values already sorted ascending; see the type's comment.
    public static func percentile(sorted x: [Double], _ p: Double) -> Double? {
        guard !x.isEmpty else { return nil }
        let p = Swift.min(Swift.max(p.isNaN ? 0.5 : p, 0), 1)
        let h = Double(x.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }

    /// How many durations are at most `limit` (binary search).
    public func count(atMost limit: TimeInterval) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] <= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The share (0 … 1) of durations at most `limit`; nil when empty. The
    /// empirical distribution function, for a CDF chart or "mitigated within
    /// an hour".
    public func share(atMost limit: TimeInterval) -> Double? {
        values.isEmpty ? nil : Double(count(atMost: limit)) / Double(values.count)
    }
}
