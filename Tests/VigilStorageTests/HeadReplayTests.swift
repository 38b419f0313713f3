import VigilModel
import XCTest

@testable import VigilStorage

/// `HeadReplay` on hand-made records: a series ref defined again after its first sample placed
/// it is checked against the labels its shard keeps.
final class HeadReplayTests: XCTestCase {
    private let labels = Labels(name: "node_load1", [("host", "a")])

    private func seriesRecord(_ ref: UInt64, _ labels: Labels) -> [UInt8] {
        var record: [UInt8] = []
        WALSeriesRecord.appendEntry(ref: ref, labels: labels, to: &record)
        return record
    }

    private func samplesRecord(_ ref: UInt64, at time: Int64) -> [UInt8] {
        var record: [UInt8] = []
        var writer = WALSamplesWriter(key: nil, baseTimestamp: time, into: &record)
        writer.appendEntry(ref: ref, count: 1, into: &record)
        writer.appendSample(timestamp: time, value: 1, into: &record)
        return record
    }

    private func apply(_ replay: inout HeadReplay, _ type: WALRecordType, _ record: [UInt8]) throws(StorageError) {
        var caught: StorageError?
        record.withUnsafeBytes { payload in
            do throws(StorageError) {
                try replay.apply(type, payload, path: "test", offset: 0)
            } catch {
                caught = error
            }
        }
        if let caught { throw caught }
    }

    func testRedefinitionOfAPlacedRefIsCheckedAgainstTheShardsLabels() throws {
        let shards = [Shard(chunkFiles: heapChunks), Shard(chunkFiles: heapChunks)]
        var replay = HeadReplay(shards: shards)
        try apply(&replay, .series, seriesRecord(7, labels))
        try apply(&replay, .samples, samplesRecord(7, at: 1_000))
        XCTAssertEqual(replay.seriesCount, 1)
        // A checkpoint's repetition: same ref, same labels.
        try apply(&replay, .series, seriesRecord(7, labels))
        try apply(&replay, .samples, samplesRecord(7, at: 2_000))
        XCTAssertEqual(replay.samples, 2)
        XCTAssertEqual(replay.seriesCount, 1)

        XCTAssertThrowsError(try apply(&replay, .series, seriesRecord(7, labels.setting("host", to: "b")))) { error in
            XCTAssertEqual((error as? StorageError)?.kind, .corruptWAL)
        }
    }
}
