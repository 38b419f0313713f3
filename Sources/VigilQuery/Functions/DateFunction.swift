/// The calendar functions, in UTC, of a Unix time in seconds.
enum DateFunction {
    case daysInMonth, dayOfMonth, dayOfWeek, dayOfYear, hour, minute, month, year

    init?(_ function: PromQLFunction) {
        switch function {
        case .daysInMonth: self = .daysInMonth
        case .dayOfMonth: self = .dayOfMonth
        case .dayOfWeek: self = .dayOfWeek
        case .dayOfYear: self = .dayOfYear
        case .hour: self = .hour
        case .minute: self = .minute
        case .month: self = .month
        case .year: self = .year
        default: return nil
        }
    }

    func apply(unixSeconds seconds: Int64) -> Double {
        let (days, secondOfDay) = Self.floorDivision(seconds, 86_400)
        switch self {
        case .hour: return Double(secondOfDay / 3600)
        case .minute: return Double(secondOfDay % 3600 / 60)
        // 1970-01-01 was a Thursday (4); Sunday is 0.
        case .dayOfWeek: return Double(Self.floorDivision(days + 4, 7).remainder)
        default: break
        }
        let (year, month, day) = Self.civil(fromDays: days)
        switch self {
        case .dayOfMonth: return Double(day)
        case .month: return Double(month)
        case .year: return Double(year)
        case .daysInMonth: return Double(Self.daysIn(month: month, year: year))
        default:
            var dayOfYear = day
            for earlier in 1..<month { dayOfYear += Self.daysIn(month: earlier, year: year) }
            return Double(dayOfYear)
        }
    }

    /// Go's `int64(f)` on amd64: truncation, with NaN and out-of-range values becoming Int64.min.
    static func goInt64(_ value: Double) -> Int64 {
        guard value.isFinite, value < 9.223372036854775807e18, value >= -9.223372036854775808e18 else { return .min }
        return Int64(value)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Year, month (1-12) and day (1-31) of a day count since 1970-01-01 (Howard Hinnant's
    /// days-from-civil inverse).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivision(z, 146_097).quotient
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
