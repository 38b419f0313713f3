import Foundation
import Logging
@testable import VigilAgent
import XCTest

/// The disk spool against real files in a temporary directory.
final class SpoolTests: XCTestCase {
    private var directory = ""
    private let log = LogCapture()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(self, "spool") + "/spool"
    }

    private func open(_ options: SpoolOptions = SpoolOptions(), now: (@Sendable () -> Int64)? = nil) throws -> Spool {
        try Spool.open(directory: directory, options: options, logger: log.logger, now: now)
    }

    private func batch(_ sequence: UInt64, bytes: Int = 100) -> OutgoingBatch {
        OutgoingBatch(sequence: sequence, samples: 10, body: (0..<bytes).map { UInt8(truncatingIfNeeded: Int(sequence) &* 31 &+ $0) })
    }

    /// Sends everything the spool hands out, oldest first, acknowledging each; returns the sequences.
    private func drain(_ spool: Spool, order: DrainOrder = .oldestFirst) -> [UInt64] {
        var sequences: [UInt64] = []
        while let next = spool.next(order: order, includingBacklog: true, waitingUntil: 0) {
            sequences.append(next.sequence)
            XCTAssertEqual(next.body, batch(next.sequence, bytes: next.body.count).body, "body of \(next.sequence) reads back intact")
            spool.acknowledge(next.position)
        }
        return sequences
    }

    private func segmentFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".seg") }.sorted()
    }

    func testABatchStaysUntilAcknowledgedAndComesBackInAppendOrder() throws {
        let spool = try open()
        spool.append([batch(1)])
        spool.append([batch(2), batch(3)])
        let first = try XCTUnwrap(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0))
        XCTAssertEqual(first.sequence, 1)
        XCTAssertEqual(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0)?.sequence, 1, "a failed send keeps its place")
        spool.acknowledge(first.position)
        spool.acknowledge(first.position)
        XCTAssertEqual(spool.stats.pendingBatches, 2, "acknowledging twice changes nothing")
        XCTAssertEqual(drain(spool), [2, 3])
        XCTAssertNil(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0))
        XCTAssertEqual(spool.stats.appendedBatches, 3)
    }

    func testARestartResendsOnlyTheUnacknowledgedBatchesInAppendOrder() throws {
        do {
            let spool = try open()
            for sequence in 1...6 { spool.append([batch(UInt64(sequence), bytes: 50 * sequence)]) }
            var positions: [UInt64: SpoolPosition] = [:]
            for _ in 0..<6 {
                let next = try XCTUnwrap(spool.next(order: .freshFirst, includingBacklog: true, waitingUntil: 0))
                positions[next.sequence] = next.position
                spool.acknowledge(next.position)
                if positions.count == 1 { break }
            }
            XCTAssertEqual(Array(positions.keys), [6], "the newest tick went first")
            let second = try XCTUnwrap(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0))
            XCTAssertEqual(second.sequence, 1)
            spool.acknowledge(second.position)
            spool.close()
        }
        let reopened = try open()
        XCTAssertEqual(reopened.stats.pendingBatches, 4)
        XCTAssertEqual(drain(reopened), [2, 3, 4, 5])
        reopened.close()
        let empty = try open()
        XCTAssertEqual(empty.stats.pendingBatches, 0)
        XCTAssertEqual(try segmentFiles().count, 1, "fully acknowledged segments are deleted; only this run's remains")
    }

    func testAKilledAgentsSpoolIsReadBackWithoutClose() throws {
        let spool = try open(SpoolOptions(sync: .never))
        spool.append([batch(1)])
        spool.append([batch(2)])
        // A SIGKILLed agent closes nothing; its lock dies with its file descriptors. Here the
        // lock is released by hand and the object is kept alive, unclosed, past the reopen.
        spool.lock.withLock { spool.directory.unlock() }
        let reopened = try open()
        XCTAssertEqual(drain(reopened), [1, 2])
        withExtendedLifetime(spool) {}
    }

    func testATornTailIsCutAtTheLastGoodRecordAndLogged() throws {
        do {
            let spool = try open()
            spool.append([batch(1)])
            spool.append([batch(2)])
            spool.append([batch(3)])
            spool.close()
        }
        let segment = directory + "/" + (try segmentFiles().last!)
        let full = try Data(contentsOf: URL(fileURLWithPath: segment))
        let recordBytes = 9 + 12 + 100
        try full.prefix(full.count - 7).write(to: URL(fileURLWithPath: segment))

        let reopened = try open()
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int, 8 + 2 * recordBytes,
                       "the file ends at the last good record")
        XCTAssertTrue(log.messages.contains("cut a torn tail off a spool segment at its last good record"), "\(log.messages)")
        let metadata = log.metadata(of: "cut a torn tail off a spool segment at its last good record")
        XCTAssertEqual(metadata?["valid_bytes"], "\(8 + 2 * recordBytes)")
        XCTAssertEqual(metadata?["dropped_bytes"], "\(recordBytes - 7)")
        XCTAssertEqual(drain(reopened), [1, 2])
    }

    func testACorruptRecordEndsTheSegmentThere() throws {
        do {
            let spool = try open()
            for sequence in 1...3 { spool.append([batch(UInt64(sequence))]) }
            spool.close()
        }
        let segment = directory + "/" + (try segmentFiles().last!)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[8 + 121 + 40] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: segment))
        let reopened = try open()
        XCTAssertEqual(drain(reopened), [1], "record 2 fails its CRC; 3 after it is cut with it")
        XCTAssertEqual(log.metadata(of: "cut a torn tail off a spool segment at its last good record")?["problem"],
                       "record at byte 129 fails its CRC or is malformed (type 1, 112 bytes)")
    }

    func testASegmentWithoutAValidHeaderIsRemoved() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + SpoolFormat.segmentName(7)
        try Data([0x56, 0x53, 0x50]).write(to: URL(fileURLWithPath: path))
        let spool = try open()
        XCTAssertEqual(spool.stats.pendingBatches, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try segmentFiles(), [SpoolFormat.segmentName(8)], "numbering continues after the removed segment")
        XCTAssertTrue(log.messages.contains("removed a spool segment without a valid header"))
    }

    func testTheSizeCapDropsTheOldestBatchesAndCountsThem() throws {
        let options = SpoolOptions(maxBytes: 64 << 10, segmentBytes: 16 << 10)
        let spool = try open(options)
        for sequence in 0..<200 { spool.append([batch(UInt64(sequence), bytes: 1_000)]) }
        let stats = spool.stats
        XCTAssertLessThanOrEqual(stats.bytes, 64 << 10)
        XCTAssertGreaterThan(stats.droppedBatches, 0)
        XCTAssertEqual(stats.pendingBatches + stats.droppedBatches, 200, "every batch is either kept or counted as dropped")
        XCTAssertEqual(stats.droppedSamples, stats.droppedBatches * 10)
        XCTAssertTrue(log.messages.contains("spool is full: dropped its oldest unacknowledged batches"))
        let kept = drain(spool)
        XCTAssertEqual(kept, (UInt64(stats.droppedBatches)..<200).map { $0 }, "the newest batches are kept, in order")
    }

    func testABatchLargerThanTheCapIsDroppedAndCounted() throws {
        let spool = try open(SpoolOptions(maxBytes: 64 << 10))
        spool.append([batch(1, bytes: 70_000)])
        spool.append([batch(2)])
        XCTAssertEqual(spool.stats.droppedBatches, 1)
        XCTAssertEqual(drain(spool), [2])
        XCTAssertTrue(log.messages.contains("cannot spool a batch; dropped it"))
    }

    func testAlwaysSyncsEveryAppend() throws {
        let spool = try open(SpoolOptions(sync: .always))
        for sequence in 1...5 { spool.append([batch(UInt64(sequence))]) }
        XCTAssertEqual(spool.stats.syncs, 5)
        spool.acknowledge(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0)!.position)
        XCTAssertEqual(spool.stats.syncs, 5, "acknowledgements are not synced on their own")
    }

    func testIntervalSyncsOnlyOnceTheIntervalHasPassed() throws {
        let clock = ManualClock()
        let spool = try open(SpoolOptions(sync: .interval(milliseconds: 100)), now: { clock.now })
        spool.append([batch(1)])
        clock.now += 60_000_000
        spool.append([batch(2)])
        spool.syncIfDue()
        XCTAssertEqual(spool.stats.syncs, 0, "60 ms after the first unsynced write")
        clock.now += 40_000_000
        spool.syncIfDue()
        XCTAssertEqual(spool.stats.syncs, 1, "100 ms after it")
        spool.syncIfDue()
        XCTAssertEqual(spool.stats.syncs, 1, "nothing new to sync")
        spool.append([batch(3)])
        clock.now += 100_000_000
        spool.append([batch(4)])
        XCTAssertEqual(spool.stats.syncs, 2, "an append past the interval syncs")
    }

    func testNeverSyncsOnlyWhenClosed() throws {
        let spool = try open(SpoolOptions(sync: .never))
        for sequence in 1...5 { spool.append([batch(UInt64(sequence))]) }
        spool.syncIfDue()
        XCTAssertEqual(spool.stats.syncs, 0)
        spool.close()
        XCTAssertEqual(spool.stats.syncs, 1, "close syncs whatever the policy")
    }

    func testFreshFirstSendsTheNewestTickBeforeTheBacklog() throws {
        let spool = try open()
        spool.append([batch(1)])
        spool.append([batch(2)])
        spool.append([batch(3), batch(4)])
        let fresh = try XCTUnwrap(spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: 0))
        XCTAssertEqual(fresh.sequence, 3)
        XCTAssertFalse(fresh.isBacklog)
        spool.acknowledge(fresh.position)
        XCTAssertEqual(spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: 0)?.sequence, 4)
        spool.acknowledge(spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: 0)!.position)
        XCTAssertNil(spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: 0), "the backlog waits for its pace")
        let backlog = try XCTUnwrap(spool.next(order: .freshFirst, includingBacklog: true, waitingUntil: 0))
        XCTAssertEqual(backlog.sequence, 1)
        XCTAssertTrue(backlog.isBacklog)
        spool.append([batch(5)])
        XCTAssertEqual(spool.next(order: .freshFirst, includingBacklog: true, waitingUntil: 0)?.sequence, 5, "a new tick overtakes the backlog")
    }

    func testOldestFirstKeepsTimeOrderAndPacesEverythingBehindTheBacklog() throws {
        let spool = try open()
        spool.append([batch(1)])
        spool.append([batch(2)])
        XCTAssertNil(spool.next(order: .oldestFirst, includingBacklog: false, waitingUntil: 0))
        let oldest = try XCTUnwrap(spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0))
        XCTAssertEqual(oldest.sequence, 1)
        XCTAssertTrue(oldest.isBacklog)
        spool.acknowledge(oldest.position)
        let fresh = try XCTUnwrap(spool.next(order: .oldestFirst, includingBacklog: false, waitingUntil: 0))
        XCTAssertEqual(fresh.sequence, 2)
        XCTAssertFalse(fresh.isBacklog)
    }

    func testRecoveredBatchesAreBacklog() throws {
        do {
            let spool = try open()
            spool.append([batch(1)])
            spool.close()
        }
        let spool = try open()
        XCTAssertNil(spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: 0))
        XCTAssertEqual(spool.next(order: .freshFirst, includingBacklog: true, waitingUntil: 0)?.isBacklog, true)
    }

    func testSegmentsRotateAndVanishOnceAcknowledged() throws {
        let spool = try open(SpoolOptions(maxBytes: 1 << 20, segmentBytes: 16 << 10))
        for sequence in 0..<100 { spool.append([batch(UInt64(sequence), bytes: 1_000)]) }
        XCTAssertGreaterThanOrEqual(try segmentFiles().count, 6)
        XCTAssertEqual(drain(spool), (0..<100).map { $0 })
        XCTAssertEqual(try segmentFiles().count, 1)
        XCTAssertEqual(spool.stats.segments, 1)
    }

    func testASecondAgentCannotOpenTheSameSpool() throws {
        let spool = try open()
        XCTAssertThrowsError(try open()) { error in
            XCTAssertEqual((error as? SpoolError)?.kind, .locked)
            XCTAssertEqual("\(error)", "spool directory \(directory) is in use by another vigil-agent; "
                + "give each agent its own [spool] dir (or --spool), or stop the other agent")
        }
        spool.close()
        XCTAssertNoThrow(try open(), "closing releases the lock")
    }

    func testAnUncreatableDirectoryIsAClearError() throws {
        let file = try TemporaryDirectory.make(self, "spool-file") + "/plain"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        XCTAssertThrowsError(try Spool.open(directory: file + "/spool", logger: log.logger)) { error in
            XCTAssertEqual((error as? SpoolError)?.kind, .directory)
            XCTAssertEqual("\(error)", "cannot create \(file)/spool: Not a directory; set [spool] dir or --spool to a directory the agent may write")
        }
    }

    func testABatchThatNoLongerReadsBackIsDroppedAndCounted() throws {
        let spool = try open()
        spool.append([batch(1)])
        spool.append([batch(2)])
        let segment = directory + "/" + (try segmentFiles().last!)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: 8 + 30)
        try handle.write(contentsOf: [0xFF, 0xFF])
        try handle.close()
        XCTAssertEqual(drain(spool), [2])
        XCTAssertEqual(spool.stats.droppedBatches, 1)
        XCTAssertTrue(log.messages.contains("a spooled batch no longer reads back intact; dropped it"))
    }

    func testAWaitingReaderWakesWhenABatchIsAppended() throws {
        let spool = try open()
        let arrived = expectation(description: "reader got the batch")
        Thread.detachNewThread {
            if spool.next(order: .freshFirst, includingBacklog: false, waitingUntil: MonotonicClock.now() + 10_000_000_000)?.sequence == 9 {
                arrived.fulfill()
            }
        }
        Thread.sleep(forTimeInterval: 0.05)
        spool.append([batch(9)])
        wait(for: [arrived], timeout: 10)
    }
}

/// A monotonic clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 1_000_000_000

    var now: Int64 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
