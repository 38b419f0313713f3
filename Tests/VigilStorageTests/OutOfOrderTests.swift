import Foundation
import VigilModel
import XCTest

@testable import VigilStorage

/// Backfill and disorder: samples older than what a series holds are stored, duplicates
/// once, checked against a plain dictionary model under random appends, cuts, flushes,
/// compactions and reopens.
final class OutOfOrderTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private let hour: Int64 = 3_600_000

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    /// Per series, per timestamp, the first value stored.
    private struct Model {
        var series: [Labels: [Int64: Double]] = [:]

        /// Returns whether the sample is new (not a duplicate).
        mutating func store(_ labels: Labels, _ sample: Sample) -> Bool {
            if series[labels]?[sample.timestamp] != nil { return false }
            series[labels, default: [:]][sample.timestamp] = sample.value
            return true
        }

        func select(from: Int64 = .min, through: Int64 = .max) -> [SeriesSamples] {
            series.compactMap { labels, samples -> SeriesSamples? in
                let kept = samples.filter { $0.key >= from && $0.key <= through }
                    .map { Sample(timestamp: $0.key, value: $0.value) }.sorted { $0.timestamp < $1.timestamp }
                return kept.isEmpty ? nil : SeriesSamples(labels: labels, samples: kept)
            }.sorted { Labels.precedes($0.labels, $1.labels) }
        }

        var count: Int { series.values.reduce(0) { $0 + $1.count } }
    }

    func testMemSeriesAgainstModel() throws {
        var generator = SeededGenerator(state: 7)
        // Small files, so the series' chains of cut chunks span several.
        let files = try HeadChunkFiles(directory: directory.path + "/chunks_head", segmentBytes: 2_048)
        for round in 0..<30 {
            var memSeries = MemSeries(ref: 1)
            var model = Model()
            let labels = Labels(name: "m")
            for _ in 0..<400 {
                let timestamp = Int64.random(in: 0..<600, using: &generator) * 1_000
                let sample = Sample(timestamp: timestamp, value: Double(Int.random(in: 0..<1_000, using: &generator)))
                let isNew = model.store(labels, sample)
                let disposition = memSeries.append(timestamp: sample.timestamp, value: sample.value, cuttingInto: files)
                XCTAssertEqual(disposition == .duplicate, !isNew, "round \(round) t \(timestamp)")
            }
            let expected = model.select().first?.samples ?? []
            XCTAssertEqual(memSeries.samples(from: .min, through: .max, in: files.registry), expected, "round \(round)")
            for _ in 0..<20 {
                let at = Int64.random(in: -1_000..<700_000, using: &generator)
                let lookback = Int64.random(in: 0..<60_000, using: &generator)
                let want = expected.last { $0.timestamp <= at && $0.timestamp >= at - lookback }
                XCTAssertEqual(memSeries.latest(at: at, notBefore: at - lookback, in: files.registry), want, "round \(round) at \(at)")
                let from = Int64.random(in: 0..<600_000, using: &generator)
                XCTAssertEqual(memSeries.samples(from: from, through: from + 50_000, in: files.registry),
                               expected.filter { $0.timestamp >= from && $0.timestamp <= from + 50_000 })
            }
            // Truncation keeps exactly the samples after the cut, whatever their order of arrival.
            let cut = Int64.random(in: 0..<600, using: &generator) * 1_000
            let persisted = expected.filter { $0.timestamp <= cut }
            _ = memSeries.truncate(through: cut, persisted: persisted.count, in: files.registry) { persisted.map(\.timestamp) }
            XCTAssertEqual(memSeries.samples(from: .min, through: .max, in: files.registry), expected.filter { $0.timestamp > cut })
        }
    }

    func testSamplesArrivingDuringACutStayForTheNextOne() {
        var memSeries = MemSeries(ref: 1)
        for t in 0..<10 { _ = memSeries.append(timestamp: Int64(t) * 1_000, value: 1, cuttingInto: heapChunks) }
        let cutSnapshot = memSeries
        // While the block is written: one late sample before the cut, one in-order after it.
        XCTAssertEqual(memSeries.append(timestamp: 5_500, value: 2, cuttingInto: heapChunks), .outOfOrder)
        XCTAssertEqual(memSeries.append(timestamp: 20_000, value: 3, cuttingInto: heapChunks), .appended)
        let persisted = cutSnapshot.samples(from: .min, through: 9_000, in: heapChunks.registry)
        let removed = memSeries.truncate(through: 9_000, persisted: persisted.count, in: heapChunks.registry) {
            persisted.map(\.timestamp)
        }
        XCTAssertEqual(removed, 10)
        XCTAssertEqual(memSeries.samples(from: .min, through: .max, in: heapChunks.registry),
                       [Sample(timestamp: 5_500, value: 2), Sample(timestamp: 20_000, value: 3)])
        XCTAssertEqual(memSeries.append(timestamp: 5_500, value: 9, cuttingInto: heapChunks), .duplicate)
        XCTAssertEqual(memSeries.oldestTimestamp, 5_500)
    }

    func testRandomBackfillAndDisorderAgainstModel() async throws {
        var generator = SeededGenerator(state: 2024)
        let options = manualOptions(shards: 3, blockRange: hour)
        var storage = try Storage.open(directory: directory.path, options: options)
        var model = Model()
        let pool = (0..<6).map { Labels(name: "metric_\($0 % 3)", [("host", "h\($0)")]) }
        var frontier: Int64 = 0
        var given = 0
        var stored = 0
        var duplicates = 0
        for step in 0..<250 {
            let roll = Int.random(in: 0..<100, using: &generator)
            switch roll {
            case 0..<6:
                try await storage.flush()
            case 6..<10:
                try await storage.compact()
            case 10..<13:
                storage.close()
                storage = try Storage.open(directory: directory.path, options: options)
            case 13..<17:
                try storage.persistHead(through: Int64.random(in: 0...frontier, using: &generator))
            default:
                var batch: [SeriesSamples] = []
                for labels in pool.shuffled(using: &generator).prefix(Int.random(in: 1...4, using: &generator)) {
                    var samples: [Sample] = []
                    for _ in 0..<Int.random(in: 1...20, using: &generator) {
                        let timestamp: Int64
                        switch Int.random(in: 0..<10, using: &generator) {
                        case 0..<5:
                            frontier += Int64.random(in: 1...30, using: &generator) * 1_000
                            timestamp = frontier
                        case 5..<8: timestamp = Int64.random(in: 0...max(frontier, 1), using: &generator) / 1_000 * 1_000
                        default: timestamp = (model.series[labels]?.keys.randomElement(using: &generator)) ?? frontier
                        }
                        samples.append(Sample(timestamp: timestamp, value: Double(Int.random(in: 0..<100, using: &generator))))
                    }
                    batch.append(SeriesSamples(labels: labels, samples: samples))
                }
                let headBefore = try everythingInHead(storage)
                let outcome = summary(of: try await storage.append(batch))
                var newInHead = 0
                var batchModel = Model()
                for one in batch {
                    for sample in one.samples {
                        given += 1
                        if model.store(one.labels, sample) { stored += 1 }
                        let inHead = headBefore[one.labels]?.contains(sample.timestamp) ?? false
                        if !inHead, batchModel.store(one.labels, sample) { newInHead += 1 }
                    }
                }
                XCTAssertEqual(outcome.samples, newInHead, "step \(step): the head drops what it already holds")
                XCTAssertEqual(outcome.samples + outcome.duplicateSamples, batch.reduce(0) { $0 + $1.samples.count })
                duplicates += outcome.duplicateSamples
            }
            if step % 10 == 0 || roll < 17 {
                XCTAssertEqual(try everything(storage), model.select(), "step \(step) after roll \(roll)")
            }
        }
        let from = frontier / 3
        XCTAssertEqual(try storage.select([matcher("host", .regex, "h.*")], from: from, through: from + hour),
                       model.select(from: from, through: from + hour))
        try await storage.flush()
        try storage.persistHead(through: Int64.max)
        storage.maintenanceState.withLock { $0.cutBoundary = Int64.max }
        try await storage.compact()
        XCTAssertEqual(try everything(storage), model.select())
        let stats = storage.stats
        XCTAssertEqual(stats.samples, 0)
        XCTAssertEqual(stats.blockSamples, model.count, "after compaction every sample is stored once")
        XCTAssertGreaterThan(given - stored, 100, "the run had duplicates")
        XCTAssertGreaterThan(duplicates, 50)
        storage.close()
    }

    /// Timestamps of every head series, by labels.
    private func everythingInHead(_ storage: Storage) throws -> [Labels: Set<Int64>] {
        var result: [Labels: Set<Int64>] = [:]
        for copy in storage.headSeries(matching: [matcher("__name__", .regex, ".+")]) {
            result[copy.labels] = Set(copy.series.samples(from: .min, through: .max, in: copy.chunks).map(\.timestamp))
        }
        return result
    }

    func testSpoolReplayAfterAnOutageFillsTheGap() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(blockRange: hour))
        defer { storage.close() }
        let labels = [("host", "a")]
        // Live samples before and after a 3 h outage; then the agent's spool arrives.
        _ = try await storage.append([series("up", labels, (0..<60).map { (Int64($0) * 60_000, 1) })])
        _ = try await storage.append([series("up", labels, (240..<300).map { (Int64($0) * 60_000, 1) })])
        try await storage.compact()
        XCTAssertEqual(storage.stats.blocks, 1, "the first hour was cut")
        let spool = summary(of: try await storage.append([series("up", labels, (60..<240).map { (Int64($0) * 60_000, 2) })]))
        XCTAssertEqual(spool.samples, 180)
        XCTAssertEqual(spool.outOfOrderSamples, 180)
        let replayAgain = summary(of: try await storage.append([series("up", labels, (60..<240).map { (Int64($0) * 60_000, 3) })]))
        XCTAssertEqual(replayAgain.duplicateSamples, 180, "a second replay of the spool is dropped")
        let all = try everything(storage)
        XCTAssertEqual(all.first?.samples.map(\.timestamp), (0..<300).map { Int64($0) * 60_000 })
        XCTAssertEqual(all.first?.samples[100].value, 2)
        try await storage.flush()
        try await storage.compact()
        XCTAssertEqual(try everything(storage), all)
        XCTAssertEqual(storage.stats.blockSamples, 300)
    }
}
