import VigilModel

/// Where each series of a batch goes: its stable hash and its shard, with batch indexes
/// grouped by shard so an append takes each shard's lock once. Computed before the append
/// lock is taken. Series without samples are left out.
struct AppendRouting {
    let hashes: [UInt64]
    /// Batch indexes grouped by shard: shard `s` owns `order[starts[s]..<starts[s + 1]]`.
    let order: [Int]
    let starts: [Int]
    /// The first sample's timestamp, a base for the WAL record's timestamp deltas.
    let baseTimestamp: Int64

    init(_ batch: [SeriesSamples], shardCount: Int) throws(StorageError) {
        var hashes = [UInt64](repeating: 0, count: batch.count)
        var shardOf = [Int](repeating: -1, count: batch.count)
        var counts = [Int](repeating: 0, count: shardCount + 1)
        var base: Int64?
        for i in batch.indices where !batch[i].samples.isEmpty {
            guard !batch[i].labels.isEmpty else {
                throw StorageError(.invalidSeries,
                    "series \(i) of the batch has no labels; every series needs at least a metric name. "
                    + "Nothing from this batch was appended")
            }
            let hash = batch[i].labels.stableHash
            hashes[i] = hash
            let shard = Int(hash % UInt64(shardCount))
            shardOf[i] = shard
            counts[shard + 1] += 1
            if base == nil { base = batch[i].samples[0].timestamp }
        }
        for s in 0..<shardCount { counts[s + 1] += counts[s] }
        starts = counts
        var next = counts
        var order = [Int](repeating: 0, count: counts[shardCount])
        for i in batch.indices where shardOf[i] >= 0 {
            order[next[shardOf[i]]] = i
            next[shardOf[i]] += 1
        }
        self.hashes = hashes
        self.order = order
        self.baseTimestamp = base ?? 0
    }

    func indexes(ofShard shard: Int) -> ArraySlice<Int> {
        order[starts[shard]..<starts[shard + 1]]
    }
}
