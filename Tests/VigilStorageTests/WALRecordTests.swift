import VigilModel
import XCTest

@testable import VigilStorage

final class WALRecordTests: XCTestCase {
    func testSamplesRecordRoundTrip() {
        let entries: [(ref: UInt64, samples: [Sample])] = [
            (1, [Sample(timestamp: 1_700_000_000_000, value: 1)]),
            (300, [Sample(timestamp: 1_699_999_999_000, value: .nan), Sample(timestamp: 1_700_000_000_000, value: .infinity),
                   Sample(timestamp: 1_700_000_010_000, value: -.infinity), Sample(timestamp: 1_700_000_010_001, value: 0.1),
                   Sample(timestamp: 1_700_000_010_002, value: 0.1), Sample(timestamp: 1_700_000_010_003, value: -0.0)]),
            (UInt64.max, [Sample(timestamp: .min, value: 2), Sample(timestamp: .max, value: 3)]),
        ]
        let key = IdempotencyKey(producer: "agent-ü-1", sequence: 1 << 60)
        var buffer: [UInt8] = []
        var writer = WALSamplesWriter(key: key, baseTimestamp: 1_700_000_000_000, into: &buffer)
        for entry in entries {
            writer.appendEntry(ref: entry.ref, count: entry.samples.count, into: &buffer)
            for sample in entry.samples {
                writer.appendSample(timestamp: sample.timestamp, value: sample.value, into: &buffer)
            }
        }
        buffer.withUnsafeBytes { raw in
            var reader = WALSamplesReader(raw)
            XCTAssertEqual(reader.key, key)
            var decoded: [(ref: UInt64, samples: [Sample])] = []
            while let entry = reader.nextEntry() {
                var samples: [Sample] = []
                for _ in 0..<entry.count { samples.append(reader.nextSample()!) }
                decoded.append((entry.ref, samples))
            }
            XCTAssertNil(reader.malformed)
            XCTAssertEqual(decoded.map(\.ref), entries.map(\.ref))
            XCTAssertEqual(decoded.map(\.samples), entries.map(\.samples))
        }
    }

    func testCompactEncodingOfOneSamplePerSeries() {
        // The common ingest shape: many series, one sample each at the batch's timestamp.
        var buffer: [UInt8] = []
        var writer = WALSamplesWriter(key: nil, baseTimestamp: 1_700_000_000_000, into: &buffer)
        let header = buffer.count
        writer.appendEntry(ref: 100_000, count: 1, into: &buffer)
        writer.appendSample(timestamp: 1_700_000_000_000, value: 1234, into: &buffer)
        // ref (3) + count (1) + timestamp delta (1) + control byte and 0x40 0x93 0x48 (4).
        XCTAssertEqual(buffer.count - header, 9)
    }

    func testTruncatedSamplesPayloadIsMalformed() {
        var buffer: [UInt8] = []
        var writer = WALSamplesWriter(key: nil, baseTimestamp: 0, into: &buffer)
        writer.appendEntry(ref: 1, count: 2, into: &buffer)
        writer.appendSample(timestamp: 5, value: 0.5, into: &buffer)
        writer.appendSample(timestamp: 6, value: 0.7, into: &buffer)
        buffer.removeLast(3)
        buffer.withUnsafeBytes { raw in
            var reader = WALSamplesReader(raw)
            let entry = reader.nextEntry()
            XCTAssertEqual(entry?.count, 2)
            XCTAssertNotNil(reader.nextSample())
            XCTAssertNil(reader.nextSample())
            XCTAssertNotNil(reader.malformed)
        }
    }

    func testSeriesRecordRoundTripAndFrameCRC() throws {
        let labels = Labels(name: "node_cpu_seconds_total", [("cpu", "0"), ("host", "a-very-long-host-name.example.com"), ("mode", "idle")])
        var buffer: [UInt8] = []
        let start = buffer.beginWALFrame()
        WALSeriesRecord.appendEntry(ref: 7, labels: labels, to: &buffer)
        WALSeriesRecord.appendEntry(ref: 8, labels: Labels(name: "up"), to: &buffer)
        buffer.finishWALFrame(at: start, type: .series)

        var decoded: [(UInt64, Labels)] = []
        let problem = try buffer.withUnsafeBytes { raw throws(StorageError) in
            let payload = UnsafeRawBufferPointer(rebasing: raw[WALFormat.frameHeaderBytes...])
            let crc = WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[4...]))
            XCTAssertEqual(UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24, crc)
            XCTAssertEqual(Int(raw[4]) | Int(raw[5]) << 8, payload.count)
            XCTAssertEqual(raw[8], WALRecordType.series.rawValue)
            return try WALSeriesRecord.decode(payload) { ref, labels in decoded.append((ref, labels)) }
        }
        XCTAssertNil(problem)
        XCTAssertEqual(decoded.map(\.0), [7, 8])
        XCTAssertEqual(decoded.map(\.1), [labels, Labels(name: "up")])
    }

    func testSegmentNames() {
        XCTAssertEqual(WALFormat.segmentName(1), "00000001")
        XCTAssertEqual(WALFormat.segmentName(12_345_678), "12345678")
        XCTAssertEqual(WALFormat.segmentIndex("00000042"), 42)
        XCTAssertNil(WALFormat.segmentIndex("0000042"))
        XCTAssertNil(WALFormat.segmentIndex("checkpoint"))
    }
}
