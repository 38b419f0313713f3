/// Deadlines for a fixed-interval loop that does not drift: tick k is due at
/// `origin + k × interval` whatever each tick cost. When work overruns one or more
/// deadlines, the missed ticks are skipped (not run in a burst) and counted.
public struct TickSchedule: Sendable {
    public let origin: Int64
    public let interval: Int64
    public private(set) var tick: Int64 = 0
    public private(set) var skipped: Int64 = 0

    /// Times in nanoseconds on a monotonic clock.
    public init(origin: Int64, interval: Int64) {
        precondition(interval > 0, "TickSchedule needs a positive interval")
        self.origin = origin
        self.interval = interval
    }

    /// The deadline of the next tick after `now`, advancing past any missed ticks.
    public mutating func next(after now: Int64) -> Int64 {
        tick += 1
        let due = origin + tick * interval
        if due <= now {
            let behind = (now - due) / interval + 1
            skipped += behind
            tick += behind
        }
        return origin + tick * interval
    }
}
