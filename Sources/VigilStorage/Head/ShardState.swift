import VigilModel

/// The series one shard owns, found by label hash, their labels and its postings index.
///
/// Lives inside `Shard`'s mutex; every member assumes the caller holds it. A series' index
/// is stable until `removeEmptySeries` renumbers the shard after a block cut. Labels are kept
/// as ids into the shard's symbol table (`Postings`); `labels(of:)` builds `Labels` for
/// callers that take them out of the lock.
struct ShardState {
    /// Where the series' full chunks go (shared by all shards of a store).
    let chunkFiles: HeadChunkFiles
    private(set) var series: ContiguousArray<MemSeries> = []
    /// Each series' labels as pair ids into `postings`.
    private(set) var labelIDs = SeriesLabelIDs()
    /// Series indexes by `stableHash` of their labels.
    private(set) var byHash = SeriesHashTable()
    private(set) var postings = Postings()
    private(set) var sampleCount = 0

    init(chunkFiles: HeadChunkFiles) {
        self.chunkFiles = chunkFiles
    }

    /// The index of the series with these labels, given their `stableHash`. Compares the
    /// candidates' stored strings with `labels`; allocates nothing.
    @inline(__always)
    func find(_ labels: Labels, hash: UInt64) -> UInt32? {
        byHash.first(hash: hash) { hasLabels(labels, at: $0) }
    }

    /// Whether series `index` has exactly `labels`; allocates nothing.
    @inline(__always)
    func hasLabels(_ labels: Labels, at index: UInt32) -> Bool {
        let positions = labelIDs.positions(of: index)
        guard positions.count == labels.count else { return false }
        var label = labels.startIndex
        for position in positions {
            guard postings.pair(labelIDs[position], is: labels[label]) else { return false }
            label += 1
        }
        return true
    }

    /// The labels of series `index`: one array allocation, strings shared with the symbol table.
    func labels(of index: UInt32) -> Labels {
        let positions = labelIDs.positions(of: index)
        var pairs: [Label] = []
        pairs.reserveCapacity(positions.count)
        for position in positions { pairs.append(postings.label(ofPair: labelIDs[position])) }
        return Labels(presorted: pairs)
    }

    /// Adds a series that `find` did not find; it must receive a sample right away.
    mutating func create(_ labels: Labels, hash: UInt64, ref: UInt64) -> UInt32 {
        precondition(series.count < UInt32.max, "bug: shard series index overflow")
        let index = UInt32(series.count)
        var pairIDs: [UInt32] = []
        pairIDs.reserveCapacity(labels.count)
        for label in labels { pairIDs.append(postings.add(label, series: index)) }
        labelIDs.append(pairIDs)
        series.reserveQuarterGrowth()
        series.append(MemSeries(ref: ref))
        byHash.insert(hash: hash, index: index)
        return index
    }

    @inline(__always)
    mutating func append(timestamp: Int64, value: Double, to index: UInt32) -> MemSeries.Disposition {
        let disposition = series[Int(index)].append(timestamp: timestamp, value: value, cuttingInto: chunkFiles)
        if disposition != .duplicate { sampleCount += 1 }
        return disposition
    }

    /// Copies of the series holding samples at or before `through`, with their indexes and
    /// labels, and the registry that resolves their cut chunks (taken here, with the copies:
    /// see `HeadChunkRegistry`). Copies share chunk storage with the head and reading them
    /// needs no chunk; the labels cost one array each.
    func seriesHolding(through: Int64) -> (series: [(index: UInt32, labels: Labels, series: MemSeries)], chunks: HeadChunkRegistry) {
        var result: [(index: UInt32, labels: Labels, series: MemSeries)] = []
        for (position, one) in series.enumerated() where !one.isEmpty && one.oldestTimestamp <= through {
            let index = UInt32(position)
            result.append((index, labels(of: index), one))
        }
        return (result, chunkFiles.registry)
    }

    /// See `MemSeries.truncate`; keeps the shard's sample count.
    mutating func truncate(_ index: UInt32, through: Int64, persisted: Int, persistedTimestamps: () -> [Int64]) {
        sampleCount -= series[Int(index)].truncate(through: through, persisted: persisted, in: chunkFiles.registry,
                                                  persistedTimestamps: persistedTimestamps)
    }

    /// Drops series left without samples and renumbers the rest; the hash table, label ids
    /// and postings are rebuilt, sized for what is left, and strings no kept series uses are
    /// dropped from the symbol table. Returns how many series were removed.
    mutating func removeEmptySeries() -> Int {
        guard series.contains(where: \.isEmpty) else { return 0 }
        let renumbering = SeriesRenumbering(count: series.count) { !series[Int($0)].isEmpty }
        var kept = ContiguousArray<MemSeries>()
        kept.reserveCapacity(renumbering.kept.count)
        for old in renumbering.kept { kept.append(series[Int(old)]) }
        let removed = series.count - kept.count
        series = kept
        let (renumberedPostings, newPairIDs) = postings.renumbered(renumbering)
        postings = renumberedPostings
        labelIDs = labelIDs.renumbered(renumbering) { newPairIDs[Int($0)] }
        byHash = byHash.renumbered(renumbering)
        return removed
    }

    /// Cut, open and out-of-order chunks of every series.
    var chunkCount: Int {
        series.reduce(0) { $0 + $1.chunkCount }
    }

    /// Approximate heap bytes of the shard: series table, label ids, hash table, postings
    /// (with the symbol table) and every series' chunks.
    var heapBytes: Int {
        var bytes = HeapSize.of(series) + labelIDs.heapBytes + byHash.heapBytes + postings.heapBytes
        for one in series { bytes += one.chunkHeapBytes }
        return bytes
    }
}
