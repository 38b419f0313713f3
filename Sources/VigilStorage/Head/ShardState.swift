import VigilModel

/// The series one shard owns, found by label hash, and its postings index.
///
/// Lives inside `Shard`'s mutex; every member assumes the caller holds it.
struct ShardState {
    private(set) var series: ContiguousArray<MemSeries> = []
    /// stableHash → index of the first series with that hash.
    private var byHash: [UInt64: UInt32] = [:]
    /// Series whose hash is already taken by other labels (64-bit collisions: rare).
    private var collided: [Labels: UInt32] = [:]
    private(set) var postings = Postings()
    private(set) var sampleCount = 0
    private(set) var cutChunkCount = 0

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
        let disposition = series[Int(index)].append(timestamp: timestamp, value: value)
        switch disposition {
        case .appended: sampleCount += 1
        case .appendedAfterCut:
            sampleCount += 1
            cutChunkCount += 1
        case .duplicate, .outOfOrder: break
        }
        return disposition
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
