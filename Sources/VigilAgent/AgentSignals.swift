#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT (stop) and SIGHUP (reload the config), taken synchronously by the
/// sampler loop while it waits for the next tick.
///
/// `install()` blocks them in the calling thread before any other thread exists, so every
/// thread created later (the shipper, the host readers' workers) inherits the block and the
/// signals stay pending until `wait(until:)` takes them, at once, on the main thread.
enum AgentSignals {
    enum Received: Equatable {
        case stop(Int32)
        case reload
    }

    private static var handled: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signal) }
        return set
    }

    /// Call first, on the main thread, before any other thread is started.
    static func install() {
        var set = handled
        pthread_sigmask(SIG_BLOCK, &set, nil)
        // A collector closing a connection mid-write must not kill the agent.
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// Waits until the monotonic `deadline` (ns) or one of the signals; nil at the deadline.
    static func wait(until deadline: Int64) -> Received? {
        var set = handled
        while true {
            let remaining = deadline - MonotonicClock.now()
            var timeout = timespec(tv_sec: Int(max(0, remaining) / 1_000_000_000), tv_nsec: Int(max(0, remaining) % 1_000_000_000))
            let signal = sigtimedwait(&set, nil, &timeout)
            if signal == SIGHUP { return .reload }
            if signal > 0 { return .stop(signal) }
            if errno == EAGAIN || remaining <= 0 { return nil }
        }
    }
}
