import VigilModel

extension Storage {
    /// Series matching all matchers with their samples in [from, through] (ms, inclusive),
    /// sorted by labels; series with no samples in range are omitted.
    ///
    /// Throws `.invalidMatchers` unless at least one matcher does not match the empty string
    /// (as in Prometheus, so a query cannot select every series by accident). Each shard is
    /// locked while its matching chunks are decoded.
    public func select(_ matchers: [LabelMatcher], from: Int64, through: Int64) throws(StorageError) -> [SeriesSamples] {
        try Self.validate(matchers)
        var result: [SeriesSamples] = []
        for shard in shards {
            shard.state.withLock { state in
                for index in state.matching(matchers) {
                    let samples = state.series[Int(index)].samples(from: from, through: through)
                    if !samples.isEmpty {
                        result.append(SeriesSamples(labels: state.series[Int(index)].labels, samples: samples))
                    }
                }
            }
        }
        result.sort { Labels.precedes($0.labels, $1.labels) }
        return result
    }

    /// The newest sample at or before `at` and not older than `at - lookback` for each
    /// matching series, sorted by labels; series without such a sample are omitted.
    public func latest(_ matchers: [LabelMatcher], at: Int64, lookback: Int64) throws(StorageError) -> [(labels: Labels, sample: Sample)] {
        try Self.validate(matchers)
        let notBefore = at.subtractingReportingOverflow(lookback)
        let lowest = notBefore.overflow ? Int64.min : notBefore.partialValue
        var result: [(labels: Labels, sample: Sample)] = []
        for shard in shards {
            shard.state.withLock { state in
                for index in state.matching(matchers) {
                    if let sample = state.series[Int(index)].latest(at: at, notBefore: lowest) {
                        result.append((state.series[Int(index)].labels, sample))
                    }
                }
            }
        }
        result.sort { Labels.precedes($0.labels, $1.labels) }
        return result
    }

    /// Label sets of the series matching all matchers, sorted. Same matcher rule as `select`.
    public func series(_ matchers: [LabelMatcher]) throws(StorageError) -> [Labels] {
        try Self.validate(matchers)
        var result: [Labels] = []
        for shard in shards {
            shard.state.withLock { state in
                for index in state.matching(matchers) { result.append(state.series[Int(index)].labels) }
            }
        }
        result.sort(by: Labels.precedes)
        return result
    }

    /// Every label name of any series, sorted.
    public func labelNames() -> [String] {
        var names = Set<String>()
        for shard in shards {
            shard.state.withLock { state in names.formUnion(state.postings.byName.keys) }
        }
        return names.sorted()
    }

    /// Every value the label `name` takes in any series, sorted.
    public func labelValues(_ name: String) -> [String] {
        var values = Set<String>()
        for shard in shards {
            shard.state.withLock { state in
                if let byValue = state.postings.values(of: name) { values.formUnion(byValue.keys) }
            }
        }
        return values.sorted()
    }

    /// Per value of label `name`: how many series carry it and their newest sample timestamp
    /// (for the hosts listing). Series without the label are not counted.
    public func summarize(by name: String) -> [String: GroupSummary] {
        var groups: [String: GroupSummary] = [:]
        for shard in shards {
            shard.state.withLock { state in
                guard let byValue = state.postings.values(of: name) else { return }
                for (value, list) in byValue {
                    var newest = Int64.min
                    for index in list { newest = max(newest, state.series[Int(index)].lastTimestamp) }
                    if let existing = groups[value] {
                        groups[value] = GroupSummary(seriesCount: existing.seriesCount + list.count,
                                                     lastTimestamp: max(existing.lastTimestamp, newest))
                    } else {
                        groups[value] = GroupSummary(seriesCount: list.count, lastTimestamp: newest)
                    }
                }
            }
        }
        return groups
    }

    /// Counts and sizes right now. `headBytes` walks every series: call it for monitoring,
    /// not per request.
    public var stats: StorageStats {
        var stats = StorageStats(series: 0, samples: 0, chunks: 0, walBytes: wal.bytesOnDisk, headBytes: 0)
        for shard in shards {
            shard.state.withLock { state in
                stats.series += state.series.count
                stats.samples += state.sampleCount
                stats.chunks += state.cutChunkCount + state.series.count
                stats.headBytes += state.heapBytes
            }
        }
        return stats
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
