import Logging

/// Which waiting batch the shipper gets first after an outage.
public enum DrainOrder: String, CaseIterable, Equatable, Sendable {
    /// The backlog in the order it was sampled, then the present. Every sample arrives in
    /// time order, which a collector that drops out-of-order samples needs.
    case oldestFirst = "oldest_first"
    /// The newest tick first, then the backlog, so alerting sees the present at once. Only
    /// loses nothing with a collector that stores out-of-order samples.
    case freshFirst = "fresh_first"
}

/// The agent's disk spool: every batch is appended to a segment file (docs/formats/spool.md)
/// before it is sent, and stays until the collector acknowledges it. A restarted agent
/// resends what was not acknowledged, in append order.
///
/// Thread-safe: the sampler appends while the shipper reads and acknowledges; one lock
/// serialises every file operation. Batch bodies are read back from disk when sent, so
/// memory holds only a 16-byte index entry per unacknowledged batch.
///
/// Nothing is dropped silently: the size cap, failed writes and records that no longer
/// read back intact count in `stats.droppedBatches` and are logged.
public final class Spool: @unchecked Sendable {
    let lock = ConditionLock()
    var directory: SpoolDirectory
    var options: SpoolOptions
    let logger: Logger
    let now: @Sendable () -> Int64
    /// Oldest first; the last one is appended to.
    var segments: [Segment] = []
    var nextSegmentIndex: UInt64 = 1
    var pending = PendingBatches()
    /// The first record of the newest `append`: batches from there on are fresh.
    var freshFrom: SpoolPosition?
    /// When the oldest write not yet synced happened (monotonic ns); nil when all is synced.
    var unsyncedSince: Int64?
    var closed = false
    var counters = SpoolStats(pendingBatches: 0, bytes: 0, segments: 0, appendedBatches: 0, droppedBatches: 0, droppedSamples: 0, syncs: 0)
    var record: [UInt8] = []

    struct Segment {
        let index: UInt64
        var file: SpoolFile
        var bytes: Int
        /// Unacknowledged batch records in this segment.
        var pending: Int
    }

    init(directory: SpoolDirectory, options: SpoolOptions, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.directory = directory
        path = directory.path
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// The spool directory.
    public let path: String

    /// Appends one tick's batches, in order, and makes them the fresh ones. Syncs them before
    /// returning under `.always`. Never throws: a batch that cannot be written (disk full,
    /// I/O error, larger than the cap) is dropped, counted and logged.
    public func append(_ batches: [OutgoingBatch]) {
        lock.withLock {
            guard !closed else { return }
            var first: SpoolPosition?
            for batch in batches {
                if let position = appendLocked(batch) { first = first ?? position }
            }
            if let first { freshFrom = first }
            if options.sync == .always { syncLocked() } else { syncIfDueLocked() }
            lock.broadcast()
        }
    }

    /// The next batch to send, waiting until the monotonic `deadline` (ns) for one; nil on
    /// timeout or once closed. Fresh batches are those of the newest `append`; the others
    /// (the backlog) are returned only when `includingBacklog` is set. The batch stays in the
    /// spool (and is returned again) until `acknowledge` is called with its position.
    public func next(order: DrainOrder, includingBacklog: Bool, waitingUntil deadline: Int64) -> SpooledBatch? {
        lock.withLock {
            while !closed {
                while let (entry, isBacklog) = pick(order: order, includingBacklog: includingBacklog) {
                    if let batch = readLocked(entry, isBacklog: isBacklog) { return batch }
                }
                if !lock.wait(until: deadline) { return nil }
            }
            return nil
        }
    }

    /// Marks the batch at `position` delivered (or finally rejected): it is never returned
    /// again, and its segment is deleted once every batch in it is acknowledged. Ignores a
    /// position that is no longer pending (acknowledged already, or dropped by the cap).
    public func acknowledge(_ position: SpoolPosition) {
        lock.withLock {
            guard !closed, pending.acknowledge(position) != nil else { return }
            if let index = segments.firstIndex(where: { $0.index == position.segment }) { segments[index].pending -= 1 }
            writeAckLocked(position)
            removeAcknowledgedSegmentsLocked()
        }
    }

    public var stats: SpoolStats {
        lock.withLock {
            var stats = counters
            stats.pendingBatches = pending.count
            stats.bytes = segments.reduce(0) { $0 + $1.bytes }
            stats.segments = segments.count
            return stats
        }
    }

    /// Applies a changed cap or sync policy from the next append on.
    public func update(_ options: SpoolOptions) {
        lock.withLock { self.options = options }
    }

    /// Syncs if the `.interval` policy's time has come; the shipper calls this while idle.
    public func syncIfDue() {
        lock.withLock { if !closed { syncIfDueLocked() } }
    }

    /// Syncs what was written, whatever the policy, and closes the spool: later calls do
    /// nothing and waiting `next` calls return nil. Releases the directory lock.
    public func close() {
        lock.withLock {
            guard !closed else { return }
            syncLocked()
            closed = true
            for index in segments.indices { segments[index].file.close() }
            directory.unlock()
            lock.broadcast()
        }
    }

    deinit {
        close()
    }

    private func pick(order: DrainOrder, includingBacklog: Bool) -> (PendingBatch, Bool)? {
        let fresh = freshFrom.flatMap { pending.oldest(atOrAfter: $0) }
        switch order {
        case .freshFirst:
            if let fresh { return (fresh, false) }
            return includingBacklog ? pending.oldest.map { ($0, true) } : nil
        case .oldestFirst:
            guard let oldest = pending.oldest else { return nil }
            let isBacklog = freshFrom.map { oldest.position < $0 } ?? true
            return !isBacklog || includingBacklog ? (oldest, isBacklog) : nil
        }
    }
}
