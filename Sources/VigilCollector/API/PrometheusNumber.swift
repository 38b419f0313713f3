/// Number formatting as Prometheus' HTTP API writes it, so clients that compare text see
/// the same strings: values in the shortest form that reads back exactly, in positional
/// notation (Go's `strconv.FormatFloat(v, 'f', -1, 64)`), `NaN`, `+Inf`, `-Inf`;
/// timestamps as seconds with up to three decimals.
public enum PrometheusNumber {
    public static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        let shortest = v.description
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return shortest.hasSuffix(".0") ? String(shortest.dropLast(2)) : shortest
        }
        // Re-render d.ddd e±x positionally.
        let mantissa = shortest[..<e]
        let exponent = Int(shortest[shortest.index(after: e)...])!
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa[...]
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        let pointAt = parts[0].count + exponent
        while digits.count > 1 && digits.hasSuffix("0") && digits.count > pointAt { digits.removeLast() }
        var out: String
        if pointAt <= 0 {
            out = "0." + String(repeating: "0", count: -pointAt) + digits
        } else if pointAt >= digits.count {
            out = digits + String(repeating: "0", count: pointAt - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointAt)
            out = String(digits[..<index]) + "." + String(digits[index...])
        }
        return negative ? "-" + out : out
    }

    /// Milliseconds as Prometheus' seconds: `1435781451.781`, `1435781451`.
    public static func timestamp(_ milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        var fraction = milliseconds % 1000
        if fraction < 0 {
            return value(Double(milliseconds) / 1000)
        }
        if fraction == 0 { return String(seconds) }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let padded = String(fraction)
        return "\(seconds)." + String(repeating: "0", count: digits - padded.count) + padded
    }
}
