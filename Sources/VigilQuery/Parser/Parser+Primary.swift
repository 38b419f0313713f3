import VigilModel

extension Parser {
    /// Literals, selectors, function calls, aggregations and parenthesized expressions.
    mutating func parsePrimary() throws(ParseFailure) -> Expr {
        let token = current
        switch token.kind {
        case .number:
            try advance()
            return Expr(kind: .number(parseNumber(token)), start: token.start, end: token.end)
        case .string:
            try advance()
            return Expr(kind: .string(unquote(token)), start: token.start, end: token.end)
        case .leftParen:
            try advance()
            let inner = try parseExpr(minPrecedence: 0)
            guard current.kind == .rightParen else {
                throw unexpected(context: "parenthesized expression", expected: "\")\" or an operator")
            }
            let close = try advance()
            return Expr(kind: .paren(inner), start: token.start, end: close.end)
        case .leftBrace:
            return try parseVectorSelector()
        case .identifier where nextKind == .leftParen:
            return try parseCall()
        default:
            if let op = AggregationOperator(token.kind), nextKind == .leftParen || nextKind == .by || nextKind == .without {
                return try parseAggregation(op)
            }
            if token.kind.canNameMetric { return try parseVectorSelector() }
            throw unexpected(context: "", expected: "an expression")
        }
    }

    /// `name`, `name{matchers}` or `{matchers}`.
    mutating func parseVectorSelector() throws(ParseFailure) -> Expr {
        let start = current.start
        var name: String?
        if current.kind != .leftBrace {
            name = try advance().text
        }
        var matchers: [LabelMatcher] = []
        var end = previous.end
        if current.kind == .leftBrace {
            try advance()
            matchers = try parseLabelMatchers()
            end = previous.end
        }
        if let name {
            do {
                matchers.append(try LabelMatcher(Label.metricName, .equal, name))
            } catch {
                throw ParseFailure(offset: start, message: error.description)
            }
        }
        let selector = VectorSelector(name: name, matchers: matchers, id: selectorCount)
        selectorCount += 1
        return Expr(kind: .vectorSelector(selector), start: start, end: end)
    }

    /// The matchers after `{`, through the closing `}`.
    private mutating func parseLabelMatchers() throws(ParseFailure) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        while current.kind != .rightBrace {
            guard current.kind == .identifier else {
                throw unexpected(context: "label matching", expected: "identifier or \"}\"")
            }
            let label = try advance()
            let kind: LabelMatcher.Kind
            switch current.kind {
            case .assign: kind = .equal
            case .notEqual: kind = .notEqual
            case .regexMatch: kind = .regex
            case .regexNoMatch: kind = .notRegex
            default: throw unexpected(context: "label matching", expected: "label matching operator")
            }
            try advance()
            guard current.kind == .string else { throw unexpected(context: "label matching", expected: "string") }
            let value = unquote(try advance())
            do {
                matchers.append(try LabelMatcher(label.text, kind, value))
            } catch {
                record(error.description, at: label.start)
            }
            if current.kind == .comma {
                try advance()
            } else if current.kind != .rightBrace {
                throw unexpected(context: "label matching", expected: "\",\" or \"}\"")
            }
        }
        try advance()
        return matchers
    }

    /// `name(args)`; an unknown name is reported but its arguments are still parsed.
    private mutating func parseCall() throws(ParseFailure) -> Expr {
        let name = try advance()
        let function = PromQLFunction(rawValue: name.text)
        if function == nil { record("unknown function with name \(GoQuote.quote(name.text))", at: name.start) }
        let args = try parseArguments(context: "function call")
        let end = previous.end
        guard let function else { return Expr(kind: .number(0), start: name.start, end: end) }
        let call = FunctionCall(function: function, args: args, id: callCount)
        callCount += 1
        return Expr(kind: .call(call), start: name.start, end: end)
    }

    /// `sum by (a) (x)`, `sum(x) by (a)`, `topk(3, x)`.
    private mutating func parseAggregation(_ op: AggregationOperator) throws(ParseFailure) -> Expr {
        let start = try advance().start
        var grouping: [String] = []
        var without = false
        var groupingParsed = false
        if current.kind == .by || current.kind == .without {
            without = try advance().kind == .without
            grouping = try parseGroupingLabels()
            groupingParsed = true
            guard current.kind == .leftParen else { throw unexpected(context: "aggregation", expected: "\"(\"") }
        }
        let args = try parseArguments(context: "aggregation")
        if !groupingParsed, current.kind == .by || current.kind == .without {
            without = try advance().kind == .without
            grouping = try parseGroupingLabels()
        }
        let end = previous.end
        let placeholder = Expr(kind: .number(0), start: start, end: end)
        guard !args.isEmpty else {
            record("no arguments for aggregate expression provided", at: start)
            return placeholder
        }
        let wanted = op.takesParameter ? 2 : 1
        guard args.count == wanted else {
            record("wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)", at: start)
            return placeholder
        }
        let aggregate = AggregateExpr(op: op, expr: args[wanted - 1], param: op.takesParameter ? args[0] : nil,
                                      grouping: grouping, without: without)
        return Expr(kind: .aggregate(aggregate), start: start, end: end)
    }

    /// `(expr, ...)`; a trailing comma is reported, as Prometheus does.
    private mutating func parseArguments(context: String) throws(ParseFailure) -> [Expr] {
        guard current.kind == .leftParen else { throw unexpected(context: context, expected: "\"(\"") }
        try advance()
        var args: [Expr] = []
        while current.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 0))
            if current.kind == .comma {
                let comma = try advance()
                if current.kind == .rightParen {
                    record("trailing commas not allowed in function call args", at: comma.start)
                }
            } else if current.kind != .rightParen {
                throw unexpected(context: context, expected: "\",\" or \")\"")
            }
        }
        try advance()
        return args
    }

    /// Go's `strconv.ParseInt(text, 0, 64)`, falling back to `ParseFloat` (hex, octal, Inf, NaN).
    private mutating func parseNumber(_ token: Token) -> Double {
        if let value = Self.number(token.text) { return value }
        record("error parsing number: strconv.ParseFloat: parsing \(GoQuote.quote(token.text)): invalid syntax", at: token.start)
        return 0
    }

    static func number(_ text: String) -> Double? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") {
            if let value = Int64(lower.dropFirst(2), radix: 16) { return Double(value) }
            return nil
        }
        if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy(\.isNumber), let value = Int64(lower.dropFirst(), radix: 8) {
            return Double(value)
        }
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard lower.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-") }) else {
            return nil
        }
        return Double(lower)
    }

    private mutating func unquote(_ token: Token) -> String {
        if let value = StringLiteral.unquote(token.text) { return value }
        record("error unquoting string \(GoQuote.quote(token.text)): invalid syntax", at: token.start)
        return ""
    }
}
