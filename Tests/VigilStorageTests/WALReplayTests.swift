import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// Crash recovery without crashing: the tests write a store, then cut or damage its WAL
/// files the way a crash or a bad disk would, and reopen.
final class WALReplayTests: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
    }

    private func makeDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        directories.append(directory)
        return directory
    }

    /// Writes batch A in one session and batch B (a new series plus more samples for A's
    /// series) in a second. Returns A's contents and the segment size after each session.
    private func writeTwoSessions(in directory: TemporaryDirectory) async throws
        -> (afterA: [SeriesSamples], endOfA: Int, endOfB: Int, segment: String) {
        let first = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        _ = try await first.append([
            series("cpu", [("host", "a")], [(1_000, 1), (2_000, 2)]),
            series("cpu", [("host", "b")], [(1_000, 3)]),
        ], idempotencyKey: IdempotencyKey(producer: "p", sequence: 1))
        let afterA = try everything(first)
        first.close()
        let segment = try XCTUnwrap(try directory.segments().last)
        let endOfA = try directory.size(of: segment)

        let second = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        _ = try await second.append([
            series("cpu", [("host", "a")], [(3_000, 4)]),
            series("cpu", [("host", "new")], [(3_000, 5), (4_000, 6)]),
        ], idempotencyKey: IdempotencyKey(producer: "p", sequence: 2))
        XCTAssertEqual(try everything(second).count, 3)
        second.close()
        return (afterA, endOfA, try directory.size(of: segment), segment)
    }

    /// Reopens after damage and checks that exactly batch A survived, the cut is reported and
    /// the store takes appends again.
    private func checkRecovery(in directory: TemporaryDirectory, afterA: [SeriesSamples], segment: String,
                               expect phrase: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        let tornTail = try XCTUnwrap(storage.replayReport.tornTail, "the cut must be reported", file: file, line: line)
        let cutAt = try directory.size(of: segment)
        XCTAssertTrue(tornTail.contains(segment), tornTail, file: file, line: line)
        XCTAssertTrue(tornTail.contains("byte offset \(cutAt)"), tornTail, file: file, line: line)
        XCTAssertTrue(tornTail.contains(phrase), tornTail, file: file, line: line)
        XCTAssertEqual(try everything(storage), afterA, file: file, line: line)
        XCTAssertEqual(try storage.series([matcher("host", .equal, "new")]), [], file: file, line: line)
        // Batch B was never acknowledged, so its key is free; batch A's is not.
        let retryOfA = try await storage.append([series("cpu", [("host", "a")], [(9_000, 9)])],
                                                idempotencyKey: IdempotencyKey(producer: "p", sequence: 1))
        XCTAssertEqual(retryOfA, .duplicate)
        _ = try await storage.append([series("cpu", [("host", "c")], [(5_000, 7)])],
                                     idempotencyKey: IdempotencyKey(producer: "p", sequence: 2))
        storage.close()

        let again = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        defer { again.close() }
        XCTAssertNil(again.replayReport.tornTail, file: file, line: line)
        XCTAssertEqual(try everything(again).map(\.labels),
                       afterA.map(\.labels) + [Labels(name: "cpu", [("host", "c")])], file: file, line: line)
    }

    func testTornTailAtSeveralOffsets() async throws {
        let probe = try makeDirectory()
        let layout = try await writeTwoSessions(in: probe)
        let lengthOfB = layout.endOfB - layout.endOfA
        XCTAssertGreaterThan(lengthOfB, 2 * WALFormat.frameHeaderBytes)
        for cut in [1, 4, 8, 9, 12, lengthOfB / 2, lengthOfB - 2, lengthOfB - 1] {
            let directory = try makeDirectory()
            let written = try await writeTwoSessions(in: directory)
            XCTAssertEqual(written.endOfB, layout.endOfB)
            try directory.truncate(written.segment, to: written.endOfA + cut)
            try await checkRecovery(in: directory, afterA: written.afterA, segment: written.segment, expect: "at byte offset")
        }
    }

    func testCorruptByteInTheLastRecord() async throws {
        let directory = try makeDirectory()
        let written = try await writeTwoSessions(in: directory)
        try directory.flipByte(in: written.segment, at: written.endOfB - 3)
        try await checkRecovery(in: directory, afterA: written.afterA, segment: written.segment, expect: "CRC mismatch")
    }

    func testZeroFilledTail() async throws {
        let directory = try makeDirectory()
        let written = try await writeTwoSessions(in: directory)
        try directory.truncate(written.segment, to: written.endOfA)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: written.segment))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: 4096))
        try handle.close()
        try await checkRecovery(in: directory, afterA: written.afterA, segment: written.segment, expect: "CRC mismatch")
    }

    func testSegmentRollOverAndReplayAcrossSegments() async throws {
        let directory = try makeDirectory()
        let options = StorageOptions(shards: 2, walSegmentBytes: 512)
        let storage = try Storage.open(directory: directory.path, options: options)
        for round in 0..<60 {
            _ = try await storage.append([
                series("disk", [("device", "sd\(round % 7)")], [(Int64(round) * 1_000, Double(round))]),
                series("round", [("n", "\(round)")], [(Int64(round) * 1_000, 1)]),
            ], idempotencyKey: IdempotencyKey(producer: "roller", sequence: UInt64(round)))
        }
        let before = try everything(storage)
        let walBytes = storage.stats.walBytes
        storage.close()

        let segments = try directory.segments()
        XCTAssertGreaterThan(segments.count, 3)
        XCTAssertEqual(segments.last.map { ($0 as NSString).lastPathComponent }, WALFormat.segmentName(segments.count))
        var total = 0
        for segment in segments {
            let size = try directory.size(of: segment)
            XCTAssertLessThanOrEqual(size, 512)
            total += size
        }
        XCTAssertEqual(walBytes, total)

        let reopened = try Storage.open(directory: directory.path, options: options)
        XCTAssertEqual(try everything(reopened), before)
        XCTAssertEqual(reopened.replayReport.series, 67)
        XCTAssertEqual(reopened.replayReport.samples, 120)
        let retriedAfterReopen = try await reopened.append([series("round", [("n", "0")], [(99_000, 1)])],
                                                 idempotencyKey: IdempotencyKey(producer: "roller", sequence: 0))
        XCTAssertEqual(retriedAfterReopen, .duplicate)
        reopened.close()

        // A crash right after starting a new segment leaves a torn header: cut, reported, reused.
        let torn = directory.walPath + "/" + WALFormat.segmentName(segments.count + 1)
        try Data([0x56, 0x57, 0x41]).write(to: URL(fileURLWithPath: torn))
        let afterTornHeader = try Storage.open(directory: directory.path, options: options)
        XCTAssertTrue(afterTornHeader.replayReport.tornTail?.contains("header is torn") ?? false,
                      afterTornHeader.replayReport.tornTail ?? "no report")
        XCTAssertEqual(try everything(afterTornHeader), before)
        _ = try await afterTornHeader.append([series("round", [("n", "late")], [(1, 1)])])
        afterTornHeader.close()
        XCTAssertEqual(try directory.segments().count, segments.count + 1)
        let last = try Storage.open(directory: directory.path, options: options)
        defer { last.close() }
        XCTAssertNil(last.replayReport.tornTail)
        XCTAssertEqual(try everything(last).count, before.count + 1)
    }

    func testDamageBeforeTheLastSegmentRefusesToOpen() async throws {
        let directory = try makeDirectory()
        let options = StorageOptions(shards: 2, walSegmentBytes: 256)
        let storage = try Storage.open(directory: directory.path, options: options)
        for round in 0..<30 {
            _ = try await storage.append([series("m", [("n", "\(round)")], [(Int64(round), 1)])])
        }
        storage.close()
        let segments = try directory.segments()
        XCTAssertGreaterThan(segments.count, 2)
        let sizeOfFirst = try directory.size(of: segments[0])
        try directory.flipByte(in: segments[0], at: sizeOfFirst - 2)
        let error = await expectStorageError(.corruptWAL) { try Storage.open(directory: directory.path, options: options) }
        XCTAssertTrue(error?.message.contains(segments[0]) ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("not the last segment") ?? false, error?.message ?? "")
        XCTAssertEqual(try directory.size(of: segments[0]), sizeOfFirst, "nothing was cut")

        // A missing segment in the middle is refused too.
        try FileManager.default.removeItem(atPath: segments[1])
        await expectStorageError(.corruptWAL) { try Storage.open(directory: directory.path, options: options) }
    }

    func testForeignFileIsRefused() async throws {
        let directory = try makeDirectory()
        try FileManager.default.createDirectory(atPath: directory.walPath, withIntermediateDirectories: true)
        try Data("not a wal segment at all".utf8).write(to: URL(fileURLWithPath: directory.walPath + "/00000001"))
        let error = await expectStorageError(.corruptWAL) { try Storage.open(directory: directory.path) }
        XCTAssertTrue(error?.message.contains("not a Vigil WAL segment") ?? false)
    }
}
