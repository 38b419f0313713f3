import VigilModel
import XCTest

@testable import VigilStorage

final class ChunkTests: XCTestCase {
    private func roundTrip(_ samples: [Sample], file: StaticString = #filePath, line: UInt = #line) throws {
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: sample.timestamp, value: sample.value) }
        XCTAssertEqual(appender.count, samples.count, file: file, line: line)
        let fromOpen = appender.withIterator { iterator in
            var out: [Sample] = []
            while let sample = iterator.next() { out.append(sample) }
            return out
        }
        XCTAssertEqual(fromOpen, samples, "open chunk", file: file, line: line)
        let bytes = appender.serialized()
        XCTAssertEqual(bytes[0], ChunkFormat.columnarGorilla, file: file, line: line)
        XCTAssertEqual(Int(bytes[1]) << 8 | Int(bytes[2]), samples.count, file: file, line: line)
        XCTAssertEqual(try Chunk.decode(bytes), samples, "serialized chunk", file: file, line: line)
    }

    func testRegularIntervalsAndCounters() throws {
        try roundTrip((0..<120).map { Sample(timestamp: 1_700_000_000_000 + Int64($0) * 10_000, value: Double($0 * 17)) })
    }

    func testSpecialValues() throws {
        let values: [Double] = [
            .nan, Double(nan: 0x1234, signaling: false), -.nan, .infinity, -.infinity, 0, -0.0,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1, 1, .nan, .nan,
            0.1, 0.2, 0.30000000000000004, 1e300, -1e-300, .infinity, .infinity, 42,
        ]
        try roundTrip(values.enumerated().map { Sample(timestamp: Int64($0.offset) * 1000, value: $0.element) })
    }

    func testIrregularIntervalsAndJitter() throws {
        var generator = SeededGenerator(state: 7)
        var timestamp: Int64 = 1_600_000_000_000
        var samples: [Sample] = []
        for _ in 0..<120 {
            timestamp += Int64.random(in: 1...40_000, using: &generator)
            samples.append(Sample(timestamp: timestamp, value: Double.random(in: -1e6...1e6, using: &generator)))
        }
        try roundTrip(samples)
    }

    func testLargeDeltasAndExtremeTimestamps() throws {
        try roundTrip([
            Sample(timestamp: .min, value: 1),
            Sample(timestamp: .min + 1, value: 2),
            Sample(timestamp: -1_000_000_000_000, value: 3),
            Sample(timestamp: 0, value: 4),
            Sample(timestamp: 1 << 40, value: 5),
            Sample(timestamp: (1 << 40) + 1, value: 6),
            Sample(timestamp: (1 << 40) + 1 + (1 << 19), value: 7),
            Sample(timestamp: (1 << 41), value: 8),
            Sample(timestamp: .max - 1, value: 9),
            Sample(timestamp: .max, value: 10),
        ])
    }

    func testDeltaOfDeltaBucketEdges() throws {
        // Delta-of-deltas on each side of the 14, 17 and 20 bit buckets, and beyond.
        let dods: [Int64] = [0, 8191, -8191, 8192, -8192, -8193, 8193, 65535, 65536, -65536, -65537,
                             524_287, 524_288, -524_288, -524_289, 1 << 40, -(1 << 40)]
        var delta: Int64 = 1_000_000
        var timestamp: Int64 = 0
        var samples = [Sample(timestamp: 0, value: 0), Sample(timestamp: delta, value: 1)]
        timestamp = delta
        for (i, dod) in dods.enumerated() {
            delta += dod
            timestamp += delta
            samples.append(Sample(timestamp: timestamp, value: Double(i)))
        }
        try roundTrip(samples)
    }

    func testLongChunksRoundTrip() throws {
        // Block columns put thousands of values in one appender: regions grow by half past a chunk.
        var generator = SeededGenerator(state: 23)
        let samples = (0..<20_000).map { Sample(timestamp: Int64($0) * 15_000, value: Double.random(in: 0..<100, using: &generator)) }
        try roundTrip(samples)
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: sample.timestamp, value: sample.value) }
        XCTAssertLessThan(appender.heapBytes, appender.serialized().count * 3 / 2 + OpenChunkBuffer.overheadBytes + 64)
    }

    /// A series' open chunks in turn, each restarted after the last was cut: a reused buffer,
    /// or one sized anew when the columns' sizes change, encodes exactly what a fresh one does.
    func testRestartedChunksEncodeLikeFreshOnes() throws {
        var generator = SeededGenerator(state: 17)
        var reused = ChunkAppender()
        for round in 0..<60 {
            var fresh = ChunkAppender()
            var timestamp = Int64(round) * 10_000_000
            for _ in 0..<Int.random(in: 1...ChunkAppender.samplesPerChunk, using: &generator) {
                // Sizes swing from round to round: noisy floats, constants, jittered times.
                timestamp += round % 3 == 2 ? Int64.random(in: 1...40_000, using: &generator) : 10_000
                let value = round % 3 == 0 ? Double.random(in: -1e6...1e6, using: &generator) : 42
                fresh.append(timestamp: timestamp, value: value)
                reused.append(timestamp: timestamp, value: value)
            }
            XCTAssertEqual(reused.serialized(), fresh.serialized(), "round \(round)")
            XCTAssertEqual(reused.firstTimestamp, fresh.firstTimestamp)
            XCTAssertEqual(reused.lastSample, fresh.lastSample)
            reused.restart()
            XCTAssertEqual(reused.count, 0)
            XCTAssertEqual(reused.serialized(), [ChunkFormat.columnarGorilla, 0, 0, 0])
        }
    }

    /// A copy of an open chunk (a reader's copy of a series) keeps its samples while the
    /// original goes on appending and is restarted.
    func testCopiesKeepTheirSamplesWhileTheOriginalAppendsAndRestarts() throws {
        let samples = (0..<120).map { Sample(timestamp: Int64($0) * 1_000, value: Double($0) * 1.5 + 0.1) }
        var original = ChunkAppender()
        for sample in samples[..<60] { original.append(timestamp: sample.timestamp, value: sample.value) }
        let copy = original
        let copied = copy.serialized()
        for sample in samples[60...] { original.append(timestamp: sample.timestamp, value: sample.value) }
        let full = original
        original.restart()
        original.append(timestamp: 500_000, value: 7)
        XCTAssertEqual(copy.serialized(), copied)
        XCTAssertEqual(try Chunk.decode(copy.serialized()), Array(samples[..<60]))
        XCTAssertEqual(try Chunk.decode(full.serialized()), samples)
        XCTAssertEqual(try Chunk.decode(original.serialized()), [Sample(timestamp: 500_000, value: 7)])
    }

    /// Once a series' chunks have a steady size, its open chunk holds one allocation a little
    /// larger than its columns.
    func testAFullOpenChunkHoldsLittleMoreThanItsBytes() {
        var generator = SeededGenerator(state: 29)
        var appender = ChunkAppender()
        for chunk in 0..<4 {
            if chunk > 0 { appender.restart() }
            for i in 0..<ChunkAppender.samplesPerChunk {
                appender.append(timestamp: Int64(chunk * 120 + i) * 10_000, value: 1e6 + Double.random(in: 0..<1, using: &generator))
            }
        }
        let columns = appender.serialized().count - ChunkFormat.fixedHeaderBytes - 2
        XCTAssertGreaterThan(columns, 400)
        XCTAssertLessThanOrEqual(appender.heapBytes, OpenChunkBuffer.overheadBytes + columns + columns / 16 + 24)
    }

    func testSingleSample() throws {
        try roundTrip([Sample(timestamp: 123, value: -5.5)])
    }

    func testDamagedChunkIsReported() throws {
        var appender = ChunkAppender()
        for i in 0..<50 { appender.append(timestamp: Int64(i) * 15_000 + Int64(i % 3), value: Double(i) * 1.37) }
        let bytes = appender.serialized()
        XCTAssertThrowsError(try Chunk.decode(Array(bytes.prefix(bytes.count - 10))))
        XCTAssertThrowsError(try Chunk.decode([9] + bytes.dropFirst()))
    }

    func testSeriesCutsChunksOf120Samples() {
        var memSeries = MemSeries(ref: 1)
        let samples = (0..<250).map { Sample(timestamp: Int64($0) * 1000, value: Double($0)) }
        for sample in samples {
            XCTAssertNotEqual(memSeries.append(timestamp: sample.timestamp, value: sample.value, cuttingInto: heapChunks), .duplicate)
        }
        XCTAssertEqual(memSeries.cutChunkCount, 2)
        XCTAssertEqual(memSeries.open.count, 10)
        let chunks = heapChunks.registry
        XCTAssertEqual(memSeries.samples(from: .min, through: .max, in: chunks), samples)
        XCTAssertEqual(memSeries.samples(from: 119_000, through: 121_000, in: chunks), Array(samples[119...121]))
        XCTAssertEqual(memSeries.latest(at: 120_500, notBefore: 0, in: chunks), samples[120])
        XCTAssertEqual(memSeries.latest(at: 119_999, notBefore: 0, in: chunks), samples[119])
        XCTAssertNil(memSeries.latest(at: 119_999, notBefore: 119_500, in: chunks))
        XCTAssertEqual(memSeries.append(timestamp: 249_000, value: 0, cuttingInto: heapChunks), .duplicate)
        XCTAssertEqual(memSeries.append(timestamp: 1, value: 0, cuttingInto: heapChunks), .outOfOrder)
    }
}
