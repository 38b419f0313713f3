import VigilModel

extension MemSeries {
    /// Removes the samples at or before `through` that a new block now holds. Called under the
    /// shard lock; `chunks` is the current registry.
    ///
    /// `persisted` is how many samples at or before `through` the block took from this series;
    /// `persistedTimestamps` lists them, asked for only when the series holds more such samples
    /// than that (some arrived after the block was cut). Those latecomers stay, among the
    /// out-of-order samples, for the next cut. In-order chunks are never rewritten: chunks
    /// wholly at or before `through` are let go, and `inOrderMinTime` moves past the removed
    /// samples of a chunk that straddles it. Returns the number of samples removed.
    mutating func truncate(through: Int64, persisted: Int, in chunks: HeadChunkRegistry,
                           persistedTimestamps: () -> [Int64]) -> Int {
        guard oldestTimestamp <= through else { return 0 }
        let old = samples(from: Int64.min, through: through, in: chunks)
        var latecomers: [Sample] = []
        if old.count != persisted {
            let taken = Set(persistedTimestamps())
            latecomers = old.filter { !taken.contains($0.timestamp) }
        }
        dropInOrder(through: through, in: chunks)
        if let outOfOrder {
            let kept = outOfOrder.samples(from: through &+ 1, through: Int64.max)
            let merged = latecomers.isEmpty ? kept : SampleMerge.merge([latecomers, kept])
            self.outOfOrder = merged.isEmpty ? nil : OutOfOrderSamples(sorted: merged)
        } else if !latecomers.isEmpty {
            self.outOfOrder = OutOfOrderSamples(sorted: latecomers)
        }
        return old.count - latecomers.count
    }

    /// Drops the in-order samples at or before `through`: lets go of the cut chunks wholly
    /// before it and sets `inOrderMinTime` to the oldest sample kept.
    private mutating func dropInOrder(through: Int64, in chunks: HeadChunkRegistry) {
        guard open.count > 0, inOrderMinTime <= through else { return }
        if open.lastTimestamp <= through {
            newestChunk = .none
            cutChunkCount = 0
            open = ChunkAppender()
            return
        }
        if open.firstTimestamp <= through {
            newestChunk = .none
            cutChunkCount = 0
            inOrderMinTime = open.withIterator { Self.first(in: &$0, after: through) } ?? open.lastTimestamp
            return
        }
        var kept: UInt32 = 0
        var oldestKept = open.firstTimestamp
        chunks.walk(from: newestChunk, count: Int(cutChunkCount)) { ref, header in
            guard header.maxTime > through else { return false }
            if header.minTime > through {
                kept += 1
                oldestKept = header.minTime
                return true
            }
            // Straddling. No sample after `through` only if its bytes are damaged: let it go.
            if let first = chunks.withIterator(ref, header, { Self.first(in: &$0, after: through) }) ?? nil {
                kept += 1
                oldestKept = first
            }
            return false
        }
        if kept == 0 { newestChunk = .none }
        cutChunkCount = kept
        inOrderMinTime = oldestKept
    }

    private static func first(in iterator: inout ChunkIterator, after through: Int64) -> Int64? {
        while let sample = iterator.next() {
            if sample.timestamp > through { return sample.timestamp }
        }
        return nil
    }
}
