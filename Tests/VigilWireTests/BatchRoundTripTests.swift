import VigilModel
import XCTest

@testable import VigilWire

final class BatchRoundTripTests: XCTestCase {
    private func assertRoundTrip(_ batch: Batch, file: StaticString = #filePath, line: UInt = #line) {
        let payload = BatchCodec.encode(batch)
        XCTAssertEqual(try BatchCodec.decode(payload), batch, "payload", file: file, line: line)
        XCTAssertEqual(try BatchCodec.decompress(BatchCodec.compress(batch)), batch, "compressed", file: file, line: line)
    }

    func testEmptyBatch() {
        assertRoundTrip(Batch(agentID: "a", agentVersion: "", sequence: 0, series: []))
    }

    func testSpecialValues() {
        let negativeNaN = Double(bitPattern: 0xFFF8_0000_0000_0001)
        assertRoundTrip(Batch(agentID: "host", agentVersion: "1", sequence: .max, series: [
            makeSeries("special", [], [
                (1, .nan), (2, .infinity), (3, -.infinity), (4, -0.0), (5, 0.0), (6, negativeNaN),
                (7, .greatestFiniteMagnitude), (8, -.leastNonzeroMagnitude), (9, .leastNormalMagnitude), (10, .nan),
            ]),
            makeSeries("first_nan", [], [(0, .nan)]),
            makeSeries("first_negative_zero", [], [(0, -0.0), (1, -0.0)]),
        ]))
    }

    func testExtremeTimestamps() {
        assertRoundTrip(Batch(agentID: "host", agentVersion: "1", sequence: 1, series: [
            makeSeries("wide", [], [(.min, 1), (-1, 2), (0, 3), (.max - 1, 4), (.max, 5)]),
            makeSeries("negative", [], [(-1_000_000_000_000, 1), (-999_999_999_000, 2), (-5, 3)]),
            makeSeries("far_from_base", [], [(.min, 1)]),
            makeSeries("irregular", [], [(1, 1), (2, 1), (1_000_000, 1), (1_000_001, 1), (Int64.max / 2, 1)]),
        ]))
    }

    func testUnicodeLabelValuesAndIDs() {
        assertRoundTrip(Batch(agentID: "höst-日本-🚀", agentVersion: "2.0.0-β", sequence: 42, series: [
            makeSeries("node_filesystem_avail_bytes", [("mountpoint", "/mnt/データ"), ("device", "/dev/sdä1")], [(1, 1)]),
            makeSeries("node_uname_info", [("version", "#1 SMP \"quoted\" \\ back\nnew line"), ("emoji", "👩‍👩‍👧")], [(1, 1)]),
        ]))
    }

    func testValuePatternsExerciseEveryXORCase() {
        var generator = SplitMix64(seed: 7)
        let random = (0..<200).map { _ in Double(bitPattern: generator.next()) }
        assertRoundTrip(Batch(agentID: "host", agentVersion: "1", sequence: 1, series: [
            makeSeries("constant", [], (0..<100).map { (Int64($0) * 15_000, 42.0) }),
            makeSeries("counter", [], (0..<100).map { (Int64($0) * 15_000, 1e9 + Double($0) * 4096.5) }),
            makeSeries("random_bits", [], random.enumerated().map { (Int64($0.offset), $0.element) }),
            // 1.0 -> -1.0000000000000002 flips the top and bottom bits: a 64-bit window.
            makeSeries("full_width", [], [(1, 1.0), (2, -1.0000000000000002), (3, 1.0), (4, 1.0)]),
            makeSeries("alternating", [], (0..<50).map { (Int64($0), $0 % 2 == 0 ? 0.1 : 1e300) }),
        ]))
    }

    func testManySeriesSharingStrings() {
        var series: [SeriesSamples] = []
        for host in 0..<50 {
            for cpu in 0..<8 {
                for mode in ["idle", "user", "system", "iowait"] {
                    let samples: [(Int64, Double)] = (0..<5).map { step in
                        let timestamp: Int64 = 1_700_000_000_000 + Int64(step) * 15_000 + Int64(host)
                        return (timestamp, Double(host * cpu) + Double(step) * 0.01)
                    }
                    let labels = [("host", "host-\(host)"), ("cpu", "\(cpu)"), ("mode", mode)]
                    series.append(makeSeries("node_cpu_seconds_total", labels, samples))
                }
            }
        }
        let batch = Batch(agentID: "collector-relay", agentVersion: "1", sequence: 9, series: series)
        assertRoundTrip(batch)
        let payload = BatchCodec.encode(batch)
        // Strings appear once: 1600 series with 4 labels each, but only 3 + 50 + 4 + 8 + 4 distinct strings.
        let occurrences = payload.indices.dropLast(5).filter { Array(payload[$0..<$0 + 5]) == Array("host-".utf8) }.count
        XCTAssertEqual(occurrences, 50)
    }

    func testRandomBatches() {
        var generator = SplitMix64(seed: 2024)
        for round in 0..<50 {
            let batch = randomBatch(&generator, seriesCount: Int.random(in: 0...40, using: &generator))
            assertRoundTrip(batch)
            XCTAssertEqual(try BatchCodec.decode(BatchCodec.encode(batch)).sampleCount, batch.sampleCount, "round \(round)")
        }
    }
}

/// A valid batch of random series: sorted labels, strictly increasing timestamps, any values.
func randomBatch(_ generator: inout SplitMix64, seriesCount: Int) -> Batch {
    let names = ["node_load1", "node_cpu_seconds_total", "up", "a:b:c", "_x"]
    let labelNames = ["cpu", "device", "host", "mode", "Z_upper", "_private"]
    let values = ["0", "1", "sda", "idle", "ünï", "a\"b", "x y"]
    var series: [SeriesSamples] = []
    for _ in 0..<seriesCount {
        var pairs = [(String, String)]()
        for name in labelNames.shuffled(using: &generator).prefix(Int.random(in: 0...4, using: &generator)) {
            pairs.append((name, values.randomElement(using: &generator)!))
        }
        var timestamp = Int64.random(in: -1_000_000...2_000_000_000_000, using: &generator)
        var samples: [(Int64, Double)] = []
        var value = Double.random(in: -1e6...1e6, using: &generator)
        for _ in 0..<Int.random(in: 1...30, using: &generator) {
            samples.append((timestamp, value))
            timestamp += Int64.random(in: 1...60_000, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: break
            case 1: value += 1
            case 2: value = Double(bitPattern: generator.next())
            default: value *= 1.001
            }
        }
        series.append(makeSeries(names.randomElement(using: &generator)!, pairs, samples))
    }
    return Batch(agentID: "agent-\(generator.next() % 100)", agentVersion: "1.\(generator.next() % 10)",
                 sequence: generator.next(), series: series)
}
