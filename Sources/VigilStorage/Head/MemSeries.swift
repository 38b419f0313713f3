import VigilModel

/// One series in the head: its labels, its WAL ref, cut chunks (references into the head
/// chunk files) and the open chunk (the in-order samples, strictly increasing), and the
/// samples that arrived out of order (on the heap).
///
/// A series in the head holds at least one sample: the head creates it together with its
/// first and removes it when a block cut leaves it empty. No timestamp is stored twice.
struct MemSeries {
    let labels: Labels
    let ref: UInt64
    // Changed only by `append` and `truncate` (MemSeries+Truncate.swift).
    var chunks: ContiguousArray<HeadChunkRef> = []
    var open = ChunkAppender()
    /// Boxed so a series without out-of-order samples pays one pointer; copied on write.
    private var outOfOrderBox: OutOfOrderBox?

    var outOfOrder: OutOfOrderSamples? {
        get { outOfOrderBox?.samples }
        set { outOfOrderBox = newValue.map(OutOfOrderBox.init) }
    }

    init(labels: Labels, ref: UInt64) {
        self.labels = labels
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

    /// The oldest timestamp of any sample held.
    var oldestTimestamp: Int64 {
        let inOrder = chunks.first?.minTime ?? (open.count > 0 ? open.firstTimestamp : Int64.max)
        return min(inOrder, outOfOrder?.minTime ?? Int64.max)
    }

    var isEmpty: Bool { open.count == 0 && (outOfOrder?.isEmpty ?? true) }

    var sampleCount: Int {
        var total = open.count + (outOfOrder?.count ?? 0)
        for chunk in chunks { total += chunk.count }
        return total
    }

    /// Cut chunks, the open chunk and the out-of-order chunks.
    var chunkCount: Int {
        chunks.count + (open.count > 0 ? 1 : 0) + (outOfOrder?.chunkCount ?? 0)
    }

    /// Appends a sample; a full open chunk is first cut into `files`.
    @inline(__always)
    mutating func append(timestamp: Int64, value: Double, cuttingInto files: HeadChunkFiles) -> Disposition {
        if open.count > 0, timestamp <= open.lastTimestamp {
            return appendOutOfOrder(timestamp: timestamp, value: value)
        }
        if let box = outOfOrderBox, timestamp <= box.samples.maxTime, box.samples.contains(timestamp) {
            return .duplicate
        }
        if open.isFull {
            // Grown by one: a series holds few cut chunks (5 in a 2 h head at 10 s), and
            // doubling would leave a third of the array empty on average.
            if chunks.count == chunks.capacity, chunks.count < 16 { chunks.reserveCapacity(chunks.count + 1) }
            chunks.append(files.cut(open))
            open.restart()
            open.append(timestamp: timestamp, value: value)
            return .appendedAfterCut
        }
        open.append(timestamp: timestamp, value: value)
        return .appended
    }

    private mutating func appendOutOfOrder(timestamp: Int64, value: Double) -> Disposition {
        if timestamp == open.lastTimestamp || inOrderContains(timestamp) { return .duplicate }
        if outOfOrderBox?.samples.contains(timestamp) ?? false { return .duplicate }
        if outOfOrderBox == nil {
            outOfOrderBox = OutOfOrderBox(OutOfOrderSamples())
        } else if !isKnownUniquelyReferenced(&outOfOrderBox!) {
            outOfOrderBox = OutOfOrderBox(outOfOrderBox!.samples)
        }
        outOfOrderBox!.samples.insert(Sample(timestamp: timestamp, value: value))
        return .outOfOrder
    }

    /// Whether an in-order sample has this timestamp (older than the newest).
    private func inOrderContains(_ timestamp: Int64) -> Bool {
        var hit = false
        func scan(_ iterator: inout ChunkIterator) {
            while let sample = iterator.next(), sample.timestamp <= timestamp {
                if sample.timestamp == timestamp { hit = true }
            }
        }
        if open.count > 0, timestamp >= open.firstTimestamp {
            open.withIterator(scan)
            return hit
        }
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].maxTime < timestamp { low = middle + 1 } else { high = middle }
        }
        guard low < chunks.count, chunks[low].minTime <= timestamp else { return false }
        _ = chunks[low].withIterator(scan)
        return hit
    }

    /// Samples with `from <= timestamp <= through`, oldest first, in order or not.
    func samples(from: Int64, through: Int64) -> [Sample] {
        let inOrder = inOrderSamples(from: from, through: through)
        guard let outOfOrder else { return inOrder }
        return SampleMerge.merge([inOrder, outOfOrder.samples(from: from, through: through)])
    }

    private func inOrderSamples(from: Int64, through: Int64) -> [Sample] {
        var result: [Sample] = []
        guard from <= through, open.count > 0 else { return result }
        func collect(_ iterator: inout ChunkIterator) {
            while let sample = iterator.next(), sample.timestamp <= through {
                if sample.timestamp >= from { result.append(sample) }
            }
        }
        for chunk in chunks where chunk.maxTime >= from && chunk.minTime <= through {
            _ = chunk.withIterator(collect)
        }
        if open.lastTimestamp >= from, open.firstTimestamp <= through {
            open.withIterator(collect)
        }
        return result
    }

    /// The newest sample at or before `at`, if it is not before `notBefore`.
    func latest(at: Int64, notBefore: Int64) -> Sample? {
        var found = inOrderLatest(at: at)
        if let outOfOrder, outOfOrder.minTime <= at, found.map({ $0.timestamp < outOfOrder.maxTime }) ?? true {
            let lowest = found.map { $0.timestamp &+ 1 } ?? notBefore
            if let candidate = outOfOrder.samples(from: max(lowest, notBefore), through: at).last { found = candidate }
        }
        guard let found, found.timestamp >= notBefore else { return nil }
        return found
    }

    private func inOrderLatest(at: Int64) -> Sample? {
        guard open.count > 0 else { return nil }
        if open.lastTimestamp <= at { return open.lastSample }
        if open.firstTimestamp <= at { return open.withIterator { Self.last(in: &$0, atOrBefore: at) } }
        guard let chunk = chunks.last(where: { $0.minTime <= at }) else { return nil }
        return chunk.withIterator { Self.last(in: &$0, atOrBefore: at) } ?? nil
    }

    private static func last(in iterator: inout ChunkIterator, atOrBefore at: Int64) -> Sample? {
        var last: Sample?
        while let sample = iterator.next(), sample.timestamp <= at { last = sample }
        return last
    }

    /// Heap bytes held by the chunks (the series' own struct and labels are counted by the
    /// shard); cut chunks count their reference only, unless a failed write left them on the heap.
    var chunkHeapBytes: Int {
        var bytes = open.heapBytes + (outOfOrder?.heapBytes ?? 0)
        for chunk in chunks { bytes += chunk.heapBytes }
        if !chunks.isEmpty { bytes += chunks.capacity * MemoryLayout<HeadChunkRef>.stride + ChunkFormat.arrayOverhead }
        return bytes
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
