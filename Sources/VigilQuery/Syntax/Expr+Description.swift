import VigilModel

extension Expr: CustomStringConvertible {
    /// The expression as PromQL with every binary operation in parentheses, so the text shows
    /// how the parser grouped it: `(a + (b * c))`. Parentheses written in the query appear
    /// doubled around binary operations.
    var description: String {
        switch kind {
        case .number(let value):
            return GoFloatFormat.format(value)
        case .string(let text):
            return GoQuote.quote(text)
        case .vectorSelector(let selector):
            return Self.describe(selector, range: nil)
        case .matrixSelector(let matrix):
            return Self.describe(matrix.selector, range: matrix.range)
        case .subquery(let subquery):
            let step = subquery.step > 0 ? DurationText.format(milliseconds: subquery.step) : ""
            return "\(subquery.expr)[\(DurationText.format(milliseconds: subquery.range)):\(step)]"
                + Self.modifiers(offset: subquery.offset, at: subquery.at)
        case .unary(let negate, let inner):
            return (negate ? "-" : "+") + inner.description
        case .paren(let inner):
            return "(\(inner))"
        case .binary(let binary):
            var op = binary.op.rawValue
            if binary.returnBool { op += " bool" }
            if let matching = binary.matching {
                if matching.on || !matching.labels.isEmpty {
                    op += (matching.on ? " on(" : " ignoring(") + matching.labels.joined(separator: ", ") + ")"
                }
                switch matching.cardinality {
                case .manyToOne: op += " group_left(" + matching.include.joined(separator: ", ") + ")"
                case .oneToMany: op += " group_right(" + matching.include.joined(separator: ", ") + ")"
                case .oneToOne, .manyToMany: break
                }
            }
            return "(\(binary.lhs) \(op) \(binary.rhs))"
        case .aggregate(let aggregate):
            var text = aggregate.op.rawValue
            if aggregate.without || !aggregate.grouping.isEmpty {
                text += (aggregate.without ? " without (" : " by (") + aggregate.grouping.joined(separator: ", ") + ") "
            }
            let args = (aggregate.param.map { [$0] } ?? []) + [aggregate.expr]
            return text + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .call(let call):
            return call.function.name + "(" + call.args.map(\.description).joined(separator: ", ") + ")"
        }
    }

    private static func describe(_ selector: VectorSelector, range: Int64?) -> String {
        let others = selector.matchers.filter { selector.name == nil || $0.name != Label.metricName }
        var text = selector.name ?? ""
        if !others.isEmpty || selector.name == nil {
            text += "{" + others.map(\.description).joined(separator: ", ") + "}"
        }
        if let range { text += "[\(DurationText.format(milliseconds: range))]" }
        return text + modifiers(offset: selector.offset, at: selector.at)
    }

    private static func modifiers(offset: Int64, at: AtModifier?) -> String {
        var text = ""
        if offset != 0 { text += " offset " + DurationText.format(milliseconds: offset) }
        switch at {
        case .timestamp(let milliseconds)?: text += " @ " + GoFloatFormat.positional(Double(milliseconds) / 1000)
        case .start?: text += " @ start()"
        case .end?: text += " @ end()"
        case nil: break
        }
        return text
    }
}
