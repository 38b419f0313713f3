import VigilModel

extension Storage {
    /// Series matching all matchers with their samples in [from, through] (ms, inclusive),
    /// sorted by labels; series with no samples in range are omitted. With `including`, only
    /// series whose labels it accepts are read, so callers can split one selection into
    /// parts read in parallel (it is called for every matching series of the head and of
    /// each block, possibly several times for one label set).
    ///
    /// Reads the head and every block overlapping the range and merges them per series; where
    /// two hold a sample at the same timestamp, the older block wins, then blocks over the
    /// head. Throws `.invalidMatchers` unless at least one matcher does not match the empty
    /// string (as in Prometheus, so a query cannot select every series by accident), and
    /// `.corruptBlock` when a block chunk fails its CRC. Decoding happens outside the shard
    /// locks; a block chunk is decoded only as far as the range needs.
    public func select(
        _ matchers: [LabelMatcher], from: Int64, through: Int64, including: ((Labels) -> Bool)? = nil
    ) throws(StorageError) -> [SeriesSamples] {
        try Self.validate(matchers)
        // The head before the blocks: see `headSeries`.
        let head = headSeries(matching: matchers, including: including)
        let overlapping = blocksByAge.filter { $0.overlaps(from: from, through: through) }
        var result: [SeriesSamples]
        if let ordered = Self.inTimeOrder(overlapping) {
            result = try selectInTimeOrder(matchers, head: head, blocks: ordered, from: from, through: through, including: including)
        } else {
            result = try selectMerging(matchers, head: head, blocks: overlapping, from: from, through: through, including: including)
        }
        result.sort { Labels.precedes($0.labels, $1.labels) }
        return result
    }

    /// The blocks ordered by time when their time ranges are disjoint (the usual layout:
    /// compaction merges neighbours, and an out-of-order import is what makes them overlap);
    /// nil when any two overlap.
    private static func inTimeOrder(_ blocks: [Block]) -> [Block]? {
        let ordered = blocks.sorted { $0.meta.minTime < $1.meta.minTime }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.meta.maxTime >= later.meta.minTime {
            return nil
        }
        return ordered
    }

    /// `select` over blocks with disjoint time ranges, oldest range first: each series'
    /// samples are decoded straight into one array, block after block, then the head's are
    /// appended, or merged (the blocks winning ties) when some are not newer than the blocks'.
    private func selectInTimeOrder(
        _ matchers: [LabelMatcher], head: [HeadSeriesCopy], blocks: [Block], from: Int64, through: Int64,
        including: ((Labels) -> Bool)?
    ) throws(StorageError) -> [SeriesSamples] {
        var positions: [Labels: Int] = [:]
        var found: [SeriesSamples] = []
        func position(of labels: Labels) -> Int {
            if let known = positions[labels] { return known }
            positions[labels] = found.count
            found.append(SeriesSamples(labels: labels, samples: []))
            return found.count - 1
        }
        for block in blocks {
            for id in block.matching(matchers) {
                let labels = block.labels(of: id)
                if let including, !including(labels) { continue }
                let index = position(of: labels)
                try block.samples(id, from: from, through: through, into: &found[index].samples)
            }
        }
        for copy in head {
            let samples = copy.series.samples(from: from, through: through, in: copy.chunks)
            guard let first = samples.first else { continue }
            let index = position(of: copy.labels)
            if found[index].samples.last.map({ $0.timestamp < first.timestamp }) ?? true {
                found[index].samples.append(contentsOf: samples)
            } else {
                found[index].samples = SampleMerge.merge([found[index].samples, samples])
            }
        }
        return found.filter { !$0.samples.isEmpty }
    }

    /// `select` over blocks whose time ranges may overlap: every block's and the head's samples
    /// of a series are read separately and merged, older blocks first.
    private func selectMerging(
        _ matchers: [LabelMatcher], head: [HeadSeriesCopy], blocks: [Block], from: Int64, through: Int64,
        including: ((Labels) -> Bool)?
    ) throws(StorageError) -> [SeriesSamples] {
        var sources: [Labels: [[Sample]]] = [:]
        for block in blocks {
            for id in block.matching(matchers) {
                let labels = block.labels(of: id)
                if let including, !including(labels) { continue }
                var samples: [Sample] = []
                try block.samples(id, from: from, through: through, into: &samples)
                if !samples.isEmpty { sources[labels, default: []].append(samples) }
            }
        }
        for copy in head {
            let samples = copy.series.samples(from: from, through: through, in: copy.chunks)
            if !samples.isEmpty { sources[copy.labels, default: []].append(samples) }
        }
        return sources.map { SeriesSamples(labels: $0.key, samples: SampleMerge.merge($0.value)) }
    }
}
