import VigilModel

/// Number formatting as Prometheus' HTTP API writes it, so clients that compare text see
/// the same strings: values in the shortest form that reads back exactly, in positional
/// notation (Go's `strconv.FormatFloat(v, 'f', -1, 64)`), `NaN`, `+Inf`, `-Inf`;
/// timestamps as seconds with up to three decimals.
public enum PrometheusNumber {
    public static func value(_ v: Double) -> String {
        GoFloatFormat.positional(v)
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
