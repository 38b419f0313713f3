import VigilModel

/// Evaluates a parsed query at one step at a time over preloaded series.
///
/// An expression's value at time `ts` depends only on `ts` (and the query's start and end,
/// for `@ start()`/`@ end()`), so a range query is the expression evaluated at each step, and
/// steps can run on separate evaluators. Subquery results are cached by evaluation time,
/// because neighbouring steps' windows overlap. Not thread-safe: one evaluator per thread.
final class Evaluator {
    let data: LoadedData
    let window: EvaluationWindow
    /// Samples held: loaded ones plus cached subquery points, checked against the limit.
    private var samplesHeld: Int
    private var subqueryCache: [Int: [Int64: [VectorElement]]] = [:]
    var regexCache: [String: Regex<AnyRegexOutput>] = [:]
    /// Results of range functions computed ahead for every step (see `precomputeRangeFunctions`),
    /// by call id and evaluation time.
    var precomputed: [Int: [Int64: [VectorElement]]] = [:]
    /// Per selector and series, where the previous lookup ended: steps move forward, so the
    /// next lookup usually walks a few samples from there instead of searching the series.
    private var instantCursors: [[Int]]
    private var rangeStartCursors: [[Int]]
    private var rangeEndCursors: [[Int]]

    init(data: LoadedData, window: EvaluationWindow) {
        self.data = data
        self.window = window
        samplesHeld = data.sampleCount
        let empty = data.selectors.map { [Int](repeating: -1, count: $0.count) }
        instantCursors = empty
        rangeStartCursors = empty
        rangeEndCursors = empty
    }

    func evaluate(_ expr: Expr, at ts: Int64) throws(PromQLError) -> StepValue {
        switch expr.kind {
        case .number(let value):
            return .scalar(value)
        case .string(let text):
            return .string(text)
        case .paren(let inner):
            return try evaluate(inner, at: ts)
        case .vectorSelector(let selector):
            return .vector(instantVector(selector, at: ts).map { VectorElement(labels: $0.labels, value: $0.sample.value) })
        case .matrixSelector, .subquery:
            return .matrix(try rangeWindow(expr, at: ts))
        case .unary(let negate, let inner):
            let value = try evaluate(inner, at: ts)
            guard negate else { return value }
            switch value {
            case .scalar(let scalar):
                return .scalar(-scalar)
            case .vector(let elements):
                let negated = elements.map { VectorElement(labels: $0.labels.droppingMetricName, value: -$0.value) }
                try negated.checkUniqueLabels()
                return .vector(negated)
            default:
                throw PromQLError.internalError("unary minus on \(expr.type.documentedName)")
            }
        case .binary(let binary):
            return try evaluateBinary(binary, at: ts)
        case .aggregate(let aggregate):
            return .vector(try evaluateAggregation(aggregate, at: ts))
        case .call(let call):
            return try evaluateCall(call, at: ts)
        }
    }

    func vector(_ expr: Expr, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        guard case .vector(let elements) = try evaluate(expr, at: ts) else {
            throw PromQLError.internalError("expected an instant vector from \(expr.type.documentedName)")
        }
        return elements
    }

    func scalar(_ expr: Expr, at ts: Int64) throws(PromQLError) -> Double {
        guard case .scalar(let value) = try evaluate(expr, at: ts) else {
            throw PromQLError.internalError("expected a scalar from \(expr.type.documentedName)")
        }
        return value
    }

    /// The newest sample at or before `ts - offset` (or the `@` time) within the lookback, per
    /// series, with its own timestamp; a staleness marker hides the series.
    func instantVector(_ selector: VectorSelector, at ts: Int64) -> [(labels: Labels, sample: Sample)] {
        let reference = (selector.at.map(window.resolve) ?? ts) &- selector.offset
        let oldest = reference &- window.lookback
        var result: [(labels: Labels, sample: Sample)] = []
        // Moved out and back so the cursor array is mutated in place.
        var cursors = instantCursors[selector.id]
        instantCursors[selector.id] = []
        defer { instantCursors[selector.id] = cursors }
        for (position, series) in data.selectors[selector.id].enumerated() {
            let index = Self.lastIndex(in: series.samples, atOrBefore: reference, from: cursors[position])
            cursors[position] = index
            guard index >= 0 else { continue }
            let sample = series.samples[index]
            guard sample.timestamp >= oldest, sample.value.bitPattern != LoadedData.staleNaNBits else { continue }
            result.append((series.labels, sample))
        }
        return result
    }

    /// The window of a range selector or subquery at `ts`.
    func rangeWindow(_ expr: Expr, at ts: Int64) throws(PromQLError) -> RangeWindow {
        switch expr.unwrapped.kind {
        case .matrixSelector(let matrix):
            let selector = matrix.selector
            let end = (selector.at.map(window.resolve) ?? ts) &- selector.offset
            let start = end &- matrix.range
            var series: [RangeSeries] = []
            let id = selector.id
            // Moved out and back so the cursor arrays are mutated in place.
            var startCursors = rangeStartCursors[id]
            var endCursors = rangeEndCursors[id]
            rangeStartCursors[id] = []
            rangeEndCursors[id] = []
            defer {
                rangeStartCursors[id] = startCursors
                rangeEndCursors[id] = endCursors
            }
            for (position, loaded) in data.selectors[id].enumerated() {
                let samples = loaded.rangeSamples
                let beforeStart = Self.lastIndex(in: samples, atOrBefore: start &- 1, from: startCursors[position])
                let last = Self.lastIndex(in: samples, atOrBefore: end, from: Swift.max(beforeStart, endCursors[position]))
                startCursors[position] = beforeStart
                endCursors[position] = last
                if beforeStart < last {
                    series.append(RangeSeries(labels: loaded.labels, labelsWithoutName: loaded.labelsWithoutName,
                                              samples: samples[(beforeStart + 1)...last]))
                }
            }
            return RangeWindow(series: series, distinctWithoutName: data.distinctWithoutName[id],
                               start: start, end: end, range: matrix.range)
        case .subquery(let subquery):
            return try subqueryWindow(subquery, at: ts)
        default:
            throw PromQLError.internalError("expected a range vector from \(expr.type.documentedName)")
        }
    }

    /// The inner expression evaluated at every multiple of the step inside the window.
    private func subqueryWindow(_ subquery: Subquery, at ts: Int64) throws(PromQLError) -> RangeWindow {
        let end = (subquery.at.map(window.resolve) ?? ts) &- subquery.offset
        let start = end &- subquery.range
        let step = subquery.step > 0 ? subquery.step : window.defaultSubqueryStep
        var first = (start / step) &* step
        if first < start { first = first &+ step }
        var index: [LabelsKey: Int] = [:]
        var series: [(labels: Labels, samples: [Sample])] = []
        var time = first
        while time <= end {
            for element in try subqueryStep(subquery, at: time) {
                let key = LabelsKey(element.labels)
                if let position = index[key] {
                    series[position].samples.append(Sample(timestamp: time, value: element.value))
                } else {
                    index[key] = series.count
                    series.append((element.labels, [Sample(timestamp: time, value: element.value)]))
                }
            }
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        let ranged = series.map {
            RangeSeries(labels: $0.labels, labelsWithoutName: $0.labels.droppingMetricName, samples: $0.samples[...])
        }
        return RangeWindow(series: ranged, distinctWithoutName: false, start: start, end: end, range: subquery.range)
    }

    private func subqueryStep(_ subquery: Subquery, at time: Int64) throws(PromQLError) -> [VectorElement] {
        if let cached = subqueryCache[subquery.id]?[time] { return cached }
        let elements = try vector(subquery.expr, at: time)
        samplesHeld += elements.count
        if samplesHeld > window.maxSamples { throw PromQLError.tooManySamples(limit: window.maxSamples) }
        subqueryCache[subquery.id, default: [:]][time] = elements
        return elements
    }

    /// Index of the last sample with timestamp <= `time`, or -1. The search starts at `hint`
    /// (an earlier answer, or -1) and gallops forward from it, so successive steps cost the
    /// logarithm of the distance moved and touch memory near the previous answer.
    static func lastIndex(in samples: [Sample], atOrBefore time: Int64, from hint: Int) -> Int {
        var low = 0
        var high = samples.count
        if hint >= 0 && hint < samples.count {
            if samples[hint].timestamp <= time {
                low = hint + 1
                var distance = 1
                while hint + distance < samples.count && samples[hint + distance].timestamp <= time {
                    low = hint + distance + 1
                    distance *= 2
                }
                high = Swift.min(samples.count, hint + distance)
            } else {
                high = hint
            }
        }
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].timestamp <= time { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }
}

extension PromQLError {
    /// A broken invariant of the evaluator: the type checker should have prevented it.
    static func internalError(_ what: String) -> PromQLError {
        .execution("internal error in the PromQL evaluator (a bug, please report the query): \(what)")
    }
}
