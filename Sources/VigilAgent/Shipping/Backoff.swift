/// Exponential backoff with full jitter: attempt n waits a random time in
/// [0, min(maximum, initial × 2ⁿ)], so a fleet of agents does not retry in lockstep
/// after a collector restart.
public struct Backoff: Equatable, Sendable {
    public let initial: Int64
    public let maximum: Int64

    /// Durations in milliseconds.
    public init(initial: Int64, maximum: Int64) {
        self.initial = max(1, initial)
        self.maximum = max(self.initial, maximum)
    }

    /// The ceiling for attempt `attempt` (0-based), before jitter.
    public func ceiling(attempt: Int) -> Int64 {
        let shift = min(attempt, 40)
        let grown = initial.multipliedReportingOverflow(by: Int64(1) << shift)
        return grown.overflow ? maximum : min(maximum, grown.partialValue)
    }

    /// The wait before retry `attempt`, at least half the ceiling so retries never spin.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Int64 {
        let ceiling = ceiling(attempt: attempt)
        return ceiling / 2 + Int64.random(in: 0...(ceiling - ceiling / 2), using: &generator)
    }
}
