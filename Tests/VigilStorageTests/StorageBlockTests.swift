import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// The head cut into blocks: flush, automatic cuts, reads across head and blocks, the WAL
/// checkpointed and truncated behind them, and reopening.
final class StorageBlockTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    private let hour: Int64 = 3_600_000

    func testFlushPersistsTheHeadAndReopenReadsHeadAndBlocks() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(shards: 3))
        var sequence: UInt64 = 0
        for batch in generatedBatches(hosts: 4, metrics: 6, start: 0, end: 3 * hour, step: 10_000, batchSteps: 30) {
            sequence += 1
            _ = try await storage.append(batch, idempotencyKey: IdempotencyKey(producer: "agent", sequence: sequence))
        }
        let before = try everything(storage)
        XCTAssertEqual(before.count, 24)
        XCTAssertEqual(before.map(\.samples.count), Array(repeating: 1_080, count: 24))
        let walBefore = storage.stats.walBytes

        try await storage.flush()
        let stats = storage.stats
        XCTAssertEqual(stats.blocks, 3, "one block per hour-wide range")
        XCTAssertEqual(stats.blockSamples, 24 * 1_080)
        XCTAssertEqual(stats.blockSeries, 3 * 24)
        XCTAssertEqual(stats.series, 0, "the head holds nothing after a flush")
        XCTAssertEqual(stats.samples, 0)
        XCTAssertGreaterThan(stats.blockBytes, 0)
        XCTAssertLessThan(stats.walBytes, walBefore / 10, "the WAL is cut back to a small checkpoint")
        let wal = try directory.walFiles()
        XCTAssertEqual(wal.filter { $0.hasPrefix("checkpoint.") }.count, 1, "\(wal)")
        let checkpointIndex = try XCTUnwrap(wal.compactMap(WALFormat.checkpointIndex).first)
        XCTAssertTrue(wal.compactMap(WALFormat.segmentIndex).allSatisfy { $0 >= checkpointIndex }, "\(wal)")
        XCTAssertEqual(try everything(storage), before)
        let cpu = [matcher("__name__", .equal, "metric_0"), matcher("host", .equal, "host-1")]
        XCTAssertEqual(try storage.latest(cpu, at: 3 * hour, lookback: 60_000).map(\.sample.timestamp), [3 * hour - 10_000])
        XCTAssertEqual(try storage.select(cpu, from: hour - 10_000, through: hour + 10_000).first?.samples.map(\.timestamp),
                       [hour - 10_000, hour, hour + 10_000], "across two blocks")
        XCTAssertEqual(storage.labelValues("host"), ["host-0", "host-1", "host-2", "host-3"])
        XCTAssertEqual(storage.labelNames(), ["__name__", "host"])
        XCTAssertEqual(try storage.series([matcher("host", .equal, "host-2")]).count, 6)
        XCTAssertEqual(storage.summarize(by: "host")["host-3"], GroupSummary(seriesCount: 6, lastTimestamp: 3 * hour - 10_000))

        // New samples go to the head and read together with the blocks.
        let more = generatedBatches(hosts: 4, metrics: 6, start: 3 * hour, end: 3 * hour + 600_000, step: 10_000, batchSteps: 60)
        for batch in more {
            sequence += 1
            _ = try await storage.append(batch, idempotencyKey: IdempotencyKey(producer: "agent", sequence: sequence))
        }
        let after = try everything(storage)
        XCTAssertEqual(after.map(\.samples.count), Array(repeating: 1_140, count: 24))
        XCTAssertEqual(storage.summarize(by: "host")["host-3"], GroupSummary(seriesCount: 6, lastTimestamp: 3 * hour + 590_000))
        XCTAssertEqual(storage.stats.series, 24)
        storage.close()

        let reopened = try Storage.open(directory: directory.path, options: manualOptions(shards: 2))
        defer { reopened.close() }
        XCTAssertEqual(reopened.replayReport.blocks, 3)
        XCTAssertEqual(reopened.replayReport.samples, 24 * 60, "only what came after the flush is replayed")
        XCTAssertEqual(try everything(reopened), after)
        let retried = try await reopened.append(more[0], idempotencyKey: IdempotencyKey(producer: "agent", sequence: 1))
        XCTAssertEqual(retried, .duplicate, "idempotency windows survive the checkpoint")
    }

    func testCheckpointKeepsLiveSeriesAndReplayIsComplete() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions())
        // One series stops early, one keeps going, one gets late samples.
        _ = try await storage.append([
            series("stopped", [], (0..<10).map { (Int64($0) * 60_000, Double($0)) }),
            series("running", [], (0..<200).map { (Int64($0) * 60_000, Double($0)) }),
            series("late", [], [(10_000_000, 1), (12_000_000, 2)]),
        ])
        _ = try await storage.append([series("late", [], [(11_000_000, 1.5), (100, 0.5)])])
        let before = try everything(storage)
        // The newest sample is at 3 h 20 min: compaction's pass cuts everything before 2 h.
        // 'stopped' leaves the head, the others keep their recent part.
        try await storage.compact()
        XCTAssertEqual(storage.blocks.snapshot.map(\.meta.rangeStart), [0, hour])
        XCTAssertEqual(storage.stats.series, 2, "'stopped' left the head")
        XCTAssertEqual(try everything(storage), before)
        storage.close()
        XCTAssertEqual(try directory.segments(), [], "no append came after the checkpoint")
        XCTAssertEqual(try directory.walFiles(), ["checkpoint.00000002"])
        let reopened = try Storage.open(directory: directory.path, options: manualOptions())
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), before)
        XCTAssertEqual(reopened.stats.series, 2)
        XCTAssertEqual(reopened.replayReport.samples, 200 - 120 + 3, "the head's part only: 'running' after 2 h and 'late'")
        XCTAssertEqual(try directory.walFiles(), ["00000002", "checkpoint.00000002"], "appends continue after the checkpoint")
        reopened.close()
        let checkpoint = directory.walPath + "/checkpoint.00000002"
        try directory.flipByte(in: checkpoint, at: try directory.size(of: checkpoint) - 5)
        let error = await expectStorageError(.corruptWAL) { try Storage.open(directory: directory.path, options: manualOptions()) }
        XCTAssertTrue(error?.message.contains("WAL checkpoint \(checkpoint): CRC mismatch") ?? false, error?.message ?? "")
    }

    func testAutomaticCutsFollowTheBlockRange() async throws {
        let options = StorageOptions(shards: 2, fsync: false, blockRange: hour)
        let storage = try Storage.open(directory: directory.path, options: options)
        defer { storage.close() }
        for batch in generatedBatches(hosts: 2, metrics: 3, start: 0, end: 5 * hour, step: 30_000, batchSteps: 20) {
            _ = try await storage.append(batch)
        }
        try await storage.compact()
        // The newest sample is just before 5 h, so everything before 4 h is due (half a range of slack).
        let metas = storage.blocks.snapshot.map(\.meta)
        XCTAssertEqual(metas.map(\.rangeStart).min(), 0)
        XCTAssertEqual(metas.map(\.rangeEnd).max(), 4 * hour)
        XCTAssertEqual(metas.reduce(0) { $0 + $1.samples }, 6 * 4 * 120)
        XCTAssertEqual(storage.stats.samples, 6 * 120, "the last hour stays in the head")
        XCTAssertEqual(try everything(storage).map(\.samples.count), Array(repeating: 600, count: 6))
    }

    func testCrashBetweenBlockAndCheckpointLeavesNoDuplicates() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions())
        for batch in generatedBatches(hosts: 2, metrics: 2, start: 0, end: 2 * hour, step: 60_000) {
            _ = try await storage.append(batch)
        }
        let before = try everything(storage)
        storage.close()
        // Keep the WAL as it was, flush, then put the old WAL back: the blocks exist and the
        // WAL still holds their samples, as after a crash before the checkpoint.
        let saved = directory.path + "/saved-wal"
        try FileManager.default.copyItem(atPath: directory.walPath, toPath: saved)
        let flushing = try Storage.open(directory: directory.path, options: manualOptions())
        try await flushing.flush()
        flushing.close()
        try FileManager.default.removeItem(atPath: directory.walPath)
        try FileManager.default.moveItem(atPath: saved, toPath: directory.walPath)

        let reopened = try Storage.open(directory: directory.path, options: manualOptions())
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), before, "head and blocks overlap; reads merge them")
        try await reopened.flush()
        try await reopened.compact()
        XCTAssertEqual(try everything(reopened), before)
        XCTAssertEqual(reopened.stats.blockSamples, before.reduce(0) { $0 + $1.samples.count },
                       "compaction stored each sample once")
    }

    func testTornTailAfterACheckpointReplaysToTheLastGoodRecord() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions())
        for batch in generatedBatches(hosts: 2, metrics: 2, start: 0, end: hour, step: 60_000) {
            _ = try await storage.append(batch)
        }
        try await storage.flush()
        _ = try await storage.append([series("after", [], [(hour, 1), (hour + 60_000, 2)])])
        let good = try everything(storage)
        _ = try await storage.append([series("after", [], [(hour + 120_000, 3)]), series("torn", [], [(hour, 9)])])
        storage.close()
        let segment = try XCTUnwrap(try directory.segments().last)
        try directory.truncate(segment, to: try directory.size(of: segment) - 3)

        let reopened = try Storage.open(directory: directory.path, options: manualOptions())
        defer { reopened.close() }
        let report = try XCTUnwrap(reopened.replayReport.tornTail)
        XCTAssertTrue(report.contains(segment) && report.contains("torn record"), report)
        XCTAssertEqual(try everything(reopened), good, "blocks, checkpoint and every intact record survive")
    }

    func testCrashBeforeCoveredSegmentsAreDeletedIsFinishedOnOpen() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions())
        for batch in generatedBatches(hosts: 2, metrics: 2, start: 0, end: hour, step: 60_000) {
            _ = try await storage.append(batch)
        }
        try await storage.flush()
        _ = try await storage.append([series("after", [], [(hour, 1)])])
        try await storage.flush()
        _ = try await storage.append([series("after", [], [(2 * hour, 2)])])
        let before = try everything(storage)
        let walFiles = try directory.walFiles()
        storage.close()
        XCTAssertEqual(walFiles, ["00000003", "checkpoint.00000003"])
        // As if the crash came right after the second checkpoint's rename: the first
        // checkpoint and the segments it and the second one cover are still there.
        for name in ["00000001", "00000002", "checkpoint.00000002"] {
            try Data(WALFormat.segmentHeader + [1, 2, 3]).write(to: URL(fileURLWithPath: directory.walPath + "/" + name))
        }
        let reopened = try Storage.open(directory: directory.path, options: manualOptions())
        defer { reopened.close() }
        XCTAssertEqual(try directory.walFiles(), walFiles, "covered segments and the older checkpoint are deleted unread")
        XCTAssertEqual(try everything(reopened), before)

        // A damaged checkpoint is not a torn write: the store refuses to open.
        reopened.close()
        XCTAssertEqual(try directory.size(of: directory.walPath + "/checkpoint.00000003"), 8, "an empty head: only the header")
        try directory.flipByte(in: directory.walPath + "/checkpoint.00000003", at: 4)
        let error = await expectStorageError(.corruptWAL) { try Storage.open(directory: directory.path, options: manualOptions()) }
        XCTAssertTrue(error?.message.contains("checkpoint.00000003") ?? false, error?.message ?? "")
    }
}
