import VigilModel
import XCTest

@testable import VigilStorage

/// Appending through a `SeriesPlacement`: the same series as a labelled append, found by the
/// recorded indexes; refused (nothing appended) once stale or for another store.
final class SeriesPlacementTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    private let hosts = (0..<40).map { "host-\($0)" }

    /// One sample per series at `time`, with a value that says which series and tick it is.
    private func tick(_ time: Int64) -> (labels: [Labels], samples: PackedSamples) {
        let batch = hosts.enumerated().map { index, host in
            VigilStorageTests.series("node_load1", [("host", host)], [(time, Double(index) * 1000 + Double(time) / 1000)])
        }
        return (batch.map(\.labels), PackedSamples(batch))
    }

    func testPlacedAppendsReachTheSameSeriesAndSurviveReplay() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(shards: 4))
        let first = tick(1_000)
        let (outcome, placement) = try await storage.append(labels: first.labels, samples: first.samples)
        XCTAssertEqual(summary(of: outcome).newSeries, 40)
        let placed = try XCTUnwrap(placement)
        XCTAssertEqual(placed.seriesCount, 40)
        for time in stride(from: Int64(2_000), through: 10_000, by: 1_000) {
            let outcome = try await storage.append(placement: placed, samples: tick(time).samples,
                                                   idempotencyKey: IdempotencyKey(producer: "a", sequence: UInt64(time)))
            XCTAssertEqual(outcome.map { summary(of: $0) }, AppendSummary(samples: 40))
        }
        // A repeated key is a duplicate through a placement too.
        let repeated = try await storage.append(placement: placed, samples: tick(10_000).samples,
                                                idempotencyKey: IdempotencyKey(producer: "a", sequence: 10_000))
        XCTAssertEqual(repeated, .duplicate)
        let expected = hosts.enumerated().map { index, host in
            series("node_load1", [("host", host)], (1...10).map { (Int64($0) * 1_000, Double(index) * 1000 + Double($0)) })
        }.sorted { Labels.precedes($0.labels, $1.labels) }
        XCTAssertEqual(try everything(storage), expected)
        XCTAssertEqual(storage.stats.series, 40)
        storage.close()

        let reopened = try Storage.open(directory: directory.path, options: manualOptions(shards: 4))
        defer { reopened.close() }
        XCTAssertEqual(try everything(reopened), expected)
        let stale = try await reopened.append(placement: placed, samples: tick(11_000).samples)
        XCTAssertNil(stale, "a placement of another store instance is refused")
        XCTAssertEqual(try everything(reopened), expected, "and nothing was appended")
    }

    func testPlacementGoesStaleWhenACutRemovesSeries() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(shards: 2))
        defer { storage.close() }
        // A series that stops: after the flush it has no samples left and is removed, so the
        // shards are renumbered.
        _ = try await storage.append([series("gone", [], [(500, 1)])])
        let first = tick(1_000)
        let firstPlacement = try await storage.append(labels: first.labels, samples: first.samples).placement
        let placed = try XCTUnwrap(firstPlacement)
        try await storage.flush()
        XCTAssertEqual(storage.stats.series, 0)
        let outcome = try await storage.append(placement: placed, samples: tick(2_000).samples)
        XCTAssertNil(outcome, "renumbered shards make the placement stale")
        XCTAssertEqual(storage.stats.samples, 0, "a stale placement appends nothing")

        let again = tick(2_000)
        let (relabelled, fresh) = try await storage.append(labels: again.labels, samples: again.samples)
        XCTAssertEqual(summary(of: relabelled), AppendSummary(samples: 40, newSeries: 40))
        let renewed = try XCTUnwrap(fresh)
        let third = try await storage.append(placement: renewed, samples: tick(3_000).samples)
        XCTAssertEqual(third.map { summary(of: $0) }, AppendSummary(samples: 40))
        let stored = try everything(storage).filter { $0.labels.metricName == "node_load1" }
        XCTAssertEqual(stored.count, 40)
        XCTAssertEqual(stored.map { $0.samples.map(\.timestamp) }, Array(repeating: [1_000, 2_000, 3_000], count: 40))
    }

    func testBatchWithAnEmptyRunOrRepeatedSeriesGetsTheRightPlacement() async throws {
        let storage = try Storage.open(directory: directory.path, options: manualOptions(shards: 3))
        defer { storage.close() }
        let a = Labels(name: "m", [("k", "a")])
        let b = Labels(name: "m", [("k", "b")])
        var withEmpty = PackedSamples()
        withEmpty.appendRun([Sample(timestamp: 1, value: 1)])
        withEmpty.appendRun([Sample]())
        let (_, none) = try await storage.append(labels: [a, b], samples: withEmpty)
        XCTAssertNil(none, "a run without samples creates no series, so there is nothing to place")

        var repeated = PackedSamples()
        repeated.appendRun([Sample(timestamp: 2, value: 2)])
        repeated.appendRun([Sample(timestamp: 3, value: 3)])
        repeated.appendRun([Sample(timestamp: 2, value: 4)])
        let repeatedPlacement = try await storage.append(labels: [a, b, a], samples: repeated).placement
        let placed = try XCTUnwrap(repeatedPlacement)
        var next = PackedSamples()
        next.appendRun([Sample(timestamp: 10, value: 10)])
        next.appendRun([Sample(timestamp: 11, value: 11)])
        next.appendRun([Sample(timestamp: 12, value: 12)])
        let outcome = try await storage.append(placement: placed, samples: next)
        XCTAssertEqual(outcome.map { summary(of: $0) }, AppendSummary(samples: 3))
        XCTAssertEqual(try everything(storage), [
            SeriesSamples(labels: a, samples: [1, 2, 10, 12].map { Sample(timestamp: Int64($0), value: Double($0)) }),
            SeriesSamples(labels: b, samples: [3, 11].map { Sample(timestamp: Int64($0), value: Double($0)) }),
        ])
    }
}
