import Foundation
@testable import VigilCollector
import XCTest

/// Numbers as Prometheus' HTTP API writes them (Go's FormatFloat 'f', -1).
final class PrometheusNumberTests: XCTestCase {
    func testValuesUsePositionalShortestDigits() {
        let cases: [(Double, String)] = [
            (1, "1"), (0.5, "0.5"), (-2.25, "-2.25"), (1e-5, "0.00001"), (1.25e16, "12500000000000000"),
            (1e21, "1000000000000000000000"), (0.1 + 0.2, "0.30000000000000004"), (25_276_502_016, "25276502016"),
            (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (-0.0, "-0"), (0, "0"),
        ]
        for (value, text) in cases {
            XCTAssertEqual(PrometheusNumber.value(value), text, "\(value)")
        }
    }

    func testTimestampsAreSecondsWithUpToThreeDecimals() {
        XCTAssertEqual(PrometheusNumber.timestamp(1_435_781_451_781), "1435781451.781")
        XCTAssertEqual(PrometheusNumber.timestamp(1_435_781_451_000), "1435781451")
        XCTAssertEqual(PrometheusNumber.timestamp(1_435_781_451_500), "1435781451.5")
        XCTAssertEqual(PrometheusNumber.timestamp(1_435_781_451_050), "1435781451.05")
        XCTAssertEqual(PrometheusNumber.timestamp(-1_500), "-1.5")
        XCTAssertEqual(PrometheusNumber.timestamp(-7), "-0.007")
        XCTAssertEqual(PrometheusNumber.timestamp(0), "0")
        XCTAssertEqual(PrometheusNumber.timestamp(1_700_071_200_010), "1700071200.01")
        XCTAssertEqual(PrometheusNumber.timestamp(Int64.max), "9223372036854775.807")
        XCTAssertEqual(PrometheusNumber.timestamp(Int64.min), "-9223372036854775.808")
    }

    func testAppendFormsWriteTheSameText() {
        var out: [UInt8] = []
        PrometheusNumber.appendTimestamp(1_435_781_451_781, to: &out)
        out.append(UInt8(ascii: " "))
        PrometheusNumber.appendValue(0.013333333333333334, to: &out)
        out.append(UInt8(ascii: " "))
        PrometheusNumber.appendValue(2e-5, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "1435781451.781 0.013333333333333334 0.00002")
    }
}

final class TokenSetTests: XCTestCase {
    func testAcceptsOnlyExactTokens() {
        let tokens = TokenSet(["alpha-secret", "beta", ""])
        XCTAssertTrue(tokens.accepts("alpha-secret"))
        XCTAssertTrue(tokens.accepts("beta"))
        XCTAssertFalse(tokens.accepts("alpha-secre"), "prefix")
        XCTAssertFalse(tokens.accepts("alpha-secret "), "longer")
        XCTAssertFalse(tokens.accepts(""), "an empty configured token is ignored, not a wildcard")
        XCTAssertFalse(tokens.accepts("BETA"))
        XCTAssertTrue(TokenSet([]).isEmpty)
    }

    func testConstantTimeComparisonResult() {
        XCTAssertEqual(TokenSet.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)), 1)
        XCTAssertEqual(TokenSet.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)), 0)
        XCTAssertEqual(TokenSet.constantTimeEqual(Array("abc".utf8), Array("abc\0".utf8)), 0, "padding does not make lengths equal")
        XCTAssertEqual(TokenSet.constantTimeEqual([], []), 1)
    }
}

final class JSONWriterTests: XCTestCase {
    func testStringsAreEscapedAsRFC8259Requires() throws {
        var json = JSONWriter()
        json.labels([("a\"b", "line\nnext\ttab\\ \u{01} é")])
        let text = String(decoding: json.bytes, as: UTF8.self)
        XCTAssertEqual(text, #"{"a\"b":"line\nnext\ttab\\ \u0001 é"}"#)
        let object = try JSONSerialization.jsonObject(with: Data(json.bytes)) as! [String: String]
        XCTAssertEqual(object["a\"b"], "line\nnext\ttab\\ \u{01} é")
    }
}
