/// Spaces out sends of backlog batches (older than the newest tick) to at most `perSecond`,
/// so agents draining after a collector outage do not flood it, while fresh batches go
/// out unpaced. Pure: the caller passes monotonic times in ns.
struct BacklogPacer: Equatable {
    /// Nanoseconds between two backlog sends.
    let spacing: Int64
    /// The earliest time the next backlog batch may go.
    private(set) var nextAllowed: Int64 = .min

    init(perSecond: Int) {
        spacing = 1_000_000_000 / Int64(max(1, perSecond))
    }

    func allows(at now: Int64) -> Bool { now >= nextAllowed }

    /// A backlog batch was sent at `now`.
    mutating func sent(at now: Int64) {
        nextAllowed = now + spacing
    }
}
