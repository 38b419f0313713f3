/// Compressed batches waiting to be acknowledged by the collector, oldest first.
///
/// Bounded: when full, the oldest batch is dropped and counted, never silently. A batch
/// leaves the queue only when the shipper acknowledges it (`removeFirst`), so a failed
/// send keeps its place. The disk spool of a later release replaces this queue behind the
/// same operations.
final class BatchQueue: @unchecked Sendable {
    struct Entry: Sendable {
        let sequence: UInt64
        let samples: Int
        let body: [UInt8]
    }

    private let lock = ConditionLock()
    private var entries: [Entry] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private(set) var droppedBatches = 0
    private(set) var droppedSamples = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func append(_ entry: Entry) {
        lock.withLock {
            if entries.count - head >= capacity {
                droppedBatches += 1
                droppedSamples += entries[head].samples
                head += 1
            }
            entries.append(entry)
            compactIfNeeded()
            lock.broadcast()
        }
    }

    /// The oldest unacknowledged batch, waiting up to `deadline` (monotonic ns) for one;
    /// nil on timeout or once closed and empty.
    func first(waitingUntil deadline: Int64) -> Entry? {
        lock.withLock {
            while head == entries.count {
                if closed || !lock.wait(until: deadline) { return nil }
            }
            return entries[head]
        }
    }

    /// Acknowledges the oldest batch if it is still `sequence` (it may have been dropped meanwhile).
    func removeFirst(ifSequence sequence: UInt64) {
        lock.withLock {
            if head < entries.count, entries[head].sequence == sequence {
                head += 1
                compactIfNeeded()
            }
        }
    }

    var count: Int { lock.withLock { entries.count - head } }

    var stats: (dropped: Int, droppedSamples: Int) { lock.withLock { (droppedBatches, droppedSamples) } }

    /// Wakes waiters; `first` returns nil once the queue is empty.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
    }

    /// Waits until the queue is empty or the deadline passes; returns whether it emptied.
    func waitUntilEmpty(deadline: Int64) -> Bool {
        while MonotonicClock.now() < deadline {
            if count == 0 { return true }
            MonotonicClock.sleep(until: min(deadline, MonotonicClock.now() + 10_000_000))
        }
        return count == 0
    }

    private func compactIfNeeded() {
        if head > 64 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
