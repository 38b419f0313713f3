import ArgumentParser
import Foundation
import VigilHTTPClient
import VigilModel
import VigilWire

/// Replays many synthetic node-shaped hosts against a running collector through the real
/// HTTP ingest path and reports samples per second and per collector CPU second.
///
/// Every batch is encoded and compressed before the clock starts, so the generator's own
/// CPU does not compete during the run. The first tick of every host creates its series;
/// it is measured apart from the later ticks, which only append (a fleet in steady state).
/// Collector CPU is utime+stime from /proc/PID/stat (10 ms resolution); stored samples,
/// series and WAL bytes come from the collector's /metrics.
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

    @Option(help: "Batches each host sends; the first creates the host's series.")
    var ticks = 20

    @Option(help: "Concurrent connections.")
    var connections = 4

    @Option(help: "Measure the append phase in this many consecutive slices, to show whether ingest slows as the store grows.")
    var slices = 1

    func validate() throws {
        guard hosts > 0, seriesPerHost > 0, samplesPerSeries > 0, connections > 0, slices > 0 else {
            throw ValidationError("--hosts, --series-per-host, --samples-per-series, --connections and --slices must be at least 1")
        }
        guard ticks >= 2 else { throw ValidationError("--ticks must be at least 2: one creates the series, the rest are measured as appends") }
    }

    func run() throws {
        let endpoint = try HTTPURL(parsing: url)
        let start = UnixTime.nowMilliseconds() - Int64(ticks * samplesPerSeries) * SyntheticHost.sampleSpacing
        var prepared: [[UInt8]] = []
        prepared.reserveCapacity(hosts * ticks)
        for tick in 0..<ticks {
            for host in 0..<hosts {
                let batch = SyntheticHost.batch(host: host, seriesCount: seriesPerHost, tick: tick, samplesPerSeries: samplesPerSeries, start: start)
                prepared.append(BatchCodec.compress(batch))
            }
        }
        let samplesPerBatch = seriesPerHost * samplesPerSeries
        let compressedBytes = prepared.reduce(0) { $0 + $1.count }
        let shape = "\(hosts) hosts × \(seriesPerHost) series × \(samplesPerSeries) sample\(samplesPerSeries == 1 ? "" : "s")"
        print("\(shape), \(ticks) batches per host, \(connections) connections")
        print("prepared \(prepared.count) batches, \(prepared.count * samplesPerBatch) samples, \(String(format: "%.2f", Double(compressedBytes) / Double(prepared.count * samplesPerBatch))) bytes/sample compressed on the wire")

        let load = IngestLoad(endpoint: endpoint, connections: connections)
        var phases: [(name: String, batches: ArraySlice<[UInt8]>)] = [("first batch per host (creates series)", prepared[..<hosts])]
        let appends = prepared.count - hosts
        let parts = min(slices, appends)
        for part in 0..<parts {
            let range = (hosts + appends * part / parts)..<(hosts + appends * (part + 1) / parts)
            let stored = (range.lowerBound * samplesPerBatch) / 1000
            let name = parts == 1 ? "later batches (append only)"
                : "later batches, slice \(part + 1)/\(parts) (append only; store held \(stored)k samples)"
            phases.append((name, prepared[range]))
        }
        var rows: [String] = []
        for phase in phases {
            let before = try CollectorScrape(url: endpoint)
            let cpuBefore = try collectorSeconds()
            let benchBefore = ProcessCPU.selfSeconds()
            let result = load.post(phase.batches)
            let cpu = try collectorSeconds() - cpuBefore
            let benchCPU = ProcessCPU.selfSeconds() - benchBefore
            let after = try CollectorScrape(url: endpoint)
            if result.failures > 0 {
                throw ValidationError("\(result.failures) of \(phase.batches.count) batches failed; first: \(result.firstFailure ?? "?")")
            }
            let sent = phase.batches.count * samplesPerBatch
            let stored = Int(delta(after, before, "vigil_ingest_samples_total"))
            guard stored == sent else {
                throw ValidationError("the collector stored \(stored) of the \(sent) samples sent (vigil_ingest_samples_total); see its log for refused samples")
            }
            let rss = ProcessCPU.residentBytes(pid: collectorPid) ?? 0
            let peak = ProcessCPU.peakResidentBytes(pid: collectorPid) ?? 0
            let series = Int(after["vigil_storage_head_series"] ?? 0)
            print("\(phase.name): \(phase.batches.count) batches, \(sent) samples sent, \(stored) stored (out of order \(Int(delta(after, before, "vigil_ingest_out_of_order_samples_total"))), duplicate \(Int(delta(after, before, "vigil_ingest_duplicate_samples_total"))))")
            print(String(format: "  wall %.2f s, collector CPU %.2f s, bench CPU %.2f s", result.wallSeconds, cpu, benchCPU))
            print(String(format: "  %.0f samples/s, %.0f samples per collector CPU second", Double(sent) / result.wallSeconds, Double(sent) / max(cpu, 0.01)))
            print("  collector VmRSS \(rss / 1_048_576) MiB, VmHWM \(peak / 1_048_576) MiB, head series \(series), WAL \(Int(after["vigil_storage_wal_bytes"] ?? 0) / 1_048_576) MiB")
            let figures = String(
                format: "%d | %d | %.2f | %.0f | %.2f | %.0f | %d | %d | %d",
                phase.batches.count, sent, result.wallSeconds, Double(sent) / result.wallSeconds,
                cpu, Double(sent) / max(cpu, 0.01), rss / 1_048_576, peak / 1_048_576, series)
            rows.append("| \(shape) | \(phase.name) | \(figures) |")
        }
        for row in rows { print(row) }
    }

    private func collectorSeconds() throws -> Double {
        guard let seconds = ProcessCPU.seconds(pid: collectorPid) else {
            throw ValidationError("cannot read /proc/\(collectorPid)/stat: is --collector-pid the running collector?")
        }
        return seconds
    }

    private func delta(_ after: CollectorScrape, _ before: CollectorScrape, _ series: String) -> Double {
        (after[series] ?? 0) - (before[series] ?? 0)
    }
}
