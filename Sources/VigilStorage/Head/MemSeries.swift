import VigilModel

/// One series in the head: its WAL ref, its in-order samples (strictly
/// increasing: cut chunks in the head chunk files, reached from the newest through the link
/// in each chunk's header, then the open chunk on the heap), and the samples that arrived out
/// of order (on the heap).
///
/// A series in the head holds at least one sample: the head creates it together with its
/// first and removes it when a block cut leaves it empty. No timestamp is stored twice, but
/// chunks are never rewritten: the in-order samples before `inOrderMinTime`, which a block
/// cut took, may remain in the oldest chunk, and every read skips them.
/// Its labels are kept by its shard, as symbol ids (`ShardState.labels(of:)`).
struct MemSeries {
    let ref: UInt64
    // The in-order samples; changed only by `append` and `truncate` (MemSeries+Truncate.swift).
    /// The newest cut chunk, when `cutChunkCount > 0`.
    var newestChunk = HeadChunkRef.none
    /// The oldest in-order sample's timestamp, when the open chunk holds a sample: kept here so
    /// that a block cut, which asks every series for its oldest sample, reads no chunk.
    var inOrderMinTime: Int64 = 0
    var open = ChunkAppender()
    /// Cut chunks from `newestChunk` back; the oldest one's link is not followed.
    var cutChunkCount: UInt32 = 0
    /// Boxed so a series without out-of-order samples pays one pointer; copied on write.
    private var outOfOrderBox: OutOfOrderBox?

    var outOfOrder: OutOfOrderSamples? {
        get { outOfOrderBox?.samples }
        set { outOfOrderBox = newValue.map(OutOfOrderBox.init) }
    }

    init(ref: UInt64) {
        self.ref = ref
    }

    enum Disposition: Equatable {
        case appended
        /// Appended, and the full open chunk was cut first.
        case appendedAfterCut
        /// Stored among the out-of-order samples: older than the newest in-order sample.
        case outOfOrder
        /// Dropped: the series already has a sample at this timestamp.
        case duplicate
    }

    /// The newest timestamp of any sample held (in order or not).
    var newestTimestamp: Int64 {
        max(open.count > 0 ? open.lastTimestamp : Int64.min, outOfOrder?.maxTime ?? Int64.min)
    }

    /// The oldest timestamp of any sample held. Reads no chunk.
    var oldestTimestamp: Int64 {
        min(open.count > 0 ? inOrderMinTime : Int64.max, outOfOrder?.minTime ?? Int64.max)
    }

    var isEmpty: Bool { open.count == 0 && (outOfOrder?.isEmpty ?? true) }

    /// Cut chunks, the open chunk and the out-of-order chunks.
    var chunkCount: Int {
        Int(cutChunkCount) + (open.count > 0 ? 1 : 0) + (outOfOrder?.chunkCount ?? 0)
    }

    /// Appends a sample; a full open chunk is first cut into `files`, linked to the newest cut
    /// chunk. Out-of-order samples older than the open chunk are checked against the cut
    /// chunks, read through `files.registry`.
    @inline(__always)
    mutating func append(timestamp: Int64, value: Double, cuttingInto files: HeadChunkFiles) -> Disposition {
        if open.count > 0, timestamp <= open.lastTimestamp {
            return appendOutOfOrder(timestamp: timestamp, value: value, files: files)
        }
        if let box = outOfOrderBox, timestamp <= box.samples.maxTime, box.samples.contains(timestamp) {
            return .duplicate
        }
        if open.isFull {
            newestChunk = files.cut(open, previous: cutChunkCount > 0 ? newestChunk : .none)
            cutChunkCount += 1
            open.restart()
            open.append(timestamp: timestamp, value: value)
            return .appendedAfterCut
        }
        if open.count == 0 { inOrderMinTime = timestamp }
        open.append(timestamp: timestamp, value: value)
        return .appended
    }

    private mutating func appendOutOfOrder(timestamp: Int64, value: Double, files: HeadChunkFiles) -> Disposition {
        if timestamp == open.lastTimestamp || inOrderContains(timestamp, files: files) { return .duplicate }
        if outOfOrderBox?.samples.contains(timestamp) ?? false { return .duplicate }
        if outOfOrderBox == nil {
            outOfOrderBox = OutOfOrderBox(OutOfOrderSamples())
        } else if !isKnownUniquelyReferenced(&outOfOrderBox!) {
            outOfOrderBox = OutOfOrderBox(outOfOrderBox!.samples)
        }
        outOfOrderBox!.samples.insert(Sample(timestamp: timestamp, value: value))
        return .outOfOrder
    }

    /// Whether an in-order sample has this timestamp (older than the newest). Cut chunks are
    /// read through `files.registry`, under the shard lock like every append.
    private func inOrderContains(_ timestamp: Int64, files: HeadChunkFiles) -> Bool {
        guard timestamp >= inOrderMinTime else { return false }
        var hit = false
        func scan(_ iterator: inout ChunkIterator) {
            while let sample = iterator.next(), sample.timestamp <= timestamp {
                if sample.timestamp == timestamp { hit = true }
            }
        }
        if timestamp >= open.firstTimestamp {
            open.withIterator(scan)
            return hit
        }
        let chunks = files.registry
        chunks.walk(from: newestChunk, count: Int(cutChunkCount)) { ref, header in
            guard header.minTime <= timestamp else { return true }
            if header.maxTime >= timestamp { _ = chunks.withIterator(ref, header, scan) }
            return false
        }
        return hit
    }

    /// Heap bytes held by the open and out-of-order chunks (the series' own struct and labels
    /// are counted by the shard). Cut chunks hold none per series: the newest chunk's ref is
    /// in the struct, the rest are linked from the chunk headers, and a chunk whose write
    /// failed is counted with its heap arena (`HeadChunkFiles.heapBytes`).
    var chunkHeapBytes: Int {
        open.heapBytes + (outOfOrder?.heapBytes ?? 0)
    }
}

/// The heap box of a series' out-of-order samples; `MemSeries` copies it before mutating a
/// shared one, so copies of a series (block cuts take them) keep value semantics.
///
/// Sendable because a box is only mutated while uniquely referenced (checked with
/// `isKnownUniquelyReferenced`): a box another copy can see is never written.
final class OutOfOrderBox: @unchecked Sendable {
    var samples: OutOfOrderSamples

    init(_ samples: OutOfOrderSamples) {
        self.samples = samples
    }
}
