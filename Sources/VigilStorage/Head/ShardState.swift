import VigilModel

/// The series one shard owns, found by label hash, and its postings index.
///
/// Lives inside `Shard`'s mutex; every member assumes the caller holds it. A series' index
/// is stable until `removeEmptySeries` renumbers the shard after a block cut.
struct ShardState {
    /// Where the series' full chunks go (shared by all shards of a store).
    let chunkFiles: HeadChunkFiles
    private(set) var series: ContiguousArray<MemSeries> = []
    /// stableHash → index of the first series with that hash.
    private var byHash: [UInt64: UInt32] = [:]
    /// Series whose hash is already taken by other labels (64-bit collisions: rare).
    private var collided: [Labels: UInt32] = [:]
    private(set) var postings = Postings()
    private(set) var sampleCount = 0

    init(chunkFiles: HeadChunkFiles) {
        self.chunkFiles = chunkFiles
    }

    /// The index of the series with these labels, given their `stableHash`.
    @inline(__always)
    func find(_ labels: Labels, hash: UInt64) -> UInt32? {
        guard let index = byHash[hash] else { return nil }
        if series[Int(index)].labels == labels { return index }
        return collided.isEmpty ? nil : collided[labels]
    }

    /// Adds a series that `find` did not find; it must receive a sample right away.
    mutating func create(_ labels: Labels, hash: UInt64, ref: UInt64) -> UInt32 {
        precondition(series.count < UInt32.max, "bug: shard series index overflow")
        let index = UInt32(series.count)
        let interned = postings.add(labels, index: index)
        series.append(MemSeries(labels: interned, ref: ref))
        if byHash[hash] == nil {
            byHash[hash] = index
        } else {
            collided[interned] = index
        }
        return index
    }

    @inline(__always)
    mutating func append(timestamp: Int64, value: Double, to index: UInt32) -> MemSeries.Disposition {
        let disposition = series[Int(index)].append(timestamp: timestamp, value: value, cuttingInto: chunkFiles)
        if disposition != .duplicate { sampleCount += 1 }
        return disposition
    }

    /// Copies of the series holding samples at or before `through`, with their indexes, and
    /// the registry that resolves their cut chunks (taken here, with the copies: see
    /// `HeadChunkRegistry`). Copies share chunk storage with the head, so this costs little,
    /// and reads no chunk.
    func seriesHolding(through: Int64) -> (series: [(index: UInt32, series: MemSeries)], chunks: HeadChunkRegistry) {
        var result: [(index: UInt32, series: MemSeries)] = []
        for (index, one) in series.enumerated() where one.oldestTimestamp <= through {
            result.append((UInt32(index), one))
        }
        return (result, chunkFiles.registry)
    }

    /// See `MemSeries.truncate`; keeps the shard's sample count.
    mutating func truncate(_ index: UInt32, through: Int64, persisted: Int, persistedTimestamps: () -> [Int64]) {
        sampleCount -= series[Int(index)].truncate(through: through, persisted: persisted, in: chunkFiles.registry,
                                                  persistedTimestamps: persistedTimestamps)
    }

    /// Drops series left without samples and renumbers the rest (hash map and postings are
    /// rebuilt). Returns how many were removed.
    mutating func removeEmptySeries() -> Int {
        let before = series.count
        guard series.contains(where: \.isEmpty) else { return 0 }
        let kept = series.filter { !$0.isEmpty }
        series = []
        byHash = [:]
        collided = [:]
        postings = Postings()
        series.reserveCapacity(kept.count)
        for one in kept {
            let index = UInt32(series.count)
            _ = postings.add(one.labels, index: index)
            let hash = one.labels.stableHash
            if byHash[hash] == nil { byHash[hash] = index } else { collided[one.labels] = index }
            series.append(one)
        }
        return before - kept.count
    }

    /// Cut, open and out-of-order chunks of every series.
    var chunkCount: Int {
        series.reduce(0) { $0 + $1.chunkCount }
    }

    /// Approximate heap bytes of the shard: series table, labels, chunks, hash map, postings.
    var heapBytes: Int {
        var bytes = series.capacity * MemoryLayout<MemSeries>.stride
        bytes += byHash.capacity * (MemoryLayout<UInt64>.stride + MemoryLayout<UInt32>.stride + 1)
        bytes += collided.capacity * 16
        bytes += postings.heapBytes
        for one in series {
            bytes += ChunkFormat.arrayOverhead + one.labels.count * MemoryLayout<Label>.stride
            bytes += one.chunkHeapBytes
        }
        return bytes
    }
}
