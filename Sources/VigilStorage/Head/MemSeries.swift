import VigilModel

/// One series in the head: its labels, its WAL ref, cut chunks and the open chunk.
///
/// A series always holds at least one sample: the head creates it together with its first.
struct MemSeries {
    let labels: Labels
    let ref: UInt64
    private(set) var chunks: ContiguousArray<Chunk> = []
    private(set) var open = ChunkAppender()

    init(labels: Labels, ref: UInt64) {
        self.labels = labels
        self.ref = ref
    }

    enum Disposition {
        case appended
        /// Appended, and the full open chunk was cut first.
        case appendedAfterCut
        case duplicate
        case outOfOrder
    }

    var lastTimestamp: Int64 { open.lastTimestamp }

    @inline(__always)
    mutating func append(timestamp: Int64, value: Double) -> Disposition {
        if open.count > 0, timestamp <= open.lastTimestamp {
            return timestamp == open.lastTimestamp ? .duplicate : .outOfOrder
        }
        if open.isFull {
            chunks.append(Chunk(open))
            open = ChunkAppender()
            open.append(timestamp: timestamp, value: value)
            return .appendedAfterCut
        }
        open.append(timestamp: timestamp, value: value)
        return .appended
    }

    /// Samples with `from <= timestamp <= through`, oldest first.
    func samples(from: Int64, through: Int64) -> [Sample] {
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
        guard open.count > 0 else { return nil }
        let found: Sample?
        if open.lastTimestamp <= at {
            found = open.lastSample
        } else if open.firstTimestamp <= at {
            found = open.withIterator { Self.last(in: &$0, atOrBefore: at) }
        } else if let chunk = chunks.last(where: { $0.minTime <= at }) {
            found = chunk.withIterator { Self.last(in: &$0, atOrBefore: at) } ?? nil
        } else {
            found = nil
        }
        guard let found, found.timestamp >= notBefore else { return nil }
        return found
    }

    private static func last(in iterator: inout ChunkIterator, atOrBefore at: Int64) -> Sample? {
        var last: Sample?
        while let sample = iterator.next(), sample.timestamp <= at { last = sample }
        return last
    }

    /// Heap bytes held by the chunks (the series' own struct and labels are counted by the shard).
    var chunkHeapBytes: Int {
        var bytes = open.heapBytes
        for chunk in chunks { bytes += chunk.heapBytes }
        if !chunks.isEmpty { bytes += chunks.capacity * MemoryLayout<Chunk>.stride + ChunkFormat.arrayOverhead }
        return bytes
    }
}
