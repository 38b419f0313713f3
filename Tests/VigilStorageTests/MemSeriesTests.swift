import VigilModel
import XCTest

@testable import VigilStorage

/// One head series: its chain of cut chunks, truncation that keeps chunks whole, and reads
/// that skip what truncation removed.
final class MemSeriesTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    func testAStraddlingChunkStaysWholeAndItsRemovedSamplesAreSkipped() throws {
        let files = try HeadChunkFiles(directory: directory.path + "/chunks_head", segmentBytes: 2_048)
        var series = MemSeries(ref: 1)
        let samples = (0..<720).map { Sample(timestamp: Int64($0) * 10_000, value: Double($0) * 0.25) }
        for sample in samples { _ = series.append(timestamp: sample.timestamp, value: sample.value, cuttingInto: files) }
        XCTAssertEqual(series.cutChunkCount, 5)
        XCTAssertEqual(series.inOrderMinTime, 0)
        let newest = series.newestChunk

        // Through sample 299: chunks 0 and 1 go, chunk 2 (samples 240...359) straddles.
        let removed = series.truncate(through: 299 * 10_000, persisted: 300, in: files.registry) {
            XCTFail("every sample was persisted")
            return []
        }
        XCTAssertEqual(removed, 300)
        XCTAssertEqual(series.cutChunkCount, 3)
        XCTAssertEqual(series.newestChunk, newest, "no chunk is rewritten")
        XCTAssertEqual(series.inOrderMinTime, 300 * 10_000)
        XCTAssertEqual(series.oldestTimestamp, 300 * 10_000)
        let chunks = files.registry
        XCTAssertEqual(series.samples(from: .min, through: .max, in: chunks), Array(samples[300...]))
        XCTAssertEqual(series.samples(from: 0, through: 305 * 10_000, in: chunks), Array(samples[300...305]))
        XCTAssertNil(series.latest(at: 299 * 10_000 + 5_000, notBefore: 0, in: chunks), "gone to a block")
        XCTAssertEqual(series.latest(at: 300 * 10_000 + 5_000, notBefore: 0, in: chunks), samples[300])
        XCTAssertEqual(series.chunkCount, 4)

        // A removed sample's timestamp is no duplicate any more: it arrives out of order.
        XCTAssertEqual(series.append(timestamp: 250 * 10_000, value: -1, cuttingInto: files), .outOfOrder)
        XCTAssertEqual(series.append(timestamp: 350 * 10_000, value: -1, cuttingInto: files), .duplicate)
        XCTAssertEqual(series.oldestTimestamp, 250 * 10_000)
        XCTAssertEqual(series.samples(from: .min, through: 301 * 10_000, in: files.registry),
                       [Sample(timestamp: 250 * 10_000, value: -1), samples[300], samples[301]])

        // Through a sample of the open chunk: every cut chunk goes, the open chunk straddles.
        XCTAssertEqual(series.truncate(through: 700 * 10_000, persisted: 402, in: files.registry) { [] }, 402)
        XCTAssertEqual(series.cutChunkCount, 0)
        XCTAssertEqual(series.inOrderMinTime, 701 * 10_000)
        XCTAssertEqual(series.samples(from: .min, through: .max, in: files.registry), Array(samples[701...]))
        XCTAssertEqual(series.append(timestamp: 700 * 10_000, value: 2, cuttingInto: files), .outOfOrder)
        XCTAssertEqual(series.append(timestamp: 720 * 10_000, value: 3, cuttingInto: files), .appendedAfterCut)
        XCTAssertEqual(series.cutChunkCount, 1)
        XCTAssertEqual(series.samples(from: 699 * 10_000, through: .max, in: files.registry),
                       [Sample(timestamp: 700 * 10_000, value: 2)] + samples[701...] + [Sample(timestamp: 720 * 10_000, value: 3)])
    }

    func testRepeatedCutsAndAppendsAgainstAModel() throws {
        var generator = SeededGenerator(state: 31)
        let files = try HeadChunkFiles(directory: directory.path + "/chunks_head", segmentBytes: 2_048)
        for round in 0..<10 {
            var series = MemSeries(ref: 1)
            var model: [Int64: Double] = [:]
            var newest: Int64 = 0
            var cut: Int64 = -1
            for epoch in 0..<8 {
                for _ in 0..<300 {
                    // Mostly in order; some backfill, down to before the last cut.
                    let timestamp = Int.random(in: 0..<10, using: &generator) == 0
                        ? Int64.random(in: max(0, cut - 20)...(newest + 1), using: &generator) * 1_000
                        : (newest + Int64.random(in: 1...3, using: &generator)) * 1_000
                    newest = max(newest, timestamp / 1_000)
                    let value = Double(Int.random(in: 0..<1_000, using: &generator))
                    let isNew = model[timestamp] == nil
                    if isNew { model[timestamp] = value }
                    let disposition = series.append(timestamp: timestamp, value: value, cuttingInto: files)
                    XCTAssertEqual(disposition == .duplicate, !isNew, "round \(round) epoch \(epoch) t \(timestamp)")
                }
                let expected = model.sorted { $0.key < $1.key }.map { Sample(timestamp: $0.key, value: $0.value) }
                let chunks = files.registry
                XCTAssertEqual(series.samples(from: .min, through: .max, in: chunks), expected, "round \(round) epoch \(epoch)")
                for _ in 0..<10 {
                    let at = Int64.random(in: 0...(newest + 5), using: &generator) * 1_000
                    let want = expected.last { $0.timestamp <= at && $0.timestamp >= at - 30_000 }
                    XCTAssertEqual(series.latest(at: at, notBefore: at - 30_000, in: chunks), want, "round \(round) at \(at)")
                    let from = Int64.random(in: 0...newest, using: &generator) * 1_000
                    XCTAssertEqual(series.samples(from: from, through: from + 100_000, in: chunks),
                                   expected.filter { $0.timestamp >= from && $0.timestamp <= from + 100_000 })
                }
                XCTAssertEqual(series.oldestTimestamp, expected.first?.timestamp ?? .max)
                // A block takes everything up to a time within the head.
                cut = Int64.random(in: max(cut, 0)...newest, using: &generator)
                let persisted = expected.filter { $0.timestamp <= cut * 1_000 }
                let removed = series.truncate(through: cut * 1_000, persisted: persisted.count, in: files.registry) {
                    persisted.map(\.timestamp)
                }
                XCTAssertEqual(removed, persisted.count)
                model = model.filter { $0.key > cut * 1_000 }
                XCTAssertEqual(series.samples(from: .min, through: .max, in: files.registry),
                               expected.filter { $0.timestamp > cut * 1_000 }, "round \(round) after cut \(cut)")
            }
        }
    }
}
