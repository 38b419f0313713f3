#if canImport(Glibc)
import Glibc
#endif

/// The wall clock in the unit samples use. Pure code takes times as parameters; the
/// edges (samplers, servers, the CLI) read the clock through this one call.
public enum UnixTime {
    /// Milliseconds since the Unix epoch (CLOCK_REALTIME).
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
