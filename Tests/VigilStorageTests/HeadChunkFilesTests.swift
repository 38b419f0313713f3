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

/// Head chunk files alone: chunks written and read back through registries, chains of
/// chunks, segments sealed and removed, writes that fail, damage.
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
    private func randomChunk(_ generator: inout SeededGenerator, after start: Int64? = nil) -> (ChunkAppender, [Sample]) {
        var appender = ChunkAppender()
        var samples: [Sample] = []
        var timestamp = start ?? Int64.random(in: 0..<1_000_000_000, using: &generator)
        for _ in 0..<Int.random(in: 1...ChunkAppender.samplesPerChunk, using: &generator) {
            timestamp += Int64.random(in: 1...20_000, using: &generator)
            let value = Bool.random(using: &generator) ? Double(Int.random(in: 0..<1_000, using: &generator))
                : Double.random(in: -1e9...1e9, using: &generator)
            appender.append(timestamp: timestamp, value: value)
            samples.append(Sample(timestamp: timestamp, value: value))
        }
        return (appender, samples)
    }

    /// The chunk's samples, read through `chunks`; nil when its header is damaged.
    private func decode(_ ref: HeadChunkRef, _ chunks: HeadChunkRegistry) -> [Sample]? {
        guard let header = chunks.header(of: ref) else { return nil }
        return chunks.withIterator(ref, header) { iterator in
            var out: [Sample] = []
            while let sample = iterator.next() { out.append(sample) }
            return out
        }
    }

    private func decode(_ ref: HeadChunkRef, _ files: HeadChunkFiles) -> [Sample]? {
        decode(ref, files.registry)
    }

    /// The refs of a chain, newest first, as `walk` reaches them.
    private func chain(from newest: HeadChunkRef, count: Int, _ chunks: HeadChunkRegistry) -> [HeadChunkRef] {
        var refs: [HeadChunkRef] = []
        chunks.walk(from: newest, count: count) { ref, _ in
            refs.append(ref)
            return true
        }
        return refs
    }

    func testChunksReadBackExactlyAcrossManySegments() throws {
        var generator = SeededGenerator(state: 11)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 4_096)
        var cut: [(HeadChunkRef, [Sample], [UInt8])] = []
        for _ in 0..<400 {
            let (appender, samples) = randomChunk(&generator)
            cut.append((files.cut(appender, previous: .none), samples, appender.serialized()))
        }
        let chunks = files.registry
        for (ref, samples, bytes) in cut {
            XCTAssertTrue(chunks.segment(ref.segment)?.isFile ?? false)
            XCTAssertEqual(decode(ref, chunks), samples)
            let header = try XCTUnwrap(chunks.header(of: ref))
            XCTAssertEqual(header, HeadChunkHeader(previous: .none, minTime: samples.first!.timestamp,
                                                   maxTime: samples.last!.timestamp, length: bytes.count))
            // The file holds the header, then the chunk's bytes of docs/formats/chunk.md.
            let file = try Data(contentsOf: URL(fileURLWithPath: chunksPath + "/" + HeadChunkFormat.fileName(ref.segment)))
            let start = Int(ref.offset) + HeadChunkHeader.bytes
            XCTAssertEqual(Array(file[start..<(start + bytes.count)]), bytes)
            XCTAssertEqual(Array(file.prefix(8)), [0x56, 0x48, 0x43, 0x4b, 2, 0, 0, 0])
            XCTAssertLessThanOrEqual(file.count, 4_096)
        }
        let segments = Set(cut.map { $0.0.segment })
        XCTAssertGreaterThan(segments.count, 20)
        let stats = files.stats
        XCTAssertEqual(stats.files, segments.count)
        XCTAssertEqual(try filesOnDisk().count, segments.count)
        XCTAssertEqual(stats.bytes, segments.count * 8 + cut.reduce(0) { $0 + HeadChunkHeader.bytes + $1.2.count })
        XCTAssertEqual(stats.chunksOnHeap, 0)
        XCTAssertNil(stats.lastError)
    }

    func testAHeaderIsItsFieldsLittleEndianAndTheirCRC() throws {
        let header = HeadChunkHeader(previous: HeadChunkRef(segment: 0x0102_0304, offset: 0x0a0b_0c0d),
                                     minTime: -2, maxTime: 0x1122_3344_5566_7788, length: 300)
        var bytes = [UInt8](repeating: 0xee, count: HeadChunkHeader.bytes)
        bytes.withUnsafeMutableBytes { header.store(to: $0) }
        XCTAssertEqual(Array(bytes[0..<28]), [0x04, 0x03, 0x02, 0x01, 0x0d, 0x0c, 0x0b, 0x0a,
                                              0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                                              0x2c, 0x01, 0x00, 0x00])
        let crc = bytes.withUnsafeBytes { WALFormat.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<28])) }
        XCTAssertEqual(Array(bytes[28..<32]), [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> UInt32($0)) })
        XCTAssertEqual(bytes.withUnsafeBytes { HeadChunkHeader($0) }, header)
        for index in 0..<HeadChunkHeader.bytes {
            var damaged = bytes
            damaged[index] ^= 0x10
            XCTAssertNil(damaged.withUnsafeBytes { HeadChunkHeader($0) }, "byte \(index)")
        }
    }

    func testAChainLinksChunksAcrossFilesAndArenas() throws {
        var generator = SeededGenerator(state: 13)
        let io = FailingHeadChunkIO()
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 2_048, io: io)
        var newest = HeadChunkRef.none
        var cut: [(HeadChunkRef, [Sample])] = []
        var timestamp: Int64 = 0
        for index in 0..<60 {
            // Every fourth chunk of the chain fails to reach its file and goes to a heap arena.
            io.failing.store(index % 4 == 3, ordering: .relaxed)
            let (appender, samples) = randomChunk(&generator, after: timestamp)
            timestamp = samples.last!.timestamp
            newest = files.cut(appender, previous: newest)
            cut.append((newest, samples))
        }
        let chunks = files.registry
        XCTAssertEqual(chain(from: newest, count: 60, chunks), cut.reversed().map(\.0))
        XCTAssertEqual(chain(from: newest, count: 7, chunks), cut.suffix(7).reversed().map(\.0), "count bounds the walk")
        XCTAssertEqual(Set(cut.map { chunks.segment($0.0.segment)!.isFile }), [true, false])
        for (ref, samples) in cut { XCTAssertEqual(decode(ref, chunks), samples) }
        XCTAssertEqual(files.stats.chunksOnHeap, 15)
        var visited = 0
        chunks.walk(from: newest, count: 60) { _, header in
            visited += 1
            return header.minTime > cut[50].1.last!.timestamp
        }
        XCTAssertEqual(visited, 10, "the walk stops where the body says")
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
            chunks.append((files.cut(appender, previous: .none), samples))
        }
        XCTAssertEqual(Set(chunks.map { $0.0.segment }).count, 5)
        for (chunk, samples) in chunks { XCTAssertEqual(decode(chunk, files), samples) }
    }

    func testRemovedSegmentsLoseTheirFilesButStayReadableThroughAHeldRegistry() throws {
        var generator = SeededGenerator(state: 5)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 2_048)
        var cut: [(HeadChunkRef, [Sample])] = []
        for _ in 0..<60 {
            let (appender, samples) = randomChunk(&generator)
            cut.append((files.cut(appender, previous: .none), samples))
        }
        // A query's registry, taken with its copies of series.
        let held = files.registry
        let sealed = files.sealedSegments()
        let current = cut.last!.0.segment
        XCTAssertFalse(sealed.contains(current), "the segment being written is never offered for removal")
        XCTAssertEqual(Set(sealed).union([current]), Set(cut.map { $0.0.segment }))
        files.remove(sealed + [current])
        XCTAssertEqual(try filesOnDisk(), [HeadChunkFormat.fileName(current)])
        XCTAssertEqual(files.stats.files, 1)
        for id in sealed { XCTAssertNil(files.registry.segment(id)) }
        // The mappings outlive the files while the held registry holds them.
        for (chunk, samples) in cut { XCTAssertEqual(decode(chunk, held), samples) }
        // Refs in the segments kept resolve in the new registry, as do refs into segments added since.
        for (chunk, samples) in cut where chunk.segment == current { XCTAssertEqual(decode(chunk, files), samples) }
        var later: [(HeadChunkRef, [Sample])] = []
        for _ in 0..<30 {
            let (appender, samples) = randomChunk(&generator)
            later.append((files.cut(appender, previous: .none), samples))
        }
        XCTAssertGreaterThan(Set(later.map { $0.0.segment }).count, 3)
        for (chunk, samples) in later { XCTAssertEqual(decode(chunk, files), samples) }
        files.remove(files.sealedSegments())
        XCTAssertEqual(try filesOnDisk().count, 1)
        XCTAssertEqual(decode(later.last!.0, files), later.last!.1)
    }

    func testOpeningClearsTheDirectory() throws {
        try FileManager.default.createDirectory(atPath: chunksPath, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: chunksPath + "/000001", contents: Data([1, 2, 3]))
        FileManager.default.createFile(atPath: chunksPath + "/stray", contents: Data())
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 4_096)
        XCTAssertEqual(try filesOnDisk(), [])
        var generator = SeededGenerator(state: 1)
        let (appender, samples) = randomChunk(&generator)
        let chunk = files.cut(appender, previous: .none)
        XCTAssertEqual(chunk, HeadChunkRef(segment: 1, offset: 8))
        XCTAssertEqual(decode(chunk, files), samples)
    }

    func testFailedWritesPutChunksInHeapArenasAndTheFileIsTriedAgain() throws {
        var generator = SeededGenerator(state: 9)
        let io = FailingHeadChunkIO()
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10, io: io)
        var cut: [(HeadChunkRef, [Sample])] = []
        func cutOne() -> HeadChunkRef {
            let (appender, samples) = randomChunk(&generator)
            let chunk = files.cut(appender, previous: .none)
            cut.append((chunk, samples))
            return chunk
        }
        let first = cutOne()
        let heapBefore = files.heapBytes
        io.failing.store(true, ordering: .relaxed)
        var arenas = Set<UInt32>()
        for _ in 0..<3 {
            let chunk = cutOne()
            XCTAssertFalse(files.registry.segment(chunk.segment)!.isFile, "a failed write leaves the chunk on the heap")
            arenas.insert(chunk.segment)
        }
        XCTAssertEqual(arenas.count, 1, "one arena takes them all")
        XCTAssertGreaterThanOrEqual(files.heapBytes - heapBefore, files.arenaBytes)
        var stats = files.stats
        XCTAssertEqual(stats.chunksOnHeap, 3)
        XCTAssertEqual(stats.failedWrites, 3)
        XCTAssertTrue(stats.lastError?.contains("injected") ?? false, "\(stats)")
        io.failing.store(false, ordering: .relaxed)
        let after = cutOne()
        XCTAssertEqual(after.segment, first.segment, "the same file, written over the torn bytes")
        XCTAssertEqual(Int(after.offset), Int(first.offset) + HeadChunkHeader.bytes + files.registry.header(of: first)!.length)
        stats = files.stats
        XCTAssertNil(stats.lastError, "cleared by the write that worked")
        XCTAssertEqual(stats.bytes, Int(after.offset) + HeadChunkHeader.bytes + files.registry.header(of: after)!.length)
        for (chunk, samples) in cut { XCTAssertEqual(decode(chunk, files), samples) }
        // Failures go on filling the arena until it is full, and then a new one.
        io.failing.store(true, ordering: .relaxed)
        let arena = arenas.first!
        XCTAssertEqual(cutOne().segment, arena)
        while cutOne().segment == arena {}
        // Listing the sealed segments (at a block cut) seals the arena being written too, so
        // an arena goes once no series refers to it, as a file does; the file being written stays.
        let current = cut.last!.0.segment
        let sealed = files.sealedSegments()
        XCTAssertTrue(sealed.contains(arena) && sealed.contains(current))
        XCTAssertFalse(sealed.contains(first.segment), "the file being written")
        XCTAssertNotEqual(cutOne().segment, current, "the next failure starts a new arena")
        let beforeRemoval = files.heapBytes
        files.remove([arena, current])
        XCTAssertNil(files.registry.segment(arena))
        XCTAssertLessThanOrEqual(files.heapBytes, beforeRemoval - 2 * files.arenaBytes)
        XCTAssertEqual(files.stats.files, 1, "an arena is no file")
        XCTAssertEqual(decode(cut.last!.0, files), cut.last!.1)
    }

    func testAFileThatCannotBeCreatedLeavesChunksOnTheHeap() throws {
        var generator = SeededGenerator(state: 4)
        let io = FailingHeadChunkIO()
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10, io: io)
        // The header of a new file fails to write: no file is left behind.
        io.failing.store(true, ordering: .relaxed)
        let (appender, samples) = randomChunk(&generator)
        let chunk = files.cut(appender, previous: .none)
        XCTAssertFalse(files.registry.segment(chunk.segment)!.isFile)
        XCTAssertEqual(decode(chunk, files), samples)
        XCTAssertEqual(try filesOnDisk(), [])
        // The directory is gone: open fails, the chunk stays on the heap.
        io.failing.store(false, ordering: .relaxed)
        try FileManager.default.removeItem(atPath: chunksPath)
        let (second, secondSamples) = randomChunk(&generator)
        let onHeap = files.cut(second, previous: chunk)
        XCTAssertFalse(files.registry.segment(onHeap.segment)!.isFile)
        XCTAssertTrue(files.stats.lastError?.contains("open") ?? false, "\(files.stats)")
        XCTAssertEqual(decode(onHeap, files), secondSamples)
        try FileManager.default.createDirectory(atPath: chunksPath, withIntermediateDirectories: false)
        let (third, thirdSamples) = randomChunk(&generator)
        let inFile = files.cut(third, previous: onHeap)
        XCTAssertTrue(files.registry.segment(inFile.segment)!.isFile)
        XCTAssertEqual(decode(inFile, files), thirdSamples)
        XCTAssertEqual(files.stats.chunksOnHeap, 2)
    }

    func testWithoutADirectoryEveryChunkGoesToAnArena() throws {
        var generator = SeededGenerator(state: 6)
        let files = try HeadChunkFiles(directory: nil, segmentBytes: 0)
        var cut: [(HeadChunkRef, [Sample])] = []
        for _ in 0..<40 {
            let (appender, samples) = randomChunk(&generator)
            cut.append((files.cut(appender, previous: cut.last?.0 ?? .none), samples))
        }
        XCTAssertGreaterThan(Set(cut.map { $0.0.segment }).count, 5, "arenas of \(files.arenaBytes) bytes")
        for (chunk, samples) in cut { XCTAssertEqual(decode(chunk, files), samples) }
        XCTAssertEqual(files.stats.files, 0)
        XCTAssertEqual(files.stats.chunksOnHeap, 40)
    }

    func testDamagedBytesGiveFewerSamplesNotACrash() throws {
        var generator = SeededGenerator(state: 8)
        let files = try HeadChunkFiles(directory: chunksPath, segmentBytes: 64 << 10)
        var refs: [HeadChunkRef] = []
        for k in 0..<3 {
            var appender = ChunkAppender()
            for i in 0..<120 {
                appender.append(timestamp: Int64(k * 120 + i) * 10_000, value: Double.random(in: 0..<1, using: &generator))
            }
            refs.append(files.cut(appender, previous: refs.last ?? .none))
        }
        let chunk = refs[1]
        let header = try XCTUnwrap(files.registry.header(of: chunk))
        // Damage the page behind the mapping: the value column's window codes, then the chunk's header.
        let path = chunksPath + "/" + HeadChunkFormat.fileName(chunk.segment)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        let chunkStart = UInt64(Int(chunk.offset) + HeadChunkHeader.bytes)
        try handle.seek(toOffset: chunkStart + UInt64(header.length) - 40)
        handle.write(Data(repeating: 0xff, count: 40))
        let damaged = decode(chunk, files)
        XCTAssertNotNil(damaged)
        XCTAssertLessThan(damaged?.count ?? 120, 120)
        try handle.seek(toOffset: chunkStart)
        handle.write(Data([9]))
        XCTAssertNil(decode(chunk, files), "an unknown encoding byte is refused")
        // A damaged head chunk header: neither its length nor its link is trusted.
        try handle.seek(toOffset: UInt64(chunk.offset) + 24)
        handle.write(Data([0xff, 0xff]))
        try handle.close()
        XCTAssertNil(files.registry.header(of: chunk))
        var reached: [HeadChunkRef] = []
        let stopped = files.registry.walk(from: refs[2], count: 3) { ref, _ in
            reached.append(ref)
            return true
        }
        XCTAssertEqual(reached, [refs[2]], "the walk ends at the damaged header")
        XCTAssertEqual(stopped, chunk)
    }
}
