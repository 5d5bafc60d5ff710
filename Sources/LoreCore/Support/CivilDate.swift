/// Proleptic Gregorian date arithmetic without `Calendar`, for readers that
/// turn `YYYY-MM-DD` into a moment on a hot path (PagerDuty timestamps, Slack
/// day file names) and for checking that a day exists. Algorithms from
/// Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms". One
/// copy for Lore's own times (`LoreTime`) and the importers.
public enum CivilDate {
    /// 28 to 31.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (negative before it). The date is not
    /// checked: `2016-02-30` is `2016-03-01`.
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    public static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The decimal number written with exactly the bytes `range` (`2026` in
    /// `2026-03-01`), or nil when one is not an ASCII digit.
    public static func number(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var v = 0
        for k in range {
            let c = b[k]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int(c - UInt8(ascii: "0"))
        }
        return v
    }
}
