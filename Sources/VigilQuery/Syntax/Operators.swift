/// Binary operators with Prometheus' precedence (higher binds tighter) and associativity.
enum BinaryOperator: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2 = "atan2"
    case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
    case and = "and", or = "or", unless = "unless"

    init?(_ kind: TokenKind) {
        switch kind {
        case .add: self = .add
        case .sub: self = .sub
        case .mul: self = .mul
        case .div: self = .div
        case .mod: self = .mod
        case .pow: self = .pow
        case .atan2: self = .atan2
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .greater: self = .greater
        case .less: self = .less
        case .greaterOrEqual: self = .greaterOrEqual
        case .lessOrEqual: self = .lessOrEqual
        case .and: self = .and
        case .or: self = .or
        case .unless: self = .unless
        default: return nil
        }
    }

    /// `or` < `and`/`unless` < comparisons < `+ -` < `* / % atan2` < `^`.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }

    /// Unary minus binds like `*`: `-a ^ b` is `-(a ^ b)`, `-a * b` is `(-a) * b`.
    static let unaryPrecedence = 5

    var isRightAssociative: Bool { self == .pow }

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return true
        default: return false
        }
    }

    var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Arithmetic results lose the metric name; comparisons and set operators keep it.
    var dropsMetricName: Bool {
        switch self {
        case .add, .sub, .mul, .div, .pow, .mod: return true
        default: return false
        }
    }
}

/// Aggregation operators; the ones with a parameter take it as the first argument.
enum AggregationOperator: String, Sendable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk
    case countValues = "count_values"
    case quantile

    init?(_ kind: TokenKind) {
        switch kind {
        case .sum: self = .sum
        case .avg: self = .avg
        case .count: self = .count
        case .min: self = .min
        case .max: self = .max
        case .group: self = .group
        case .stddev: self = .stddev
        case .stdvar: self = .stdvar
        case .topk: self = .topk
        case .bottomk: self = .bottomk
        case .countValues: self = .countValues
        case .quantile: self = .quantile
        default: return nil
        }
    }

    var takesParameter: Bool {
        self == .topk || self == .bottomk || self == .countValues || self == .quantile
    }
}
