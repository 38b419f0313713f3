import VigilModel
import XCTest

@testable import VigilStorage

/// Heap bytes per series of a full 2 h head, as `tsdb stats` and `/api/v1/status/tsdb` count
/// them (issue 3: at most 1 KiB of resident memory per active series).
final class HeadMemoryTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    /// The values of `vigil-bench ingest` (Sources/vigil-bench/SyntheticHost.swift): byte
    /// counters, float CPU seconds, a stepping gauge and a constant, 10 s apart.
    private func batch(host: Int, seriesCount: Int, tick: Int, samplesPerSeries: Int) -> [SeriesSamples] {
        (0..<seriesCount).map { index in
            let kind = index % 4
            let name = ["node_network_receive_bytes_total", "node_cpu_seconds_total", "node_memory_Active_bytes",
                        "node_filesystem_size_bytes"][kind]
            let samples = (0..<samplesPerSeries).map { step -> Sample in
                let n = tick * samplesPerSeries + step
                let seed = Double((host &* 31 &+ index &* 17 &+ n &* 7) % 97)
                let value: Double = switch kind {
                case 0: Double(n * 15_000 + Int(seed) * 100)
                case 1: Double(n) * 9.87 + seed / 100
                case 2: 2_000_000_000 + Double(n % 50) * 4096
                default: 52_000_000_000
                }
                return Sample(timestamp: 1_790_000_000_000 + Int64(n) * 10_000, value: value)
            }
            return SeriesSamples(labels: Labels(name: name, [("host", "synthetic-\(host)"), ("id", String(index))]),
                                 samples: samples)
        }
    }

    /// 2,000 series × 720 samples: every series holds 5 cut chunks and a full open chunk.
    /// Measured 1,072 head bytes a series (723 of them chunks) with 32-byte chunk refs in an
    /// array and an open chunk of two arrays, 735 (435) with chained refs and one buffer.
    func testAFullHeadsHeapBytesPerSeries() async throws {
        let hosts = 4
        let seriesPerHost = 500
        let storage = try Storage.open(directory: directory.path, options: manualOptions(shards: 2))
        for tick in 0..<72 {
            for host in 0..<hosts {
                _ = try await storage.append(batch(host: host, seriesCount: seriesPerHost, tick: tick, samplesPerSeries: 10))
            }
        }
        let stats = storage.stats
        XCTAssertEqual(stats.series, hosts * seriesPerHost)
        XCTAssertEqual(stats.samples, hosts * seriesPerHost * 720)
        XCTAssertEqual(stats.headChunksOnHeap, 0)
        var chunkBytes = 0
        for shard in storage.shards {
            shard.state.withLock { state in
                for one in state.series { chunkBytes += one.chunkHeapBytes }
            }
        }
        let perSeries = Double(stats.headBytes) / Double(stats.series)
        let chunksPerSeries = Double(chunkBytes) / Double(stats.series)
        print(String(format: "full head: %.1f head bytes per series (chunks %.1f, MemSeries stride %d)", perSeries,
                     chunksPerSeries, MemoryLayout<MemSeries>.stride))
        XCTAssertLessThanOrEqual(MemoryLayout<MemSeries>.stride, 64)
        XCTAssertLessThanOrEqual(chunksPerSeries, 450)
        XCTAssertLessThanOrEqual(perSeries, 760)
        storage.close()
    }
}
