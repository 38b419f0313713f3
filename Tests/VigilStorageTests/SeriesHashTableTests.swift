import XCTest

@testable import VigilStorage

/// `SeriesHashTable`: every stored index is found under its hash, colliding hashes keep all
/// their indexes, and renumbering keeps exactly the kept series under their new indexes.
final class SeriesHashTableTests: XCTestCase {
    func testFindsEveryIndexAcrossGrowth() {
        var table = SeriesHashTable()
        var generator = SeededGenerator(state: 7)
        let hashes = (0..<10_000).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
        for (index, hash) in hashes.enumerated() { table.insert(hash: hash, index: UInt32(index)) }
        XCTAssertEqual(table.count, hashes.count)
        for (index, hash) in hashes.enumerated() {
            XCTAssertEqual(table.first(hash: hash) { $0 == UInt32(index) }, UInt32(index))
        }
        XCTAssertNil(table.first(hash: 12_345) { _ in false })
        XCTAssertLessThan(table.heapBytes, 24 * 1024 * 8, "at most 4/5 full: 16 Ki slots (and a page) for 10,000")
    }

    func testCollidingHashesAndTagsKeepEveryIndex() {
        var table = SeriesHashTable()
        let hash: UInt64 = 0xdead_beef_0000_0001
        // Same tag (high 32 bits), different low bits: a tag collision only.
        let sameTag: UInt64 = 0xdead_beef_ffff_ffff
        for index: UInt32 in 0..<5 { table.insert(hash: hash, index: index) }
        table.insert(hash: sameTag, index: 5)
        var seen: [UInt32] = []
        XCTAssertNil(table.first(hash: hash) { seen.append($0); return false })
        XCTAssertEqual(seen.sorted(), [0, 1, 2, 3, 4, 5], "every index under the tag is offered")
        XCTAssertEqual(table.first(hash: hash) { $0 == 3 }, 3)
        XCTAssertEqual(table.first(hash: sameTag) { $0 == 5 }, 5)
    }

    func testRenumberedKeepsOnlyKeptSeriesUnderNewIndexes() {
        var table = SeriesHashTable()
        for index: UInt32 in 0..<100 { table.insert(hash: UInt64(index % 10) << 32 | UInt64(index), index: index) }
        let renumbering = SeriesRenumbering(count: 100) { $0 % 3 == 0 }
        let renumbered = table.renumbered(renumbering)
        XCTAssertEqual(renumbered.count, 34)
        for old: UInt32 in 0..<100 {
            let hash = UInt64(old % 10) << 32 | UInt64(old)
            if old % 3 == 0 {
                XCTAssertEqual(renumbered.first(hash: hash) { $0 == old / 3 }, old / 3)
            } else {
                var offered: [UInt32] = []
                _ = renumbered.first(hash: hash) { offered.append($0); return false }
                XCTAssertFalse(offered.contains { $0 >= 34 }, "only new indexes remain")
            }
        }
    }
}
