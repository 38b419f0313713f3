/// Formats a Double as Go's `strconv.FormatFloat` does with precision -1 (the shortest digits
/// that read back exactly), with Prometheus' spellings of the special values, so Vigil's text
/// matches Prometheus' byte for byte: 'g' layout in the text exposition format, 'f' layout in
/// the HTTP API's JSON.
public enum GoFloatFormat {
    /// `strconv.FormatFloat(v, 'g', -1, 64)`: `1.788616e+06`, `0.25`, `1e-05`.
    public static func format(_ value: Double) -> String {
        if let special = special(value) { return special }
        // Swift's description holds the shortest digits that round-trip, as Go's does;
        // only the layout differs.
        let (digits, pointPosition) = shortestDigits(abs(value).description)
        let exponent = pointPosition - 1
        var out = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            out.append(digits.first!)
            if digits.count > 1 {
                out += "."
                out += digits.dropFirst()
            }
            out += exponent < 0 ? "e-" : "e+"
            let magnitude = String(abs(exponent))
            if magnitude.count < 2 { out += "0" }
            out += magnitude
        } else {
            out += layoutPositional(digits: digits, pointPosition: pointPosition)
        }
        return out
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`: `1788616`, `0.00001`, `12500000000000000`.
    public static func positional(_ value: Double) -> String {
        if let special = special(value) { return special }
        // Fast path (most values): Swift already prints these positionally with the same
        // shortest digits, only with a trailing ".0" on whole numbers.
        let text = value.description
        if !text.utf8.contains(UInt8(ascii: "e")) {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        let (digits, pointPosition) = shortestDigits(abs(value).description)
        return (value < 0 ? "-" : "") + layoutPositional(digits: digits, pointPosition: pointPosition)
    }

    /// `0.digits × 10^pointPosition` written without an exponent.
    private static func layoutPositional(digits: String, pointPosition: Int) -> String {
        if pointPosition <= 0 {
            return "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        return digits.prefix(pointPosition) + "." + digits.dropFirst(pointPosition)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        return nil
    }

    /// The significant digits of a positive finite number as Swift prints it ("1788616.0",
    /// "1e-05", "1.25e+16") and where the decimal point goes: value = 0.digits × 10^pointPosition.
    private static func shortestDigits(_ text: String) -> (digits: String, pointPosition: Int) {
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let integerPart = mantissa.prefix { $0 != "." }
        var digits = Substring(mantissa.filter { $0 != "." })
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), pointPosition)
    }
}
