@testable import VigilAgent
import XCTest

final class BatchQueueTests: XCTestCase {
    private func entry(_ sequence: UInt64, samples: Int = 10) -> BatchQueue.Entry {
        BatchQueue.Entry(sequence: sequence, samples: samples, body: [UInt8(sequence & 0xFF)])
    }

    func testBatchesLeaveOnlyWhenAcknowledgedInOrder() {
        let queue = BatchQueue(capacity: 10)
        queue.append(entry(1))
        queue.append(entry(2))
        XCTAssertEqual(queue.first(waitingUntil: 0)?.sequence, 1)
        XCTAssertEqual(queue.first(waitingUntil: 0)?.sequence, 1, "a failed send keeps its place")
        queue.removeFirst(ifSequence: 1)
        XCTAssertEqual(queue.first(waitingUntil: 0)?.sequence, 2)
        queue.removeFirst(ifSequence: 7)
        XCTAssertEqual(queue.count, 1, "acknowledging a batch that is not first changes nothing")
    }

    func testFullQueueDropsTheOldestAndCountsIt() {
        let queue = BatchQueue(capacity: 3)
        for sequence in 1...5 { queue.append(entry(UInt64(sequence), samples: 7)) }
        XCTAssertEqual(queue.count, 3)
        XCTAssertEqual(queue.first(waitingUntil: 0)?.sequence, 3)
        XCTAssertEqual(queue.stats.dropped, 2)
        XCTAssertEqual(queue.stats.droppedSamples, 14)
    }

    func testManyBatchesAcknowledgedOneByOneKeepOrder() {
        let queue = BatchQueue(capacity: 1_000)
        for sequence in 0..<500 { queue.append(entry(UInt64(sequence))) }
        var seen: [UInt64] = []
        while let first = queue.first(waitingUntil: 0) {
            seen.append(first.sequence)
            queue.removeFirst(ifSequence: first.sequence)
        }
        XCTAssertEqual(seen, (0..<500).map(UInt64.init))
    }

    func testWaiterWakesWhenABatchArrivesAndClosedEmptyQueueReturnsNil() {
        let queue = BatchQueue(capacity: 4)
        let arrived = expectation(description: "waiter got the batch")
        Thread.detachNewThread {
            if queue.first(waitingUntil: MonotonicClock.now() + 5_000_000_000)?.sequence == 9 { arrived.fulfill() }
        }
        Thread.sleep(forTimeInterval: 0.05)
        queue.append(entry(9))
        wait(for: [arrived], timeout: 5)
        queue.removeFirst(ifSequence: 9)
        queue.close()
        XCTAssertNil(queue.first(waitingUntil: MonotonicClock.now() + 5_000_000_000))
    }
}
