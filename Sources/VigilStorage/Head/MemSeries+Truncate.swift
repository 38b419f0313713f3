import VigilModel

extension MemSeries {
    /// Removes the samples at or before `through` that a new block now holds.
    ///
    /// `persisted` is how many samples at or before `through` the block took from this series;
    /// `persistedTimestamps` lists them, asked for only when the series holds more such samples
    /// than that (some arrived after the block was cut). Those latecomers stay, among the
    /// out-of-order samples, for the next cut. A chunk that straddles `through` is encoded
    /// again, without the removed samples, into `files`. Returns the number of samples removed.
    mutating func truncate(through: Int64, persisted: Int, cuttingInto files: HeadChunkFiles,
                           persistedTimestamps: () -> [Int64]) -> Int {
        guard oldestTimestamp <= through else { return 0 }
        let old = samples(from: Int64.min, through: through)
        var latecomers: [Sample] = []
        if old.count != persisted {
            let taken = Set(persistedTimestamps())
            latecomers = old.filter { !taken.contains($0.timestamp) }
        }
        dropInOrder(through: through, files: files)
        if let outOfOrder {
            let kept = outOfOrder.samples(from: through &+ 1, through: Int64.max)
            let merged = latecomers.isEmpty ? kept : SampleMerge.merge([latecomers, kept])
            self.outOfOrder = merged.isEmpty ? nil : OutOfOrderSamples(sorted: merged)
        } else if !latecomers.isEmpty {
            self.outOfOrder = OutOfOrderSamples(sorted: latecomers)
        }
        return old.count - latecomers.count
    }

    /// Drops in-order samples at or before `through`, re-encoding the chunk that straddles it.
    private mutating func dropInOrder(through: Int64, files: HeadChunkFiles) {
        guard open.count > 0, (chunks.first?.minTime ?? open.firstTimestamp) <= through else { return }
        if open.lastTimestamp <= through {
            chunks = []
            open = ChunkAppender()
            return
        }
        if open.firstTimestamp <= through {
            var rebuilt = ChunkAppender()
            open.withIterator { iterator in
                while let sample = iterator.next() {
                    if sample.timestamp > through { rebuilt.append(timestamp: sample.timestamp, value: sample.value) }
                }
            }
            chunks = []
            open = rebuilt
            return
        }
        let firstKept = chunks.firstIndex { $0.maxTime > through } ?? chunks.count
        var remaining = ContiguousArray(chunks[firstKept...])
        if let straddling = remaining.first, straddling.minTime <= through {
            var kept: [Sample] = []
            _ = straddling.withIterator { iterator in
                while let sample = iterator.next() {
                    if sample.timestamp > through { kept.append(sample) }
                }
            }
            // Empty only if the chunk's bytes are damaged (it could not have straddled otherwise).
            if kept.isEmpty { remaining.removeFirst() } else { remaining[0] = files.cut(kept[...]) }
        }
        chunks = remaining
    }
}
