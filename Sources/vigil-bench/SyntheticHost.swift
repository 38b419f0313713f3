import VigilModel
import VigilWire

/// node_exporter-shaped synthetic series: integer byte/op counters, float CPU seconds,
/// drifting gauges and constants, deterministic per host and tick. Samples are 10 s apart;
/// tick `t` of a host holds samples `t * samplesPerSeries ..< (t + 1) * samplesPerSeries`.
enum SyntheticHost {
    static let sampleSpacing: Int64 = 10_000

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
                let t = start + Int64(n) * sampleSpacing
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
