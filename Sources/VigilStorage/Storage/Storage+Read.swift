import VigilModel

extension Storage {
    /// The newest sample at or before `at` and not older than `at - lookback` for each
    /// matching series, in the head or any block, sorted by labels; series without such a
    /// sample are omitted. Same matcher rule and errors as `select`.
    public func latest(_ matchers: [LabelMatcher], at: Int64, lookback: Int64) throws(StorageError) -> [(labels: Labels, sample: Sample)] {
        try Self.validate(matchers)
        let notBefore = at.subtractingReportingOverflow(lookback)
        let lowest = notBefore.overflow ? Int64.min : notBefore.partialValue
        // The head before the blocks: see `headSeries`.
        let head = headSeries(matching: matchers)
        let overlapping = blocksByAge.filter { $0.overlaps(from: lowest, through: at) }
        var result: [(labels: Labels, sample: Sample)] = []
        if overlapping.isEmpty {
            for copy in head {
                if let sample = copy.series.latest(at: at, notBefore: lowest, in: copy.chunks) { result.append((copy.labels, sample)) }
            }
        } else {
            var newest: [Labels: Sample] = [:]
            func offer(_ labels: Labels, _ sample: Sample) {
                if let known = newest[labels], known.timestamp >= sample.timestamp { return }
                newest[labels] = sample
            }
            for block in overlapping {
                for id in block.matching(matchers) {
                    if let sample = try block.latest(id, at: at, notBefore: lowest) { offer(block.labels(of: id), sample) }
                }
            }
            for copy in head {
                if let sample = copy.series.latest(at: at, notBefore: lowest, in: copy.chunks) { offer(copy.labels, sample) }
            }
            result = newest.map { ($0.key, $0.value) }
        }
        result.sort { Labels.precedes($0.labels, $1.labels) }
        return result
    }

    /// Label sets of the series matching all matchers, in the head or any block, sorted.
    /// Same matcher rule as `select`.
    public func series(_ matchers: [LabelMatcher]) throws(StorageError) -> [Labels] {
        try Self.validate(matchers)
        // The head before the blocks: see `headSeries`.
        var found = Set(headSeries(matching: matchers).map(\.labels))
        for block in blocks.snapshot {
            for id in block.matching(matchers) { found.insert(block.labels(of: id)) }
        }
        return found.sorted(by: Labels.precedes)
    }

    /// Every label name of any series in the head or a block, sorted.
    public func labelNames() -> [String] {
        var names = Set<String>()
        for shard in shards {
            shard.state.withLock { state in names.formUnion(state.postings.labelNames) }
        }
        for block in blocks.snapshot { names.formUnion(block.labelNames) }
        return names.sorted()
    }

    /// Every value the label `name` takes in any series of the head or a block, sorted.
    public func labelValues(_ name: String) -> [String] {
        var values = Set<String>()
        for shard in shards {
            shard.state.withLock { state in values.formUnion(state.postings.values(of: name)) }
        }
        for block in blocks.snapshot { values.formUnion(block.labelValues(name)) }
        return values.sorted()
    }

    /// Per value of label `name`: how many distinct series carry it in the head and the
    /// blocks, and their newest sample timestamp (for the hosts listing). Series without the
    /// label are not counted.
    public func summarize(by name: String) -> [String: GroupSummary] {
        // The head before the blocks, as in `headSeries`; whether any block exists is known
        // first only to skip hashing the head's series when none does.
        let hadBlocks = !blocks.snapshot.isEmpty
        var groups: [String: GroupSummary] = [:]
        var members: [String: Set<UInt64>] = [:]
        for shard in shards {
            shard.state.withLock { state in
                state.postings.forEachValue(of: name) { value, list in
                    var newest = Int64.min
                    for index in list {
                        newest = max(newest, state.series[Int(index)].newestTimestamp)
                        if hadBlocks { members[value, default: []].insert(SeriesHash.of(state.labels(of: index))) }
                    }
                    let count = (groups[value]?.seriesCount ?? 0) + list.count
                    groups[value] = GroupSummary(seriesCount: count, lastTimestamp: max(groups[value]?.lastTimestamp ?? Int64.min, newest))
                }
            }
        }
        let persisted = blocks.snapshot
        guard !persisted.isEmpty else { return groups }
        // The first block appeared during the walk: walk again, hashing the head's series.
        guard hadBlocks else { return summarize(by: name) }
        for block in persisted {
            for (value, group) in block.groups(by: name) {
                members[value, default: []].formUnion(group.hashes)
                groups[value] = GroupSummary(seriesCount: 0, lastTimestamp: max(groups[value]?.lastTimestamp ?? Int64.min, group.lastTimestamp))
            }
        }
        for (value, hashes) in members { groups[value]?.seriesCount = hashes.count }
        return groups
    }

    /// Counts and sizes right now. Walks every head series: call it for monitoring, not per request.
    public var stats: StorageStats {
        var stats = StorageStats(series: 0, samples: 0, chunks: 0, walBytes: wal.bytesOnDisk, headBytes: 0,
                                 blocks: 0, blockSamples: 0, blockSeries: 0, blockBytes: 0,
                                 maintenanceError: maintenanceState.withLock { $0.lastError?.message })
        for shard in shards {
            shard.state.withLock { state in
                stats.series += state.series.count
                stats.samples += state.sampleCount
                stats.chunks += state.chunkCount
                stats.headBytes += state.heapBytes
            }
        }
        stats.headBytes += headChunks.heapBytes
        let files = headChunks.stats
        stats.headChunkFiles = files.files
        stats.headChunkFileBytes = files.bytes
        stats.headChunksOnHeap = files.chunksOnHeap
        stats.headChunkError = files.lastError
        for block in blocks.snapshot {
            stats.blocks += 1
            stats.blockSamples += block.meta.samples
            stats.blockSeries += block.meta.series
            stats.blockBytes += block.bytesOnDisk
        }
        return stats
    }

    /// Blocks ordered by id: the order in which their samples win ties.
    var blocksByAge: [Block] {
        blocks.snapshot.sorted { $0.meta.id < $1.meta.id }
    }

    /// Copies of the head series matching the matchers (and accepted by `including`, when
    /// given), each with its labels and the registry that resolves its cut chunks. Each shard is
    /// locked only while its matching series' labels are built, the series copied (a copy shares
    /// the chunk bytes) and the registry taken, all in one critical section
    /// (`HeadChunkRegistry` says why it must be), so decoding the copies later never holds up
    /// appends or other readers, and they stay as they were whatever the head does meanwhile.
    ///
    /// Readers take the head before they list the blocks: a block cut adds its blocks before it
    /// truncates the head (`persistHead`), so a reader that copied the head first and listed the
    /// blocks afterwards finds every sample in its copy, in a block or in both (merging keeps
    /// one), never in neither. Listing the blocks first could miss what a cut moves in between.
    func headSeries(matching matchers: [LabelMatcher], including: ((Labels) -> Bool)? = nil) -> [HeadSeriesCopy] {
        var result: [HeadSeriesCopy] = []
        for shard in shards {
            shard.state.withLock { state in
                let chunks = state.chunkFiles.registry
                for index in state.matching(matchers) {
                    let labels = state.labels(of: index)
                    if including?(labels) ?? true {
                        result.append(HeadSeriesCopy(labels: labels, series: state.series[Int(index)], chunks: chunks))
                    }
                }
            }
        }
        return result
    }

    static func validate(_ matchers: [LabelMatcher]) throws(StorageError) {
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            let shown = matchers.isEmpty ? "no matchers" : "{\(matchers.map(\.description).joined(separator: ", "))}"
            throw StorageError(.invalidMatchers,
                "\(shown) would select every series: give at least one matcher that does not match "
                + "the empty string, such as a metric name")
        }
    }
}

/// A head series as a reader copied it: see `Storage.headSeries(matching:including:)`.
struct HeadSeriesCopy {
    let labels: Labels
    let series: MemSeries
    /// Resolves the copy's cut chunks.
    let chunks: HeadChunkRegistry
}
