import Foundation

/// Lore's rules for time: stored in UTC with millisecond precision, shown in
/// the viewer's time zone.
public enum LoreTime {
    /// Rounds to the nearest millisecond, so that a value survives a round
    /// trip through either database unchanged (SQLite keeps a float that can
    /// come back a few nanoseconds off; rounding again is stable).
    public static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(millisecondCount(date)) / 1000)
    }

    /// Milliseconds since 1970, half a millisecond rounding up (later) on
    /// either side of 1970, so the calendar, not the epoch, decides.
    static func millisecondCount(_ date: Date) -> Int64 {
        let v = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)
        // Far outside any real time (Date.distantFuture is 6e13 ms); never trap.
        guard v.isFinite, abs(v) < 1e17 else { return v < 0 ? -100_000_000_000_000_000 : 100_000_000_000_000_000 }
        return Int64(v)
    }

    /// `n` in at least `width` digits, zeros in front.
    static func pad<N: BinaryInteger>(_ n: N, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2026-03-01T14:02:00.123Z`: UTC, milliseconds, the proleptic Gregorian
    /// calendar (as RFC 3339 and `parseISO`; Foundation's formatter switches to
    /// the Julian calendar before 1582, which made old times not read back
    /// as themselves). The exact inverse of `parseISO` for every moment in
    /// `representable`.
    public static func iso(_ date: Date) -> String {
        let ms = millisecondCount(date)
        let days = ms >= 0 ? ms / 86_400_000 : -((-ms + 86_399_999) / 86_400_000)
        var rest = ms - days * 86_400_000
        let (y, m, d) = CivilDate.date(daysSinceEpoch: Int(days))
        let (year, month, day) = (Int64(y), Int64(m), Int64(d))
        let hour = rest / 3_600_000; rest -= hour * 3_600_000
        let minute = rest / 60_000; rest -= minute * 60_000
        let second = rest / 1000
        let milli = rest - second * 1000
        guard (0...9999).contains(year) else {
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
        }
        // Written digit by digit into the string's own 24 bytes: the API
        // writes one of these per time, thousands per timeline.
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int64, _ width: Int, at start: Int) {
                var v = value
                for k in stride(from: start + width - 1, through: start, by: -1) {
                    out[k] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0); out[4] = UInt8(ascii: "-"); put(month, 2, at: 5); out[7] = UInt8(ascii: "-"); put(day, 2, at: 8)
            out[10] = UInt8(ascii: "T"); put(hour, 2, at: 11); out[13] = UInt8(ascii: ":"); put(minute, 2, at: 14)
            out[16] = UInt8(ascii: ":"); put(second, 2, at: 17); out[19] = UInt8(ascii: "."); put(milli, 3, at: 20)
            out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The moments Lore reads and writes: years 0001 to 9999 in UTC (what
    /// four digits can say).
    public static let representable = Date(timeIntervalSince1970: -62_135_596_800) ... Date(timeIntervalSince1970: 253_402_300_799.999)

    /// Parses an RFC 3339 time (`2026-03-01T14:02:00Z`,
    /// `2026-03-01T15:02:00.250+01:00`). Strict: a date or time that does not
    /// exist (30 February, hour 24, offset +25:00, year 0000) is refused
    /// rather than rolled over into another moment, so what is stored is what
    /// was meant. The API and the forms both read times through here.
    public static func parseISO(_ text: String) -> Date? {
        let t = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard let (fields, end) = readDateTime(t), end < t.count else { return nil }
        var i = end
        let offsetSeconds: Int
        switch t[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            offsetSeconds = 0
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = t[i] == UInt8(ascii: "+") ? 1 : -1
            guard i + 6 == t.count, let h = digits(t, i + 1, 2), t[i + 3] == UInt8(ascii: ":"), let m = digits(t, i + 4, 2),
                  h <= 23, m <= 59 else { return nil }
            offsetSeconds = sign * (h * 3600 + m * 60)
            i += 6
        default:
            return nil
        }
        guard i == t.count else { return nil }
        let date = fields.date(offsetSeconds: offsetSeconds)
        // 0001-01-01T00:00+00:01 is a moment of year 0 in UTC; such a time
        // could not be written back, so it is refused like any impossible one.
        return representable.contains(date) ? date : nil
    }

    /// Parses the value of an HTML `datetime-local` input (`2026-03-01T14:02`,
    /// optionally with seconds) in the viewer's time zone; a full RFC 3339
    /// time is taken as it is. Impossible dates and times are refused, as in
    /// `parseISO`.
    public static func parseLocal(_ text: String, timeZone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let d = parseISO(t) { return d }
        let bytes = Array(t.utf8)
        guard let (fields, end) = readDateTime(bytes, secondsOptional: true), end == bytes.count else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = DateComponents(year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute, second: fields.second)
        guard let d = calendar.date(from: c) else { return nil }
        return d.addingTimeInterval(Double(fields.fractionDigits) / pow(10, Double(fields.fractionLength)))
    }

    /// The parts of a date and time as written, checked to exist.
    struct CivilTime {
        var year, month, day, hour, minute, second: Int
        /// The fraction's digits as written, and how many there were.
        var fractionDigits: Int64
        var fractionLength: Int

        func date(offsetSeconds: Int) -> Date {
            let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
            // Up to milliseconds, computed the way `milliseconds(_:)` rounds,
            // so a stored time read back from `iso` is bit-for-bit the same.
            if fractionLength <= 3 {
                var ms = fractionDigits
                for _ in fractionLength ..< 3 { ms *= 10 }
                return Date(timeIntervalSince1970: Double(Int64(seconds) * 1000 + ms) / 1000)
            }
            return Date(timeIntervalSince1970: Double(seconds) + Double(fractionDigits) / pow(10, Double(fractionLength)))
        }
    }

    static func digits(_ t: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= t.count else { return nil }
        return t.withUnsafeBufferPointer { CivilDate.number($0, at ..< at + count) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]`; returns the parts and where reading
    /// stopped. `T` may be `t` or a space (RFC 3339 allows both).
    static func readDateTime(_ t: [UInt8], secondsOptional: Bool = false) -> (CivilTime, Int)? {
        guard let year = digits(t, 0, 4), t.count > 4, t[4] == UInt8(ascii: "-"), let month = digits(t, 5, 2), t.count > 7, t[7] == UInt8(ascii: "-"),
              let day = digits(t, 8, 2), t.count > 10, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(t[10]),
              let hour = digits(t, 11, 2), t.count > 13, t[13] == UInt8(ascii: ":"), let minute = digits(t, 14, 2) else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour <= 23, minute <= 59 else { return nil }
        var i = 16
        var second = 0
        if i < t.count, t[i] == UInt8(ascii: ":") {
            guard let s = digits(t, i + 1, 2), s <= 59 else { return nil }
            second = s
            i += 3
        } else if !secondsOptional {
            return nil
        }
        var digits: Int64 = 0
        var length = 0
        if i < t.count, t[i] == UInt8(ascii: ".") {
            var j = i + 1
            while j < t.count, t[j] >= 0x30, t[j] <= 0x39 {
                // Nanoseconds at most: more digits would say nothing Lore keeps.
                guard length < 9 else { return nil }
                digits = digits * 10 + Int64(t[j] - 0x30)
                length += 1
                j += 1
            }
            guard length > 0 else { return nil }
            i = j
        }
        return (CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fractionDigits: digits, fractionLength: length), i)
    }

    /// Value for a `datetime-local` input in the viewer's zone.
    public static func localInput(_ date: Date?, timeZone: TimeZone) -> String {
        guard let date else { return "" }
        return formatter("yyyy-MM-dd'T'HH:mm", timeZone).string(from: date)
    }

    /// `2026-03-01 14:02 CET`: how times are shown on pages. Written from
    /// the zone's offset at that moment and its name for that offset (asked
    /// of a formatter once per zone and offset): formatting each time with
    /// ICU was a tenth of an incident page's time with 500 entries.
    public static func display(_ date: Date?, timeZone: TimeZone) -> String {
        guard let date else { return "" }
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = (date.timeIntervalSince1970 + Double(offset)).rounded(.down)
        // Far outside any real time: as ICU writes it, without trapping.
        guard seconds.isFinite, abs(seconds) < 1e13 else { return formatter("yyyy-MM-dd HH:mm zzz", timeZone).string(from: date) }
        let local = Int(seconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let rest = local - days * 86_400
        let (y, m, d) = CivilDate.date(daysSinceEpoch: days)
        let name = zoneName(timeZone, offset: offset, year: y, daylight: timeZone.isDaylightSavingTime(for: date), at: date)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)) " + name
    }

    /// What `zzz` writes for the zone at an offset in a year ("CET",
    /// "GMT+2"), kept. By year: a zone's names change over its history
    /// (New York's -4 is "EDT" since 1970 and "GMT-4" before).
    static func zoneName(_ timeZone: TimeZone, offset: Int, year: Int, daylight: Bool, at date: Date) -> String {
        // Daylight saving time too: Whitehorse's -7 was "PDT" and then "MST" in 2020.
        let key = timeZone.identifier + "|" + String(offset) + "|" + String(year) + (daylight ? "|d" : "")
        if let known = zoneNames.name(key) { return known }
        let name = formatter("zzz", timeZone).string(from: date)
        zoneNames.keep(name, for: key)
        return name
    }

    private static let zoneNames = ZoneNames()

    /// Zone names by zone and offset, shared by every thread.
    private final class ZoneNames: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String: String] = [:]

        func name(_ key: String) -> String? { lock.withLock { names[key] } }

        func keep(_ name: String, for key: String) {
            lock.withLock {
                if names.count > 4096 { names.removeAll() }
                names[key] = name
            }
        }
    }

    /// A formatter for this pattern and zone, kept per thread: building one
    /// costs more than formatting (a page of 500 timeline entries built a
    /// thousand), and one formatter is not to be shared between threads.
    static func formatter(_ pattern: String, _ timeZone: TimeZone) -> DateFormatter {
        let key = "lore.time." + pattern + "|" + timeZone.identifier
        let cache = Thread.current.threadDictionary
        if let f = cache[key] as? DateFormatter { return f }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = pattern
        // A few zones and patterns per thread; a bound in case of many.
        if cache.count > 256 { cache.removeAllObjects() }
        cache[key] = f
        return f
    }

    /// `2 h 5 min`, `3 d 4 h`, `45 s`: a duration for people.
    public static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(abs(seconds).rounded())
        let d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60
        let text: String
        if d > 0 { text = h > 0 ? "\(d) d \(h) h" : "\(d) d" }
        else if h > 0 { text = m > 0 ? "\(h) h \(m) min" : "\(h) h" }
        else if m > 0 { text = "\(m) min" }
        else { text = "\(s) s" }
        return seconds < 0 ? "-" + text : text
    }
}
