import VigilModel

/// A syntax or type error found while parsing, at a byte offset of the query.
struct ParseFailure: Error {
    var offset: Int
    var message: String
}

/// A parsed and type-checked query.
struct ParsedQuery: Sendable {
    var expr: Expr
    /// Selectors are numbered 0..<selectorCount.
    var selectorCount: Int
}

/// Recursive-descent PromQL parser with Prometheus 2.42's grammar, precedence and messages.
///
/// Binary operators are parsed by precedence climbing; `[...]`, `offset` and `@` bind to the
/// expression just before them, tighter than any operator. Errors that do not stop the parse
/// (an unknown function, a bad duration) are remembered and the earliest one is reported, as
/// Prometheus collects errors and reports its first.
struct Parser {
    let query: String
    let tokens: [Token]
    var index = 0
    var deferredError: ParseFailure?
    /// Current recursion depth of `parseExpr`.
    var nesting = 0
    var selectorCount = 0
    var subqueryCount = 0
    var callCount = 0

    /// Parses and type-checks `query`; errors are `.badData` with Prometheus' position prefix.
    static func parse(_ query: String) throws(PromQLError) -> ParsedQuery {
        var parser = Parser(query: query, tokens: Lexer.tokenize(query))
        do throws(ParseFailure) {
            var expr = try parser.parseQuery()
            if let deferred = parser.deferredError { throw deferred }
            try TypeChecker.check(&expr, query: query)
            return ParsedQuery(expr: expr, selectorCount: parser.selectorCount)
        } catch {
            let failure = parser.deferredError.flatMap { $0.offset <= error.offset ? $0 : nil } ?? error
            throw PromQLError.parse(failure.message, at: failure.offset, in: query)
        }
    }

    /// Parses `{...}` or `name{...}` alone, as the HTTP API's `match[]` parameters are parsed.
    static func parseSelector(_ text: String) throws(PromQLError) -> [LabelMatcher] {
        var parser = Parser(query: text, tokens: Lexer.tokenize(text))
        do throws(ParseFailure) {
            let expected = "a series selector such as up{job=\"node\"}"
            guard parser.current.kind == .leftBrace || parser.current.kind.canNameMetric else {
                throw parser.unexpected(context: "", expected: expected)
            }
            var selector = try parser.parseVectorSelector()
            guard parser.current.kind == .eof else { throw parser.unexpected(context: "", expected: expected) }
            if let deferred = parser.deferredError { throw deferred }
            try TypeChecker.check(&selector, query: text)
            guard case .vectorSelector(let vector) = selector.kind else {
                throw ParseFailure(offset: 0, message: "expected a series selector")
            }
            return vector.matchers
        } catch {
            let failure = parser.deferredError.flatMap { $0.offset <= error.offset ? $0 : nil } ?? error
            throw PromQLError.parse(failure.message, at: failure.offset, in: text)
        }
    }

    private mutating func parseQuery() throws(ParseFailure) -> Expr {
        if current.kind == .eof {
            throw ParseFailure(offset: 0, message: "no expression found in input")
        }
        let expr = try parseExpr(minPrecedence: 0)
        guard current.kind == .eof else {
            throw unexpected(context: "", expected: "an operator or end of input")
        }
        return expr
    }

    // MARK: Tokens

    var current: Token { tokens[index] }

    var nextKind: TokenKind? { index + 1 < tokens.count ? tokens[index + 1].kind : nil }

    /// The last token consumed.
    var previous: Token { tokens[Swift.max(0, index - 1)] }

    @discardableResult
    mutating func advance() throws(ParseFailure) -> Token {
        let token = current
        if token.kind == .error { throw ParseFailure(offset: token.start, message: token.text) }
        if token.kind != .eof { index += 1 }
        return token
    }

    /// The error for the current token: Prometheus' `unexpected <token> in <context>, expected <what>`.
    /// A lexer error token reports the lexer's message instead.
    func unexpected(context: String, expected: String) -> ParseFailure {
        if current.kind == .error { return ParseFailure(offset: current.start, message: current.text) }
        var message = "unexpected \(current.errorDescription)"
        if !context.isEmpty { message += " in \(context)" }
        if !expected.isEmpty { message += ", expected \(expected)" }
        return ParseFailure(offset: current.start, message: message)
    }

    /// Remembers an error that does not stop parsing; the earliest is reported.
    mutating func record(_ message: String, at offset: Int) {
        if deferredError == nil { deferredError = ParseFailure(offset: offset, message: message) }
    }

    // MARK: Expressions

    /// How deeply expressions may nest (parentheses, arguments, operator chains, subqueries):
    /// far beyond real queries, and well within a worker thread's stack for the recursive
    /// checker and evaluator.
    static let maxHeight = 256

    mutating func parseExpr(minPrecedence: Int) throws(ParseFailure) -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxHeight { throw tooDeep() }
        var lhs = try parseUnary()
        while let op = BinaryOperator(current.kind), op.precedence >= minPrecedence {
            let opStart = try advance().start
            let (returnBool, matching) = try parseBinaryModifiers()
            let rhs = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            let binary = BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching, opStart: opStart)
            lhs = try bounded(Expr(kind: .binary(binary), start: lhs.start, end: rhs.end))
        }
        return lhs
    }

    /// `expr`, unless it nests deeper than `maxHeight`.
    func bounded(_ expr: Expr) throws(ParseFailure) -> Expr {
        guard expr.height <= Self.maxHeight else { throw tooDeep() }
        return expr
    }

    private func tooDeep() -> ParseFailure {
        ParseFailure(offset: current.start,
                     message: "the expression nests deeper than \(Self.maxHeight) levels; split it into simpler queries")
    }

    /// `+x`/`-x` (binding like `*`, so `-a ^ b` is `-(a ^ b)`), or a primary with its postfixes.
    private mutating func parseUnary() throws(ParseFailure) -> Expr {
        guard current.kind == .add || current.kind == .sub else {
            let primary = try parsePrimary()
            return try parsePostfix(primary)
        }
        let sign = try advance()
        let operand = try parseExpr(minPrecedence: BinaryOperator.unaryPrecedence + 1)
        if case .number(let value) = operand.kind {
            return Expr(kind: .number(sign.kind == .sub ? -value : value), start: sign.start, end: operand.end)
        }
        return try bounded(Expr(kind: .unary(negate: sign.kind == .sub, operand), start: sign.start, end: operand.end))
    }

    /// `bool`, `on(...)`/`ignoring(...)`, `group_left(...)`/`group_right(...)` after an operator.
    private mutating func parseBinaryModifiers() throws(ParseFailure) -> (Bool, VectorMatching) {
        var matching = VectorMatching(cardinality: .oneToOne, labels: [], on: false, include: [])
        var returnBool = false
        if current.kind == .bool {
            try advance()
            returnBool = true
        }
        guard current.kind == .on || current.kind == .ignoring else { return (returnBool, matching) }
        matching.on = try advance().kind == .on
        matching.labels = try parseGroupingLabels()
        if current.kind == .groupLeft || current.kind == .groupRight {
            matching.cardinality = try advance().kind == .groupLeft ? .manyToOne : .oneToMany
            if current.kind == .leftParen { matching.include = try parseGroupingLabels() }
        }
        return (returnBool, matching)
    }

    /// `(label, ...)` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    mutating func parseGroupingLabels() throws(ParseFailure) -> [String] {
        guard current.kind == .leftParen else { throw unexpected(context: "grouping opts", expected: "\"(\"") }
        try advance()
        var labels: [String] = []
        while current.kind != .rightParen {
            guard Self.canBeLabel(current.kind) else {
                throw unexpected(context: "grouping opts", expected: labels.isEmpty ? "label or \")\"" : "label")
            }
            if current.kind == .metricIdentifier {
                throw unexpected(context: "grouping opts", expected: "label")
            }
            labels.append(try advance().text)
            if current.kind == .comma {
                try advance()
            } else if current.kind != .rightParen {
                throw unexpected(context: "grouping opts", expected: "\",\" or \")\"")
            }
        }
        try advance()
        return labels
    }

    /// Tokens that may name a label in grouping options: identifiers and the keywords.
    static func canBeLabel(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .metricIdentifier, .bool, .by, .groupLeft, .groupRight, .ignoring, .and, .or, .unless,
             .offset, .on, .without, .start, .end, .atan2:
            return true
        default:
            return kind.isAggregator
        }
    }
}
