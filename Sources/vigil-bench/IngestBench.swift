import ArgumentParser
import Foundation
import Synchronization
import VigilHTTPClient
import VigilModel
import VigilWire

/// Replays many synthetic node-shaped hosts against a running collector through the real
/// HTTP ingest path and reports samples per second and per collector CPU second.
struct IngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Collector ingest throughput through HTTP with the WAL on.")

    @Option(help: "Collector URL.")
    var url = "http://127.0.0.1:9470"

    @Option(help: "PID of the collector, to read its CPU time and RSS.")
    var collectorPid: Int32

    @Option(help: "Synthetic hosts.")
    var hosts = 200

    @Option(help: "Series per host.")
    var seriesPerHost = 500

    @Option(help: "Samples per series in one batch (1 = a live agent; more = an agent catching up).")
    var samplesPerSeries = 1

    @Option(help: "Batches each host sends.")
    var ticks = 20

    @Option(help: "Concurrent connections.")
    var connections = 4

    func run() throws {
        let start = UnixTime.nowMilliseconds() - Int64(ticks * samplesPerSeries) * 10_000
        // Pre-encode every batch so the generator's own CPU does not compete during the run.
        var prepared: [[UInt8]] = []
        prepared.reserveCapacity(hosts * ticks)
        var totalSamples = 0
        for tick in 0..<ticks {
            for host in 0..<hosts {
                let batch = SyntheticHost.batch(host: host, seriesCount: seriesPerHost, tick: tick, samplesPerSeries: samplesPerSeries, start: start)
                totalSamples += batch.series.reduce(0) { $0 + $1.samples.count }
                prepared.append(BatchCodec.compress(batch))
            }
        }
        let batches = prepared
        let compressedBytes = batches.reduce(0) { $0 + $1.count }
        print("prepared \(batches.count) batches, \(totalSamples) samples, \(compressedBytes) bytes compressed (\(String(format: "%.2f", Double(compressedBytes) / Double(totalSamples))) bytes/sample on the wire)")

        let cpuBefore = ProcessCPU.seconds(pid: collectorPid) ?? 0
        let wallStart = Date()
        let counters = LoadCounters()
        let endpoint = try HTTPURL(parsing: url)
        let group = DispatchGroup()
        for _ in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                let client = HTTPClient(url: endpoint, timeout: .seconds(60))
                while true {
                    let index = counters.cursor.add(1, ordering: .relaxed).oldValue
                    guard index < batches.count else { break }
                    let status = (try? client.send(method: "POST", path: "/api/v1/ingest", headers: [("Content-Encoding", "deflate")], body: batches[index]))?.status
                    if status != 204 {
                        counters.failures.add(1, ordering: .relaxed)
                    }
                }
                group.leave()
            }
        }
        group.wait()
        let wall = Date().timeIntervalSince(wallStart)
        let cpu = (ProcessCPU.seconds(pid: collectorPid) ?? 0) - cpuBefore
        let rss = ProcessCPU.residentBytes(pid: collectorPid) ?? 0
        print("hosts \(hosts), series/host \(seriesPerHost), samples/series/batch \(samplesPerSeries), connections \(connections), failures \(counters.failures.load(ordering: .relaxed))")
        print(String(format: "wall %.2f s, collector CPU %.2f s", wall, cpu))
        print(String(format: "throughput %.0f samples/s, %.0f samples per collector CPU second", Double(totalSamples) / wall, Double(totalSamples) / max(cpu, 0.001)))
        print("collector RSS \(rss / 1_048_576) MiB, \(hosts * seriesPerHost) active series")
    }
}

/// node_exporter-shaped synthetic series: integer byte/op counters, float CPU seconds,
/// drifting gauges and constants, deterministic per host and tick.
enum SyntheticHost {
    static func batch(host: Int, seriesCount: Int, tick: Int, samplesPerSeries: Int, start: Int64) -> Batch {
        var series: [SeriesSamples] = []
        series.reserveCapacity(seriesCount)
        let hostName = "synthetic-\(host)"
        for index in 0..<seriesCount {
            let kind = index % 4
            let name = ["node_network_receive_bytes_total", "node_cpu_seconds_total", "node_memory_Active_bytes", "node_filesystem_size_bytes"][kind]
            let labels = Labels(name: name, [("host", hostName), ("id", String(index))])
            var samples: [Sample] = []
            samples.reserveCapacity(samplesPerSeries)
            for step in 0..<samplesPerSeries {
                let n = tick * samplesPerSeries + step
                let t = start + Int64(n) * 10_000
                let seed = Double((host &* 31 &+ index &* 17 &+ n &* 7) % 97)
                let value: Double = switch kind {
                case 0: Double(n * 15_000 + Int(seed) * 100)
                case 1: Double(n) * 9.87 + seed / 100
                case 2: 2_000_000_000 + Double(n % 50) * 4096
                default: 52_000_000_000
                }
                samples.append(Sample(timestamp: t, value: value))
            }
            series.append(SeriesSamples(labels: labels, samples: samples))
        }
        return Batch(agentID: "synthetic-agent-\(host)", agentVersion: VigilBuild.version, sequence: UInt64(tick), series: series)
    }
}

/// Shared between the load threads: the next batch to send and the failures seen.
final class LoadCounters: Sendable {
    let cursor = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}
