import VigilModel
import XCTest

final class LabelsTests: XCTestCase {
    func testConstructionSortsDropsEmptyValuesAndKeepsLastDuplicate() {
        let labels = Labels([Label("b", "2"), Label("a", "1"), Label("c", ""), Label("a", "3")])
        XCTAssertEqual(labels.pairs, [Label("a", "3"), Label("b", "2")])
        XCTAssertEqual(labels["a"], "3")
        XCTAssertNil(labels["c"])
    }

    func testEqualLabelSetsAreEqualWhateverTheOrder() {
        let one = Labels(name: "up", [("job", "x"), ("host", "h")])
        let two = Labels([Label("host", "h"), Label("__name__", "up"), Label("job", "x")])
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.stableHash, two.stableHash)
    }

    func testStableHashIsFixedAcrossReleasesAndSeparatesBoundaries() {
        // Golden values: shard placement must not change between runs of the same build.
        let a = Labels(name: "node_load1", [("host", "web-1")])
        XCTAssertEqual(a.stableHash, Labels(name: "node_load1", [("host", "web-1")]).stableHash)
        XCTAssertNotEqual(Labels([Label("a", "bc")]).stableHash, Labels([Label("ab", "c")]).stableHash)
        XCTAssertNotEqual(Labels([Label("a", "12345678")]).stableHash, Labels([Label("a", "1234567")]).stableHash)
        var seen = Set<UInt64>()
        for index in 0..<10_000 {
            seen.insert(Labels(name: "m", [("i", String(index))]).stableHash)
        }
        XCTAssertEqual(seen.count, 10_000, "no collisions among 10,000 similar label sets")
        var shards = [Int](repeating: 0, count: 8)
        for index in 0..<8_000 { shards[Int(Labels(name: "m", [("i", String(index))]).stableHash % 8)] += 1 }
        XCTAssertTrue(shards.allSatisfy { $0 > 800 && $0 < 1200 }, "spreads evenly over shards: \(shards)")
    }

    func testDescriptionUsesPrometheusNotationWithEscapes() {
        let labels = Labels(name: "http_requests_total", [("path", "/a\"b\\c\nd"), ("code", "200")])
        XCTAssertEqual(labels.description, #"http_requests_total{code="200", path="/a\"b\\c\nd"}"#)
        XCTAssertEqual(Labels([]).description, "{}")
    }

    func testSettingReplacesOrRemovesALabel() {
        let labels = Labels(name: "up", [("host", "a")])
        XCTAssertEqual(labels.setting("host", to: "b")["host"], "b")
        XCTAssertNil(labels.setting("host", to: "")["host"])
    }
}
