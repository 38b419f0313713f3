import VigilModel
import VigilStorage

/// Range functions of plain range selectors (`rate(x[5m])`, the calls
/// `Evaluator.precomputableCalls` finds) over every step of a range query, computed ahead
/// straight from the store before the steps are evaluated.
///
/// The matching series are split into parts that are contiguous in label order; each part
/// is read for the whole query range and walked once, and the parts run on all processors.
/// So every stored chunk is decoded once however the steps are later split into blocks, and
/// memory follows one part's samples rather than the query's. Joining the parts in order
/// keeps each step's elements in the order one evaluator would produce.
enum StreamedRangeFunctions {
    /// What was computed ahead.
    struct Outcome: Sendable {
        /// By call id and evaluation time, as `Evaluator.precomputed` holds them.
        var results: [Int: [Int64: [VectorElement]]] = [:]
        /// The selectors read here, which step evaluation need not load.
        var selectors: Set<Int> = []
    }

    /// The most steps a query computes this way: it holds a list per step for the whole query
    /// (the HTTP API allows 11,000). Longer queries leave the calls to the step blocks, whose
    /// memory follows the block.
    static let maxSteps = 100_000

    /// Parts per processor: each part lists every matching series of every block to pick its
    /// own, so more parts cost more, while fewer balance worse on a busy machine.
    static let partsPerProcessor = 2

    /// Computes every precomputable call of `query` at `times` (ascending, all the query's
    /// steps; `window` spans them). Throws `.execution` when one part's samples exceed
    /// `window.maxSamples`, when the store refuses a selection, and when dropping the metric
    /// name leaves two series with the same labels at a step.
    static func compute(_ query: ParsedQuery, storage: Storage, window: EvaluationWindow, times: [Int64]) throws(PromQLError) -> Outcome {
        let ranges = LoadedData.selectorRanges(query, window: window)
        var outcome = Outcome()
        for (call, matrix, scalars) in Evaluator.precomputableCalls(in: query.expr) {
            guard let range = ranges[matrix.selector.id] else { continue }
            let series: [Labels]
            do {
                series = try storage.series(range.matchers)
            } catch {
                throw PromQLError.execution("expanding series: \(error.message)")
            }
            let parts = partition(series.count, into: StorageOptions.activeProcessorCount * partsPerProcessor)
            let computed = ParallelMap.map(parts.count) { index in
                Result { () throws(PromQLError) in
                    let lower = series[parts[index].lowerBound]
                    let upper = parts[index].upperBound < series.count ? series[parts[index].upperBound] : nil
                    let selected: [SeriesSamples]
                    do throws(StorageError) {
                        selected = try storage.select(range.matchers, from: range.from, through: range.through) { labels in
                            !Labels.ordered(labels, lower) && (upper.map { Labels.ordered(labels, $0) } ?? true)
                        }
                    } catch {
                        throw PromQLError.execution("expanding series: \(error.message)")
                    }
                    let loaded = selected.map(LoadedSeries.init)
                    if loaded.reduce(0, { $0 + $1.samples.count }) > window.maxSamples {
                        throw PromQLError.tooManySamples(limit: window.maxSamples)
                    }
                    let steps = try Evaluator.rangeFunctionSteps(call, matrix, scalars: scalars, series: loaded, times: times, window: window)
                    return (steps: steps, labelsWithoutName: loaded.map(\.labelsWithoutName))
                }
            }
            var byStep = [[VectorElement]](repeating: [], count: times.count)
            var withoutName = Set<Labels>()
            var seriesCount = 0
            for part in computed {
                let part = try part.get()
                for step in byStep.indices { byStep[step].append(contentsOf: part.steps[step]) }
                withoutName.formUnion(part.labelsWithoutName)
                seriesCount += part.labelsWithoutName.count
            }
            let checkUnique = call.function != .lastOverTime && withoutName.count != seriesCount
            var byTime: [Int64: [VectorElement]] = [:]
            byTime.reserveCapacity(times.count)
            for (step, ts) in times.enumerated() {
                if checkUnique { try byStep[step].checkUniqueLabels() }
                byTime[ts] = byStep[step]
            }
            outcome.results[call.id] = byTime
            outcome.selectors.insert(matrix.selector.id)
        }
        return outcome
    }

    /// `count` items as at most `parts` contiguous ranges of about equal size, in order.
    static func partition(_ count: Int, into parts: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let size = (count + Swift.max(1, Swift.min(parts, count)) - 1) / Swift.max(1, Swift.min(parts, count))
        return stride(from: 0, to: count, by: size).map { $0..<Swift.min(count, $0 + size) }
    }
}
