import VigilModel

/// Prometheus' checks after parsing: operand and argument types, `bool` placement, vector
/// matching rules and selector sanity. Reports the first problem in evaluation order, and
/// normalizes the tree: set operators match many-to-many, scalar operands drop matching.
enum TypeChecker {
    static func check(_ expr: inout Expr, query: String) throws(ParseFailure) {
        try visit(&expr)
    }

    @discardableResult
    private static func visit(_ expr: inout Expr) throws(ParseFailure) -> ValueType {
        switch expr.kind {
        case .number, .string:
            break
        case .paren(var inner):
            try visit(&inner)
            expr.kind = .paren(inner)
        case .vectorSelector(let selector):
            try checkSelector(selector, at: expr.start)
        case .matrixSelector(let matrix):
            try checkSelector(matrix.selector, at: expr.start)
        case .subquery(var subquery):
            let type = try visit(&subquery.expr)
            guard type == .vector else {
                throw ParseFailure(offset: expr.start, message: "subquery is only allowed on instant vector, got \(rawName(type)) instead")
            }
            expr.kind = .subquery(subquery)
        case .unary(let negate, var inner):
            let type = try visit(&inner)
            guard type == .scalar || type == .vector else {
                throw ParseFailure(offset: expr.start, message:
                    "unary expression only allowed on expressions of type scalar or instant vector, got \(GoQuote.quote(type.documentedName))")
            }
            expr.kind = .unary(negate: negate, inner)
        case .aggregate(var aggregate):
            try expect(&aggregate.expr, .vector, "aggregation expression")
            if var param = aggregate.param {
                try expect(&param, aggregate.op == .countValues ? .string : .scalar, "aggregation parameter")
                aggregate.param = param
            }
            expr.kind = .aggregate(aggregate)
        case .call(var call):
            try checkArity(call, at: expr.start)
            for i in call.args.indices {
                let type = call.function.argTypes[Swift.min(i, call.function.argTypes.count - 1)]
                try expect(&call.args[i], type, "call to function \(GoQuote.quote(call.function.name))")
            }
            expr.kind = .call(call)
        case .binary(var binary):
            try checkBinary(&binary, at: expr.start)
            expr.kind = .binary(binary)
        }
        return expr.type
    }

    private static func expect(_ expr: inout Expr, _ wanted: ValueType, _ context: String) throws(ParseFailure) {
        let type = try visit(&expr)
        guard type == wanted else {
            throw ParseFailure(offset: expr.start,
                               message: "expected type \(wanted.documentedName) in \(context), got \(type.documentedName)")
        }
    }

    private static func checkArity(_ call: FunctionCall, at start: Int) throws(ParseFailure) {
        let name = GoQuote.quote(call.function.name)
        let declared = call.function.argTypes.count
        let given = call.args.count
        switch call.function.variadic {
        case 0:
            if declared != given {
                throw ParseFailure(offset: start, message: "expected \(declared) argument(s) in call to \(name), got \(given)")
            }
        default:
            if declared - 1 > given {
                throw ParseFailure(offset: start, message: "expected at least \(declared - 1) argument(s) in call to \(name), got \(given)")
            }
            if call.function.variadic > 0, declared - 1 + call.function.variadic < given {
                throw ParseFailure(offset: start, message:
                    "expected at most \(declared - 1 + call.function.variadic) argument(s) in call to \(name), got \(given)")
            }
        }
    }

    private static func checkBinary(_ binary: inout BinaryExpr, at start: Int) throws(ParseFailure) {
        let lhsType = try visit(&binary.lhs)
        let rhsType = try visit(&binary.rhs)
        let op = binary.op
        if binary.returnBool && !op.isComparison {
            throw ParseFailure(offset: binary.opStart, message: "bool modifier can only be used on comparison operators")
        }
        if op.isComparison && !binary.returnBool && lhsType == .scalar && rhsType == .scalar {
            throw ParseFailure(offset: binary.opStart, message: "comparisons between scalars must use BOOL modifier")
        }
        if var matching = binary.matching {
            if op.isSetOperator && matching.cardinality == .oneToOne { matching.cardinality = .manyToMany }
            if matching.on, let label = matching.labels.first(where: matching.include.contains) {
                throw ParseFailure(offset: binary.opStart,
                                   message: "label \(GoQuote.quote(label)) must not occur in ON and GROUP clause at once")
            }
            binary.matching = matching
        }
        if lhsType != .scalar && lhsType != .vector {
            throw ParseFailure(offset: binary.lhs.start, message: "binary expression must contain only scalar and instant vector types")
        }
        if rhsType != .scalar && rhsType != .vector {
            throw ParseFailure(offset: binary.rhs.start, message: "binary expression must contain only scalar and instant vector types")
        }
        if lhsType != .vector || rhsType != .vector {
            if let matching = binary.matching, !matching.labels.isEmpty {
                throw ParseFailure(offset: start, message: "vector matching only allowed between instant vectors")
            }
            binary.matching = nil
        } else if op.isSetOperator, let matching = binary.matching {
            if matching.cardinality == .oneToMany || matching.cardinality == .manyToOne {
                throw ParseFailure(offset: start, message: "no grouping allowed for \(GoQuote.quote(op.rawValue)) operation")
            }
        }
        if (lhsType == .scalar || rhsType == .scalar) && op.isSetOperator {
            throw ParseFailure(offset: start, message: "set operator \(GoQuote.quote(op.rawValue)) not allowed in binary scalar expression")
        }
    }

    private static func checkSelector(_ selector: VectorSelector, at start: Int) throws(ParseFailure) {
        if let name = selector.name {
            if let other = selector.matchers.dropLast().first(where: { $0.name == Label.metricName }) {
                throw ParseFailure(offset: start, message:
                    "metric name must not be set twice: \(GoQuote.quote(name)) or \(GoQuote.quote(other.value))")
            }
            return
        }
        if !selector.matchers.contains(where: { !$0.matchesEmpty }) {
            throw ParseFailure(offset: start, message: "vector selector must contain at least one non-empty matcher")
        }
    }

    /// Prometheus' ValueType strings, which one message prints instead of the documented names.
    private static func rawName(_ type: ValueType) -> String {
        switch type {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }
}
