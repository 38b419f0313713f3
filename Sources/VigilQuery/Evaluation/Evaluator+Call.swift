#if canImport(Glibc)
import Glibc
#endif
import VigilModel

extension Evaluator {
    func evaluateCall(_ call: FunctionCall, at ts: Int64) throws(PromQLError) -> StepValue {
        let function = call.function
        if function.matrixArgumentIndex != nil {
            return .vector(try evaluateRangeFunction(call, at: ts))
        }
        switch function {
        case .time: return .scalar(Double(ts) / 1000)
        case .pi: return .scalar(Double.pi)
        case .scalar:
            let elements = try vector(call.args[0], at: ts)
            return .scalar(elements.count == 1 ? elements[0].value : .nan)
        case .vector:
            return .vector([VectorElement(labels: Labels(presorted: []), value: try scalar(call.args[0], at: ts))])
        default:
            let result = try evaluateVectorFunction(call, at: ts)
            try result.checkUniqueLabels()
            return .vector(result)
        }
    }

    /// Functions of an instant vector (and scalars, strings).
    private func evaluateVectorFunction(_ call: FunctionCall, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        let function = call.function
        if let math = MathFunction(function) {
            return try vector(call.args[0], at: ts).map { VectorElement(labels: $0.labels.droppingMetricName, value: math.apply($0.value)) }
        }
        if let date = DateFunction(function) {
            guard let arg = call.args.first else {
                return [VectorElement(labels: Labels(presorted: []), value: date.apply(unixSeconds: ts / 1000))]
            }
            return try vector(arg, at: ts).map {
                VectorElement(labels: $0.labels.droppingMetricName, value: date.apply(unixSeconds: DateFunction.goInt64($0.value)))
            }
        }
        switch function {
        case .clamp, .clampMin, .clampMax:
            let elements = try vector(call.args[0], at: ts)
            var lower = -Double.infinity
            var upper = Double.infinity
            switch function {
            case .clamp:
                lower = try scalar(call.args[1], at: ts)
                upper = try scalar(call.args[2], at: ts)
                if upper < lower { return [] }
            case .clampMin: lower = try scalar(call.args[1], at: ts)
            default: upper = try scalar(call.args[1], at: ts)
            }
            return elements.map { element in
                var value = element.value
                if function != .clampMin { value = MathFunction.goMin(upper, value) }
                if function != .clampMax { value = MathFunction.goMax(lower, value) }
                return VectorElement(labels: element.labels.droppingMetricName, value: value)
            }
        case .round:
            let elements = try vector(call.args[0], at: ts)
            let toNearest = call.args.count > 1 ? try scalar(call.args[1], at: ts) : 1
            let inverse = 1.0 / toNearest
            return elements.map {
                VectorElement(labels: $0.labels.droppingMetricName, value: Glibc.floor($0.value * inverse + 0.5) / inverse)
            }
        case .timestamp:
            if case .vectorSelector(let selector) = call.args[0].unwrapped.kind {
                return instantVector(selector, at: ts).map {
                    VectorElement(labels: $0.labels.droppingMetricName, value: Double($0.sample.timestamp) / 1000)
                }
            }
            return try vector(call.args[0], at: ts).map {
                VectorElement(labels: $0.labels.droppingMetricName, value: Double(ts) / 1000)
            }
        case .sort, .sortDesc:
            let elements = try vector(call.args[0], at: ts)
            let descending = function == .sortDesc
            // Prometheus sorts by "NaN first, then the opposite order" and reverses, so NaN ends last.
            return GoSort.sort(elements) { a, b in GoHeap.less(b.value, a.value, descending: !descending) }
        case .absent:
            guard try vector(call.args[0], at: ts).isEmpty else { return [] }
            return [VectorElement(labels: Self.absentLabels(call.args[0]), value: 1)]
        case .labelReplace:
            return try labelReplace(call, at: ts)
        case .labelJoin:
            return try labelJoin(call, at: ts)
        case .histogramQuantile:
            let q = try scalar(call.args[0], at: ts)
            return HistogramQuantile.evaluate(q, try vector(call.args[1], at: ts))
        case .histogramCount, .histogramSum, .histogramFraction:
            // These read native histograms only, which Vigil does not store: every float sample is skipped.
            for arg in call.args { _ = try evaluate(arg, at: ts) }
            return []
        default:
            throw PromQLError.internalError("function \(function.name) has no instant-vector implementation")
        }
    }

    /// Functions of a range vector: applied to every series with samples in the window.
    private func evaluateRangeFunction(_ call: FunctionCall, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        let function = call.function
        guard let matrixIndex = function.matrixArgumentIndex else {
            throw PromQLError.internalError("function \(function.name) has no range argument")
        }
        var scalars: [Double] = []
        for (i, arg) in call.args.enumerated() where i != matrixIndex {
            scalars.append(try scalar(arg, at: ts))
        }
        if let precomputed = precomputed[call.id]?[ts] { return precomputed }
        let window = try rangeWindow(call.args[matrixIndex], at: ts)
        if function == .absentOverTime {
            guard window.series.isEmpty else { return [] }
            return [VectorElement(labels: Self.absentLabels(call.args[matrixIndex]), value: 1)]
        }
        var result: [VectorElement] = []
        result.reserveCapacity(window.series.count)
        for series in window.series {
            guard let value = try Self.applyRangeFunction(function, series.samples, window: window, scalars: scalars, at: ts) else {
                continue
            }
            // last_over_time acts like an offset and keeps the metric name.
            let labels = function == .lastOverTime ? series.labels : series.labelsWithoutName
            result.append(VectorElement(labels: labels, value: value))
        }
        if function != .lastOverTime && !window.distinctWithoutName { try result.checkUniqueLabels() }
        return result
    }

    /// A range function of one series' samples in `window`; nil where the series is dropped.
    /// `scalars` are the function's other arguments in order, `ts` the evaluation time.
    static func applyRangeFunction(
        _ function: PromQLFunction, _ samples: ArraySlice<Sample>, window: RangeWindow, scalars: [Double], at ts: Int64
    ) throws(PromQLError) -> Double? {
        switch function {
        case .rate: return RangeFunctions.extrapolatedRate(samples, window: window, isCounter: true, isRate: true)
        case .increase: return RangeFunctions.extrapolatedRate(samples, window: window, isCounter: true, isRate: false)
        case .delta: return RangeFunctions.extrapolatedRate(samples, window: window, isCounter: false, isRate: false)
        case .irate: return RangeFunctions.instantValue(samples, isRate: true)
        case .idelta: return RangeFunctions.instantValue(samples, isRate: false)
        case .deriv: return RangeFunctions.deriv(samples)
        case .predictLinear: return RangeFunctions.predictLinear(samples, at: ts, seconds: scalars[0])
        case .holtWinters:
            let (sf, tf) = (scalars[0], scalars[1])
            guard sf > 0, sf < 1 else {
                throw PromQLError.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: \(Parser.goFixed(sf))")
            }
            guard tf > 0, tf < 1 else {
                throw PromQLError.execution("invalid trend factor. Expected: 0 < tf < 1, got: \(Parser.goFixed(tf))")
            }
            return RangeFunctions.holtWinters(samples, sf: sf, tf: tf)
        case .resets: return RangeFunctions.resets(samples)
        case .changes: return RangeFunctions.changes(samples)
        case .avgOverTime: return RangeFunctions.avgOverTime(samples)
        case .sumOverTime: return RangeFunctions.sumOverTime(samples)
        case .minOverTime: return RangeFunctions.minOverTime(samples)
        case .maxOverTime: return RangeFunctions.maxOverTime(samples)
        case .countOverTime: return Double(samples.count)
        case .lastOverTime: return samples.last?.value
        case .presentOverTime: return 1
        case .stdvarOverTime: return RangeFunctions.stdvarOverTime(samples)
        case .stddevOverTime: return RangeFunctions.stdvarOverTime(samples).squareRoot()
        case .quantileOverTime: return Quantile.ofValues(scalars[0], samples.map(\.value))
        default: throw PromQLError.internalError("function \(function.name) has no range-vector implementation")
        }
    }

    /// The labels absent() and absent_over_time() report: those the selector fixes with `=`,
    /// except names matched more than once; nothing for other expressions.
    static func absentLabels(_ arg: Expr) -> Labels {
        let selector: VectorSelector
        switch arg.unwrapped.kind {
        case .vectorSelector(let vector): selector = vector
        case .matrixSelector(let matrix): selector = matrix.selector
        default: return Labels(presorted: [])
        }
        var pairs: [String: String] = [:]
        var fixed = Set<String>()
        for matcher in selector.matchers where matcher.name != Label.metricName {
            if matcher.kind == .equal && !fixed.contains(matcher.name) {
                pairs[matcher.name] = matcher.value
                fixed.insert(matcher.name)
            } else {
                pairs[matcher.name] = nil
            }
        }
        return Labels(pairs.map { Label($0.key, $0.value) })
    }
}
