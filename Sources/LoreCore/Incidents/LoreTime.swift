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

    /// Parses RFC 3339 with or without fractional seconds.
    public static func parseISO(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: t) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: t)
    }

    /// Parses the value of an HTML `datetime-local` input (`2026-03-01T14:02`,
    /// optionally with seconds) in the viewer's time zone.
    public static func parseLocal(_ text: String, timeZone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let d = parseISO(t) { return d }
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = timeZone
            f.dateFormat = format
            if let d = f.date(from: t) { return d }
        }
        return nil
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
