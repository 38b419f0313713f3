import VigilModel
import XCTest

@testable import VigilStorage

final class StorageAppendTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    func testAppendCloseReopenRestoresEverything() async throws {
        let storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 3))
        XCTAssertEqual(storage.replayReport.records, 0)
        let names = (0..<50).map { "host-\($0)" }
        let first = names.map { series("node_load1", [("host", $0)], [(1_000, 0.5)]) }
        let firstSummary = summary(of: try await storage.append(first))
        XCTAssertEqual(firstSummary,
                       AppendSummary(samples: 50, newSeries: 50, duplicateSamples: 0, outOfOrderSamples: 0))
        // 130 more samples a series: every series cuts a chunk.
        let second = names.enumerated().map { index, host in
            series("node_load1", [("host", host)], (1...130).map { (1_000 + Int64($0) * 10_000, Double(index) + Double($0) / 7) })
        }
        let secondSamples = summary(of: try await storage.append(second)).samples
        XCTAssertEqual(secondSamples, 50 * 130)
        let before = try everything(storage)
        XCTAssertEqual(before.count, 50)
        XCTAssertEqual(before.map(\.samples.count), Array(repeating: 131, count: 50))
        let stats = storage.stats
        XCTAssertEqual(stats.series, 50)
        XCTAssertEqual(stats.samples, 50 * 131)
        XCTAssertEqual(stats.chunks, 100)
        storage.close()

        // A different shard count must not matter: series refs in the WAL do not depend on it.
        let reopened = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), before)
        let report = reopened.replayReport
        XCTAssertNil(report.tornTail)
        XCTAssertEqual(report.series, 50)
        XCTAssertEqual(report.samples, 50 * 131)
        XCTAssertEqual(report.records, 3, "series + samples for the first batch, samples for the second")
        XCTAssertEqual(reopened.stats.walBytes, try directory.size(of: try directory.segments()[0]))
    }

    func testDuplicatesAreDroppedAndOutOfOrderSamplesStored() async throws {
        let storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2))
        _ = try await storage.append([series("m", [], [(100, 1), (200, 2)])])
        let outcome = try await storage.append([
            series("m", [], [(50, 9), (200, 9), (300, 3), (300, 9), (250, 5), (400, 4), (50, 7)]),
        ])
        XCTAssertEqual(summary(of: outcome),
                       AppendSummary(samples: 4, newSeries: 0, duplicateSamples: 3, outOfOrderSamples: 2))
        let expected = [(50, 9), (100, 1), (200, 2), (250, 5), (300, 3), (400, 4)].map { Sample(timestamp: Int64($0.0), value: Double($0.1)) }
        XCTAssertEqual(try everything(storage).first?.samples, expected)
        storage.close()
        let reopened = try Storage.open(directory: directory.path)
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened).first?.samples, expected)
        XCTAssertEqual(reopened.replayReport.samples, 6, "the WAL holds the accepted samples only")
    }

    func testMaxSeriesRejectsTheWholeBatch() async throws {
        let storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 2, maxSeries: 3))
        defer { storage.close() }
        _ = try await storage.append([series("m", [("s", "a")], [(1, 1)]), series("m", [("s", "b")], [(1, 1)])])
        let error = await expectStorageError(.seriesLimit) {
            try await storage.append([
                series("m", [("s", "a")], [(2, 2)]), series("m", [("s", "c")], [(2, 2)]), series("m", [("s", "d")], [(2, 2)]),
            ])
        }
        XCTAssertTrue(error?.message.contains("maxSeries") ?? false)
        XCTAssertTrue(error?.message.contains("nothing from this batch was appended") ?? false)
        XCTAssertEqual(try everything(storage).map(\.samples.count), [1, 1], "the existing series got nothing either")

        // The same new series twice in one batch is one new series.
        let outcome = try await storage.append([
            series("m", [("s", "c")], [(2, 2)]), series("m", [("s", "c")], [(3, 3)]), series("m", [("s", "a")], [(2, 2)]),
        ])
        XCTAssertEqual(summary(of: outcome).newSeries, 1)
        XCTAssertEqual(storage.stats.series, 3)
        await expectStorageError(.seriesLimit) { try await storage.append([series("m", [("s", "e")], [(4, 4)])]) }
        let existingSeriesSamples = summary(of: try await storage.append([series("m", [("s", "b")], [(4, 4)])])).samples
        XCTAssertEqual(existingSeriesSamples, 1)
    }

    func testLabelLimitsRejectTheWholeBatchWithTheirReason() async throws {
        let options = StorageOptions(shards: 2, fsync: false, maxLabelNameBytes: 16, maxLabelValueBytes: 32, maxLabelsPerSeries: 4)
        let storage = try Storage.open(directory: directory.path, options: options)
        defer { storage.close() }
        let fine = series("m", [("host", "a")], [(1, 1)])
        let cases: [(SeriesSamples, String, String)] = [
            (series("m", [("a_very_long_label_name", "x")], [(1, 1)]), "label name \"a_very_long_label_name", "maxLabelNameBytes"),
            (series("m", [("host", String(repeating: "é", count: 17))], [(1, 1)]), "34 bytes, more than 32", "maxLabelValueBytes"),
            (series("m", [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")], [(1, 1)]), "5 labels, more than 4", "maxLabelsPerSeries"),
        ]
        for (bad, reason, option) in cases {
            let error = await expectStorageError(.labelLimit) { try await storage.append([fine, bad]) }
            let message = error?.message ?? ""
            XCTAssertTrue(message.contains("series 1 of the batch"), message)
            XCTAssertTrue(message.contains(reason), message)
            XCTAssertTrue(message.contains(option), message)
            XCTAssertTrue(message.contains("nothing from this batch was appended"), message)
        }
        XCTAssertEqual(storage.stats.series, 0, "nothing of the rejected batches was stored")
        let atLimit = try await storage.append([fine, series("m", [("host", String(repeating: "é", count: 16))], [(1, 1)])])
        XCTAssertEqual(summary(of: atLimit).samples, 2, "at the limit is allowed")

        let unlimited = StorageOptions(maxLabelNameBytes: nil, maxLabelValueBytes: nil, maxLabelsPerSeries: nil)
        XCTAssertNil(unlimited.maxLabelValueBytes)
        XCTAssertEqual(StorageOptions().maxLabelValueBytes, 4_096, "the default caps values at 4 KiB")
    }

    func testIdempotencyKeySurvivesReopen() async throws {
        let key = IdempotencyKey(producer: "agent-7", sequence: 41)
        let storage = try Storage.open(directory: directory.path)
        let firstSamples = summary(of: try await storage.append([series("m", [], [(1_000, 1)])], idempotencyKey: key)).samples
        XCTAssertEqual(firstSamples, 1)
        let retried = try await storage.append([series("m", [], [(2_000, 2)])], idempotencyKey: key)
        XCTAssertEqual(retried, .duplicate)
        XCTAssertEqual(try everything(storage).first?.samples.count, 1, "a duplicate key appends nothing")
        storage.close()

        let reopened = try Storage.open(directory: directory.path)
        defer { reopened.close() }
        let afterReopen = try await reopened.append([series("m", [], [(3_000, 3)])], idempotencyKey: key)
        XCTAssertEqual(afterReopen, .duplicate)
        let next = IdempotencyKey(producer: "agent-7", sequence: 42)
        let nextKeySamples = summary(of: try await reopened.append([series("m", [], [(3_000, 3)])], idempotencyKey: next)).samples
        XCTAssertEqual(nextKeySamples, 1)
        let otherProducer = IdempotencyKey(producer: "agent-8", sequence: 41)
        let otherProducerSamples = summary(of: try await reopened.append([series("m", [], [(4_000, 4)])], idempotencyKey: otherProducer)).samples
        XCTAssertEqual(otherProducerSamples, 1)
        XCTAssertEqual(try everything(reopened).first?.samples.map(\.timestamp), [1_000, 3_000, 4_000])
    }

    func testKeyWithoutNewSamplesIsStillRecorded() async throws {
        let storage = try Storage.open(directory: directory.path)
        _ = try await storage.append([series("m", [], [(1_000, 1)])])
        let key = IdempotencyKey(producer: "p", sequence: 1)
        let duplicates = summary(of: try await storage.append([series("m", [], [(1_000, 1)])], idempotencyKey: key)).duplicateSamples
        XCTAssertEqual(duplicates, 1)
        storage.close()
        let reopened = try Storage.open(directory: directory.path)
        defer { reopened.close() }
        let afterReopen = try await reopened.append([series("m", [], [(2_000, 1)])], idempotencyKey: key)
        XCTAssertEqual(afterReopen, .duplicate)
    }

    func testConcurrentAppendsAreAllDurableAndReplayIdentically() async throws {
        let storage = try Storage.open(directory: directory.path, options: StorageOptions(shards: 4))
        let tasks = 32
        let rounds = 20
        let totals = try await withThrowingTaskGroup(of: AppendSummary.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var total = AppendSummary()
                    for round in 0..<rounds {
                        var batch = (0..<8).map { index in
                            series("task_metric", [("task", "\(task)"), ("index", "\(index)")],
                                   [(Int64(round) * 1_000, Double(task * 1000 + round))])
                        }
                        // One series every task writes: which timestamps win depends on the interleaving.
                        batch.append(series("shared", [], [(Int64(round * tasks + task), Double(task))]))
                        let result = summary(of: try await storage.append(batch, idempotencyKey:
                            IdempotencyKey(producer: "task-\(task)", sequence: UInt64(round))))
                        total.samples += result.samples
                        total.newSeries += result.newSeries
                        total.outOfOrderSamples += result.outOfOrderSamples
                    }
                    return total
                }
            }
            var totals = AppendSummary()
            for try await total in group {
                totals.samples += total.samples
                totals.newSeries += total.newSeries
                totals.outOfOrderSamples += total.outOfOrderSamples
            }
            return totals
        }
        XCTAssertEqual(totals.newSeries, tasks * 8 + 1)
        XCTAssertEqual(totals.samples, tasks * rounds * 9, "every timestamp is distinct: nothing is dropped")
        let perTask = try storage.select([matcher("__name__", .equal, "task_metric")], from: .min, through: .max)
        XCTAssertEqual(perTask.count, tasks * 8)
        XCTAssertTrue(perTask.allSatisfy { $0.samples.count == rounds })
        let before = try everything(storage)
        storage.close()

        let reopened = try Storage.open(directory: directory.path, options: StorageOptions(shards: 3))
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), before, "replay rebuilds exactly the head that answered the appends")
        XCTAssertEqual(reopened.replayReport.samples, totals.samples)
        let retriedAfterReopen = try await reopened.append([series("shared", [], [(0, 0)])], idempotencyKey:
            IdempotencyKey(producer: "task-3", sequence: 5))
        XCTAssertEqual(retriedAfterReopen, .duplicate)
    }

    func testInvalidSeriesClosedStoreAndLock() async throws {
        let storage = try Storage.open(directory: directory.path)
        await expectStorageError(.locked) { try Storage.open(directory: directory.path) }
        await expectStorageError(.invalidSeries) {
            try await storage.append([series("m", [], [(1, 1)]), SeriesSamples(labels: Labels([]), samples: [Sample(timestamp: 1, value: 1)])])
        }
        XCTAssertEqual(storage.stats.series, 0, "an invalid batch appends nothing")
        let emptySummary = summary(of: try await storage.append([SeriesSamples(labels: Labels(name: "empty"), samples: [])]))
        XCTAssertEqual(emptySummary,
                       AppendSummary(), "a series without samples is not created")
        storage.close()
        storage.close()
        await expectStorageError(.closed) { try await storage.append([series("m", [], [(1, 1)])]) }
        let reopened = try Storage.open(directory: directory.path)
        reopened.close()
    }
}
