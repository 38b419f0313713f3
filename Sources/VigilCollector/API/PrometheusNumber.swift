import VigilModel

/// Number formatting as Prometheus' HTTP API writes it, so clients that compare text see
/// the same strings: values in the shortest form that reads back exactly, in positional
/// notation (Go's `strconv.FormatFloat(v, 'f', -1, 64)`), `NaN`, `+Inf`, `-Inf`;
/// timestamps as seconds with up to three decimals.
///
/// The `append` forms write into a byte buffer without building a String per number; query
/// answers write every sample through them.
public enum PrometheusNumber {
    public static func value(_ v: Double) -> String {
        GoFloatFormat.positional(v)
    }

    /// Milliseconds as Prometheus' seconds: `1435781451.781`, `1435781451`, `-1.5`.
    public static func timestamp(_ milliseconds: Int64) -> String {
        var out: [UInt8] = []
        appendTimestamp(milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value(v)`'s UTF-8 bytes to `out`.
    public static func appendValue(_ v: Double, to out: inout [UInt8]) {
        GoFloatFormat.appendPositional(v, to: &out)
    }

    /// Appends `timestamp(milliseconds)`'s UTF-8 bytes to `out`: whole seconds, then the
    /// milliseconds without trailing zeros, if any.
    public static func appendTimestamp(_ milliseconds: Int64, to out: inout [UInt8]) {
        if milliseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        appendDecimal(magnitude / 1000, to: &out)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        fraction %= 100
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10))
        fraction %= 10
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "0") + UInt8(fraction))
    }

    /// The decimal digits of `value`, most significant first.
    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest != 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
