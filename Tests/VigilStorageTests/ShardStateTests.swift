import VigilModel
import XCTest

@testable import VigilStorage

/// `ShardState`'s labels: kept as symbol ids, given back equal, found by hash and labels
/// (also when hashes collide), and cleaned up when a block cut removes series.
final class ShardStateTests: XCTestCase {
    private var shard = ShardState(chunkFiles: heapChunks)
    private var nextRef: UInt64 = 1

    override func setUp() {
        shard = ShardState(chunkFiles: heapChunks)
        nextRef = 1
    }

    /// Creates the series (with `hash`, default its `stableHash`) and gives it one sample.
    @discardableResult
    private func add(_ labels: Labels, hash: UInt64? = nil, at time: Int64 = 1_000) -> UInt32 {
        let hash = hash ?? labels.stableHash
        XCTAssertNil(shard.find(labels, hash: hash), "\(labels) is new")
        let index = shard.create(labels, hash: hash, ref: nextRef)
        nextRef += 1
        XCTAssertEqual(shard.append(timestamp: time, value: 1, to: index), .appended)
        return index
    }

    /// Removes every sample at or before `through` from the series, as a block cut does.
    private func truncate(_ index: UInt32, through: Int64) {
        let held = shard.series[Int(index)].samples(from: .min, through: through, in: shard.chunkFiles.registry)
        shard.truncate(index, through: through, persisted: held.count) { held.map(\.timestamp) }
    }

    func testLabelsRoundTripThroughTheSymbolTable() {
        let long = String(repeating: "a-rather-long-label-value/", count: 400)
        let sets = [
            Labels(name: "node_cpu_seconds_total", [("instance", "host-1:9100"), ("job", "node"), ("cpu", "0"), ("mode", "idle")]),
            Labels(name: "node_cpu_seconds_total", [("instance", "host-1:9100"), ("job", "node"), ("cpu", "0"), ("mode", "user")]),
            Labels(name: "up"),
            Labels(name: long, [(long, long), ("ünïcödé", "värde ✓")]),
            Labels(presorted: []),
            // Labels only keeps non-empty values, but the table itself must not care.
            Labels(presorted: [Label("", ""), Label("empty", "")]),
        ]
        let indexes = sets.map { add($0) }
        XCTAssertEqual(indexes, [0, 1, 2, 3, 4, 5])
        for (labels, index) in zip(sets, indexes) {
            XCTAssertEqual(shard.labels(of: index), labels)
            XCTAssertEqual(shard.find(labels, hash: labels.stableHash), index)
            XCTAssertTrue(shard.hasLabels(labels, at: index))
        }
        XCTAssertEqual(shard.postings.symbols.count, 17, "each distinct string once")
        XCTAssertEqual(shard.postings.list("mode", equalTo: "user"), [1])
        XCTAssertEqual(shard.postings.list("__name__", equalTo: "node_cpu_seconds_total"), [0, 1])
        XCTAssertEqual(Set(shard.postings.values(of: "mode")), ["idle", "user"])
    }

    func testFindTellsApartLabelsThatDifferInOneValueNameOrCount() {
        let base = Labels(name: "m", [("host", "a"), ("mode", "idle")])
        add(base)
        let others = [
            Labels(name: "m", [("host", "a"), ("mode", "idlf")]),
            Labels(name: "m", [("host", "b"), ("mode", "idle")]),
            Labels(name: "n", [("host", "a"), ("mode", "idle")]),
            Labels(name: "m", [("host", "a"), ("mods", "idle")]),
            Labels(name: "m", [("host", "a")]),
            Labels(name: "m", [("host", "a"), ("mode", "idle"), ("x", "y")]),
        ]
        for labels in others {
            XCTAssertFalse(shard.hasLabels(labels, at: 0), "\(labels)")
            // Under the base's hash too: the labels, not the hash, decide.
            XCTAssertNil(shard.find(labels, hash: base.stableHash), "\(labels)")
        }
        XCTAssertEqual(shard.find(base, hash: base.stableHash), 0)
    }

    func testCollidingHashesFindEachSeries() {
        let hash: UInt64 = 42
        let sets = (0..<5).map { Labels(name: "m", [("host", "h\($0)")]) }
        for labels in sets { add(labels, hash: hash) }
        for (index, labels) in sets.enumerated() {
            XCTAssertEqual(shard.find(labels, hash: hash), UInt32(index))
        }
        XCTAssertNil(shard.find(Labels(name: "m", [("host", "h5")]), hash: hash))

        // Remove two of them: the others are still found, under their new indexes.
        truncate(1, through: 1_000)
        truncate(3, through: 1_000)
        XCTAssertEqual(shard.removeEmptySeries(), 2)
        for (expected, labels) in [sets[0], sets[2], sets[4]].enumerated() {
            XCTAssertEqual(shard.find(labels, hash: hash), UInt32(expected))
            XCTAssertEqual(shard.labels(of: UInt32(expected)), labels)
        }
        XCTAssertNil(shard.find(sets[1], hash: hash))
        XCTAssertNil(shard.find(sets[3], hash: hash))
    }

    func testRemoveEmptySeriesDropsUnusedSymbolsAndRenumbersPostings() throws {
        // Two hosts of churned pods; pod "p1" stops and leaves the head after a cut.
        for pod in ["p1", "p2"] {
            for mode in ["idle", "user"] {
                add(Labels(name: "cpu", [("pod", pod), ("mode", mode)]), at: pod == "p1" ? 1_000 : 5_000)
            }
        }
        add(Labels(name: "only_p1", [("pod", "p1")]), at: 1_000)
        XCTAssertNotNil(shard.postings.symbols.id(of: "p1"))
        XCTAssertNotNil(shard.postings.symbols.id(of: "only_p1"))
        let bytesBefore = shard.heapBytes
        for index in 0..<UInt32(shard.series.count) { truncate(index, through: 2_000) }
        XCTAssertEqual(shard.removeEmptySeries(), 3)
        XCTAssertEqual(shard.series.count, 2)

        XCTAssertNil(shard.postings.symbols.id(of: "p1"), "no kept series uses p1")
        XCTAssertNil(shard.postings.symbols.id(of: "only_p1"))
        XCTAssertEqual(Set(shard.postings.symbols.strings), ["__name__", "cpu", "pod", "p2", "mode", "idle", "user"])
        XCTAssertEqual(shard.postings.pairCount, 4)
        XCTAssertEqual(Set(shard.postings.labelNames), ["__name__", "pod", "mode"])
        XCTAssertEqual(shard.postings.values(of: "pod"), ["p2"])
        XCTAssertEqual(shard.postings.list("pod", equalTo: "p2"), [0, 1])
        XCTAssertEqual(shard.postings.list("mode", equalTo: "user"), [1])
        XCTAssertEqual(shard.postings.list("pod", equalTo: "p1"), [])
        XCTAssertEqual(shard.labels(of: 0), Labels(name: "cpu", [("pod", "p2"), ("mode", "idle")]))
        XCTAssertEqual(shard.labels(of: 1), Labels(name: "cpu", [("pod", "p2"), ("mode", "user")]))
        XCTAssertEqual(shard.matching([matcher("mode", .regex, "u.*"), matcher("pod", .notEqual, "p1")]), [1])
        XCTAssertLessThan(shard.heapBytes, bytesBefore)

        // New series after the renumbering get the next indexes and reuse kept symbols.
        let again = Labels(name: "cpu", [("pod", "p1"), ("mode", "idle")])
        XCTAssertEqual(add(again, at: 6_000), 2)
        XCTAssertEqual(shard.labels(of: 2), again)
        XCTAssertEqual(shard.postings.list("mode", equalTo: "idle"), [0, 2])
        XCTAssertEqual(shard.postings.symbols.count, 8)
    }

    func testSeriesHoldingGivesLabelsOfTheSeriesCopied() {
        add(Labels(name: "old", [("host", "a")]), at: 1_000)
        add(Labels(name: "new", [("host", "a")]), at: 9_000)
        let holding = shard.seriesHolding(through: 5_000).series
        XCTAssertEqual(holding.map(\.index), [0])
        XCTAssertEqual(holding.map(\.labels), [Labels(name: "old", [("host", "a")])])
        XCTAssertEqual(shard.seriesHolding(through: .max).series.count, 2)
    }
}
