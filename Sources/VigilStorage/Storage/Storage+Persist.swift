import VigilModel

extension Storage {
    /// Cuts every head sample at or before `through` into blocks (one per block range that
    /// holds such samples), publishes them, removes those samples from the head and the head
    /// chunk files left unused, then checkpoints the WAL and deletes the segments the
    /// checkpoint covers. Runs on the maintenance thread.
    ///
    /// Queries see the samples throughout: in the head until the blocks are published, in
    /// both for a moment (merged), then in the blocks. Samples at or before `through` that
    /// arrive during the cut stay in the head for the next one. On failure the unfinished
    /// blocks are removed and the head is untouched. With nothing to cut it does nothing.
    func persistHead(through: Int64) throws(StorageError) {
        // Each copy comes with the registry taken in the same critical section: it resolves
        // the copy's chunks even once truncation below has let the head forget them.
        var taken: [(shard: Int, index: UInt32, labels: Labels, series: MemSeries, chunks: HeadChunkRegistry)] = []
        for (shardIndex, shard) in shards.enumerated() {
            let holding = shard.state.withLock { $0.seriesHolding(through: through) }
            for entry in holding.series { taken.append((shardIndex, entry.index, entry.labels, entry.series, holding.chunks)) }
        }
        guard !taken.isEmpty else { return }
        taken.sort { Labels.precedes($0.labels, $1.labels) }
        var persisted = [Int](repeating: 0, count: taken.count)
        let written = try writeBlocks(taken.map { ($0.labels, $0.series, $0.chunks) }, through: through, persisted: &persisted)
        blocks.replace(removing: [], adding: written)
        var byShard = [[Int]](repeating: [], count: shards.count)
        for (position, entry) in taken.enumerated() { byShard[entry.shard].append(position) }
        for (shardIndex, positions) in byShard.enumerated() {
            // A few hundred series per lock, so appends to the shard wait only briefly.
            var start = 0
            while start < positions.count {
                let end = min(start + 256, positions.count)
                shards[shardIndex].state.withLock { state in
                    for position in positions[start..<end] {
                        let entry = taken[position]
                        state.truncate(entry.index, through: through, persisted: persisted[position]) {
                            entry.series.samples(from: Int64.min, through: through, in: entry.chunks).map(\.timestamp)
                        }
                    }
                }
                start = end
            }
            // Renumbering under the append lock: an append checks its placement's generation
            // and uses the indexes under that lock, so it sees all of a renumbering or none.
            appendState.withLock { state in
                let count = shards[shardIndex].state.withLock { $0.removeEmptySeries() }
                if count > 0 {
                    state.headGeneration &+= 1
                    state.seriesCount -= count
                }
            }
        }
        removeUnusedHeadChunkFiles()
        try checkpoint()
        // The cut and the checkpoint read every chunk of the head through the mappings.
        headChunks.releaseResidentPages()
    }

    /// Writes the samples at or before `through` of `series` (sorted by labels, each with the
    /// registry that resolves its chunks) into one block per block range; `persisted[i]`
    /// receives how many samples series `i` gave.
    private func writeBlocks(
        _ series: [(labels: Labels, series: MemSeries, chunks: HeadChunkRegistry)], through: Int64, persisted: inout [Int]
    ) throws(StorageError) -> [Block] {
        var writers: [Int64: BlockWriter] = [:]
        do throws(StorageError) {
            for (position, (labels, one, chunks)) in series.enumerated() {
                let samples = one.samples(from: Int64.min, through: through, in: chunks)
                persisted[position] = samples.count
                var start = 0
                while start < samples.count {
                    let rangeStart = BlockFormat.rangeStart(samples[start].timestamp, width: options.blockRange)
                    var end = start + 1
                    while end < samples.count,
                          BlockFormat.rangeStart(samples[end].timestamp, width: options.blockRange) == rangeStart {
                        end += 1
                    }
                    if writers[rangeStart] == nil {
                        writers[rangeStart] = try BlockWriter(
                            blocksDirectory: blocksDirectory, id: takeBlockID(), rangeStart: rangeStart,
                            rangeEnd: BlockFormat.rangeEnd(rangeStart, width: options.blockRange),
                            level: 1, parents: [], sync: options.fsync)
                    }
                    try writers[rangeStart]!.add(labels, samples: samples[start..<end])
                    start = end
                }
            }
            var written: [Block] = []
            for rangeStart in writers.keys.sorted() { written.append(try writers[rangeStart]!.finish()) }
            return written
        } catch {
            for rangeStart in writers.keys { writers[rangeStart]!.abandon() }
            throw error
        }
    }

    func takeBlockID() -> UInt64 {
        maintenanceState.withLock { state in
            defer { state.nextBlockID += 1 }
            return state.nextBlockID
        }
    }

    /// Writes the head's series, samples and the idempotency windows as `checkpoint.<n>` and
    /// deletes the segments before `n`, where `n` is the segment every later append goes to.
    ///
    /// Appends continue meanwhile, so the checkpoint may also hold some records of segment
    /// `n`; replay accepts the repetition (docs/formats/wal.md).
    func checkpoint() throws(StorageError) {
        let index = wal.roll()
        try wal.installCheckpoint(index: index) { file throws(StorageError) in
            var series: [UInt8] = []
            var samples: [UInt8] = []
            for shard in shards {
                let (copies, chunks) = shard.state.withLock { $0.seriesHolding(through: Int64.max) }
                var start = 0
                while start < copies.count {
                    series.removeAll(keepingCapacity: true)
                    samples.removeAll(keepingCapacity: true)
                    let seriesFrame = series.beginWALFrame()
                    let samplesFrame = samples.beginWALFrame()
                    var writer: WALSamplesWriter?
                    var end = start
                    while end < copies.count, samples.count < 1 << 20 {
                        let (_, labels, one) = copies[end]
                        let held = one.samples(from: Int64.min, through: Int64.max, in: chunks)
                        end += 1
                        guard !held.isEmpty else { continue }
                        WALSeriesRecord.appendEntry(ref: one.ref, labels: labels, to: &series)
                        if writer == nil { writer = WALSamplesWriter(key: nil, baseTimestamp: held[0].timestamp, into: &samples) }
                        writer!.appendEntry(ref: one.ref, count: held.count, into: &samples)
                        for sample in held { writer!.appendSample(timestamp: sample.timestamp, value: sample.value, into: &samples) }
                    }
                    start = end
                    guard writer != nil else { continue }
                    series.finishWALFrame(at: seriesFrame, type: .series)
                    samples.finishWALFrame(at: samplesFrame, type: .samples)
                    try file.write(series)
                    try file.write(samples)
                }
            }
            let windows = appendState.withLock { $0.idempotency.all }
            guard !windows.isEmpty else { return }
            var record: [UInt8] = []
            let frame = record.beginWALFrame()
            for (producer, window) in windows {
                WALIdempotencyRecord.appendEntry(producer: producer, window: window, to: &record)
            }
            record.finishWALFrame(at: frame, type: .idempotency)
            try file.write(record)
        }
    }
}
