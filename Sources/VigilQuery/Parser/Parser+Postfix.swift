import VigilModel

extension Parser {
    /// `[range]`, `[range:step]`, `offset d` and `@ t` after an expression, in any number.
    mutating func parsePostfix(_ base: Expr) throws(ParseFailure) -> Expr {
        var expr = base
        while true {
            switch current.kind {
            case .leftBracket: expr = try bounded(parseRangeOrSubquery(expr))
            case .offset: expr = try parseOffset(expr)
            case .at: expr = try parseAt(expr)
            default: return expr
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ expr: Expr) throws(ParseFailure) -> Expr {
        let open = try advance()
        guard current.kind == .duration else { throw unexpected(context: "subquery selector", expected: "duration") }
        let range = parseDuration(try advance())
        switch current.kind {
        case .rightBracket:
            let close = try advance()
            guard case .vectorSelector(let selector) = expr.kind else {
                record("ranges only allowed for vector selectors", at: open.start)
                return expr
            }
            if selector.offset != 0 {
                record("no offset modifiers allowed before range", at: open.start)
            } else if selector.at != nil {
                record("no @ modifiers allowed before range", at: open.start)
            }
            return Expr(kind: .matrixSelector(MatrixSelector(selector: selector, range: range)), start: expr.start, end: close.end)
        case .colon:
            try advance()
            var step: Int64 = 0
            if current.kind == .duration {
                step = parseDuration(try advance())
                guard current.kind == .rightBracket else {
                    throw unexpected(context: "subquery selector", expected: "\"]\"")
                }
            } else if current.kind != .rightBracket {
                throw unexpected(context: "subquery selector", expected: "duration or \"]\"")
            }
            let close = try advance()
            let subquery = Subquery(expr: expr, range: range, step: step, id: subqueryCount)
            subqueryCount += 1
            return Expr(kind: .subquery(subquery), start: expr.start, end: close.end)
        default:
            throw unexpected(context: "subquery or range", expected: "\":\" or \"]\"")
        }
    }

    private mutating func parseOffset(_ expr: Expr) throws(ParseFailure) -> Expr {
        try advance()
        var negative = false
        if current.kind == .sub {
            try advance()
            negative = true
        }
        guard current.kind == .duration else { throw unexpected(context: "offset", expected: "duration") }
        let offset = parseDuration(try advance()) * (negative ? -1 : 1)
        var result = expr
        result.end = previous.end
        switch expr.kind {
        case .vectorSelector(var selector):
            if selector.offset != 0 { record("offset may not be set multiple times", at: expr.start) }
            selector.offset = offset
            result.kind = .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.offset != 0 { record("offset may not be set multiple times", at: expr.start) }
            matrix.selector.offset = offset
            result.kind = .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.offset != 0 { record("offset may not be set multiple times", at: expr.start) }
            subquery.offset = offset
            result.kind = .subquery(subquery)
        default:
            record("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                   at: expr.start)
        }
        return result
    }

    private mutating func parseAt(_ expr: Expr) throws(ParseFailure) -> Expr {
        try advance()
        let at: AtModifier
        switch current.kind {
        case .number, .add, .sub:
            var sign = 1.0
            if current.kind != .number {
                sign = try advance().kind == .sub ? -1 : 1
                guard current.kind == .number else { throw unexpected(context: "@", expected: "timestamp") }
            }
            let token = try advance()
            let seconds = sign * (Self.number(token.text) ?? .nan)
            guard seconds.isFinite, seconds < 9.223372036854775807e18, seconds > -9.223372036854775807e18 else {
                record("timestamp out of bounds for @ modifier: \(Self.goFixed(seconds))", at: expr.start)
                return expr
            }
            let milliseconds = (seconds * 1000).rounded()
            at = .timestamp(milliseconds.magnitude < 9.2e18 ? Int64(milliseconds) : (milliseconds < 0 ? .min : .max))
        case .start, .end:
            let which = try advance().kind
            guard current.kind == .leftParen else { throw unexpected(context: "@", expected: "timestamp") }
            try advance()
            guard current.kind == .rightParen else { throw unexpected(context: "@", expected: "\")\"") }
            try advance()
            at = which == .start ? .start : .end
        default:
            throw unexpected(context: "@", expected: "timestamp")
        }
        var result = expr
        result.end = previous.end
        let repeated = "@ <timestamp> may not be set multiple times"
        switch expr.kind {
        case .vectorSelector(var selector):
            if selector.at != nil { record(repeated, at: expr.start) }
            selector.at = at
            result.kind = .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.at != nil { record(repeated, at: expr.start) }
            matrix.selector.at = at
            result.kind = .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.at != nil { record(repeated, at: expr.start) }
            subquery.at = at
            result.kind = .subquery(subquery)
        default:
            record("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                   at: expr.start)
        }
        return result
    }

    /// Milliseconds of a duration token; a malformed or zero duration is reported.
    private mutating func parseDuration(_ token: Token) -> Int64 {
        guard let milliseconds = DurationText.milliseconds(token.text) else {
            record("not a valid duration string: \(GoQuote.quote(token.text))", at: token.start)
            return 1
        }
        if milliseconds == 0 {
            record("duration must be greater than 0", at: token.start)
            return 1
        }
        return milliseconds
    }

    /// Go's `%f`: six decimals.
    static func goFixed(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 1e15 else { return GoFloatFormat.positional(value) }
        let scaled = Int64((value.magnitude * 1_000_000).rounded())
        var fraction = String(scaled % 1_000_000)
        while fraction.count < 6 { fraction = "0" + fraction }
        return (value < 0 ? "-" : "") + String(scaled / 1_000_000) + "." + fraction
    }
}
