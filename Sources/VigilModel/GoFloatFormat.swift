/// Formats a Double as Go's `strconv.FormatFloat` does with precision -1 (the shortest digits
/// that read back exactly), with Prometheus' spellings of the special values, so Vigil's text
/// matches Prometheus' byte for byte: 'g' layout in the text exposition format, 'f' layout in
/// the HTTP API's JSON.
///
/// Swift's `description` holds the same shortest round-trip digits as Go's conversion; only
/// the layout differs. The `append` forms write the layout straight into a byte buffer: their
/// only cost beyond the digit conversion is the String `description` returns (a heap
/// allocation when longer than 15 bytes), so hot paths such as query answers use them.
public enum GoFloatFormat {
    /// `strconv.FormatFloat(v, 'g', -1, 64)`: `1.788616e+06`, `0.25`, `1e-05`.
    public static func format(_ value: Double) -> String {
        var out: [UInt8] = []
        appendFormat(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`: `1788616`, `0.00001`, `12500000000000000`.
    public static func positional(_ value: Double) -> String {
        var out: [UInt8] = []
        appendPositional(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `format(value)`'s UTF-8 bytes to `out`.
    public static func appendFormat(_ value: Double, to out: inout [UInt8]) {
        if appendSpecial(value, to: &out) { return }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withShortestDigits(of: value.magnitude) { digits, pointPosition in
            let exponent = pointPosition - 1
            guard exponent < -4 || exponent >= 6 else {
                return appendPositionalLayout(digits: digits, pointPosition: pointPosition, to: &out)
            }
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
            let magnitude = exponent.magnitude
            if magnitude < 10 { out.append(UInt8(ascii: "0")) }
            if magnitude >= 100 { out.append(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
            if magnitude >= 10 { out.append(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10)) }
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
    }

    /// Appends `positional(value)`'s UTF-8 bytes to `out`.
    public static func appendPositional(_ value: Double, to out: inout [UInt8]) {
        if appendSpecial(value, to: &out) { return }
        var text = value.description
        let positional = text.withUTF8 { utf8 -> Bool in
            // Most values: Swift already prints them positionally with the shortest digits,
            // only with a trailing ".0" on whole numbers.
            guard !utf8.contains(UInt8(ascii: "e")) else { return false }
            let wholeNumber = utf8.count > 2 && utf8[utf8.count - 2] == UInt8(ascii: ".") && utf8[utf8.count - 1] == UInt8(ascii: "0")
            out.append(contentsOf: wholeNumber ? UnsafeBufferPointer(rebasing: utf8.dropLast(2)) : utf8)
            return true
        }
        if positional { return }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withShortestDigits(of: value.magnitude) { digits, pointPosition in
            appendPositionalLayout(digits: digits, pointPosition: pointPosition, to: &out)
        }
    }

    /// `0.digits × 10^pointPosition` written without an exponent.
    private static func appendPositionalLayout(digits: UnsafeBufferPointer<UInt8>, pointPosition: Int, to out: inout [UInt8]) {
        if pointPosition <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointPosition))
            out.append(contentsOf: digits)
        } else if pointPosition >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointPosition - digits.count))
        } else {
            out.append(contentsOf: digits[..<pointPosition])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[pointPosition...])
        }
    }

    /// Writes NaN, the infinities and the zeros, which have no significant digits; false for
    /// every other value.
    private static func appendSpecial(_ value: Double, to out: inout [UInt8]) -> Bool {
        let text: StaticString
        if value.isNaN {
            text = "NaN"
        } else if value.isInfinite {
            text = value < 0 ? "-Inf" : "+Inf"
        } else if value == 0 {
            text = value.sign == .minus ? "-0" : "0"
        } else {
            return false
        }
        text.withUTF8Buffer { out.append(contentsOf: $0) }
        return true
    }

    /// Calls `body` with the significant digits (ASCII, no leading or trailing zeros, at least
    /// one) of a positive finite `magnitude` and where its decimal point goes:
    /// magnitude = 0.digits × 10^pointPosition. Reads them from Swift's text ("1788616.0",
    /// "1e-05", "1.25e+16"); the digits live on the stack for the call only.
    private static func withShortestDigits<R>(of magnitude: Double, _ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
        var text = magnitude.description
        return text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { buffer in
                var count = 0
                var integerDigits = 0
                var seenPoint = false
                var exponent = 0
                var index = 0
                while index < utf8.count {
                    let byte = utf8[index]
                    index += 1
                    if byte == UInt8(ascii: ".") {
                        seenPoint = true
                    } else if byte == UInt8(ascii: "e") {
                        exponent = exponentValue(UnsafeBufferPointer(rebasing: utf8[index...]))
                        break
                    } else {
                        buffer[count] = byte
                        count += 1
                        if !seenPoint { integerDigits += 1 }
                    }
                }
                var first = 0
                var pointPosition = integerDigits + exponent
                while first < count - 1, buffer[first] == UInt8(ascii: "0") {
                    first += 1
                    pointPosition -= 1
                }
                while count - 1 > first, buffer[count - 1] == UInt8(ascii: "0") { count -= 1 }
                return body(UnsafeBufferPointer(rebasing: buffer[first..<count]), pointPosition)
            }
        }
    }

    /// The exponent after Swift's "e": "-05", "+16".
    private static func exponentValue(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var value = 0
        var negative = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value * 10 + Int(byte - UInt8(ascii: "0"))
            default: break
            }
        }
        return negative ? -value : value
    }
}
