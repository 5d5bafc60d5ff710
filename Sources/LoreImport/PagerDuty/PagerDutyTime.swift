import Foundation
import LoreCore

/// PagerDuty's timestamps (`2026-04-01T02:18:59.674Z`, `2026-03-30T13:37:07Z`,
/// `2015-11-10T00:31:52-05:00`), read by hand.
///
/// Why not `LoreTime.parseISO`: it builds an `ISO8601DateFormatter` on every
/// call, which on Linux costs about 200 µs, more than the whole budget for a
/// webhook event; and it is lenient in ways an importer should not be
/// (`2026-02-30` becomes March 2nd, `24:00:00` the next day). This reads RFC
/// 3339 in well under a microsecond and refuses impossible dates.
///
/// Accepted: `YYYY-MM-DD`, `T` (or `t` or a space), `HH:MM:SS`, an optional
/// fraction of any length, then `Z`, `z`, `±HH:MM`, `±HHMM` or `±HH`. The result
/// is rounded to the millisecond, as Lore stores times.
enum PagerDutyTime {
    static func parse(_ text: String) -> Date? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        let n = b.count
        guard n >= 20 else { return nil }
        func digit(_ k: Int) -> Int? {
            let c = b[k]
            return c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil
        }
        func number(_ k: Int, _ count: Int) -> Int? { CivilDate.number(b, k..<(k + count)) }
        guard let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2), b[7] == UInt8(ascii: "-"),
              let day = number(8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2), b[16] == UInt8(ascii: ":"),
              let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }

        var k = 19
        var nanos = 0
        if k < n, b[k] == UInt8(ascii: ".") {
            k += 1
            var places = 0
            while k < n, let d = digit(k) {
                if places < 9 {
                    nanos = nanos * 10 + d
                    places += 1
                }
                k += 1
            }
            guard places > 0 else { return nil }
            for _ in places..<9 { nanos *= 10 }
        }
        guard k < n else { return nil }
        var offset = 0
        switch b[k] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            k += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = b[k] == UInt8(ascii: "-") ? -1 : 1
            k += 1
            guard k + 2 <= n, let oh = number(k, 2), oh < 24 else { return nil }
            k += 2
            var om = 0
            if k < n {
                if b[k] == UInt8(ascii: ":") { k += 1 }
                guard k + 2 <= n, let m = number(k, 2), m < 60 else { return nil }
                om = m
                k += 2
            }
            offset = sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
        guard k == n else { return nil }
        let seconds = CivilDate.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return LoreTime.milliseconds(Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9))
    }

    /// `2026-04-01 03:00 UTC`: a time inside timeline text.
    static func display(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(total) / 86_400).rounded(.down))
        let secs = total - days * 86_400
        let (y, m, d) = CivilDate.date(daysSinceEpoch: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60)) UTC"
    }
}
