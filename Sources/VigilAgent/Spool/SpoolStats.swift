/// A snapshot of a spool's counters.
public struct SpoolStats: Equatable, Sendable {
    /// Batches appended and not yet acknowledged.
    public var pendingBatches: Int
    /// Bytes of all segment files, headers and acknowledgement records included.
    public var bytes: Int
    public var segments: Int
    /// Batches appended since the spool was opened.
    public var appendedBatches: Int
    /// Batches lost since the spool was opened: to the size cap, to write errors, to
    /// records that no longer read back intact.
    public var droppedBatches: Int
    public var droppedSamples: Int
    /// fdatasync calls on segments since the spool was opened.
    public var syncs: Int
}

/// A batch read back from the spool for sending.
public struct SpooledBatch: Equatable, Sendable {
    public let position: SpoolPosition
    public let sequence: UInt64
    public let samples: Int
    public let body: [UInt8]
    /// Whether the batch is older than the newest appended tick (paced while draining).
    public let isBacklog: Bool
}
