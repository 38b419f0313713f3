import XCTest

@testable import VigilQuery

/// Parse and type errors: Prometheus 2.42's messages and positions (taken from a running
/// Prometheus), plus "expected ..." where Prometheus only says "unexpected".
final class ParserErrorTests: XCTestCase {
    private let cases: [(query: String, message: String)] = [
        ("foo{bar}", #"1:8: parse error: unexpected "}" in label matching, expected label matching operator"#),
        ("sum(foo) by", #"1:12: parse error: unexpected end of input in grouping opts, expected "(""#),
        ("rate(foo[5m]", "1:13: parse error: unclosed left parenthesis"),
        ("foo +", "1:6: parse error: unexpected end of input, expected an expression"),
        ("", "1:1: parse error: no expression found in input"),
        ("foo bar", #"1:5: parse error: unexpected identifier "bar", expected an operator or end of input"#),
        ("rate(foo[5m] bar)", #"1:14: parse error: unexpected identifier "bar" in function call, expected "," or ")""#),
        ("foo[5m", "1:7: parse error: unclosed left bracket"),
        ("foo[5]", "1:5: parse error: missing unit character in duration"),
        ("foo offset", "1:11: parse error: unexpected end of input in offset, expected duration"),
        ("foo @", "1:6: parse error: unexpected end of input in @, expected timestamp"),
        ("foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"),
        ("foo[5m:1m", "1:10: parse error: unclosed left bracket"),
        ("foo[5m:1m:]", "1:10: parse error: unexpected colon ':'"),
        (#"foo{a="b""#, "1:10: parse error: unexpected end of input inside braces"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        (#"foo{__name__="bar"}"#, #"1:1: parse error: metric name must not be set twice: "foo" or "bar""#),
        ("rate(foo)", #"1:6: parse error: expected type range vector in call to function "rate", got instant vector"#),
        ("rate(foo[5m], 1)", #"1:1: parse error: expected 1 argument(s) in call to "rate", got 2"#),
        ("sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
        ("topk(foo)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("foo and 1", #"1:1: parse error: set operator "and" not allowed in binary scalar expression"#),
        ("foo + on(a) group_left(a) bar", #"1:5: parse error: label "a" must not occur in ON and GROUP clause at once"#),
        ("foo and on(a) group_left bar", #"1:1: parse error: no grouping allowed for "and" operation"#),
        ("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"),
        ("foo offset 5m [5m]", "1:15: parse error: no offset modifiers allowed before range"),
        ("sum(foo) offset 5m",
         "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("foo offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"),
        ("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("unknown(foo)", #"1:1: parse error: unknown function with name "unknown""#),
        ("rate(foo[5m],)", "1:13: parse error: trailing commas not allowed in function call args"),
        ("foo[1h30s:5m1h]", #"1:11: parse error: not a valid duration string: "5m1h""#),
        ("foo[0s]", "1:5: parse error: duration must be greater than 0"),
        (#""a" + 1"#, "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ("foo)", "1:5: parse error: unexpected right parenthesis ')'"),
        ("foo]", "1:4: parse error: unexpected right bracket ']'"),
        ("-foo[5m]", #"1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector""#),
        ("foo[5m][5m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        (#"label_replace(foo, "a", "b", "c")"#, #"1:1: parse error: expected 5 argument(s) in call to "label_replace", got 4"#),
        ("round(foo, 1, 2)", #"1:1: parse error: expected at most 2 argument(s) in call to "round", got 3"#),
        (#"foo{a="\q"}"#, "1:7: parse error: unknown escape sequence U+0071 'q'"),
        (#"foo{a="b" c="d"}"#, #"1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}""#),
        ("1 + bool 2", "1:3: parse error: bool modifier can only be used on comparison operators"),
        ("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("sum by (a:b) (foo)", #"1:9: parse error: unexpected metric identifier "a:b" in grouping opts, expected label"#),
        ("sum by (a (foo)", #"1:11: parse error: unexpected "(" in grouping opts, expected "," or ")""#),
        ("foo !~ bar", "1:5: parse error: unexpected character after '!': '~'"),
        ("\nfoo +\n  )", "3:4: parse error: unexpected right parenthesis ')'"),
        ("count_values(1, foo)", "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        ("sum()", "1:1: parse error: no arguments for aggregate expression provided"),
        ("sum(foo, bar)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"),
    ]

    func testErrorsMatchPrometheus() {
        for (query, message) in cases {
            XCTAssertThrowsError(try Parser.parse(query), "query \(query.debugDescription)") { error in
                let error = error as! PromQLError
                XCTAssertEqual(error.message, message, "query \(query.debugDescription)")
                XCTAssertEqual(error.kind, .badData)
            }
        }
    }

    /// Deep nesting is refused before the recursive checker or evaluator could exhaust a stack.
    func testNestingIsBounded() throws {
        XCTAssertNoThrow(try Parser.parse(Array(repeating: "x", count: 200).joined(separator: " + ")))
        for query in [
            Array(repeating: "x", count: 300).joined(separator: " + "),
            String(repeating: "(", count: 5000) + "x" + String(repeating: ")", count: 5000),
            "x" + String(repeating: "[1m:]", count: 300),
            String(repeating: "-", count: 300) + "x",
            String(repeating: "abs(", count: 300) + "x" + String(repeating: ")", count: 300),
        ] {
            XCTAssertThrowsError(try Parser.parse(query)) { error in
                XCTAssertTrue((error as! PromQLError).message.hasSuffix("the expression nests deeper than 256 levels; split it into simpler queries"),
                              "\(error)")
            }
        }
    }

    func testRegexErrorPointsAtTheLabel() {
        XCTAssertThrowsError(try Parser.parse(#"foo{a=~"("}"#)) { error in
            XCTAssertTrue((error as! PromQLError).message.hasPrefix("1:5: parse error: "), "\(error)")
        }
    }

    func testLineAndColumnCountBytesAfterTheLastLineBreak() {
        XCTAssertThrowsError(try Parser.parse("sum(\n  rate(x[5m])\n) by (")) { error in
            XCTAssertEqual((error as! PromQLError).message, "3:7: parse error: unclosed left parenthesis")
            XCTAssertEqual((error as! PromQLError).offset, 25)
        }
    }
}
