import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// Compaction, retention and what crashes during them leave behind.
final class CompactionTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private let hour: Int64 = 3_600_000

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    /// A store with 20 one-hour blocks of 6 series at one sample a minute.
    private func twentyBlocks(_ options: StorageOptions) async throws -> (Storage, [SeriesSamples]) {
        let storage = try Storage.open(directory: directory.path, options: options)
        for batch in generatedBatches(hosts: 2, metrics: 3, start: 0, end: 20 * hour, step: 60_000, batchSteps: 30) {
            _ = try await storage.append(batch)
        }
        try await storage.flush()
        XCTAssertEqual(storage.stats.blocks, 20)
        return (storage, try everything(storage))
    }

    func testCompactionMergesCompleteWindowsAndKeepsEverySample() async throws {
        let (storage, before) = try await twentyBlocks(manualOptions(blockRange: hour))
        try await storage.compact()
        let metas = storage.blocks.snapshot.map(\.meta)
        XCTAssertEqual(metas.map(\.rangeStart), [0, 9 * hour, 18 * hour, 19 * hour])
        XCTAssertEqual(metas.map(\.rangeEnd), [9 * hour, 18 * hour, 19 * hour, 20 * hour])
        XCTAssertEqual(metas.map(\.level), [3, 3, 1, 1], "1 h → 3 h → 9 h; the last window is not complete")
        XCTAssertEqual(try everything(storage), before)
        XCTAssertEqual(storage.stats.blockSamples, 6 * 20 * 60)
        XCTAssertEqual(try directory.blockDirectories(), metas.map { BlockFormat.directoryName($0.id) }.sorted(),
                       "parents and temporary directories are gone")
        storage.close()
        let reopened = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), before)
        XCTAssertEqual(reopened.replayReport.removedLeftovers, [])
    }

    func testCompactionRunsBesideAppendsAndQueries() async throws {
        let (storage, before) = try await twentyBlocks(manualOptions(blockRange: hour))
        defer { storage.close() }
        async let compacted: Void = storage.compact()
        var appended: [SeriesSamples] = []
        for minute in 0..<50 {
            let one = series("live", [], [(20 * hour + Int64(minute) * 60_000, Double(minute))])
            _ = try await storage.append([one])
            appended.append(one)
            XCTAssertEqual(try storage.select([matcher("__name__", .equal, "metric_0")], from: .min, through: .max),
                           before.filter { $0.labels.metricName == "metric_0" })
        }
        try await compacted
        XCTAssertEqual(try storage.select([matcher("__name__", .equal, "live")], from: .min, through: .max).first?.samples.count, 50)
        XCTAssertEqual(try everything(storage).filter { $0.labels.metricName != "live" }, before)
    }

    func testRetentionByAgeDropsWholeOldBlocks() async throws {
        var options = manualOptions(blockRange: hour)
        options.retention = 5 * hour
        let (storage, before) = try await twentyBlocks(options)
        defer { storage.close() }
        try await storage.compact()
        let newest = 20 * hour - 60_000
        let metas = storage.blocks.snapshot.map(\.meta)
        XCTAssertTrue(metas.allSatisfy { $0.maxTime >= newest - 5 * hour }, "\(metas)")
        let oldestKept = try XCTUnwrap(metas.map(\.minTime).min())
        XCTAssertEqual(oldestKept, 14 * hour, "the block ending at 14:59 is still within 5 h of 19:59")
        let expected = before.map { SeriesSamples(labels: $0.labels, samples: $0.samples.filter { $0.timestamp >= oldestKept }) }
        XCTAssertEqual(try everything(storage), expected)
        XCTAssertEqual(try directory.blockDirectories().count, metas.count)
    }

    func testRetentionBySizeDropsTheOldestBlocks() async throws {
        let probe = try await twentyBlocks(manualOptions(blockRange: hour))
        let total = probe.0.stats.blockBytes
        probe.0.close()
        directory.remove()
        directory = try TemporaryDirectory()

        var options = manualOptions(blockRange: hour)
        options.retentionBytes = total / 4
        let (storage, _) = try await twentyBlocks(options)
        defer { storage.close() }
        try await storage.compact()
        let stats = storage.stats
        XCTAssertLessThanOrEqual(stats.blockBytes, total / 4)
        XCTAssertGreaterThan(stats.blocks, 0)
        let metas = storage.blocks.snapshot.map(\.meta)
        XCTAssertEqual(metas.map(\.maxTime).max(), 20 * hour - 60_000, "the newest data is kept")
        XCTAssertGreaterThan(metas.map(\.minTime).min()!, 10 * hour, "the oldest data went first")
    }

    func testLeftoversOfInterruptedWritesAreIgnoredAndRemoved() async throws {
        let (storage, before) = try await twentyBlocks(manualOptions(blockRange: hour))
        let metas = storage.blocks.snapshot.map(\.meta)
        storage.close()
        // A block write cut short, a deletion cut short, a checkpoint cut short.
        let temporary = directory.blocksPath + "/000000000099.tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        try Data("VCNK partial".utf8).write(to: URL(fileURLWithPath: temporary + "/chunks"))
        try FileManager.default.copyItem(atPath: directory.blocksPath + "/" + BlockFormat.directoryName(metas[0].id),
                                         toPath: directory.blocksPath + "/000000000098.deleted")
        try Data("VWAL".utf8).write(to: URL(fileURLWithPath: directory.walPath + "/checkpoint.00000009.tmp"))

        let reopened = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        defer { reopened.close() }
        XCTAssertEqual(reopened.replayReport.removedLeftovers, ["000000000098.deleted", "000000000099.tmp"])
        XCTAssertEqual(try directory.blockDirectories(), metas.map { BlockFormat.directoryName($0.id) })
        XCTAssertFalse(try directory.walFiles().contains("checkpoint.00000009.tmp"))
        XCTAssertEqual(try everything(reopened), before)
        try await reopened.flush()
        XCTAssertEqual(reopened.stats.blocks, 20, "ids of removed leftovers do not collide with new blocks")
    }

    func testCrashAfterCompactionBeforeParentsAreDeletedIsFinishedOnOpen() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        for batch in generatedBatches(hosts: 2, metrics: 3, start: 0, end: 3 * hour, step: 60_000, batchSteps: 30) {
            _ = try await storage.append(batch)
        }
        try await storage.flush()
        let before = try everything(storage)
        let parents = try directory.blockDirectories()
        XCTAssertEqual(parents.count, 3)
        let saved = directory.path + "/saved-blocks"
        try FileManager.default.copyItem(atPath: directory.blocksPath, toPath: saved)
        try await storage.compact()
        let merged = try directory.blockDirectories()
        XCTAssertEqual(merged, ["000000000004"])
        storage.close()
        // Put the parents back, as if the crash came right after the merged block's rename.
        for name in parents {
            try FileManager.default.copyItem(atPath: saved + "/" + name, toPath: directory.blocksPath + "/" + name)
        }

        let reopened = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        defer { reopened.close() }
        XCTAssertEqual(try directory.blockDirectories(), merged)
        XCTAssertEqual(reopened.replayReport.removedLeftovers, parents)
        XCTAssertEqual(try everything(reopened), before)
        XCTAssertEqual(reopened.stats.blockSamples, 6 * 3 * 60, "no sample counted twice")
    }

    func testCrashDuringCompactionLeavesTheParents() async throws {
        let (storage, before) = try await twentyBlocks(manualOptions(blockRange: hour))
        let parents = try directory.blockDirectories()
        storage.close()
        // A merged block whose write was cut short: its directory still has the temporary name.
        let partial = directory.blocksPath + "/" + BlockFormat.directoryName(21) + BlockFormat.temporarySuffix
        try FileManager.default.copyItem(atPath: directory.blocksPath + "/" + parents[0], toPath: partial)
        try FileManager.default.removeItem(atPath: partial + "/meta")
        let reopened = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        defer { reopened.close() }
        XCTAssertEqual(try directory.blockDirectories(), parents)
        XCTAssertEqual(try everything(reopened), before)
        try await reopened.compact()
        XCTAssertEqual(try everything(reopened), before)
    }

    func testDamagedBlockStopsTheOpenNamingIt() async throws {
        let (storage, _) = try await twentyBlocks(manualOptions(blockRange: hour))
        storage.close()
        let victim = directory.blocksPath + "/" + (try directory.blockDirectories()[3]) + "/index"
        try directory.flipByte(in: victim, at: 40)
        let error = await expectStorageError(.corruptBlock) {
            try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        }
        XCTAssertTrue(error?.message.contains(victim) ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("move the block directory") ?? false, error?.message ?? "")
    }

    func testPlannerMergesOverlapsFirstThenCompleteWindows() {
        func meta(_ id: UInt64, _ start: Int64, _ end: Int64) -> BlockMeta {
            BlockMeta(id: id, rangeStart: start * hour, rangeEnd: end * hour, minTime: start * hour, maxTime: end * hour - 1,
                      series: 1, samples: 1, chunks: 1, level: 1, parents: [])
        }
        let ranges = [hour, 3 * hour, 9 * hour]
        XCTAssertEqual(CompactionPlanner.next([meta(1, 0, 1), meta(2, 1, 2), meta(4, 1, 2)], ranges: ranges, cutBoundary: 0),
                       CompactionPlanner.Plan(parents: [2, 4], rangeStart: hour, rangeEnd: 2 * hour))
        XCTAssertEqual(CompactionPlanner.next([meta(1, 0, 3), meta(2, 2, 3)], ranges: ranges, cutBoundary: 0),
                       CompactionPlanner.Plan(parents: [1, 2], rangeStart: 0, rangeEnd: 3 * hour))
        let three = [meta(1, 0, 1), meta(2, 1, 2), meta(3, 2, 3)]
        XCTAssertNil(CompactionPlanner.next(three, ranges: ranges, cutBoundary: 2 * hour), "the window is not complete")
        XCTAssertEqual(CompactionPlanner.next(three, ranges: ranges, cutBoundary: 3 * hour),
                       CompactionPlanner.Plan(parents: [1, 2, 3], rangeStart: 0, rangeEnd: 3 * hour))
        XCTAssertNil(CompactionPlanner.next([meta(1, 0, 1), meta(5, 4, 5), meta(6, 9, 10)], ranges: ranges, cutBoundary: 8 * hour),
                     "blocks in different 3 h windows are not merged, and the 9 h window is not complete")
        XCTAssertEqual(CompactionPlanner.next([meta(1, 0, 1), meta(5, 4, 5), meta(6, 9, 10)], ranges: ranges, cutBoundary: 9 * hour),
                       CompactionPlanner.Plan(parents: [1, 5], rangeStart: 0, rangeEnd: 9 * hour))
        XCTAssertEqual(CompactionPlanner.next([meta(7, 0, 3), meta(8, 3, 6), meta(9, 6, 7)], ranges: ranges, cutBoundary: 9 * hour),
                       CompactionPlanner.Plan(parents: [7, 8, 9], rangeStart: 0, rangeEnd: 9 * hour))
    }
}
