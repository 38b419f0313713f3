import VigilModel

extension Evaluator {
    /// Computes the range functions of plain range selectors (`rate(x[5m])`,
    /// `quantile_over_time(0.9, x[1h])`) for all of `times` series by series, as Prometheus
    /// does: each series' samples are walked once, in order, instead of being searched again
    /// at every step, which keeps a series' samples in cache. Calls inside subqueries, whose
    /// evaluation times differ, and calls whose other arguments vary by step are left to the
    /// step-by-step path. `times` must be ascending.
    func precomputeRangeFunctions(_ expr: Expr, times: [Int64]) throws(PromQLError) {
        switch expr.kind {
        case .number, .string, .vectorSelector, .matrixSelector, .subquery:
            return
        case .unary(_, let inner), .paren(let inner):
            try precomputeRangeFunctions(inner, times: times)
        case .binary(let binary):
            try precomputeRangeFunctions(binary.lhs, times: times)
            try precomputeRangeFunctions(binary.rhs, times: times)
        case .aggregate(let aggregate):
            try precomputeRangeFunctions(aggregate.expr, times: times)
        case .call(let call):
            guard let matrixIndex = call.function.matrixArgumentIndex, call.function != .absentOverTime,
                  case .matrixSelector(let matrix) = call.args[matrixIndex].unwrapped.kind else {
                for arg in call.args { try precomputeRangeFunctions(arg, times: times) }
                return
            }
            var scalars: [Double] = []
            for (i, arg) in call.args.enumerated() where i != matrixIndex {
                guard case .number(let value) = arg.unwrapped.kind else { return }
                scalars.append(value)
            }
            try precompute(call, matrix, scalars: scalars, times: times)
        }
    }

    private func precompute(_ call: FunctionCall, _ matrix: MatrixSelector, scalars: [Double], times: [Int64]) throws(PromQLError) {
        let selector = matrix.selector
        let loaded = data.selectors[selector.id]
        let keepsName = call.function == .lastOverTime
        var outputs = [[VectorElement]](repeating: [], count: times.count)
        for series in loaded {
            let samples = series.rangeSamples
            var beforeStart = -1
            var last = -1
            for (step, ts) in times.enumerated() {
                let end = (selector.at.map(window.resolve) ?? ts) &- selector.offset
                let start = end &- matrix.range
                beforeStart = Self.lastIndex(in: samples, atOrBefore: start &- 1, from: beforeStart)
                last = Self.lastIndex(in: samples, atOrBefore: end, from: Swift.max(beforeStart, last))
                guard beforeStart < last else { continue }
                let window = RangeWindow(series: [], distinctWithoutName: true, start: start, end: end, range: matrix.range)
                guard let value = try Self.applyRangeFunction(call.function, samples[(beforeStart + 1)...last], window: window,
                                                              scalars: scalars, at: ts) else { continue }
                outputs[step].append(VectorElement(labels: keepsName ? series.labels : series.labelsWithoutName, value: value))
            }
        }
        var byTime: [Int64: [VectorElement]] = [:]
        byTime.reserveCapacity(times.count)
        for (step, ts) in times.enumerated() {
            if !keepsName && !data.distinctWithoutName[selector.id] { try outputs[step].checkUniqueLabels() }
            byTime[ts] = outputs[step]
        }
        precomputed[call.id] = byTime
    }
}
