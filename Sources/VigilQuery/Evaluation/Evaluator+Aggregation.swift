import VigilModel

extension Evaluator {
    /// One aggregation group being accumulated, as Prometheus' groupedAggregation.
    private struct Group {
        var labels: Labels
        var value: Double
        var mean: Double
        var count: Int
        var heap: GoHeap
        var values: [Double]
        /// The previous group whose labels have the same hash, if any.
        var sameHash: Int?
    }

    func evaluateAggregation(_ aggregate: AggregateExpr, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        var numericParameter = 0.0
        var valueLabel = ""
        if let param = aggregate.param {
            switch try evaluate(param, at: ts) {
            case .scalar(let value): numericParameter = value
            case .string(let text): valueLabel = text
            default: throw PromQLError.internalError("aggregation parameter of type \(param.type.documentedName)")
            }
        }
        let input = try vector(aggregate.expr, at: ts)
        let op = aggregate.op
        var k = 0
        if op == .topk || op == .bottomk {
            guard numericParameter <= 9_223_372_036_854_774_784, numericParameter >= -9_223_372_036_854_775_808 else {
                throw PromQLError.execution("Scalar value \(GoFloatFormat.format(numericParameter)) overflows int64")
            }
            let wanted = Int64(numericParameter)
            if wanted < 1 { return [] }
            k = Int(Swift.min(wanted, Int64(Int.max)))
        }
        var groupingNames = aggregate.grouping
        if op == .countValues {
            guard Labels.isValidName(valueLabel) else {
                throw PromQLError.execution("invalid label name \(GoQuote.quote(valueLabel))")
            }
            if !aggregate.without { groupingNames.append(valueLabel) }
        }
        let grouping = LabelNames(aggregate.without ? groupingNames + [Label.metricName] : groupingNames)

        // Groups are found by hashing each element's grouping labels in place; a group's labels
        // are built once, when the group starts.
        let keep = !aggregate.without
        var groups: [Group] = []
        var newestGroupByHash: [Int: Int] = [:]
        for element in input {
            var labels = element.labels
            if op == .countValues { labels = labels.setting(valueLabel, to: GoFloatFormat.positional(element.value)) }
            var hasher = Hasher()
            labels.hashSelection(grouping, keep: keep, into: &hasher)
            let hash = hasher.finalize()
            var candidate = newestGroupByHash[hash]
            while let index = candidate, !labels.selectionEquals(groups[index].labels, grouping, keep: keep) {
                candidate = groups[index].sameHash
            }
            let value = element.value
            guard let index = candidate else {
                let key = keep ? labels.keeping(grouping) : labels.removing(grouping)
                var group = Group(labels: key, value: value, mean: value, count: 1,
                                  heap: GoHeap(descending: op == .bottomk), values: [], sameHash: newestGroupByHash[hash])
                switch op {
                case .stddev, .stdvar: group.value = 0
                case .group: group.value = 1
                case .topk, .bottomk: group.heap.elements = [VectorElement(labels: element.labels, value: value)]
                case .quantile: group.values = [value]
                default: break
                }
                newestGroupByHash[hash] = groups.count
                groups.append(group)
                continue
            }
            Self.accumulate(op, value, element, k: k, into: &groups[index])
        }

        var result: [VectorElement] = []
        result.reserveCapacity(groups.count)
        for group in groups {
            switch op {
            case .topk, .bottomk:
                result.append(contentsOf: group.heap.sortedForOutput())
                continue
            case .avg:
                result.append(VectorElement(labels: group.labels, value: group.mean))
            case .count, .countValues:
                result.append(VectorElement(labels: group.labels, value: Double(group.count)))
            case .stdvar:
                result.append(VectorElement(labels: group.labels, value: group.value / Double(group.count)))
            case .stddev:
                result.append(VectorElement(labels: group.labels, value: (group.value / Double(group.count)).squareRoot()))
            case .quantile:
                result.append(VectorElement(labels: group.labels, value: Quantile.ofValues(numericParameter, group.values)))
            case .sum, .min, .max, .group:
                result.append(VectorElement(labels: group.labels, value: group.value))
            }
        }
        return result
    }

    private static func accumulate(_ op: AggregationOperator, _ value: Double, _ element: VectorElement, k: Int, into group: inout Group) {
        switch op {
        case .sum:
            group.value += value
        case .avg:
            group.count += 1
            if group.mean.isInfinite {
                if value.isInfinite && (group.mean > 0) == (value > 0) { return }
                if !value.isInfinite && !value.isNaN { return }
            }
            let count = Double(group.count)
            group.mean += value / count - group.mean / count
        case .group:
            break
        case .max:
            if group.value < value || group.value.isNaN { group.value = value }
        case .min:
            if group.value > value || group.value.isNaN { group.value = value }
        case .count, .countValues:
            group.count += 1
        case .stddev, .stdvar:
            group.count += 1
            let delta = value - group.mean
            group.mean += delta / Double(group.count)
            group.value += delta * (value - group.mean)
        case .topk, .bottomk:
            group.heap.offer(VectorElement(labels: element.labels, value: value), k: k)
        case .quantile:
            group.values.append(value)
        }
    }
}
