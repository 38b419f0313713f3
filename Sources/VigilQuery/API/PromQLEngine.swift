import Dispatch
import VigilModel
import VigilStorage

/// Answers PromQL queries over a `Storage` with Prometheus 2.x semantics: the same grammar,
/// operators, functions and result shapes as Prometheus 2.42, 5-minute lookback, staleness.
///
/// A query reads the selected series' samples for the time range it evaluates up front, then
/// evaluates the expression once per step. A range query first computes its range functions
/// of plain range selectors (`rate(x[5m])`) for all steps: parts of the series on all
/// processors, each part read once for the whole range (`StreamedRangeFunctions`). Then its
/// steps are split into blocks that run on all processors, each reading only the samples its
/// own steps need from the remaining selectors, so memory follows the parts and blocks in
/// flight and `maxSamples` bounds what one part or block holds. Calls are independent and
/// may run concurrently.
public struct PromQLEngine: Sendable {
    public let storage: Storage
    /// How far back an instant selector looks for a sample (ms); Prometheus' default is 5 m.
    public let lookback: Int64
    /// The most samples an instant query, or one block of a range query's steps, may load and
    /// hold, and the most points a range query may return; beyond it the query fails with
    /// `.execution`. Prometheus' default (`--query.max-samples`) is 50 million.
    public let maxSamples: Int
    /// The step of subqueries written without one (`[1h:]`): Prometheus uses the global
    /// evaluation interval, 1 m by default.
    public let defaultSubqueryStep: Int64

    public init(storage: Storage, lookback: Int64 = 300_000, maxSamples: Int = 50_000_000, defaultSubqueryStep: Int64 = 60_000) {
        self.storage = storage
        self.lookback = lookback
        self.maxSamples = maxSamples
        self.defaultSubqueryStep = defaultSubqueryStep
    }

    /// Evaluates `query` at `time` (ms). The result is a vector, scalar, string, or (for a
    /// range selector or subquery) a matrix of raw samples.
    public func instant(_ query: String, at time: Int64) throws(PromQLError) -> QueryValue {
        let parsed = try Parser.parse(query)
        let window = evaluationWindow(query: time...time, evaluating: time...time)
        let data = try LoadedData.load(parsed, from: storage, window: window)
        let evaluator = Evaluator(data: data, window: window)
        switch try evaluator.evaluate(parsed.expr, at: time) {
        case .scalar(let value):
            return .scalar(Sample(timestamp: time, value: value))
        case .string(let text):
            return .string(text, timestamp: time)
        case .vector(let elements):
            return .vector(elements.map { VectorSample(labels: $0.labels, sample: Sample(timestamp: time, value: $0.value)) })
        case .matrix(let window):
            return .matrix(window.series.map { SeriesSamples(labels: $0.labels, samples: Array($0.samples)) })
        }
    }

    /// Evaluates `query` at `start`, `start + step`, … up to `end` (ms). The expression must
    /// be an instant vector or a scalar (`.badData` otherwise, as in Prometheus); the result
    /// is a matrix sorted by labels, a scalar becoming one series without labels.
    public func range(_ query: String, start: Int64, end: Int64, step: Int64) throws(PromQLError) -> QueryValue {
        guard step > 0 else {
            throw PromQLError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else { throw PromQLError(.badData, "end timestamp must not be before start time") }
        let span = end.subtractingReportingOverflow(start)
        guard !span.overflow, span.partialValue / step < Int64(Int32.max) else {
            throw PromQLError(.badData, "the range from start to end has too many steps; use a larger step or a shorter range")
        }
        let parsed = try Parser.parse(query)
        let type = parsed.expr.type
        guard type == .vector || type == .scalar else {
            throw PromQLError(.badData, "invalid expression type \(GoQuote.quote(type.documentedName)) for range query, must be Scalar or instant Vector")
        }
        let whole = evaluationWindow(query: start...end, evaluating: start...end)
        let stepCount = Int(span.partialValue / step) + 1
        let streamed = stepCount > StreamedRangeFunctions.maxSteps ? StreamedRangeFunctions.Outcome()
            : try StreamedRangeFunctions.compute(parsed, storage: storage, window: whole,
                                                 times: (0..<stepCount).map { start + Int64($0) * step })
        let chunks = RangeChunks(stepCount: stepCount, step: step, lookbehind: LoadedData.lookbehind(parsed, window: whole),
                                 processors: StorageOptions.activeProcessorCount)
        let sliced = chunks.ranges.count == 1
        let outcomes = chunks.run { range in
            Result { () throws(PromQLError) in
                let times = range.map { start + Int64($0) * step }
                let window = evaluationWindow(query: start...end, evaluating: times[0]...times[times.count - 1])
                let data = try LoadedData.load(parsed, from: storage, window: window, sliced: sliced, skipping: streamed.selectors)
                let evaluator = Evaluator(data: data, window: window)
                evaluator.precomputed = streamed.results
                try evaluator.precomputeRangeFunctions(parsed.expr, times: times)
                var partial = SeriesAccumulator()
                for time in times {
                    partial.add(try evaluator.evaluate(parsed.expr, at: time), at: time)
                }
                return partial
            }
        }
        var matrix = SeriesAccumulator()
        for outcome in outcomes { matrix.append(try outcome.get()) }
        if matrix.pointCount > maxSamples { throw PromQLError.tooManySamples(limit: maxSamples) }
        return .matrix(matrix.sortedSeries())
    }

    /// Parses a series selector such as `up{job="node"}` (the `match[]` parameter of
    /// `/api/v1/series` and friends) into matchers. Errors are `.badData` with positions.
    public static func parseSelector(_ text: String) throws(PromQLError) -> [LabelMatcher] {
        try Parser.parseSelector(text)
    }

    private func evaluationWindow(query: ClosedRange<Int64>, evaluating: ClosedRange<Int64>) -> EvaluationWindow {
        EvaluationWindow(queryStart: query.lowerBound, queryEnd: query.upperBound,
                         start: evaluating.lowerBound, end: evaluating.upperBound, lookback: lookback,
                         defaultSubqueryStep: defaultSubqueryStep, maxSamples: maxSamples)
    }
}
