import Foundation
import VigilModel
import XCTest

@testable import VigilWire

/// `BatchCompressor` must give exactly `BatchCodec.compress`'s bytes for every batch, whether it
/// reuses its kept tables or not, and must never send tables of an earlier batch whose labels
/// differ from this one's.
final class BatchCompressorTests: XCTestCase {
    /// A real node_exporter 1.5.0 scrape (copied from the steering repo's shared/reference).
    private static var scrapePath: String { Bundle.module.url(forResource: "Vectors/node_exporter-1.5.0-host-scope-scrape.txt", withExtension: nil)!.path }

    /// Compresses `batch`, checks the bytes against `BatchCodec.compress` at the same level and
    /// that they decode to `batch`, and returns whether the kept tables were reused.
    @discardableResult
    private func assertCompresses(
        _ batch: Batch, with compressor: BatchCompressor, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) -> Bool {
        let reusesBefore = compressor.tableReuses
        let body = compressor.compress(batch)
        XCTAssertEqual(body, BatchCodec.compress(batch, level: compressor.level), "bytes differ. \(message)", file: file, line: line)
        XCTAssertEqual(try BatchCodec.decompress(body), batch, "decoded batch differs. \(message)", file: file, line: line)
        return compressor.tableReuses > reusesBefore
    }

    /// The agent's shape: one sample per series of a real node_exporter scrape, labels built
    /// once and handed out again every tick, values moving a little.
    private func agentTicks(_ count: Int) throws -> [Batch] {
        let scrape = try PrometheusText.parse(try String(contentsOfFile: Self.scrapePath, encoding: .utf8))
        let labels = scrape.map { $0.labels.setting("host", to: "node-1.example.net") }
        return (0..<count).map { tick in
            let series = scrape.indices.map { index in
                let timestamp = 1_700_000_000_000 + Int64(tick) * 1000 + Int64(index % 3)
                let value = scrape[index].value + Double(tick * (index % 5)) * 0.25
                return SeriesSamples(labels: labels[index], samples: [Sample(timestamp: timestamp, value: value)])
            }
            return Batch(agentID: "node-1.example.net", agentVersion: "1.0.0", sequence: UInt64(1000 + tick), series: series)
        }
    }

    func testAgentTicksReuseTheTablesAndMatchBatchCodecAtEveryLevel() throws {
        let ticks = try agentTicks(12)
        XCTAssertGreaterThan(ticks[0].series.count, 200)
        for level: Int32 in [-1, 0, 1, 6, 9] {
            let compressor = BatchCompressor(level: level)
            for (tick, batch) in ticks.enumerated() {
                let reused = assertCompresses(batch, with: compressor, "level \(level), tick \(tick)")
                XCTAssertEqual(reused, tick > 0, "level \(level), tick \(tick)")
            }
        }
    }

    func testTheGoldenBatchInflatesToTheGoldenVectorOnBothPaths() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Vectors/batch-v1.bin", withExtension: nil))
        let golden = [UInt8](try Data(contentsOf: url))
        let compressor = BatchCompressor()
        let batch = goldenBatch()
        for call in 0..<3 {
            let body = compressor.compress(batch)
            let payload = try body.withUnsafeBytes { raw in
                try Result { () throws(WireError) in try Zlib.decompress(raw, maxOutputBytes: 1 << 20) }.get()
            }
            XCTAssertEqual(payload, golden, "call \(call)")
        }
        XCTAssertEqual(compressor.tableReuses, 2)
    }

    func testEveryKindOfLabelChangeReencodesTheTables() {
        let compressor = BatchCompressor()
        let base = [
            makeSeries("node_load1", [("host", "a")], [(1000, 0.5)]),
            makeSeries("node_cpu_seconds_total", [("cpu", "0"), ("host", "a"), ("mode", "idle")], [(1000, 10)]),
            makeSeries("node_cpu_seconds_total", [("cpu", "0"), ("host", "a"), ("mode", "user")], [(1000, 2)]),
        ]
        func batch(_ series: [SeriesSamples], sequence: UInt64) -> Batch {
            Batch(agentID: "a", agentVersion: "1", sequence: sequence, series: series)
        }
        XCTAssertFalse(assertCompresses(batch(base, sequence: 1), with: compressor, "first batch"))
        XCTAssertTrue(assertCompresses(batch(base, sequence: 2), with: compressor, "same labels"))

        var changedValue = base
        changedValue[1].labels = base[1].labels.setting("mode", to: "nice")
        XCTAssertFalse(assertCompresses(batch(changedValue, sequence: 3), with: compressor, "one value changed, same count"))

        var changedName = base
        changedName[0].labels = Labels(name: "node_load1", [("hosT", "a")])
        XCTAssertFalse(assertCompresses(batch(changedName, sequence: 4), with: compressor, "one name changed"))

        XCTAssertFalse(assertCompresses(batch([base[0], base[2], base[1]], sequence: 5), with: compressor, "reordered"))
        XCTAssertFalse(assertCompresses(batch(base, sequence: 6), with: compressor, "back to the original order"))
        XCTAssertFalse(assertCompresses(batch(Array(base.prefix(2)), sequence: 7), with: compressor, "last series removed"))
        XCTAssertFalse(assertCompresses(batch(Array(base.dropFirst()), sequence: 8), with: compressor, "first series removed"))
        XCTAssertFalse(assertCompresses(batch(base + [makeSeries("up", [("host", "a")], [(1000, 1)])], sequence: 9), with: compressor, "added"))
        XCTAssertFalse(assertCompresses(batch([], sequence: 10), with: compressor, "no series"))
        XCTAssertTrue(assertCompresses(batch([], sequence: 11), with: compressor, "no series again"))

        // Labels rebuilt into new arrays with equal contents are the same labels.
        let rebuilt = base.map { SeriesSamples(labels: Labels($0.labels.pairs.map { Label(String($0.name), String($0.value)) }), samples: $0.samples) }
        XCTAssertFalse(assertCompresses(batch(base, sequence: 12), with: compressor, "original labels"))
        XCTAssertTrue(assertCompresses(batch(rebuilt, sequence: 13), with: compressor, "rebuilt labels"))
        XCTAssertTrue(assertCompresses(batch(base, sequence: 14), with: compressor, "original labels again"))
    }

    func testSamplesHeaderAndIDsChangeWithoutLabelChanges() {
        let compressor = BatchCompressor(level: 6)
        let labels = [Labels(name: "a", [("x", "1")]), Labels(name: "b"), Labels(name: "a", [("x", "2")])]
        let shapes: [[[(Int64, Double)]]] = [
            [[(5, 1)], [(5, 2)], [(6, 3)]],
            [[(-7, .nan), (8, -0.0)], [(9, 2), (10, 2), (11, 2.5)], [(.max, 0)]],
            [[(0, 0)], [(.min, .infinity)], [(1, 1), (2, 1)]],
        ]
        for (index, samples) in shapes.enumerated() {
            let series = zip(labels, samples).map { SeriesSamples(labels: $0, samples: $1.map { Sample(timestamp: $0.0, value: $0.1) }) }
            let batch = Batch(agentID: "agent-\(index)", agentVersion: String(repeating: "v", count: index * 100), sequence: UInt64(index) << 40, series: series)
            XCTAssertEqual(assertCompresses(batch, with: compressor, "shape \(index)"), index > 0, "shape \(index)")
        }
    }

    /// Random edits between consecutive batches: new values, renamed or revalued labels, swapped,
    /// dropped and added series, equal labels in fresh arrays, and nothing at all.
    func testRandomSequencesOfBatchesMatchBatchCodec() {
        var random = SplitMix64(seed: 42)
        let names = ["node_load1", "node_cpu_seconds_total", "node_network_receive_bytes_total", "x"]
        let values = ["a", "b", "eth0", "/", "/run/user/1000", "sda", "", "日本", "a-much-longer-label-value-of-40-bytes..."]
        func randomLabels() -> Labels {
            let extra = (0..<Int(random.next() % 4)).map { _ in
                (["cpu", "device", "mode", "mountpoint", "host"][Int(random.next() % 5)], values[Int(random.next() % UInt64(values.count))])
            }
            return Labels(name: names[Int(random.next() % UInt64(names.count))], extra)
        }
        var labels = (0..<30).map { _ in randomLabels() }
        var reused = 0
        var reencoded = 0
        for level: Int32 in [1, 6] {
            let compressor = BatchCompressor(level: level)
            for step in 0..<150 {
                switch random.next() % 8 {
                case 0: labels[Int(random.next() % UInt64(labels.count))] = randomLabels()
                case 1: labels.swapAt(Int(random.next() % UInt64(labels.count)), Int(random.next() % UInt64(labels.count)))
                case 2 where labels.count > 1: labels.remove(at: Int(random.next() % UInt64(labels.count)))
                case 3: labels.insert(randomLabels(), at: Int(random.next() % UInt64(labels.count + 1)))
                case 4: labels = labels.map { Labels(presorted: $0.pairs.map { Label($0.name, $0.value) }) }
                default: break
                }
                let series = labels.map { labels in
                    let count = Int(random.next() % 3) + 1
                    var timestamp = Int64(bitPattern: random.next() % 1_000_000) + 1_700_000_000_000
                    let samples = (0..<count).map { _ in
                        timestamp += Int64(random.next() % 20_000) + 1
                        return Sample(timestamp: timestamp, value: Double(random.next() % 1000) / 8)
                    }
                    return SeriesSamples(labels: labels, samples: samples)
                }
                let batch = Batch(agentID: "agent", agentVersion: "1", sequence: UInt64(step), series: series)
                if assertCompresses(batch, with: compressor, "level \(level), step \(step)") { reused += 1 } else { reencoded += 1 }
            }
        }
        XCTAssertGreaterThan(reused, 50)
        XCTAssertGreaterThan(reencoded, 50)
    }

    /// A payload over a megabyte (past zlib's 32 KiB window many times over, and past the size
    /// of payload buffer the compressor keeps), between small ones.
    func testALargeBatchBetweenSmallOnes() {
        let compressor = BatchCompressor()
        let small = Batch(agentID: "a", agentVersion: "1", sequence: 1, series: [makeSeries("up", [], [(1, 1)])])
        let large = Batch(agentID: "a", agentVersion: "1", sequence: 2, series: (0..<30_000).map { index in
            makeSeries("node_large_metric_name_total", [("id", "series-number-\(index)")], [(Int64(index), Double(index) * 1.5)])
        })
        XCTAssertGreaterThan(BatchCodec.encode(large).count, 1 << 20)
        assertCompresses(small, with: compressor, "small before")
        assertCompresses(large, with: compressor, "large")
        XCTAssertTrue(assertCompresses(large, with: compressor, "large again"))
        assertCompresses(small, with: compressor, "small after")
    }
}
