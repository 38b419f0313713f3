@testable import VigilConfig
import VigilModel
import XCTest

/// The duration and size grammars, and edit distance, on their own.
final class UnitTextTests: XCTestCase {
    func testDurationGrammar() {
        XCTAssertEqual(DurationText.milliseconds("10s"), 10_000)
        XCTAssertEqual(DurationText.milliseconds("1m30s"), 90_000)
        XCTAssertEqual(DurationText.milliseconds("500ms"), 500)
        XCTAssertEqual(DurationText.milliseconds("2h"), 7_200_000)
        XCTAssertEqual(DurationText.milliseconds("1d2h3m4s5ms"), 93_784_005)
        XCTAssertEqual(DurationText.milliseconds("0"), 0)
        for bad in ["", "10", "s", "1s1m", "1m1m", "1.5s", "-1s", "10 s", "1S", "1us", "1m 30s", "9999999999999999999s",
            "106751991168d"]
        {
            XCTAssertNil(DurationText.milliseconds(bad), bad)
        }
    }

    func testDurationFormatIsTheShortestThatParsesBack() {
        for (milliseconds, text) in [(0, "0s"), (500, "500ms"), (90_000, "1m30s"), (3_600_000, "1h"),
            (86_400_000 + 1, "1d1ms"), (-1_000, "-1s")] as [(Int64, String)]
        {
            XCTAssertEqual(DurationText.format(milliseconds: milliseconds), text)
            if milliseconds >= 0 { XCTAssertEqual(DurationText.milliseconds(text), milliseconds) }
        }
        XCTAssertEqual(DurationText.format(.milliseconds(1_500)), "1s500ms")
        XCTAssertEqual(DurationText.milliseconds(of: .nanoseconds(1_999_999)), 1)
    }

    func testSizeGrammarAndFormat() {
        XCTAssertEqual(ByteSizeText.bytes("8MiB"), 8 << 20)
        XCTAssertEqual(ByteSizeText.bytes("1GB"), 1_000_000_000)
        XCTAssertEqual(ByteSizeText.bytes("0"), 0)
        for bad in ["", "MiB", "8 MiB", "8mib", "8M", "-1KiB", "1.5GiB", "99999999999TiB"] {
            XCTAssertNil(ByteSizeText.bytes(bad), bad)
        }
        XCTAssertEqual(ByteSizeText.format(8 << 20), "8MiB")
        XCTAssertEqual(ByteSizeText.format(64_000), "64KB")
        XCTAssertEqual(ByteSizeText.format(1_000_001), "1000001B")
        XCTAssertEqual(ByteSizeText.format(0), "0B")
    }

    func testEditDistanceCountsSwapsAsOneEdit() {
        XCTAssertEqual(Suggestion.editDistance(Array("interval".utf8), Array("intreval".utf8)), 1)
        XCTAssertEqual(Suggestion.editDistance(Array("kitten".utf8), Array("sitting".utf8)), 3)
        XCTAssertEqual(Suggestion.editDistance([], Array("abc".utf8)), 3)
        XCTAssertEqual(Suggestion.closest(to: "intervall", among: ["url", "interval"]), "interval")
        XCTAssertEqual(Suggestion.closest(to: "warn", among: ["info", "warning"]), "warning")
        XCTAssertNil(Suggestion.closest(to: "compression", among: ["timeout", "url"]))
        XCTAssertNil(Suggestion.closest(to: "ab", among: ["xy"]))
    }
}
