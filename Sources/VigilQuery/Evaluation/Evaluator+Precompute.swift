import VigilModel

extension Evaluator {
    /// Computes the range functions of plain range selectors (`rate(x[5m])`,
    /// `quantile_over_time(0.9, x[1h])`) for all of `times` series by series, as Prometheus
    /// does: each series' samples are walked once, in order, instead of being searched again
    /// at every step, which keeps a series' samples in cache. Calls inside subqueries, whose
    /// evaluation times differ, and calls whose other arguments vary by step are left to the
    /// step-by-step path; calls already in `precomputed` are kept. `times` must be ascending.
    func precomputeRangeFunctions(_ expr: Expr, times: [Int64]) throws(PromQLError) {
        for (call, matrix, scalars) in Self.precomputableCalls(in: expr) where precomputed[call.id] == nil {
            let selector = matrix.selector
            var outputs = try Self.rangeFunctionSteps(call, matrix, scalars: scalars, series: data.selectors[selector.id],
                                                      times: times, window: window)
            var byTime: [Int64: [VectorElement]] = [:]
            byTime.reserveCapacity(times.count)
            for (step, ts) in times.enumerated() {
                if call.function != .lastOverTime && !data.distinctWithoutName[selector.id] { try outputs[step].checkUniqueLabels() }
                byTime[ts] = outputs[step]
                outputs[step] = []
            }
            precomputed[call.id] = byTime
        }
    }

    /// The calls `precomputeRangeFunctions` computes ahead: a range function of a plain range
    /// selector whose other arguments are number literals, outside subqueries, with those numbers.
    static func precomputableCalls(in expr: Expr) -> [(call: FunctionCall, matrix: MatrixSelector, scalars: [Double])] {
        switch expr.kind {
        case .number, .string, .vectorSelector, .matrixSelector, .subquery:
            return []
        case .unary(_, let inner), .paren(let inner):
            return precomputableCalls(in: inner)
        case .binary(let binary):
            return precomputableCalls(in: binary.lhs) + precomputableCalls(in: binary.rhs)
        case .aggregate(let aggregate):
            return precomputableCalls(in: aggregate.expr)
        case .call(let call):
            guard let matrixIndex = call.function.matrixArgumentIndex, call.function != .absentOverTime,
                  case .matrixSelector(let matrix) = call.args[matrixIndex].unwrapped.kind else {
                return call.args.flatMap { precomputableCalls(in: $0) }
            }
            var scalars: [Double] = []
            for (i, arg) in call.args.enumerated() where i != matrixIndex {
                guard case .number(let value) = arg.unwrapped.kind else { return [] }
                scalars.append(value)
            }
            return [(call, matrix, scalars)]
        }
    }

    /// The results of `call` over `series` at each of `times` (ascending), per step in the
    /// order of `series`; series without a value at a step are left out of that step. Does
    /// not check for duplicate label sets.
    static func rangeFunctionSteps(
        _ call: FunctionCall, _ matrix: MatrixSelector, scalars: [Double], series: some Collection<LoadedSeries>,
        times: [Int64], window: EvaluationWindow
    ) throws(PromQLError) -> [[VectorElement]] {
        let selector = matrix.selector
        let keepsName = call.function == .lastOverTime
        var outputs = [[VectorElement]](repeating: [], count: times.count)
        for series in series {
            let samples = series.rangeSamples
            var beforeStart = -1
            var last = -1
            for (step, ts) in times.enumerated() {
                let end = (selector.at.map(window.resolve) ?? ts) &- selector.offset
                let start = end &- matrix.range
                beforeStart = lastIndex(in: samples, atOrBefore: start &- 1, from: beforeStart)
                last = lastIndex(in: samples, atOrBefore: end, from: Swift.max(beforeStart, last))
                guard beforeStart < last else { continue }
                let rangeWindow = RangeWindow(series: [], distinctWithoutName: true, start: start, end: end, range: matrix.range)
                guard let value = try applyRangeFunction(call.function, samples[(beforeStart + 1)...last], window: rangeWindow,
                                                         scalars: scalars, at: ts) else { continue }
                outputs[step].append(VectorElement(labels: keepsName ? series.labels : series.labelsWithoutName, value: value))
            }
        }
        return outputs
    }
}
