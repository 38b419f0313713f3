@testable import VigilAgent
import XCTest

final class PendingBatchesTests: XCTestCase {
    private func entry(_ segment: UInt64, _ offset: UInt64) -> PendingBatch {
        PendingBatch(position: SpoolPosition(segment: segment, offset: offset), payloadBytes: 20, samples: 3)
    }

    func testAnIndexEntryCosts16Bytes() {
        XCTAssertEqual(MemoryLayout<PendingBatch>.stride, 16)
    }

    func testOutOfOrderAcknowledgementsKeepTheOldestUnacknowledgedFirst() {
        var batches = PendingBatches()
        for offset in [8, 40, 72, 104] as [UInt64] { batches.append(entry(1, offset)) }
        XCTAssertEqual(batches.acknowledge(SpoolPosition(segment: 1, offset: 72))?.position.offset, 72)
        XCTAssertTrue(batches.acknowledge(SpoolPosition(segment: 1, offset: 72)) == nil, "twice is a no-op")
        XCTAssertNil(batches.acknowledge(SpoolPosition(segment: 1, offset: 9)), "no record starts there")
        XCTAssertEqual(batches.count, 3)
        XCTAssertEqual(batches.oldest?.position.offset, 8)
        XCTAssertEqual(batches.oldest(atOrAfter: SpoolPosition(segment: 1, offset: 41))?.position.offset, 104)
        _ = batches.acknowledge(SpoolPosition(segment: 1, offset: 8))
        _ = batches.acknowledge(SpoolPosition(segment: 1, offset: 40))
        XCTAssertEqual(batches.oldest?.position.offset, 104, "the acknowledged 72 is skipped")
        XCTAssertEqual(batches.count, 1)
    }

    func testRemovingSegmentsCountsOnlyWhatWasStillPending() {
        var batches = PendingBatches()
        batches.append(entry(1, 8))
        batches.append(entry(1, 40))
        batches.append(entry(2, 8))
        _ = batches.acknowledge(SpoolPosition(segment: 1, offset: 40))
        let removed = batches.removeSegments(through: 1)
        XCTAssertEqual(removed.batches, 1)
        XCTAssertEqual(removed.samples, 3)
        XCTAssertEqual(batches.count, 1)
        XCTAssertEqual(batches.oldest?.position, SpoolPosition(segment: 2, offset: 8))
    }
}
