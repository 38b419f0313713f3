import Foundation
import Synchronization
import VigilModel
import XCTest

@testable import VigilStorage

/// Writes like `POSIXHeadChunkIO` until `failing` is set; then writes the first half of what
/// it is given (a torn write) and throws, as a full disk would.
final class FailingHeadChunkIO: HeadChunkIO {
    let failing = Atomic<Bool>(false)
    let failures = Atomic<Int>(0)

    func write(_ bytes: UnsafeRawBufferPointer, to file: POSIXFile, at offset: Int) throws(StorageError) {
        guard failing.load(ordering: .relaxed) else {
            return try POSIXHeadChunkIO().write(bytes, to: file, at: offset)
        }
        failures.add(1, ordering: .relaxed)
        try file.writeAll(UnsafeRawBufferPointer(rebasing: bytes.prefix(bytes.count / 2)), at: offset)
        throw StorageError(.io, "pwrite \(file.path): No space left on device (errno 28, injected)")
    }
}

/// Head chunk files alone: chunks written and read back through the mappings, segments
/// sealed and deleted, writes that fail.
final class HeadChunkFilesTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    private var chunksPath: String { directory.path + "/chunks_head" }

    private func filesOnDisk() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: chunksPath).sorted()
    }

    /// 1 to 120 samples with irregular times and noisy values, so chunk sizes vary.
    private func randomChunk(_ generator: inout SeededGenerator) -> (ChunkAppender, [Sample]) {
        var appender = ChunkAppender()
        var samples: [Sample] = []
        var timestamp = Int64.random(in: 0..<1_000_000_000, using: &generator)
        for _ in 0..<Int.random(in: 1...ChunkAppender.samplesPerChunk, using: &generator) {
            timestamp += Int64.random(in: 1...20_000, using: &generator)
            let value = Bool.random(using: &generator) ? Double(Int.random(in: 0..<1_000, using: &generator))
                : Double.random(in: -1e9...1e9, using: &generator)
            appender.append(timestamp: timestamp, value: value)
            samples.append(Sample(timestamp: timestamp, value: value))
        }
        return (appender, samples)
    }

    private func decode(_ chunk: HeadChunkRef) -> [Sample]? {
        chunk.withIterator { iterator in
            var out: [Sample] = []
            while let sample = iterator.next() { out.append(sample) }
            return out
        }
    }

    func testChunksReadBackExactlyAcrossManySegments() throws {
        var generator = SeededGenerator(state: 11)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 4_096)
        var cut: [(HeadChunkRef, [Sample], [UInt8])] = []
        for _ in 0..<400 {
            let (appender, samples) = randomChunk(&generator)
            cut.append((files.cut(appender), samples, appender.serialized()))
        }
        for (chunk, samples, bytes) in cut {
            XCTAssertTrue(chunk.segment.isFile)
            XCTAssertEqual(decode(chunk), samples)
            XCTAssertEqual(chunk.count, samples.count)
            XCTAssertEqual(chunk.minTime, samples.first?.timestamp)
            XCTAssertEqual(chunk.maxTime, samples.last?.timestamp)
            // The file holds the chunk's bytes of docs/formats/chunk.md at the ref's offset.
            let file = try Data(contentsOf: URL(fileURLWithPath: chunksPath + "/" + HeadChunkFormat.fileName(chunk.segment.id)))
            XCTAssertEqual(Array(file[Int(chunk.offset)..<Int(chunk.offset + chunk.length)]), bytes)
            XCTAssertEqual(Array(file.prefix(8)), HeadChunkFormat.header)
            XCTAssertLessThanOrEqual(file.count, 4_096)
        }
        let segments = Set(cut.map { $0.0.segment.id })
        XCTAssertGreaterThan(segments.count, 20)
        let stats = files.stats
        XCTAssertEqual(stats.files, segments.count)
        XCTAssertEqual(try filesOnDisk().count, segments.count)
        XCTAssertEqual(stats.bytes, segments.count * 8 + cut.reduce(0) { $0 + Int($1.0.length) })
        XCTAssertEqual(stats.chunksOnHeap, 0)
        XCTAssertNil(stats.lastError)
    }

    func testAChunkLargerThanASegmentGetsOneOfItsOwn() throws {
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 1)
        XCTAssertEqual(files.segmentBytes, HeadChunkFormat.minSegmentBytes)
        var generator = SeededGenerator(state: 3)
        var chunks: [(HeadChunkRef, [Sample])] = []
        for _ in 0..<5 {
            var appender = ChunkAppender()
            var samples: [Sample] = []
            for i in 0..<120 {
                let sample = Sample(timestamp: Int64(i) * 1_000 + Int64.random(in: 0..<900, using: &generator),
                                    value: Double.random(in: -1...1, using: &generator))
                appender.append(timestamp: sample.timestamp, value: sample.value)
                samples.append(sample)
            }
            XCTAssertGreaterThan(appender.serialized().count, 1_024)
            chunks.append((files.cut(appender), samples))
        }
        XCTAssertEqual(Set(chunks.map { $0.0.segment.id }).count, 5)
        for (chunk, samples) in chunks { XCTAssertEqual(decode(chunk), samples) }
    }

    func testRemovedSegmentsLoseTheirFilesButStayReadableThroughHeldRefs() throws {
        var generator = SeededGenerator(state: 5)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 2_048)
        var cut: [(HeadChunkRef, [Sample])] = []
        for _ in 0..<60 {
            let (appender, samples) = randomChunk(&generator)
            cut.append((files.cut(appender), samples))
        }
        let sealed = files.sealedSegments()
        let current = cut.last!.0.segment.id
        XCTAssertFalse(sealed.contains(current), "the segment being written is never offered for deletion")
        XCTAssertEqual(Set(sealed).union([current]), Set(cut.map { $0.0.segment.id }))
        files.remove(sealed + [current])
        XCTAssertEqual(try filesOnDisk(), [HeadChunkFormat.fileName(current)])
        XCTAssertEqual(files.stats.files, 1)
        // A query's copy of a series holds refs like these: the mappings outlive the files.
        for (chunk, samples) in cut { XCTAssertEqual(decode(chunk), samples) }
    }

    func testOpeningClearsTheDirectory() throws {
        try FileManager.default.createDirectory(atPath: chunksPath, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: chunksPath + "/000001", contents: Data([1, 2, 3]))
        FileManager.default.createFile(atPath: chunksPath + "/stray", contents: Data())
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 4_096)
        XCTAssertEqual(try filesOnDisk(), [])
        var generator = SeededGenerator(state: 1)
        let (appender, samples) = randomChunk(&generator)
        let chunk = files.cut(appender)
        XCTAssertEqual(chunk.segment.id, 1)
        XCTAssertEqual(decode(chunk), samples)
    }

    func testFailedWritesKeepChunksOnTheHeapAndTheFileIsTriedAgain() throws {
        var generator = SeededGenerator(state: 9)
        let io = FailingHeadChunkIO()
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10, io: io)
        var cut: [(HeadChunkRef, [Sample])] = []
        func cutOne() -> HeadChunkRef {
            let (appender, samples) = randomChunk(&generator)
            let chunk = files.cut(appender)
            cut.append((chunk, samples))
            return chunk
        }
        let first = cutOne()
        XCTAssertTrue(first.segment.isFile)
        io.failing.store(true, ordering: .relaxed)
        for _ in 0..<3 {
            let chunk = cutOne()
            XCTAssertFalse(chunk.segment.isFile, "a failed write leaves the chunk on the heap")
            XCTAssertGreaterThan(chunk.heapBytes, Int(chunk.length))
        }
        var stats = files.stats
        XCTAssertEqual(stats.chunksOnHeap, 3)
        XCTAssertEqual(stats.failedWrites, 3)
        XCTAssertTrue(stats.lastError?.contains("injected") ?? false, "\(stats)")
        io.failing.store(false, ordering: .relaxed)
        let after = cutOne()
        XCTAssertTrue(after.segment.isFile)
        XCTAssertEqual(after.segment.id, first.segment.id, "the same file, written over the torn bytes")
        XCTAssertEqual(after.offset, first.offset + first.length)
        stats = files.stats
        XCTAssertNil(stats.lastError, "cleared by the write that worked")
        XCTAssertEqual(stats.bytes, 8 + Int(first.length + after.length))
        for (chunk, samples) in cut { XCTAssertEqual(decode(chunk), samples) }
    }

    func testAFileThatCannotBeCreatedLeavesChunksOnTheHeap() throws {
        var generator = SeededGenerator(state: 4)
        let io = FailingHeadChunkIO()
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10, io: io)
        // The header of a new file fails to write: no file is left behind.
        io.failing.store(true, ordering: .relaxed)
        let (appender, samples) = randomChunk(&generator)
        let chunk = files.cut(appender)
        XCTAssertFalse(chunk.segment.isFile)
        XCTAssertEqual(decode(chunk), samples)
        XCTAssertEqual(try filesOnDisk(), [])
        // The directory is gone: open fails, the chunk stays on the heap.
        io.failing.store(false, ordering: .relaxed)
        try FileManager.default.removeItem(atPath: chunksPath)
        let (second, secondSamples) = randomChunk(&generator)
        let onHeap = files.cut(second)
        XCTAssertFalse(onHeap.segment.isFile)
        XCTAssertTrue(files.stats.lastError?.contains("open") ?? false, "\(files.stats)")
        XCTAssertEqual(decode(onHeap), secondSamples)
        try FileManager.default.createDirectory(atPath: chunksPath, withIntermediateDirectories: false)
        let (third, thirdSamples) = randomChunk(&generator)
        let inFile = files.cut(third)
        XCTAssertTrue(inFile.segment.isFile)
        XCTAssertEqual(decode(inFile), thirdSamples)
        XCTAssertEqual(files.stats.chunksOnHeap, 2)
    }

    func testDamagedBytesGiveFewerSamplesNotACrash() throws {
        var generator = SeededGenerator(state: 8)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10)
        var appender = ChunkAppender()
        for i in 0..<120 { appender.append(timestamp: Int64(i) * 10_000, value: Double.random(in: 0..<1, using: &generator)) }
        let chunk = files.cut(appender)
        // Damage the page behind the mapping: the value column's window codes, then the header.
        let path = chunksPath + "/" + HeadChunkFormat.fileName(chunk.segment.id)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(chunk.offset + chunk.length - 40))
        handle.write(Data(repeating: 0xff, count: 40))
        let damaged = decode(chunk)
        XCTAssertNotNil(damaged)
        XCTAssertLessThan(damaged?.count ?? 120, 120)
        try handle.seek(toOffset: UInt64(chunk.offset))
        handle.write(Data([9]))
        try handle.close()
        XCTAssertNil(decode(chunk), "an unknown encoding byte is refused")
    }
}
