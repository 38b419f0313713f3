/// Which of several collectors the shipper sends to, and when it backs off.
///
/// The shipper stays with a collector while sends succeed. After a failed send it moves to the
/// next one at once; only when every collector failed in turn does it wait, for the backoff of
/// the number of such full rounds so far. Pure: no clock, no I/O.
struct CollectorFailover: Equatable {
    let count: Int
    /// The collector to send to now.
    private(set) var current = 0
    private var failedInRound = 0
    private var rounds = 0

    init(count: Int) {
        precondition(count > 0, "bug: CollectorFailover needs at least one collector")
        self.count = count
    }

    /// A send to `current` succeeded: it stays current and the backoff starts over.
    mutating func succeeded() {
        failedInRound = 0
        rounds = 0
    }

    /// A send to `current` failed: the next collector becomes current. Returns the backoff
    /// attempt (0, 1, 2, ...) to wait for when every collector has now failed in turn, or nil
    /// to try the next one at once.
    mutating func failed() -> Int? {
        current = (current + 1) % count
        failedInRound += 1
        guard failedInRound >= count else { return nil }
        failedInRound = 0
        rounds += 1
        return rounds - 1
    }
}
