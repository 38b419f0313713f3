#if canImport(Glibc)
import Glibc
#endif
import VigilModel

extension Evaluator {
    func evaluateBinary(_ binary: BinaryExpr, at ts: Int64) throws(PromQLError) -> StepValue {
        let lhs = try evaluate(binary.lhs, at: ts)
        let rhs = try evaluate(binary.rhs, at: ts)
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            let (value, keep) = Self.apply(binary.op, left, right)
            return .scalar(binary.op.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let elements), .scalar(let scalar)):
            return .vector(try Self.vectorScalar(binary, elements, scalar, scalarOnLeft: false))
        case (.scalar(let scalar), .vector(let elements)):
            return .vector(try Self.vectorScalar(binary, elements, scalar, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            guard let matching = binary.matching else {
                throw PromQLError.internalError("binary operation between vectors without matching")
            }
            switch binary.op {
            case .and: return .vector(Self.and(left, right, matching))
            case .or: return .vector(Self.or(left, right, matching))
            case .unless: return .vector(Self.unless(left, right, matching))
            default:
                let result = try Self.vectorVector(binary, left, right, matching)
                try result.checkUniqueLabels()
                return .vector(result)
            }
        default:
            throw PromQLError.internalError("binary operation on \(binary.lhs.type.documentedName) and \(binary.rhs.type.documentedName)")
        }
    }

    /// An operator on two numbers: the result and, for comparisons, whether it holds (the
    /// result of a comparison is the left value).
    static func apply(_ op: BinaryOperator, _ left: Double, _ right: Double) -> (Double, Bool) {
        switch op {
        case .add: return (left + right, true)
        case .sub: return (left - right, true)
        case .mul: return (left * right, true)
        case .div: return (left / right, true)
        case .pow: return (pow(left, right), true)
        case .mod: return (fmod(left, right), true)
        case .atan2: return (Glibc.atan2(left, right), true)
        case .equal: return (left, left == right)
        case .notEqual: return (left, left != right)
        case .greater: return (left, left > right)
        case .less: return (left, left < right)
        case .greaterOrEqual: return (left, left >= right)
        case .lessOrEqual: return (left, left <= right)
        case .and, .or, .unless: return (left, true)
        }
    }

    private static func vectorScalar(
        _ binary: BinaryExpr, _ elements: [VectorElement], _ scalar: Double, scalarOnLeft: Bool
    ) throws(PromQLError) -> [VectorElement] {
        var result: [VectorElement] = []
        result.reserveCapacity(elements.count)
        let dropName = binary.op.dropsMetricName || binary.returnBool
        for element in elements {
            var (value, keep) = scalarOnLeft ? apply(binary.op, scalar, element.value) : apply(binary.op, element.value, scalar)
            // A comparison filters the vector and keeps its values, whichever side it is on.
            if binary.op.isComparison && scalarOnLeft { value = element.value }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            if keep {
                result.append(VectorElement(labels: dropName ? element.labels.droppingMetricName : element.labels, value: value))
            }
        }
        if dropName { try result.checkUniqueLabels() }
        return result
    }

    /// The labels two series are matched on: the `on` labels, or all but the `ignoring`
    /// labels and the metric name.
    static func signature(_ labels: Labels, _ matching: VectorMatching, names: LabelNames) -> Labels {
        matching.on ? labels.keeping(names) : labels.removing(names)
    }

    static func signatureNames(_ matching: VectorMatching) -> LabelNames {
        LabelNames(matching.on ? matching.labels : matching.labels + [Label.metricName])
    }

    private static func vectorVector(
        _ binary: BinaryExpr, _ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching
    ) throws(PromQLError) -> [VectorElement] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        let names = signatureNames(matching)
        var oneSide: [LabelsKey: Int] = [:]
        oneSide.reserveCapacity(one.count)
        for (index, element) in one.enumerated() {
            let key = LabelsKey(signature(element.labels, matching, names: names))
            if let previous = oneSide[key] {
                throw PromQLError.execution(
                    "found duplicate series for the match group \(key.labels.promString) on the \(swapped ? "left" : "right") "
                    + "hand-side of the operation: [\(element.labels.promString), \(one[previous].labels.promString)]"
                    + ";many-to-many matching not allowed: matching labels must be unique on one side")
            }
            oneSide[key] = index
        }
        var matchedOneToOne = Set<LabelsKey>()
        var matchedGroups: [LabelsKey: Set<LabelsKey>] = [:]
        var result: [VectorElement] = []
        for element in many {
            let key = LabelsKey(signature(element.labels, matching, names: names))
            guard let match = oneSide[key] else { continue }
            let other = one[match]
            var (value, keep) = swapped ? apply(binary.op, other.value, element.value) : apply(binary.op, element.value, other.value)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = resultLabels(element.labels, other.labels, binary.op, matching)
            if binary.returnBool { labels = labels.droppingMetricName }
            if matching.cardinality == .oneToOne {
                if !matchedOneToOne.insert(key).inserted {
                    throw PromQLError.execution(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else if !matchedGroups[key, default: []].insert(LabelsKey(labels)).inserted {
                throw PromQLError.execution("multiple matches for labels: grouping labels must ensure unique matches")
            }
            result.append(VectorElement(labels: labels, value: value))
        }
        return result
    }

    /// The result series of a match: the "many" side's labels, without the metric name for
    /// arithmetic, reduced to the `on` labels (or without the `ignoring` ones) one-to-one,
    /// plus the `group_left`/`group_right` labels taken from the "one" side.
    private static func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = op.dropsMetricName ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(LabelNames(matching.labels)) : labels.removing(LabelNames(matching.labels))
        }
        guard !matching.include.isEmpty else { return labels }
        var pairs = labels.pairs.filter { !matching.include.contains($0.name) }
        for name in matching.include {
            if let value = one[name], !value.isEmpty { pairs.append(Label(name, value)) }
        }
        return Labels(pairs)
    }

    private static func and(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let names = signatureNames(matching)
        let right = Set(rhs.map { LabelsKey(signature($0.labels, matching, names: names)) })
        return lhs.filter { right.contains(LabelsKey(signature($0.labels, matching, names: names))) }
    }

    private static func or(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        guard !lhs.isEmpty else { return rhs }
        guard !rhs.isEmpty else { return lhs }
        let names = signatureNames(matching)
        let left = Set(lhs.map { LabelsKey(signature($0.labels, matching, names: names)) })
        return lhs + rhs.filter { !left.contains(LabelsKey(signature($0.labels, matching, names: names))) }
    }

    private static func unless(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return lhs }
        let names = signatureNames(matching)
        let right = Set(rhs.map { LabelsKey(signature($0.labels, matching, names: names)) })
        return lhs.filter { !right.contains(LabelsKey(signature($0.labels, matching, names: names))) }
    }
}
