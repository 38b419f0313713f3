/// Number parsing straight from bytes, giving the same doubles as Go's `strconv` does for the
/// forms /proc and /sys print.
enum ByteNumber {
    /// An unsigned decimal integer (digits only), or nil for anything else or on overflow.
    static func unsigned(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times10.addingReportingOverflow(UInt64(digit))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    /// A decimal number such as `12`, `-3` or `0.45`, correctly rounded like Go's
    /// `strconv.ParseFloat`. Other spellings (exponents, `inf`) go through Swift's own parser.
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                let digit = byte &- 0x30
                guard digit < 10 else { return slowDecimal(bytes) }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        let magnitude: Double
        if fractionDigits == 0, digits <= 19 {
            // Any UInt64 converts to the nearest double, as ParseFloat rounds an integer.
            magnitude = Double(mantissa)
        } else if digits <= 15, fractionDigits < powersOfTen.count {
            // A mantissa below 2^53 and a power of ten up to 1e22 are exact doubles, so one
            // division rounds correctly.
            magnitude = Double(mantissa) / powersOfTen[fractionDigits]
        } else {
            return slowDecimal(bytes)
        }
        return negative ? -magnitude : magnitude
    }

    private static func slowDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
