/// The kinds of token the PromQL lexer produces, named after Prometheus' item types.
enum TokenKind: Sendable, Equatable {
    case eof
    /// A lexical error; the token's text is the message.
    case error
    case identifier
    case metricIdentifier
    case number
    case string
    case duration

    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, assign, colon

    // Operators.
    case add, sub, mul, div, mod, pow, atan2
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    case regexMatch, regexNoMatch
    case and, or, unless
    case at

    // Aggregators.
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, countValues, quantile

    // Keywords.
    case offset, by, without, on, ignoring, groupLeft, groupRight, bool

    // Preprocessors of the @ modifier.
    case start, end

    var isOperator: Bool {
        switch self {
        case .add, .sub, .mul, .div, .mod, .pow, .atan2, .equal, .notEqual, .less, .lessOrEqual,
             .greater, .greaterOrEqual, .regexMatch, .regexNoMatch, .and, .or, .unless, .at:
            return true
        default:
            return false
        }
    }

    var isAggregator: Bool { AggregationOperator(self) != nil }

    /// Tokens that may be a metric name where a selector can start: identifiers, and the
    /// aggregators and keywords Prometheus' grammar accepts there (`sum`, `by`, `offset`, ...).
    var canNameMetric: Bool {
        switch self {
        case .identifier, .metricIdentifier, .by, .without, .offset, .and, .or, .unless, .start, .end: return true
        default: return isAggregator
        }
    }

    var isKeyword: Bool {
        switch self {
        case .offset, .by, .without, .on, .ignoring, .groupLeft, .groupRight, .bool: return true
        default: return false
        }
    }

    /// Words the lexer turns into keywords, compared case-insensitively.
    static let words: [String: TokenKind] = [
        "and": .and, "or": .or, "unless": .unless, "atan2": .atan2,
        "sum": .sum, "avg": .avg, "count": .count, "min": .min, "max": .max, "group": .group,
        "stddev": .stddev, "stdvar": .stdvar, "topk": .topk, "bottomk": .bottomk,
        "count_values": .countValues, "quantile": .quantile,
        "offset": .offset, "by": .by, "without": .without, "on": .on, "ignoring": .ignoring,
        "group_left": .groupLeft, "group_right": .groupRight, "bool": .bool,
        "start": .start, "end": .end,
        "inf": .number, "nan": .number,
    ]

    /// Whether the token has a fixed spelling, which error messages quote without a kind.
    fileprivate var hasFixedText: Bool {
        switch self {
        case .eof, .error, .identifier, .metricIdentifier, .number, .string, .duration: return false
        default: return true
        }
    }

    fileprivate var kindName: String {
        switch self {
        case .identifier: return "identifier"
        case .metricIdentifier: return "metric identifier"
        case .number: return "number"
        case .string: return "string"
        case .duration: return "duration"
        case .error: return "error"
        default: return "end of input"
        }
    }
}

/// One lexed token: its kind, where it starts (byte offset into the query) and its text as
/// written (strings keep their quotes).
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var text: String

    var end: Int { start + text.utf8.count }

    /// How error messages name the token, as Prometheus does: `"}"`, `<op:+>`, `<by>`,
    /// `<aggr:sum>`, `identifier "foo"`, `number "1"`, `end of input`.
    var errorDescription: String {
        if kind == .eof { return "end of input" }
        if kind.hasFixedText { return quotedForm }
        return "\(kind.kindName) \(quotedForm)"
    }

    private var quotedForm: String {
        if kind.isKeyword { return "<\(text)>" }
        if kind.isOperator { return "<op:\(text)>" }
        if kind.isAggregator { return "<aggr:\(text)>" }
        if kind != .identifier, kind != .metricIdentifier, text.unicodeScalars.count > 10 {
            return GoQuote.quote(String(String.UnicodeScalarView(text.unicodeScalars.prefix(10)))) + "..."
        }
        return GoQuote.quote(text)
    }
}
