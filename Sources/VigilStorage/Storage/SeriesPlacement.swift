import Synchronization

/// Where the series of one batch layout sit in the head: for each position of the batch, its
/// series' shard and index. `Storage.append(labels:samples:idempotencyKey:)` returns one;
/// passing it back with a later batch of the same series in the same order
/// (`append(placement:samples:idempotencyKey:)`) skips hashing, checking and looking up every
/// label set, which is most of an append's cost when each series brings one sample.
///
/// A placement is valid for the store that made it until a block cut removes series from the
/// head and renumbers shards; then that append reports it stale, appends nothing, and the
/// caller appends with labels again to get a new one.
public struct SeriesPlacement: Sendable {
    let storageID: UInt64
    /// The head's generation when the placement was made (`Storage.AppendState.headGeneration`).
    let generation: UInt64
    /// Batch positions grouped by shard: shard `s` owns `order[starts[s]..<starts[s + 1]]`.
    let order: [Int]
    let starts: [Int]
    /// The series' index in its shard, per batch position.
    let indexes: [UInt32]

    /// How many series (batch positions) the placement covers.
    public var seriesCount: Int { indexes.count }
}

/// Numbers `Storage` instances, so a placement is never used with another store.
let storageInstances = Atomic<UInt64>(0)
