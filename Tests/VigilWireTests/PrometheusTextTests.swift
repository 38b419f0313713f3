import VigilModel
import VigilWire
import XCTest

final class PrometheusTextTests: XCTestCase {
    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PrometheusTextError? {
        do {
            let samples = try PrometheusText.parse(text)
            XCTFail("parsed \(samples.count) samples from invalid text", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testSamplesWithLabelsTimestampsAndSpecialValues() throws {
        let text = """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 0.21

            node_cpu_seconds_total{cpu="0",mode="idle"} 1234.5 1700000000000
            \tnode_cpu_seconds_total { cpu = "1" , mode="user", } 1.5e+06   -42
            a_nan NaN
            a_inf{x="y"}+Inf
            a_neg_inf -Inf 0
            colon:name:total 3
            # a plain comment { with "quotes"
            #another comment
            """
        let samples = try PrometheusText.parse(text)
        XCTAssertEqual(samples.count, 7)
        XCTAssertEqual(samples[0], PrometheusTextSample(labels: Labels(name: "node_load1"), value: 0.21))
        XCTAssertEqual(samples[1], PrometheusTextSample(
            labels: Labels(name: "node_cpu_seconds_total", [("cpu", "0"), ("mode", "idle")]), value: 1234.5, timestamp: 1_700_000_000_000))
        XCTAssertEqual(samples[2], PrometheusTextSample(
            labels: Labels(name: "node_cpu_seconds_total", [("cpu", "1"), ("mode", "user")]), value: 1.5e6, timestamp: -42))
        XCTAssertTrue(samples[3].value.isNaN)
        XCTAssertEqual(samples[4].value, .infinity)
        XCTAssertEqual(samples[4].labels, Labels(name: "a_inf", [("x", "y")]))
        XCTAssertEqual(samples[5].value, -.infinity)
        XCTAssertEqual(samples[5].timestamp, 0)
        XCTAssertEqual(samples[6].labels.metricName, "colon:name:total")
    }

    func testEscapesInLabelValues() throws {
        let text = #"m{a="back\\slash",b="quote\"d",c="new\nline",d="ünïcødé 日本",e="{}=,#"} 1"#
        let labels = try XCTUnwrap(PrometheusText.parse(text).first).labels
        XCTAssertEqual(labels["a"], "back\\slash")
        XCTAssertEqual(labels["b"], "quote\"d")
        XCTAssertEqual(labels["c"], "new\nline")
        XCTAssertEqual(labels["d"], "ünïcødé 日本")
        XCTAssertEqual(labels["e"], "{}=,#")
    }

    func testEmptyLabelValuesAreDropped() throws {
        let sample = try XCTUnwrap(PrometheusText.parse(#"m{a="",b="x"} 1"#).first)
        XCTAssertEqual(sample.labels, Labels(name: "m", [("b", "x")]))
    }

    func testErrorsCarryLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("ok 1\n1bad 2", 2, 1, "expected a metric name, found '1'"),
            ("m{a=\"x\" 1", 1, 9, "expected ',' or '}' after the value of label \"a\", found '1'"),
            ("m{a=\"x\\q\"} 1", 1, 7, "invalid escape sequence in label value (only \\\\, \\\" and \\n are allowed)"),
            ("m{a=\"open} 1", 1, 5, "label value is not closed before the end of the line"),
            ("m{a=x} 1", 1, 5, "expected '\"' to open the value of label \"a\", found 'x'"),
            ("m{a\"x\"} 1", 1, 4, "expected '=' after label name \"a\", found '\"'"),
            ("m{1a=\"x\"} 1", 1, 3, "expected a label name or '}', found '1'"),
            ("m{__name__=\"x\"} 1", 1, 3, "label name __name__ is reserved for the metric name"),
            ("m{a=\"1\",a=\"2\"} 1", 1, 9, "label \"a\" appears twice"),
            ("m", 1, 2, "expected a sample value after \"m\""),
            ("m abc", 1, 3, "sample value \"abc\" is not a number (use digits, NaN, +Inf or -Inf)"),
            ("m 1 12.5", 1, 5, "timestamp \"12.5\" is not an integer number of milliseconds"),
            ("m 1 2 3", 1, 7, "unexpected '3' after the timestamp; a sample line ends there"),
            ("m-x 1", 1, 2, "expected a blank or '{' after the metric name, found '-'"),
            ("m{é=\"x\"} 1", 1, 3, "expected a label name or '}', found 'é'"),
            ("m{a=\"日本\",b 1", 1, 12, "expected '=' after label name \"b\", found '1'"),
            ("# TYPE m gaugee", 1, 10, "unknown metric type \"gaugee\" (expected counter, gauge, histogram, summary or untyped)"),
            ("# TYPE m gauge extra", 1, 16, "unexpected 'e' after the metric type"),
            ("# HELP 9m text", 1, 8, "expected a metric name in the # HELP/# TYPE line, found '9'"),
            ("# HELP m bad \\t escape", 1, 14, "invalid escape sequence in HELP text (only \\\\ and \\n are allowed)"),
            ("m 1\r\n", 1, 3, "sample value \"1\r\" is not a number (use digits, NaN, +Inf or -Inf)"),
        ]
        for (text, line, column, message) in cases {
            guard let error = parseError(text) else { continue }
            XCTAssertEqual(error, PrometheusTextError(line: line, column: column, message: message), text)
        }
        XCTAssertEqual(
            parseError("a 1\nb 2\n\nc{x=\"1\"} q")?.description,
            "line 4, column 10: sample value \"q\" is not a number (use digits, NaN, +Inf or -Inf)")
    }

    func testCommentsThatAreNotHelpOrType() throws {
        XCTAssertEqual(try PrometheusText.parse("# HELP\n# TYPE\n#\n# HELPER x\n").count, 0)
    }

    func testMetadata() {
        let text = """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            # HELP escaped Line one\\nback\\\\slash
            # TYPE only_type counter
            # HELP only_help Text.
            # TYPE bad_type nonsense
            # HELP
            node_load1 1
            """
        let metadata = PrometheusText.parseMetadata(text)
        XCTAssertEqual(metadata["node_load1"], PrometheusMetricMetadata(type: "gauge", help: "1m load average."))
        XCTAssertEqual(metadata["escaped"]?.help, "Line one\nback\\slash")
        XCTAssertEqual(metadata["only_type"], PrometheusMetricMetadata(type: "counter", help: ""))
        XCTAssertEqual(metadata["only_help"], PrometheusMetricMetadata(type: "untyped", help: "Text."))
        XCTAssertEqual(metadata["bad_type"]?.type, "untyped")
        XCTAssertEqual(metadata.count, 5)
    }

    func testRenderFormatsValuesAsGoDoes() {
        let values: [(Double, String)] = [
            (0, "0"), (-0.0, "-0"), (1, "1"), (1379, "1379"), (123456, "123456"), (1_788_616, "1.788616e+06"),
            (0.25, "0.25"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (2.70553174016e11, "2.70553174016e+11"),
            (-3.25, "-3.25"), (1e21, "1e+21"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
            (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (100, "100"), (999999, "999999"),
        ]
        let series = values.enumerated().map { index, pair in
            SeriesSamples(labels: Labels(name: "m"), samples: [Sample(timestamp: Int64(index), value: pair.0)])
        }
        let lines = PrometheusText.render(series).split(separator: "\n")
        XCTAssertEqual(lines.count, values.count)
        for (line, (_, expected)) in zip(lines, values) {
            XCTAssertEqual(line.split(separator: " ")[1], Substring(expected))
        }
    }

    func testRenderEscapesAndRoundTrips() throws {
        let series = [
            makeSeries("node_uname_info", [("version", "#1 \"SMP\"\nback\\slash"), ("host", "日本")], [(1_700_000_000_000, 1)]),
            makeSeries("up", [], [(-5, 0), (10, .nan)]),
            SeriesSamples(labels: Labels([Label("host", "nameless")]), samples: [Sample(timestamp: 1, value: 1)]),
        ]
        let text = PrometheusText.render(series)
        XCTAssertEqual(text, """
            node_uname_info{host="日本",version="#1 \\"SMP\\"\\nback\\\\slash"} 1 1700000000000
            up 0 -5
            up NaN 10

            """)
        let parsed = try PrometheusText.parse(text)
        XCTAssertEqual(parsed.map(\.labels), [series[0].labels, series[1].labels, series[1].labels])
        XCTAssertEqual(parsed.map(\.timestamp), [1_700_000_000_000, -5, 10])
    }
}
