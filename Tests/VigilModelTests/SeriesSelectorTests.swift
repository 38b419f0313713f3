import VigilModel
import XCTest

final class SeriesSelectorTests: XCTestCase {
    func testParsesNameAndEveryMatcherKind() throws {
        let selector = try SeriesSelector.parse(#"node_cpu_seconds_total{cpu="0", mode=~"user|system", host!="a", dev!~'lo.*',}"#)
        XCTAssertEqual(selector.matchers.map(\.description), [
            #"__name__="node_cpu_seconds_total""#, #"cpu="0""#, #"mode=~"user|system""#, #"host!="a""#, #"dev!~"lo.*""#,
        ])
    }

    func testBracesOnlyAndEscapes() throws {
        let selector = try SeriesSelector.parse(#"{__name__=~"node_.+", path="a\"b\\c"}"#)
        XCTAssertEqual(selector.matchers[1].value, #"a"b\c"#)
    }

    func testRangeSuffixSelectsRawSamples() throws {
        XCTAssertEqual(try SeriesSelector.parse("node_load1[5m]").range, 300_000)
        XCTAssertEqual(try SeriesSelector.parse(#"up{job="a"} [1h30m]"#).range, 5_400_000)
        XCTAssertNil(try SeriesSelector.parse("up").range)
        XCTAssertEqual(try SeriesSelector.parse("up[90s]").description, #"{__name__="up"}[1m30s]"#)
    }

    func testErrorsNameTheColumn() {
        let cases: [(String, Int, String)] = [
            ("node_load1{host=}", 17, "expected a quoted label value"),
            ("node_load1{host=\"a\"", 20, "expected ',' or '}'"),
            ("node_load1{", 12, "expected a label name or '}'"),
            ("node_load1{host~\"a\"}", 16, "expected one of =, !=, =~, !~"),
            ("node_load1 extra", 12, "expected end of selector"),
            ("{host=\"\"}", 1, "at least one non-empty matcher"),
            ("node_load1{host=\"a}", 17, "unterminated string"),
            ("", 1, "expected a metric name"),
            ("rate(node_load1[5m])", 5, "expected end of selector"),
            ("up[5x]", 4, "bad range \"5x\""),
            ("up[5m", 3, "unclosed '['"),
            ("up[0s]", 4, "bad range"),
        ]
        for (text, column, message) in cases {
            XCTAssertThrowsError(try SeriesSelector.parse(text), text) { error in
                let error = error as! SelectorError
                XCTAssertEqual(error.column, column, "\(text): \(error)")
                XCTAssertTrue(error.message.contains(message), "\(text): \(error)")
            }
        }
    }
}
