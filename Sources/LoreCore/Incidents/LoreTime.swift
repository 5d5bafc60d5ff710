import Foundation

/// Lore's rules for time: stored in UTC with millisecond precision, shown in
/// the viewer's time zone.
public enum LoreTime {
    /// Rounds to the nearest millisecond, so that a value survives a round
    /// trip through either database unchanged (SQLite keeps a float that can
    /// come back a few nanoseconds off; rounding again is stable).
    public static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// `2026-03-01T14:02:00.123Z`
    public static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

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
        return fields.date(offsetSeconds: offsetSeconds)
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
        return d.addingTimeInterval(fields.fraction)
    }

    /// The parts of a date and time as written, checked to exist.
    struct CivilTime {
        var year, month, day, hour, minute, second: Int
        var fraction: Double

        func date(offsetSeconds: Int) -> Date {
            // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let mp = (month + 9) % 12
            let doy = (153 * mp + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let days = era * 146_097 + doe - 719_468
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        }
    }

    static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func digits(_ t: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= t.count else { return nil }
        var n = 0
        for b in t[at ..< at + count] {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]`; returns the parts and where reading
    /// stopped. `T` may be `t` or a space (RFC 3339 allows both).
    static func readDateTime(_ t: [UInt8], secondsOptional: Bool = false) -> (CivilTime, Int)? {
        guard let year = digits(t, 0, 4), t.count > 4, t[4] == UInt8(ascii: "-"), let month = digits(t, 5, 2), t.count > 7, t[7] == UInt8(ascii: "-"),
              let day = digits(t, 8, 2), t.count > 10, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(t[10]),
              let hour = digits(t, 11, 2), t.count > 13, t[13] == UInt8(ascii: ":"), let minute = digits(t, 14, 2) else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23, minute <= 59 else { return nil }
        var i = 16
        var second = 0
        if i < t.count, t[i] == UInt8(ascii: ":") {
            guard let s = digits(t, i + 1, 2), s <= 59 else { return nil }
            second = s
            i += 3
        } else if !secondsOptional {
            return nil
        }
        var fraction = 0.0
        if i < t.count, t[i] == UInt8(ascii: ".") {
            var scale = 0.1
            var j = i + 1
            while j < t.count, t[j] >= 0x30, t[j] <= 0x39 {
                fraction += Double(t[j] - 0x30) * scale
                scale /= 10
                j += 1
            }
            guard j > i + 1, j - i <= 10 else { return nil }
            i = j
        }
        return (CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction), i)
    }

    /// Value for a `datetime-local` input in the viewer's zone.
    public static func localInput(_ date: Date?, timeZone: TimeZone) -> String {
        guard let date else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return f.string(from: date)
    }

    /// `2026-03-01 14:02 CET`: how times are shown on pages.
    public static func display(_ date: Date?, timeZone: TimeZone) -> String {
        guard let date else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return f.string(from: date)
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
