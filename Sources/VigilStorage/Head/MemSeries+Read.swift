import VigilModel

/// Reads of a series. `chunks` resolves its cut chunks: the registry taken with the copy being
/// read (`HeadChunkFiles.registry`), or the current one under the shard lock.
extension MemSeries {
    /// Samples with `from <= timestamp <= through`, oldest first, in order or not.
    func samples(from: Int64, through: Int64, in chunks: HeadChunkRegistry) -> [Sample] {
        let inOrder = inOrderSamples(from: from, through: through, in: chunks)
        guard let outOfOrder else { return inOrder }
        return SampleMerge.merge([inOrder, outOfOrder.samples(from: from, through: through)])
    }

    private func inOrderSamples(from: Int64, through: Int64, in chunks: HeadChunkRegistry) -> [Sample] {
        var result: [Sample] = []
        let from = max(from, inOrderMinTime)
        guard from <= through, open.count > 0 else { return result }
        func collect(_ iterator: inout ChunkIterator) {
            while let sample = iterator.next(), sample.timestamp <= through {
                if sample.timestamp >= from { result.append(sample) }
            }
        }
        if cutChunkCount > 0, open.firstTimestamp > from {
            // The walk goes newest first; the chunks in range are decoded oldest first.
            withUnsafeTemporaryAllocation(of: (HeadChunkRef, HeadChunkHeader).self, capacity: Int(cutChunkCount)) { found in
                var inRange = 0
                chunks.walk(from: newestChunk, count: Int(cutChunkCount)) { ref, header in
                    guard header.maxTime >= from else { return false }
                    if header.minTime <= through {
                        found.initializeElement(at: inRange, to: (ref, header))
                        inRange += 1
                    }
                    return true
                }
                for index in stride(from: inRange - 1, through: 0, by: -1) {
                    _ = chunks.withIterator(found[index].0, found[index].1, collect)
                }
            }
        }
        if open.lastTimestamp >= from, open.firstTimestamp <= through {
            open.withIterator(collect)
        }
        return result
    }

    /// The newest sample at or before `at`, if it is not before `notBefore`.
    func latest(at: Int64, notBefore: Int64, in chunks: HeadChunkRegistry) -> Sample? {
        var found = inOrderLatest(at: at, in: chunks)
        if let outOfOrder, outOfOrder.minTime <= at, found.map({ $0.timestamp < outOfOrder.maxTime }) ?? true {
            let lowest = found.map { $0.timestamp &+ 1 } ?? notBefore
            if let candidate = outOfOrder.samples(from: max(lowest, notBefore), through: at).last { found = candidate }
        }
        guard let found, found.timestamp >= notBefore else { return nil }
        return found
    }

    private func inOrderLatest(at: Int64, in chunks: HeadChunkRegistry) -> Sample? {
        guard open.count > 0, inOrderMinTime <= at else { return nil }
        if open.lastTimestamp <= at { return open.lastSample }
        var found: Sample?
        if open.firstTimestamp <= at {
            found = open.withIterator { Self.last(in: &$0, atOrBefore: at) }
        } else {
            chunks.walk(from: newestChunk, count: Int(cutChunkCount)) { ref, header in
                guard header.minTime <= at else { return true }
                found = chunks.withIterator(ref, header) { Self.last(in: &$0, atOrBefore: at) } ?? nil
                return false
            }
        }
        // Older samples than `inOrderMinTime` are gone to a block.
        guard let found, found.timestamp >= inOrderMinTime else { return nil }
        return found
    }

    private static func last(in iterator: inout ChunkIterator, atOrBefore at: Int64) -> Sample? {
        var last: Sample?
        while let sample = iterator.next(), sample.timestamp <= at { last = sample }
        return last
    }
}
