import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// One block written with `BlockWriter` and read back with `Block`: contents, postings,
/// and what the reader does with damaged files.
final class BlockTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.blocksPath, withIntermediateDirectories: true)
    }

    override func tearDown() {
        directory.remove()
    }

    /// Series sorted as a block stores them, with 5,000 samples each (two chunks).
    private func content() -> [SeriesSamples] {
        var all: [SeriesSamples] = []
        for host in ["a", "b", "ü-host"] {
            for mode in ["idle", "user", "system"] {
                let samples = (0..<5_000).map { Sample(timestamp: 1_000 + Int64($0) * 10_000, value: Double($0) * 0.01) }
                all.append(SeriesSamples(labels: Labels(name: "cpu", [("host", host), ("mode", mode)]), samples: samples))
            }
            all.append(SeriesSamples(labels: Labels(name: "load", [("host", host)]), samples: [Sample(timestamp: 2_000, value: 1)]))
        }
        return all.sorted { Labels.precedes($0.labels, $1.labels) }
    }

    private func writeBlock(_ all: [SeriesSamples], id: UInt64 = 7) throws -> Block {
        var writer = try BlockWriter(blocksDirectory: directory.blocksPath, id: id, rangeStart: 0, rangeEnd: 100_000_000,
                                     level: 1, parents: [], sync: false)
        for one in all { try writer.add(one.labels, samples: one.samples[...]) }
        return try writer.finish()
    }

    func testRoundTripAndPostings() throws {
        let all = content()
        let block = try writeBlock(all)
        XCTAssertEqual(block.meta, BlockMeta(id: 7, rangeStart: 0, rangeEnd: 100_000_000, minTime: 1_000,
                                             maxTime: 1_000 + 4_999 * 10_000, series: 12, samples: 9 * 5_000 + 3,
                                             chunks: 9 * 2 + 3, level: 1, parents: []))
        XCTAssertEqual(try directory.blockDirectories(), ["000000000007"])
        let reopened = try Block(path: directory.blocksPath + "/000000000007")
        for (id, expected) in all.enumerated() {
            XCTAssertEqual(reopened.labels(of: UInt32(id)), expected.labels)
            var samples: [Sample] = []
            try reopened.samples(UInt32(id), from: .min, through: .max, into: &samples)
            XCTAssertEqual(samples, expected.samples)
            XCTAssertEqual(reopened.index.seriesHash(UInt32(id)), SeriesHash.of(expected.labels))
        }
        XCTAssertEqual(reopened.labelNames, ["__name__", "host", "mode"])
        XCTAssertEqual(reopened.labelValues("host"), ["a", "b", "ü-host"])
        XCTAssertEqual(reopened.labelValues("nothing"), [])
        let cases: [[LabelMatcher]] = [
            [matcher("__name__", .equal, "cpu")],
            [matcher("host", .equal, "ü-host"), matcher("mode", .notEqual, "idle")],
            [matcher("host", .regex, "a|b"), matcher("mode", .equal, "")],
            [matcher("__name__", .equal, "absent")],
            [matcher("host", .equal, "idle")],
            [matcher("__name__", .equal, "load"), matcher("host", .equal, "b")],
        ]
        for matchers in cases {
            let expected = all.enumerated().filter { matchers.matches($0.element.labels) }.map { UInt32($0.offset) }
            XCTAssertEqual(reopened.matching(matchers), expected, "\(matchers)")
        }
        var window: [Sample] = []
        try reopened.samples(0, from: 40_951_000, through: 40_971_000, into: &window)
        XCTAssertEqual(window.map(\.timestamp), [40_951_000, 40_961_000, 40_971_000], "across the chunk boundary")
        XCTAssertEqual(try reopened.latest(0, at: 40_965_000, notBefore: 0)?.timestamp, 40_961_000)
        XCTAssertNil(try reopened.latest(0, at: 40_965_000, notBefore: 40_962_000))
        XCTAssertEqual(block.groups(by: "host")["a"]?.hashes.count, 4)
        XCTAssertEqual(block.groups(by: "host")["a"]?.lastTimestamp, 1_000 + 4_999 * 10_000)
    }

    func testDamagedIndexMetaOrChunksAreRefusedWithTheirPlace() throws {
        let block = try writeBlock(content())
        let path = block.path
        let index = path + "/" + BlockFormat.indexFile
        let indexSize = try directory.size(of: index)
        for offset in [2, 4, 100, indexSize / 2, indexSize - 30, indexSize - 2] {
            try directory.flipByte(in: index, at: offset)
            XCTAssertThrowsError(try Block(path: path), "flip at \(offset)") { error in
                XCTAssertEqual((error as? StorageError)?.kind, .corruptBlock)
                XCTAssertTrue("\(error)".contains(index), "\(error)")
            }
            try directory.flipByte(in: index, at: offset)
        }
        XCTAssertNoThrow(try Block(path: path), "flipping back restores the block")

        let meta = path + "/" + BlockFormat.metaFile
        try directory.truncate(meta, to: try directory.size(of: meta) - 1)
        XCTAssertThrowsError(try Block(path: path)) { error in
            XCTAssertTrue("\(error)".contains("block meta \(meta)"), "\(error)")
        }

        let chunks = path + "/" + BlockFormat.chunksFile
        let first = try XCTUnwrap(block.index.chunks(of: 0).first)
        try directory.flipByte(in: chunks, at: first.values.lowerBound + 2)
        var samples: [Sample] = []
        XCTAssertThrowsError(try block.samples(0, from: .min, through: .max, into: &samples)) { error in
            XCTAssertEqual((error as? StorageError)?.kind, .corruptBlock)
            XCTAssertTrue("\(error)".contains("CRC mismatch"), "\(error)")
            XCTAssertTrue("\(error)".contains("byte offset \(first.values.lowerBound)"), "\(error)")
        }
        // Every cpu series shares one timestamp column: damage there shows in all of them.
        try directory.flipByte(in: chunks, at: first.timestamps.lowerBound + 1)
        for id in 0..<9 {
            XCTAssertEqual(block.index.chunks(of: UInt32(id)).first?.timestamps, first.timestamps)
            XCTAssertThrowsError(try block.samples(UInt32(id), from: .min, through: .max, into: &samples))
        }
    }

    func testMetaRoundTripAndVersionCheck() throws {
        let meta = BlockMeta(id: 42, rangeStart: -7_200_000, rangeEnd: 0, minTime: -7_000_000, maxTime: -1,
                             series: 3, samples: 9, chunks: 3, level: 2, parents: [40, 41])
        let bytes = meta.encoded()
        XCTAssertEqual(try BlockMeta.decode(bytes, path: "m"), meta)
        var newer = bytes
        newer[4] = 2
        XCTAssertThrowsError(try BlockMeta.decode(newer, path: "m")) { error in
            XCTAssertTrue("\(error)".contains("version 2"), "\(error)")
        }
    }

    func testColumnsRoundTripEveryKind() {
        func samples(_ timestamps: [Int64], _ values: [Double]) -> ArraySlice<Sample> {
            zip(timestamps, values).map { Sample(timestamp: $0, value: $1) }[...]
        }
        var generator = SeededGenerator(state: 11)
        let regular = (0..<500).map { 1_700_000_000_000 + Int64($0) * 10_000 }
        let jittered = regular.map { $0 + Int64.random(in: 0...2, using: &generator) }
        let cpuSeconds: [Double] = (0..<500).map { (n: Int) -> Double in Double(100_000 + n * 937 + n % 7) / 100 }
        let bytes: [Double] = (0..<500).map { (n: Int) -> Double in Double(4_096 * (1_000_000 + n * n)) }
        let ratios: [Double] = (0..<500).map { (n: Int) -> Double in sin(Double(n)) }
        let cases: [(String, ArraySlice<Sample>, UInt8, UInt8)] = [
            ("constant", samples(regular, Array(repeating: 42.5, count: 500)), 1, 1),
            ("counter of cpu seconds", samples(jittered, cpuSeconds), 3, 4),
            ("bytes", samples(regular, bytes), 1, 4),
            ("ratios", samples(regular, ratios), 1, 2),
            ("specials", samples(Array(regular.prefix(5)), [.nan, -0.0, .infinity, 1e300, 0.1]), 1, 2),
            ("one sample", samples([-5], [3.25]), 2, 1),
            ("two", samples([-5, 7], [1, 2]), 1, 3),
            ("wide timestamps", samples([Int64.min, 0, Int64.max], [1, 2, 3]), 2, 3),
        ]
        for (name, input, timestampKind, valueKind) in cases {
            let timestampColumn = BlockColumns.encodeTimestamps(input)
            let valueColumn = BlockColumns.encodeValues(input)
            XCTAssertEqual(timestampColumn.first, timestampKind, name)
            XCTAssertEqual(valueColumn.first, valueKind, name)
            let timestamps = timestampColumn.withUnsafeBytes { BlockColumns.decodeTimestamps($0) }
            var values: [Double]? = []
            if valueColumn.withUnsafeBytes({ BlockColumns.decodeValues($0) { values?.append($0) } }) == nil { values = nil }
            XCTAssertEqual(timestamps.map(Array.init), input.map(\.timestamp), name)
            XCTAssertEqual(values?.map(\.bitPattern), input.map(\.value.bitPattern), name)
            let half = (input.count + 1) / 2
            var prefix: [Double] = []
            let passed = valueColumn.withUnsafeBytes { BlockColumns.decodeValues($0, limit: half) { prefix.append($0) } }
            XCTAssertEqual(passed, half, "\(name): a limited read stops at the limit")
            XCTAssertEqual(prefix.map(\.bitPattern), input.prefix(half).map(\.value.bitPattern), name)
            if let timestamps, let first = input.first?.timestamp, let last = input.last?.timestamp {
                XCTAssertEqual(timestamps.positions(from: first, through: last), 0..<input.count, name)
                if last < .max { XCTAssertEqual(timestamps.positions(from: last + 1, through: .max).count, 0, name) }
                let middle = input[input.startIndex + input.count / 2].timestamp
                XCTAssertEqual(timestamps.positions(from: middle, through: middle), (input.count / 2)..<(input.count / 2 + 1), name)
            }
            for cut in [1, timestampColumn.count / 2, timestampColumn.count - 1] where cut > 0 && cut < timestampColumn.count {
                XCTAssertNil(Array(timestampColumn.prefix(cut)).withUnsafeBytes { BlockColumns.decodeTimestamps($0) }, "\(name) cut \(cut)")
            }
            for cut in [1, valueColumn.count / 2, valueColumn.count - 1] where cut > 0 && cut < valueColumn.count {
                XCTAssertNil(Array(valueColumn.prefix(cut)).withUnsafeBytes { BlockColumns.decodeValues($0) { _ in } }, "\(name) cut \(cut)")
            }
        }
        let jitteredColumn = BlockColumns.encodeTimestamps(samples(jittered, Array(repeating: 0, count: 500)))
        XCTAssertEqual(jitteredColumn.first, BlockColumns.TimestampKind.deltaOfDeltaDeflated.rawValue)
        XCTAssertLessThan(jitteredColumn.count, 250, "jitter of a few ms costs well under a byte a sample")
    }
}
