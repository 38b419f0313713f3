import VigilModel

/// Samples of one series that arrived older than its newest in-order sample (backfill, a
/// spool replayed after an outage), kept apart so the in-order chunks stay append-only.
///
/// New samples go into a small sorted buffer; every `chunkSamples` of them are frozen into a
/// chunk. Chunks are each sorted but may overlap one another; readers merge. The caller
/// checks a timestamp is not stored anywhere in the series before inserting it, so no
/// timestamp appears twice.
struct OutOfOrderSamples {
    static let chunkSamples = 120

    private(set) var chunks: [Chunk] = []
    private(set) var pending: [Sample] = []
    private(set) var count = 0
    private(set) var minTime = Int64.max
    private(set) var maxTime = Int64.min

    init() {}

    /// Builds the buffer from samples sorted by time with unique timestamps.
    init(sorted samples: [Sample]) {
        var start = 0
        while samples.count - start >= Self.chunkSamples {
            chunks.append(Chunk(samples[start..<(start + Self.chunkSamples)]))
            start += Self.chunkSamples
        }
        pending = Array(samples[start...])
        count = samples.count
        minTime = samples.first?.timestamp ?? Int64.max
        maxTime = samples.last?.timestamp ?? Int64.min
    }

    var isEmpty: Bool { count == 0 }

    func contains(_ timestamp: Int64) -> Bool {
        guard timestamp >= minTime, timestamp <= maxTime else { return false }
        if Self.position(of: timestamp, in: pending).found { return true }
        for chunk in chunks where chunk.minTime <= timestamp && chunk.maxTime >= timestamp {
            var hit = false
            _ = chunk.withIterator { iterator in
                while let sample = iterator.next(), sample.timestamp <= timestamp {
                    if sample.timestamp == timestamp { hit = true }
                }
            }
            if hit { return true }
        }
        return false
    }

    mutating func insert(_ sample: Sample) {
        let (index, _) = Self.position(of: sample.timestamp, in: pending)
        pending.insert(sample, at: index)
        count += 1
        minTime = min(minTime, sample.timestamp)
        maxTime = max(maxTime, sample.timestamp)
        if pending.count >= Self.chunkSamples {
            chunks.append(Chunk(pending[...]))
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Samples with `from <= timestamp <= through`, oldest first.
    func samples(from: Int64, through: Int64) -> [Sample] {
        guard from <= through, through >= minTime, from <= maxTime else { return [] }
        var result: [Sample] = []
        for chunk in chunks where chunk.maxTime >= from && chunk.minTime <= through {
            _ = chunk.withIterator { iterator in
                while let sample = iterator.next(), sample.timestamp <= through {
                    if sample.timestamp >= from { result.append(sample) }
                }
            }
        }
        for sample in pending where sample.timestamp >= from && sample.timestamp <= through { result.append(sample) }
        if !chunks.isEmpty { result.sort { $0.timestamp < $1.timestamp } }
        return result
    }

    var heapBytes: Int {
        var bytes = pending.capacity * MemoryLayout<Sample>.stride + ChunkFormat.arrayOverhead
        for chunk in chunks { bytes += chunk.heapBytes }
        return bytes + chunks.capacity * MemoryLayout<Chunk>.stride + ChunkFormat.arrayOverhead
    }

    var chunkCount: Int { chunks.count + (pending.isEmpty ? 0 : 1) }

    /// Binary search: where `timestamp` is or would be inserted in sorted `samples`.
    private static func position(of timestamp: Int64, in samples: [Sample]) -> (index: Int, found: Bool) {
        var low = 0
        var high = samples.count
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return (low, low < samples.count && samples[low].timestamp == timestamp)
    }
}
