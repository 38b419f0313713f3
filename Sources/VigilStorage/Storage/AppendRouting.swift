import VigilModel

/// Where each series of a batch goes: its stable hash and its shard, with batch indexes
/// grouped by shard so an append takes each shard's lock once. Computed before the append
/// lock is taken, together with the checks that reject a whole batch (no labels, label
/// limits). Series without samples are left out.
struct AppendRouting {
    let hashes: [UInt64]
    /// Batch indexes grouped by shard: shard `s` owns `order[starts[s]..<starts[s + 1]]`.
    let order: [Int]
    let starts: [Int]
    /// The first sample's timestamp, a base for the WAL record's timestamp deltas.
    let baseTimestamp: Int64
    /// The newest timestamp in the batch; `Int64.min` when it has no samples.
    let maxTimestamp: Int64

    init(labels: [Labels], samples: PackedSamples, shardCount: Int, limits: StorageOptions) throws(StorageError) {
        precondition(labels.count == samples.seriesCount, "bug: \(labels.count) label sets for \(samples.seriesCount) runs")
        var hashes = [UInt64](repeating: 0, count: labels.count)
        var shardOf = [Int](repeating: -1, count: labels.count)
        var counts = [Int](repeating: 0, count: shardCount + 1)
        for i in labels.indices where !samples.range(ofSeries: i).isEmpty {
            guard !labels[i].isEmpty else {
                throw StorageError(.invalidSeries,
                    "series \(i) of the batch has no labels; every series needs at least a metric name. "
                    + "Nothing from this batch was appended")
            }
            try Self.checkLimits(labels[i], at: i, limits)
            let hash = labels[i].stableHash
            hashes[i] = hash
            let shard = Int(hash % UInt64(shardCount))
            shardOf[i] = shard
            counts[shard + 1] += 1
        }
        for s in 0..<shardCount { counts[s + 1] += counts[s] }
        starts = counts
        var next = counts
        var order = [Int](repeating: 0, count: counts[shardCount])
        for i in labels.indices where shardOf[i] >= 0 {
            order[next[shardOf[i]]] = i
            next[shardOf[i]] += 1
        }
        self.hashes = hashes
        self.order = order
        (baseTimestamp, maxTimestamp) = Self.timeBounds(samples)
    }

    /// The routing a placement recorded, for a batch of the same series.
    init(placement: SeriesPlacement, samples: PackedSamples) {
        hashes = []
        order = placement.order
        starts = placement.starts
        (baseTimestamp, maxTimestamp) = Self.timeBounds(samples)
    }

    /// The first sample's timestamp (0 without samples) and the newest (`Int64.min` without).
    private static func timeBounds(_ samples: PackedSamples) -> (base: Int64, newest: Int64) {
        samples.samples.withUnsafeBufferPointer { all in
            guard let first = all.first else { return (0, Int64.min) }
            var newest = Int64.min
            for position in all.indices where all[position].timestamp > newest { newest = all[position].timestamp }
            return (first.timestamp, newest)
        }
    }

    func indexes(ofShard shard: Int) -> ArraySlice<Int> {
        order[starts[shard]..<starts[shard + 1]]
    }

    private static func checkLimits(_ labels: Labels, at index: Int, _ limits: StorageOptions) throws(StorageError) {
        // Borrowing the pairs through a buffer keeps this loop free of retain/release: it runs
        // for every series of every batch.
        let most = (labels: limits.maxLabelsPerSeries ?? Int.max, name: limits.maxLabelNameBytes ?? Int.max,
                    value: limits.maxLabelValueBytes ?? Int.max)
        let within = labels.pairs.withUnsafeBufferPointer { pairs in
            guard pairs.count <= most.labels else { return false }
            for position in pairs.indices
            where pairs[position].name.utf8.count > most.name || pairs[position].value.utf8.count > most.value {
                return false
            }
            return true
        }
        guard !within else { return }
        func refuse(_ problem: String, _ option: String) -> StorageError {
            StorageError(.labelLimit, "series \(index) of the batch (\(labels.metricName ?? "no metric name")): \(problem) "
                + "(\(option)); nothing from this batch was appended. Fix the producer's labels or raise \(option)")
        }
        if labels.count > most.labels {
            throw refuse("\(labels.count) labels, more than \(most.labels)", "maxLabelsPerSeries")
        }
        for label in labels {
            if label.name.utf8.count > most.name {
                throw refuse("label name \"\(label.name.prefix(64))…\" has \(label.name.utf8.count) bytes, more than \(most.name)",
                             "maxLabelNameBytes")
            }
            if label.value.utf8.count > most.value {
                throw refuse("the value of label \(label.name.prefix(64)) has \(label.value.utf8.count) bytes, more than \(most.value)",
                             "maxLabelValueBytes")
            }
        }
    }
}
