#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds, and sleeping until a deadline on it.
enum MonotonicClock {
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Sleeps until `deadline` (ns) or until a signal arrives; returns false when interrupted.
    @discardableResult
    static func sleep(until deadline: Int64) -> Bool {
        var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &spec, nil) == 0
    }
}
