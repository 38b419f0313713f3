import XCTest

@testable import VigilQuery

/// How queries are grouped and what the tree holds; `Expr.description` parenthesizes every
/// binary operation.
final class ParserTests: XCTestCase {
    private func parsed(_ query: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            return try Parser.parse(query).expr.description
        } catch {
            XCTFail("\(query): \(error)", file: file, line: line)
            return ""
        }
    }

    func testPrecedenceAndAssociativity() {
        XCTAssertEqual(parsed("a + b * c"), "(a + (b * c))")
        XCTAssertEqual(parsed("a * b + c"), "((a * b) + c)")
        XCTAssertEqual(parsed("a - b - c"), "((a - b) - c)")
        XCTAssertEqual(parsed("a / b % c atan2 d"), "(((a / b) % c) atan2 d)")
        XCTAssertEqual(parsed("a ^ b ^ c"), "(a ^ (b ^ c))")
        XCTAssertEqual(parsed("a or b and c unless d"), "(a or ((b and c) unless d))")
        XCTAssertEqual(parsed("a > 1 and b < 2 or c"), "(((a > 1) and (b < 2)) or c)")
        XCTAssertEqual(parsed("a == bool b + c"), "(a == bool (b + c))")
        XCTAssertEqual(parsed("a + b > c - d"), "((a + b) > (c - d))")
        XCTAssertEqual(parsed("(a + b) * c"), "(((a + b)) * c)")
    }

    func testUnaryBindsLikeMultiplication() {
        XCTAssertEqual(parsed("-a ^ 2"), "-(a ^ 2)")
        XCTAssertEqual(parsed("-a * b"), "(-a * b)")
        XCTAssertEqual(parsed("-a + b"), "(-a + b)")
        XCTAssertEqual(parsed("2 ^ -a * b"), "((2 ^ -a) * b)")
        XCTAssertEqual(parsed("-2 ^ 2"), "-(2 ^ 2)")
        XCTAssertEqual(parsed("- -1"), "1")
        XCTAssertEqual(parsed("-foo offset 5m"), "-foo offset 5m")
    }

    func testNumbers() {
        XCTAssertEqual(parsed("0x1F"), "31")
        XCTAssertEqual(parsed("010"), "8")
        XCTAssertEqual(parsed("08"), "8")
        XCTAssertEqual(parsed("1e3"), "1000")
        XCTAssertEqual(parsed(".5"), "0.5")
        XCTAssertEqual(parsed("5."), "5")
        XCTAssertEqual(parsed("Inf"), "+Inf")
        XCTAssertEqual(parsed("-inf"), "-Inf")
        XCTAssertEqual(parsed("NaN"), "NaN")
        XCTAssertEqual(parsed("+3"), "3")
    }

    func testStrings() {
        XCTAssertEqual(parsed(#""a\nb\"c""#), #""a\nb\"c""#)
        XCTAssertEqual(parsed(#"'it\'s'"#), #""it's""#)
        XCTAssertEqual(parsed(#""\x41\101\u00e9""#), #""AAé""#)
        XCTAssertEqual(parsed(#"`raw\n`"#), #""raw\\n""#)
    }

    func testSelectors() {
        XCTAssertEqual(parsed(#"foo{a="1", b!="2", c=~"3|4", d!~"5",}"#), #"foo{a="1", b!="2", c=~"3|4", d!~"5"}"#)
        XCTAssertEqual(parsed(#"{__name__=~"node_.+"}"#), #"{__name__=~"node_.+"}"#)
        XCTAssertEqual(parsed("node:cpu:rate5m"), "node:cpu:rate5m")
        XCTAssertEqual(parsed("foo[1h30m]"), "foo[1h30m]")
        XCTAssertEqual(parsed("foo[5m] offset -1h"), "foo[5m] offset -1h")
        XCTAssertEqual(parsed("foo @ 1609746000.5 offset 5m"), "foo offset 5m @ 1609746000.5")
        XCTAssertEqual(parsed("foo offset 1d @ end()"), "foo offset 1d @ end()")
        XCTAssertEqual(parsed("foo @ -10"), "foo @ -10")
        XCTAssertEqual(parsed("rate(foo[5m] @ start())"), "rate(foo[5m] @ start())")
        XCTAssertEqual(parsed("sum # the metric name is a keyword\n"), "sum")
        XCTAssertEqual(parsed("offset + by"), "(offset + by)")
    }

    func testSubqueries() {
        XCTAssertEqual(parsed("max_over_time(rate(x[5m])[1h:])"), "max_over_time(rate(x[5m])[1h:])")
        XCTAssertEqual(parsed("rate(x[5m])[30m:1m] offset 1h @ 100"), "rate(x[5m])[30m:1m] offset 1h @ 100")
        XCTAssertEqual(parsed("(a + b)[5m:10s]"), "((a + b))[5m:10s]")
        XCTAssertEqual(parsed("a + min_over_time(b[5m:1m])"), "(a + min_over_time(b[5m:1m]))")
    }

    func testAggregationsAndMatching() {
        XCTAssertEqual(parsed("sum by (job) (rate(x[5m]))"), "sum by (job) (rate(x[5m]))")
        XCTAssertEqual(parsed("sum(rate(x[5m])) without (mode, cpu)"), "sum without (mode, cpu) (rate(x[5m]))")
        XCTAssertEqual(parsed("SUM BY (Job) (x)"), "sum by (Job) (x)")
        XCTAssertEqual(parsed("topk(3, x)"), "topk(3, x)")
        XCTAssertEqual(parsed(#"count_values("v", x)"#), #"count_values("v", x)"#)
        XCTAssertEqual(parsed("quantile(0.9, x) by (on, by, sum,)"), "quantile by (on, by, sum) (0.9, x)")
        XCTAssertEqual(parsed("a + on(job) group_left(instance) b"), "(a + on(job) group_left(instance) b)")
        XCTAssertEqual(parsed("a * ignoring(mode) group_right b"), "(a * ignoring(mode) group_right() b)")
        XCTAssertEqual(parsed("a > bool on() b"), "(a > bool on() b)")
        XCTAssertEqual(parsed("a and ignoring(x) b"), "(a and ignoring(x) b)")
    }

    func testTypesAndNormalization() throws {
        let query = try Parser.parse("a and b")
        guard case .binary(let binary) = query.expr.kind else { return XCTFail("not a binary expression") }
        XCTAssertEqual(binary.matching?.cardinality, .manyToMany)
        let scalar = try Parser.parse("1 + time()")
        guard case .binary(let scalarBinary) = scalar.expr.kind else { return XCTFail("not a binary expression") }
        XCTAssertNil(scalarBinary.matching)
        XCTAssertEqual(scalar.expr.type, .scalar)
        XCTAssertEqual(try Parser.parse("rate(x[5m])[1h:]").expr.type, .matrix)
        XCTAssertEqual(try Parser.parse(#""s""#).expr.type, .string)
        XCTAssertEqual(try Parser.parse("scalar(x) * 2").expr.type, .scalar)
        XCTAssertEqual(try Parser.parse("a + b offset 1m + max_over_time(c[5m:1m] @ 5)").selectorCount, 3)
    }

    func testParseSelector() throws {
        let matchers = try PromQLEngine.parseSelector(#"up{job=~"node|api"}"#)
        XCTAssertEqual(matchers.map(\.description), [#"job=~"node|api""#, #"__name__="up""#])
        XCTAssertThrowsError(try PromQLEngine.parseSelector("rate(up[5m])"))
        XCTAssertThrowsError(try PromQLEngine.parseSelector(#"{job=""}"#))
    }
}
