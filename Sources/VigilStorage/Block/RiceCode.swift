/// Golomb–Rice codes as the decimal Rice value columns use them (docs/formats/chunk.md,
/// "Rice codes"): near-optimal for geometric values such as a counter's increments, and cheap
/// to decode.
///
/// A value v with parameter p is its quotient q = v >> p in unary (q one bits, then a zero
/// bit) followed by the p low bits of v, most significant first. A quotient of
/// `escapeQuotient` or more is written as `escapeQuotient` one bits and then all 64 bits of
/// v, so an outlier costs at most `escapeBits`.
enum RiceCode {
    /// The largest parameter a column may state. A `RiceReader` window holds at least 56
    /// unread bits after a refill, so the low bits of a code are one shift.
    static let maxParameter = 56
    /// Quotients from here on are escaped. With p ≤ 56 a coded quotient times 2^p stays
    /// below 2^61, so decoding never overflows.
    static let escapeQuotient = 32
    /// Bits of an escaped value: the ones and the raw 64 bits.
    static let escapeBits = escapeQuotient + 64

    /// Bits that `value` costs with `parameter`.
    @inline(__always)
    static func bits(_ value: UInt64, parameter: Int) -> Int {
        let quotient = value >> UInt64(parameter)
        return quotient < UInt64(escapeQuotient) ? Int(quotient) + 1 + parameter : escapeBits
    }

    /// Bits that all of `values` cost with `parameter`.
    static func bits(_ values: [UInt64], parameter: Int) -> Int {
        var total = 0
        for value in values { total += bits(value, parameter: parameter) }
        return total
    }

    /// The parameter that codes `values` in the fewest bits, and those bits. The size is
    /// convex in p but for escapes, so a walk from the estimate for geometric values,
    /// log2(mean × ln 2), finds the minimum in a few passes; escapes could in principle leave
    /// it a local one, which still decodes.
    static func cheapest(_ values: [UInt64]) -> (parameter: Int, bits: Int) {
        guard !values.isEmpty else { return (0, 0) }
        var sum = 0.0
        for value in values { sum += Double(value) }
        let target = sum / Double(values.count) * 0.693
        var parameter = target < 1 ? 0 : target >= 0x1p56 ? maxParameter : 63 - UInt64(target).leadingZeroBitCount
        var best = bits(values, parameter: parameter)
        var moved = false
        while parameter > 0 {
            let smaller = bits(values, parameter: parameter - 1)
            guard smaller < best else { break }
            (parameter, best, moved) = (parameter - 1, smaller, true)
        }
        while !moved, parameter < maxParameter {
            let larger = bits(values, parameter: parameter + 1)
            guard larger < best else { break }
            (parameter, best) = (parameter + 1, larger)
        }
        return (parameter, best)
    }

    /// Appends the code of `value` with `parameter` (0...maxParameter).
    @inline(__always)
    static func write(_ value: UInt64, parameter: Int, into writer: inout RiceWriter) {
        let quotient = value >> UInt64(parameter)
        guard quotient < UInt64(escapeQuotient) else {
            writer.write(UInt64(UInt32.max), count: escapeQuotient)
            writer.write(value, count: 64)
            return
        }
        // q ones and the closing zero.
        writer.write(((1 << quotient) - 1) << 1, count: Int(quotient) + 1)
        if parameter > 0 { writer.write(value, count: parameter) }
    }
}
