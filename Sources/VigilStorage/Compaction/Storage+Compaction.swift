import VigilModel

extension Storage {
    /// Runs compaction plans until none is left; returns how many blocks were written.
    @discardableResult
    func compactBlocks() throws(StorageError) -> Int {
        var written = 0
        let cutBoundary = maintenanceState.withLock { $0.cutBoundary }
        while let plan = CompactionPlanner.next(blocks.snapshot.map(\.meta), ranges: options.compactionRanges,
                                                cutBoundary: cutBoundary) {
            try merge(plan)
            written += 1
        }
        return written
    }

    /// Writes one block holding every series and sample of the plan's blocks, publishes it in
    /// place of them and deletes them. The new block lists its parents, so a crash after its
    /// rename but before the parents are gone is finished on the next open.
    private func merge(_ plan: CompactionPlanner.Plan) throws(StorageError) {
        let wanted = Set(plan.parents)
        let parents = blocks.snapshot.filter { wanted.contains($0.meta.id) }.sorted { $0.meta.id < $1.meta.id }
        var writer = try BlockWriter(blocksDirectory: blocksDirectory, id: takeBlockID(),
                                     rangeStart: plan.rangeStart, rangeEnd: plan.rangeEnd,
                                     level: (parents.map(\.meta.level).max() ?? 0) + 1,
                                     parents: parents.map(\.meta.id), sync: options.fsync)
        let merged: Block
        do throws(StorageError) {
            var cursors = parents.map { BlockCursor(block: $0) }
            while let labels = cursors.compactMap(\.labels).min(by: Labels.precedes) {
                var lists: [[Sample]] = []
                for position in cursors.indices where cursors[position].labels == labels {
                    var samples: [Sample] = []
                    try cursors[position].block.samples(cursors[position].id, from: Int64.min, through: Int64.max, into: &samples)
                    lists.append(samples)
                    cursors[position].advance()
                }
                let samples = SampleMerge.merge(lists)
                if !samples.isEmpty { try writer.add(labels, samples: samples[...]) }
            }
            merged = try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        blocks.replace(removing: wanted, adding: [merged])
        for parent in parents { try BlockDirectory.delete(parent, in: blocksDirectory) }
    }

    /// Deletes whole blocks past `options.retention` (by their newest sample, measured from
    /// the newest sample in the store) and then the oldest while blocks exceed
    /// `options.retentionBytes`.
    func applyRetention() throws(StorageError) {
        guard options.retention != nil || options.retentionBytes != nil else { return }
        let current = blocks.snapshot
        var doomed: [Block] = []
        if let retention = options.retention {
            let newest = max(appendState.withLock { $0.maxTimestamp }, current.map(\.meta.maxTime).max() ?? Int64.min)
            let limit = newest.subtractingReportingOverflow(retention)
            if !limit.overflow { doomed = current.filter { $0.meta.maxTime < limit.partialValue } }
        }
        if let most = options.retentionBytes {
            let doomedIDs = Set(doomed.map(\.meta.id))
            var kept = current.filter { !doomedIDs.contains($0.meta.id) }
            var total = kept.reduce(0) { $0 + $1.bytesOnDisk }
            kept.sort { ($0.meta.maxTime, $0.meta.id) < ($1.meta.maxTime, $1.meta.id) }
            for block in kept where total > most {
                doomed.append(block)
                total -= block.bytesOnDisk
            }
        }
        guard !doomed.isEmpty else { return }
        blocks.replace(removing: Set(doomed.map(\.meta.id)), adding: [])
        for block in doomed { try BlockDirectory.delete(block, in: blocksDirectory) }
    }
}

/// Walks a block's series in order, for merging.
private struct BlockCursor {
    let block: Block
    private(set) var id: UInt32 = 0
    private(set) var labels: Labels?

    init(block: Block) {
        self.block = block
        labels = block.index.seriesCount > 0 ? block.labels(of: 0) : nil
    }

    mutating func advance() {
        id += 1
        labels = Int(id) < block.index.seriesCount ? block.labels(of: id) : nil
    }
}
