import Foundation
import Synchronization
import VigilModel
import XCTest

@testable import VigilStorage

/// Series `m{series="i"}` with sample `k` at `k * step`: values vary in their low bits.
private enum Fleet {
    static let step: Int64 = 10_000

    static func labels(_ series: Int) -> Labels {
        Labels(name: "m", [("series", String(series))])
    }

    static func sample(_ series: Int, _ k: Int) -> Sample {
        Sample(timestamp: Int64(k) * step, value: Double(series) * 0.37 + Double(k) * 1.13 + Double(k % 7) / 1_000)
    }

    /// Samples `ks` of every series in `0..<seriesCount`, in one batch.
    static func batch(series seriesCount: Int, _ ks: Range<Int>) -> [SeriesSamples] {
        (0..<seriesCount).map { i in SeriesSamples(labels: labels(i), samples: ks.map { sample(i, $0) }) }
    }

    /// Appends samples `ks` of every series, `perBatch` samples per series per batch.
    static func append(_ storage: Storage, series: Int, _ ks: Range<Int>, perBatch: Int) async throws {
        var start = ks.lowerBound
        while start < ks.upperBound {
            let end = min(start + perBatch, ks.upperBound)
            _ = try await storage.append(batch(series: series, start..<end))
            start = end
        }
    }
}

/// What the tasks of a test share.
private final class Progress: Sendable {
    let done = Atomic<Bool>(false)
    let reads = Atomic<Int>(0)
    /// Samples `0..<appended` of every series are stored (the append returned).
    let appended = Atomic<Int>(0)
}

/// The store with its head chunks in files: what is read back, what block cuts delete, what
/// a restart rebuilds, reads racing cuts, and writes that fail.
final class StorageHeadChunkTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    private var chunksPath: String { directory.path + "/chunks_head" }

    /// Manual maintenance and small head chunk files, so a few series fill many.
    private func options(segmentBytes: Int = 4_096, blockRange: Int64 = 3_600_000) -> StorageOptions {
        var options = manualOptions(shards: 3, blockRange: blockRange)
        options.headChunkSegmentBytes = segmentBytes
        return options
    }

    private func append(_ storage: Storage, series: Int, _ ks: Range<Int>, perBatch: Int = 60) async throws {
        try await Fleet.append(storage, series: series, ks, perBatch: perBatch)
    }

    private func expected(series seriesCount: Int, _ ks: Range<Int>) -> [SeriesSamples] {
        Fleet.batch(series: seriesCount, ks).sorted { Labels.precedes($0.labels, $1.labels) }
    }

    private func filesOnDisk() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: chunksPath).sorted()
    }

    /// The ids of the head chunk files some head series refers to.
    private func referencedFiles(_ storage: Storage) -> Set<UInt32> {
        var used = Set<UInt32>()
        for shard in storage.shards {
            shard.state.withLock { state in
                let chunks = state.chunkFiles.registry
                for one in state.series {
                    chunks.walk(from: one.newestChunk, count: Int(one.cutChunkCount)) { ref, _ in
                        if chunks.segment(ref.segment)!.isFile { used.insert(ref.segment) }
                        return true
                    }
                }
            }
        }
        return used
    }

    func testManySeriesReadBackExactlyFromTheFiles() async throws {
        let storage = try Storage.open(directory: directory.path, options: options())
        try await append(storage, series: 150, 0..<1_000)
        XCTAssertEqual(try everything(storage), expected(series: 150, 0..<1_000))
        var generator = SeededGenerator(state: 21)
        for _ in 0..<20 {
            let from = Int.random(in: 0..<1_000, using: &generator)
            let through = min(999, from + Int.random(in: 0..<300, using: &generator))
            let selected = try storage.select([matcher("__name__", .equal, "m")],
                                              from: Int64(from) * Fleet.step, through: Int64(through) * Fleet.step)
            XCTAssertEqual(selected, expected(series: 150, from..<(through + 1)))
            let latest = try storage.latest([matcher("series", .equal, "7")], at: Int64(through) * Fleet.step + 5_000, lookback: 60_000)
            XCTAssertEqual(latest.map(\.sample), [Fleet.sample(7, through)])
        }
        let stats = storage.stats
        XCTAssertEqual(stats.samples, 150_000)
        XCTAssertEqual(stats.headChunksOnHeap, 0)
        XCTAssertNil(stats.headChunkError)
        XCTAssertGreaterThan(stats.headChunkFiles, 10)
        XCTAssertEqual(try filesOnDisk().count, stats.headChunkFiles)
        XCTAssertEqual(referencedFiles(storage).count, stats.headChunkFiles)
        storage.close()
    }

    func testReopenRebuildsTheHeadFromTheWALWithIdenticalResults() async throws {
        var storage = try Storage.open(directory: directory.path, options: options())
        try await append(storage, series: 40, 0..<700)
        // Some backfill too: out-of-order samples stay on the heap, and must come back as well.
        _ = try await storage.append([SeriesSamples(labels: Fleet.labels(3), samples: [Sample(timestamp: 5, value: 42)])])
        let before = try everything(storage)
        let window = try storage.select([matcher("series", .regex, "1.*")], from: 1_234_000, through: 4_321_000)
        let filesBefore = try filesOnDisk()
        XCTAssertFalse(filesBefore.isEmpty)
        storage.close()
        XCTAssertEqual(try filesOnDisk(), filesBefore, "closing leaves the files; they are not durable state")
        // Whatever the files hold at the next open is ignored: the WAL is the truth.
        for name in filesBefore {
            try Data(repeating: 0xee, count: 100).write(to: URL(fileURLWithPath: chunksPath + "/" + name))
        }
        storage = try Storage.open(directory: directory.path, options: options())
        XCTAssertEqual(try everything(storage), before)
        XCTAssertEqual(try storage.select([matcher("series", .regex, "1.*")], from: 1_234_000, through: 4_321_000), window)
        XCTAssertEqual(storage.stats.headChunkFiles, try filesOnDisk().count)
        XCTAssertEqual(referencedFiles(storage).count, storage.stats.headChunkFiles)
        try await append(storage, series: 40, 700..<800)
        XCTAssertEqual(try storage.select([matcher("series", .equal, "3")], from: Fleet.step, through: .max),
                       expected(series: 4, 1..<800).filter { $0.labels == Fleet.labels(3) })
        storage.close()
    }

    func testBlockCutsDeleteTheFilesNoSeriesRefersTo() async throws {
        let hour: Int64 = 3_600_000
        let storage = try Storage.open(directory: directory.path, options: options(blockRange: hour))
        try await append(storage, series: 40, 0..<1_440)
        let filesBefore = storage.stats.headChunkFiles
        XCTAssertGreaterThan(filesBefore, 20)
        // Newest sample 4 h: the ranges up to 3 h are due; 3 h to 4 h stays in the head.
        try await storage.compact()
        var stats = storage.stats
        XCTAssertEqual(stats.blockSamples, 40 * 1_080, "the first 3 h are in blocks")
        XCTAssertLessThan(stats.headChunkFiles, filesBefore / 2)
        var onDisk = try filesOnDisk()
        XCTAssertEqual(onDisk.count, stats.headChunkFiles)
        let used = referencedFiles(storage).map(HeadChunkFormat.fileName)
        XCTAssertTrue(Set(onDisk).isSuperset(of: used))
        XCTAssertLessThanOrEqual(onDisk.count, used.count + 1, "only the file being written may be unreferenced")
        XCTAssertEqual(try everything(storage), expected(series: 40, 0..<1_440))
        try await storage.flush()
        stats = storage.stats
        XCTAssertEqual(stats.series, 0)
        onDisk = try filesOnDisk()
        XCTAssertLessThanOrEqual(onDisk.count, 1, "\(onDisk)")
        XCTAssertEqual(try everything(storage), expected(series: 40, 0..<1_440))
        storage.close()
    }

    func testACopyHeldAcrossACutThatRemovesFilesReadsEverySample() async throws {
        let hour: Int64 = 3_600_000
        let storage = try Storage.open(directory: directory.path, options: options(blockRange: hour))
        try await append(storage, series: 40, 0..<1_440)
        // A query's copies of the series, with the registry taken under the same locks.
        let held = storage.headSeries(matching: [matcher("__name__", .equal, "m")])
        XCTAssertEqual(held.count, 40)
        let referencedBefore = referencedFiles(storage)
        try await storage.compact()
        let referencedAfter = referencedFiles(storage)
        let removed = referencedBefore.subtracting(referencedAfter)
        XCTAssertGreaterThan(removed.count, referencedBefore.count / 2, "the cut removed most files")
        for id in removed {
            XCTAssertNil(storage.headChunks.registry.segment(id))
            XCTAssertFalse(FileManager.default.fileExists(atPath: chunksPath + "/" + HeadChunkFormat.fileName(id)))
        }
        // New chunks go to new files meanwhile.
        try await append(storage, series: 40, 1_440..<1_800)
        XCTAssertFalse(referencedFiles(storage).isSubset(of: referencedBefore))
        let expectedBefore = expected(series: 40, 0..<1_440)
        for copy in held {
            XCTAssertEqual(copy.series.samples(from: .min, through: .max, in: copy.chunks),
                           expectedBefore.first { $0.labels == copy.labels }?.samples)
        }
        XCTAssertEqual(try everything(storage), expected(series: 40, 0..<1_800))
        storage.close()
    }

    func testHeapArenasCountInHeadBytesUntilABlockCutFreesThem() async throws {
        let io = FailingHeadChunkIO()
        io.failing.store(true, ordering: .relaxed)
        let storage = try Storage.open(directory: directory.path, options: options(), headChunkIO: io)
        try await append(storage, series: 20, 0..<500)
        let stats = storage.stats
        XCTAssertEqual(stats.headChunksOnHeap, 20 * 4)
        let arenas = storage.headChunks.heapBytes
        XCTAssertGreaterThan(arenas, 20 * 4 * (HeadChunkHeader.bytes + 100))
        let shards = storage.shards.reduce(0) { total, shard in total + shard.state.withLock { $0.heapBytes } }
        XCTAssertEqual(stats.headBytes, shards + arenas)
        io.failing.store(false, ordering: .relaxed)
        try await storage.flush()
        XCTAssertEqual(storage.stats.series, 0)
        XCTAssertLessThan(storage.headChunks.heapBytes, 1_024, "no series refers to the arenas any more")
        XCTAssertEqual(try everything(storage), expected(series: 20, 0..<500))
        storage.close()
    }

    func testReadsDuringCutsAndFileDeletionsSeeEveryStoredSampleCorrectly() async throws {
        // 10-minute blocks and 2 KiB files: every cut truncates chunks and deletes files.
        let storage = try Storage.open(directory: directory.path, options: options(segmentBytes: 2_048, blockRange: 600_000))
        let seriesCount = 30
        let progress = Progress()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<2 {
                group.addTask {
                    var generator = SeededGenerator(state: UInt64(reader))
                    while !progress.done.load(ordering: .relaxed) {
                        let from = Int64.random(in: 0..<2_000, using: &generator) * Fleet.step
                        let through = from + 3_600_000
                        let stored = progress.appended.load(ordering: .acquiring)
                        let selected = try storage.select([matcher("__name__", .equal, "m")], from: from, through: through)
                        // Whatever a block cut moves from the head to a block meanwhile, the
                        // samples stored before the read began are all there.
                        let newestStored = Int64(stored - 1) * Fleet.step
                        let mustHave = newestStored < from ? 0 : Int((min(through, newestStored) - from) / Fleet.step) + 1
                        if mustHave > 0 { XCTAssertEqual(selected.count, seriesCount, "every series is read") }
                        for one in selected {
                            XCTAssertGreaterThanOrEqual(one.samples.count { $0.timestamp <= newestStored }, mustHave,
                                                        "samples stored before the read are all read")
                            let series = Int(one.labels["series"]!)!
                            for (earlier, later) in zip(one.samples, one.samples.dropFirst()) {
                                XCTAssertLessThan(earlier.timestamp, later.timestamp)
                            }
                            for got in one.samples {
                                XCTAssertEqual(got, Fleet.sample(series, Int(got.timestamp / Fleet.step)))
                            }
                        }
                        progress.reads.add(1, ordering: .relaxed)
                        // Reads never suspend otherwise, and could hold every thread of the pool.
                        await Task.yield()
                    }
                }
            }
            group.addTask {
                defer { progress.done.store(true, ordering: .relaxed) }
                var k = 0
                while k < 2_400 {
                    try await Fleet.append(storage, series: seriesCount, k..<(k + 40), perBatch: 40)
                    k += 40
                    progress.appended.store(k, ordering: .releasing)
                    if k % 200 == 0 { try await storage.compact() }
                }
                try await storage.flush()
            }
            try await group.waitForAll()
        }
        XCTAssertGreaterThan(progress.reads.load(ordering: .relaxed), 0)
        XCTAssertEqual(try everything(storage), expected(series: seriesCount, 0..<2_400))
        XCTAssertLessThanOrEqual(try filesOnDisk().count, 1)
        storage.close()
    }

    func testFailingWritesKeepChunksOnTheHeapWithoutLosingSamples() async throws {
        let io = FailingHeadChunkIO()
        io.failing.store(true, ordering: .relaxed)
        var storage = try Storage.open(directory: directory.path, options: options(), headChunkIO: io)
        try await append(storage, series: 20, 0..<500)
        var stats = storage.stats
        XCTAssertEqual(stats.headChunksOnHeap, 20 * 4)
        XCTAssertEqual(stats.headChunkFiles, 0)
        XCTAssertNotNil(stats.headChunkError)
        XCTAssertEqual(try filesOnDisk(), [], "a file whose header could not be written is removed")
        XCTAssertEqual(try everything(storage), expected(series: 20, 0..<500))

        io.failing.store(false, ordering: .relaxed)
        try await append(storage, series: 20, 500..<1_000)
        stats = storage.stats
        XCTAssertEqual(stats.headChunksOnHeap, 20 * 4, "later chunks go to the files again")
        XCTAssertGreaterThan(stats.headChunkFiles, 0)
        XCTAssertNil(stats.headChunkError)
        XCTAssertEqual(try everything(storage), expected(series: 20, 0..<1_000))

        // Torn writes in the middle of a file: the chunks stay on the heap, the file goes on.
        io.failing.store(true, ordering: .relaxed)
        try await append(storage, series: 20, 1_000..<1_200)
        io.failing.store(false, ordering: .relaxed)
        try await append(storage, series: 20, 1_200..<1_500)
        XCTAssertEqual(try everything(storage), expected(series: 20, 0..<1_500))
        storage.close()

        storage = try Storage.open(directory: directory.path, options: options())
        XCTAssertEqual(try everything(storage), expected(series: 20, 0..<1_500))
        XCTAssertEqual(storage.stats.headChunksOnHeap, 0)
        storage.close()
    }
}
