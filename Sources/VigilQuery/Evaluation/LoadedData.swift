import VigilModel
import VigilStorage

/// One selected series with its samples over the whole query.
struct LoadedSeries: Sendable {
    let labels: Labels
    /// `labels` without `__name__`, computed once for the functions that drop the name.
    let labelsWithoutName: Labels
    /// Every sample, staleness markers included: an instant lookup that meets a marker
    /// finds no value.
    let samples: [Sample]
    /// The samples without staleness markers, which range windows use.
    let rangeSamples: [Sample]

    init(_ entry: SeriesSamples) {
        labels = entry.labels
        labelsWithoutName = entry.labels.droppingMetricName
        samples = entry.samples
        let hasMarker = entry.samples.contains { $0.value.bitPattern == LoadedData.staleNaNBits }
        rangeSamples = hasMarker ? entry.samples.filter { $0.value.bitPattern != LoadedData.staleNaNBits } : entry.samples
    }
}

/// The series of every selector of a query, loaded once before evaluation (Prometheus'
/// populateSeries): each selector reads the time range all its evaluations can touch.
final class LoadedData: Sendable {
    /// Indexed by selector id.
    let selectors: [[LoadedSeries]]
    /// Per selector: whether its series stay distinct once the metric name is dropped, so
    /// results of name-dropping functions need no duplicate check.
    let distinctWithoutName: [Bool]
    let sampleCount: Int

    /// Prometheus' stale marker, a NaN with this bit pattern.
    static let staleNaNBits: UInt64 = 0x7FF0_0000_0000_0002

    private init(selectors: [[LoadedSeries]], sampleCount: Int) {
        self.selectors = selectors
        distinctWithoutName = selectors.map { series in
            Set(series.map(\.labelsWithoutName)).count == series.count
        }
        self.sampleCount = sampleCount
    }

    /// Reads every selector's series for the evaluation times of `window` from `storage`.
    /// With `sliced`, long ranges are read in time slices on all processors (decoding
    /// dominates a query); callers that already load in parallel pass false, since slices
    /// decode the chunks they share more than once. Throws `.execution` when the samples
    /// read would exceed `window.maxSamples`, or when the store refuses a selection.
    /// Selectors in `skipping` are not read: their series lists stay empty (their calls were
    /// computed ahead, `StreamedRangeFunctions`).
    static func load(
        _ query: ParsedQuery, from storage: Storage, window: EvaluationWindow, sliced: Bool = true, skipping: Set<Int> = []
    ) throws(PromQLError) -> LoadedData {
        var ranges = selectorRanges(query, window: window)
        for id in skipping { ranges[id] = nil }
        var pieces: [(id: Int, matchers: [LabelMatcher], from: Int64, through: Int64)] = []
        let processors = sliced ? StorageOptions.activeProcessorCount : 1
        for (id, range) in ranges.enumerated() {
            guard let range else { continue }
            let span = range.through.subtractingReportingOverflow(range.from)
            let count = span.overflow || span.partialValue < 2 * 3_600_000 ? 1 : processors
            let size = count == 1 ? 0 : span.partialValue / Int64(count) + 1
            for slice in 0..<count {
                let from = count == 1 ? range.from : range.from + Int64(slice) * size
                let through = count == 1 ? range.through : Swift.min(range.through, from + size - 1)
                pieces.append((id, range.matchers, from, through))
            }
        }
        let slices = pieces
        let selected = ParallelMap.map(slices.count) { index in
            Result { () throws(StorageError) in
                try storage.select(slices[index].matchers, from: slices[index].from, through: slices[index].through)
            }
        }
        var parts = [[[SeriesSamples]]](repeating: [], count: query.selectorCount)
        for (piece, outcome) in zip(pieces, selected) {
            switch outcome {
            case .success(let found): parts[piece.id].append(found)
            case .failure(let error): throw PromQLError.execution("expanding series: \(error.message)")
            }
        }
        var selectors = [[LoadedSeries]](repeating: [], count: query.selectorCount)
        var total = 0
        for id in parts.indices {
            for entry in merge(parts[id]) {
                total += entry.samples.count
                if total > window.maxSamples { throw PromQLError.tooManySamples(limit: window.maxSamples) }
                selectors[id].append(LoadedSeries(entry))
            }
        }
        return LoadedData(selectors: selectors, sampleCount: total)
    }

    /// Joins the time slices of one selection (each sorted by labels) into one list sorted
    /// by labels, each series' samples in time order.
    private static func merge(_ slices: [[SeriesSamples]]) -> [SeriesSamples] {
        guard slices.count > 1 else { return slices.first ?? [] }
        var index: [LabelsKey: Int] = [:]
        var merged: [SeriesSamples] = []
        for slice in slices {
            for entry in slice {
                let key = LabelsKey(entry.labels)
                if let position = index[key] {
                    merged[position].samples.append(contentsOf: entry.samples)
                } else {
                    index[key] = merged.count
                    merged.append(entry)
                }
            }
        }
        return merged.sorted { Labels.ordered($0.labels, $1.labels) }
    }

    /// The most milliseconds before an evaluation time that a selector reads (lookback,
    /// ranges, offsets, enclosing subqueries); selectors pinned by `@` are not counted.
    static func lookbehind(_ query: ParsedQuery, window: EvaluationWindow) -> Int64 {
        let reaches = selectorRanges(query, window: window).compactMap { $0 }.filter { !$0.pinned }.map { window.start &- $0.from }
        return reaches.max().map { Swift.max(0, $0) } ?? 0
    }

    /// Per selector id, what it reads for the evaluation times of `window`.
    static func selectorRanges(_ query: ParsedQuery, window: EvaluationWindow) -> [SelectorRange?] {
        var ranges = [SelectorRange?](repeating: nil, count: query.selectorCount)
        collectRanges(query.expr, window: window, path: SubqueryPath(), evalRange: 0, into: &ranges)
        return ranges
    }

    struct SelectorRange {
        var matchers: [LabelMatcher]
        var from: Int64
        var through: Int64
        /// Whether an `@` on the selector or an enclosing subquery fixes its time.
        var pinned: Bool
    }

    /// Offsets and ranges of the subqueries enclosing a node; an `@` on a subquery restarts it.
    private struct SubqueryPath {
        var offset: Int64 = 0
        var range: Int64 = 0
        var at: Int64?

        func entering(_ subquery: Subquery, window: EvaluationWindow) -> SubqueryPath {
            if let at = subquery.at {
                return SubqueryPath(offset: subquery.offset, range: subquery.range, at: window.resolve(at))
            }
            return SubqueryPath(offset: offset &+ subquery.offset, range: range &+ subquery.range, at: self.at)
        }
    }

    /// The time range each selector needs, as Prometheus' getTimeRangesForSelector computes it.
    private static func collectRanges(
        _ expr: Expr, window: EvaluationWindow, path: SubqueryPath, evalRange: Int64, into ranges: inout [SelectorRange?]
    ) {
        func visit(_ child: Expr) { collectRanges(child, window: window, path: path, evalRange: 0, into: &ranges) }
        switch expr.kind {
        case .number, .string:
            break
        case .vectorSelector(let selector):
            ranges[selector.id] = range(of: selector, window: window, path: path, evalRange: evalRange)
        case .matrixSelector(let matrix):
            ranges[matrix.selector.id] = range(of: matrix.selector, window: window, path: path, evalRange: matrix.range)
        case .subquery(let subquery):
            collectRanges(subquery.expr, window: window, path: path.entering(subquery, window: window), evalRange: 0, into: &ranges)
        case .unary(_, let inner), .paren(let inner):
            visit(inner)
        case .binary(let binary):
            visit(binary.lhs)
            visit(binary.rhs)
        case .aggregate(let aggregate):
            if let param = aggregate.param { visit(param) }
            visit(aggregate.expr)
        case .call(let call):
            call.args.forEach(visit)
        }
    }

    private static func range(of selector: VectorSelector, window: EvaluationWindow, path: SubqueryPath, evalRange: Int64) -> SelectorRange {
        var start = window.start
        var end = window.end
        if let at = path.at {
            start = at
            end = at
        }
        if let at = selector.at {
            start = window.resolve(at)
            end = start
        } else {
            start = start &- path.offset &- path.range
            end = end &- path.offset
        }
        start = start &- (evalRange == 0 ? window.lookback : evalRange)
        return SelectorRange(matchers: selector.matchers, from: start &- selector.offset, through: end &- selector.offset,
                             pinned: selector.at != nil || path.at != nil)
    }
}

extension PromQLError {
    static func tooManySamples(limit: Int) -> PromQLError {
        .execution("query processing would load too many samples into memory in query execution "
                   + "(the limit is \(limit) samples); select fewer series or a shorter time range, or raise maxSamples")
    }
}
