/// Durations written as strings, as in Prometheus and Go: `"10s"`, `"1m30s"`, `"500ms"`, `"2h"`.
///
/// Grammar: one or more `<digits><unit>` with units `y`, `w`, `d`, `h`, `m`, `s`, `ms` (Prometheus'
/// set, a year being 365 days), each at most once
/// and largest first; `"0"` alone is zero. Values are whole milliseconds. Public so that flags
/// (`--interval 10s`) accept exactly what config files accept.
public enum DurationText {
    static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The accepted grammar in words, for hints: "a whole number followed by ms, s, m, h, d, w or y, ...".
    public static let grammar =
        "a whole number followed by ms, s, m, h, d, w or y, largest unit first, such as \"1m30s\""

    /// The duration written as `text`, or nil when it does not follow the grammar or overflows.
    public static func duration(_ text: String) -> Duration? {
        milliseconds(text).map(Duration.milliseconds)
    }

    /// Milliseconds for `text`, or nil when it does not follow the grammar or overflows Int64.
    public static func milliseconds(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        let bytes = Array(text.utf8)
        var index = 0
        var total: Int64 = 0
        var nextUnit = 0
        while index < bytes.count {
            var number: Int64 = 0
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                if overflow1 || overflow2 { return nil }
                number = sum
                index += 1
            }
            let unitStart = index
            while index < bytes.count, isLetter(bytes[index]) { index += 1 }
            guard unitStart > digitsStart, index > unitStart else { return nil }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let position = units[nextUnit...].firstIndex(where: { $0.name == unit }) else { return nil }
            nextUnit = position + 1
            let (part, overflow1) = number.multipliedReportingOverflow(by: units[position].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            if overflow1 || overflow2 { return nil }
            total = sum
        }
        return bytes.isEmpty ? nil : total
    }

    /// The shortest text that parses back to `milliseconds`: `"1m30s"`, `"500ms"`, `"0s"`.
    /// Negative values, which the grammar cannot express, print with a leading minus.
    public static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        if milliseconds < 0 { return "-" + format(milliseconds: milliseconds.magnitude.clampedToInt64) }
        var rest = milliseconds
        var text = ""
        for unit in units where rest >= unit.milliseconds {
            text += "\(rest / unit.milliseconds)\(unit.name)"
            rest %= unit.milliseconds
        }
        return text
    }

    /// Whole milliseconds in `duration`, rounded toward zero and clamped to Int64.
    public static func milliseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow1) = seconds.multipliedReportingOverflow(by: 1_000)
        let (sum, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow1 || overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// The shortest text for `duration` in whole milliseconds (rounded toward zero): `"1m30s"`.
    public static func format(_ duration: Duration) -> String {
        format(milliseconds: milliseconds(of: duration))
    }
}

extension UInt64 {
    fileprivate var clampedToInt64: Int64 { self > UInt64(Int64.max) ? .max : Int64(self) }
}
