import VigilModel

/// A parsed PromQL expression: a node and the byte range of the query text it came from.
struct Expr: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case vectorSelector(VectorSelector)
        case matrixSelector(MatrixSelector)
        case subquery(Subquery)
        /// Unary minus (`negate`) or plus, applied to a scalar or instant vector.
        case unary(negate: Bool, Expr)
        case binary(BinaryExpr)
        case aggregate(AggregateExpr)
        case call(FunctionCall)
        case paren(Expr)
    }

    var kind: Kind {
        didSet { height = Self.height(of: kind) }
    }
    /// Byte offsets into the query: where the node starts and where it ends.
    var start: Int
    var end: Int
    /// Nodes on the longest path down from this one (1 for a leaf). The parser bounds it, so
    /// the recursive type checker and evaluator cannot run out of stack.
    private(set) var height: Int

    init(kind: Kind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
        height = Self.height(of: kind)
    }

    private static func height(of kind: Kind) -> Int {
        switch kind {
        case .number, .string, .vectorSelector, .matrixSelector: return 1
        case .subquery(let subquery): return subquery.expr.height + 1
        case .unary(_, let inner), .paren(let inner): return inner.height + 1
        case .binary(let binary): return Swift.max(binary.lhs.height, binary.rhs.height) + 1
        case .aggregate(let aggregate): return Swift.max(aggregate.expr.height, aggregate.param?.height ?? 0) + 1
        case .call(let call): return (call.args.map(\.height).max() ?? 0) + 1
        }
    }

    /// The value type the expression evaluates to.
    var type: ValueType {
        switch kind {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector, .aggregate: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .unary(_, let inner), .paren(let inner): return inner.type
        case .binary(let binary): return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .call(let call): return call.function.returnType
        }
    }

    /// The expression with any enclosing parentheses removed.
    var unwrapped: Expr {
        if case .paren(let inner) = kind { return inner.unwrapped }
        return self
    }
}

/// `@ <timestamp>`, `@ start()` or `@ end()`.
enum AtModifier: Sendable, Equatable {
    case timestamp(Int64)
    case start
    case end
}

/// `name{matchers} offset d @ t`. `matchers` ends with the `__name__` matcher when a name
/// was written before the braces. `id` numbers the selectors of one query.
struct VectorSelector: Sendable {
    var name: String?
    var matchers: [LabelMatcher]
    /// Milliseconds; negative looks ahead.
    var offset: Int64 = 0
    var at: AtModifier?
    var id: Int
}

/// `selector[range]`.
struct MatrixSelector: Sendable {
    var selector: VectorSelector
    /// Milliseconds, > 0.
    var range: Int64
}

/// `expr[range:step] offset d @ t`; `step` 0 means the engine's default step.
struct Subquery: Sendable {
    var expr: Expr
    var range: Int64
    var step: Int64
    var offset: Int64 = 0
    var at: AtModifier?
    /// Numbers the subqueries of one query, to cache inner results by evaluation time.
    var id: Int
}

/// Which side of a vector match may have several series per match group.
enum MatchCardinality: Sendable {
    case oneToOne, manyToOne, oneToMany, manyToMany
}

/// `on(...)`/`ignoring(...)` and `group_left(...)`/`group_right(...)`.
struct VectorMatching: Sendable {
    var cardinality: MatchCardinality
    var labels: [String]
    var on: Bool
    /// Labels copied from the "one" side in many-to-one matching.
    var include: [String]
}

struct BinaryExpr: Sendable {
    var op: BinaryOperator
    var lhs: Expr
    var rhs: Expr
    var returnBool: Bool
    /// nil when either side is a scalar.
    var matching: VectorMatching?
    /// Byte offset of the operator, where errors about it point.
    var opStart: Int
}

struct AggregateExpr: Sendable {
    var op: AggregationOperator
    var expr: Expr
    var param: Expr?
    var grouping: [String]
    var without: Bool
}

struct FunctionCall: Sendable {
    var function: PromQLFunction
    var args: [Expr]
    /// Numbers the calls of one query, to find precomputed results.
    var id: Int
}
