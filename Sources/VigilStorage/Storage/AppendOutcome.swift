import VigilModel

/// Identifies one batch of one producer, so that a retried batch is stored once.
public struct IdempotencyKey: Hashable, Sendable {
    /// Who sent the batch, for example an agent id.
    public var producer: String
    /// The producer's batch number; each new batch takes a new one.
    public var sequence: UInt64

    public init(producer: String, sequence: UInt64) {
        self.producer = producer
        self.sequence = sequence
    }
}

/// What `Storage.append` did with a batch.
public enum AppendOutcome: Sendable, Equatable {
    case appended(AppendSummary)
    /// The idempotency key was already durable; nothing was appended.
    case duplicate
}

/// Counts for one appended batch.
public struct AppendSummary: Sendable, Equatable {
    /// Samples stored, out-of-order ones included.
    public var samples: Int
    /// Series created by this batch.
    public var newSeries: Int
    /// Samples dropped because their series already has a sample at that timestamp in the
    /// head (a duplicate of a sample already in a block is stored and merged away by queries
    /// and compaction).
    public var duplicateSamples: Int
    /// Samples among `samples` that were older than their series' newest sample (backfill,
    /// a replayed spool): stored apart from the in-order chunks and merged by queries.
    public var outOfOrderSamples: Int

    public init(samples: Int = 0, newSeries: Int = 0, duplicateSamples: Int = 0, outOfOrderSamples: Int = 0) {
        self.samples = samples
        self.newSeries = newSeries
        self.duplicateSamples = duplicateSamples
        self.outOfOrderSamples = outOfOrderSamples
    }
}
