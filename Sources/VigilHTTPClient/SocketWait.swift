import Glibc

/// The outcome of waiting for a socket to become readable or writable.
enum SocketWait {
    case ready
    case timedOut
    case failed(Int32)
}

/// Polls `descriptor` for `events` until it is ready or `timeout` has passed; an interrupted
/// poll resumes with the time that is left.
func waitForSocket(_ descriptor: Int32, events: Int32, timeout: Duration) -> SocketWait {
    let deadline = Deadline(after: timeout)
    while true {
        var entry = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        let result = poll(&entry, 1, deadline.remainingMilliseconds)
        if result > 0 { return .ready }
        if result == 0 { return .timedOut }
        let code = errno
        if code != EINTR { return .failed(code) }
    }
}

/// A point on the monotonic clock after which a wait gives up; converts what is left into
/// poll(2)'s milliseconds, rounded up so a wait never ends before its deadline.
struct Deadline {
    private let nanoseconds: Int64

    init(after timeout: Duration) {
        // Clamped to about 136 years, so the arithmetic cannot overflow.
        let (seconds, attoseconds) = timeout.components
        let span = min(max(seconds, 0), 1 << 32) * 1_000_000_000 + max(attoseconds, 0) / 1_000_000_000
        nanoseconds = Self.now() + span
    }

    /// Milliseconds until the deadline, 0 once it has passed, at most Int32.max.
    var remainingMilliseconds: Int32 {
        let left = nanoseconds - Self.now()
        guard left > 0 else { return 0 }
        return Int32(min((left + 999_999) / 1_000_000, Int64(Int32.max)))
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
