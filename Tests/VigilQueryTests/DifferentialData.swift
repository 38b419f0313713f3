import Foundation
import VigilModel

/// Deterministic node-exporter-shaped data for the differential suite: three hosts over
/// three hours at a jittered 15 s interval, with counter resets, a gap longer than the
/// lookback, a series that goes stale, a series that starts late, classic histogram buckets,
/// NaN and ±Inf values, and label sets that collide across metric names.
enum DifferentialData {
    /// 2023-11-14T22:13:20Z.
    static let start: Int64 = 1_700_000_000_000
    static let duration: Int64 = 3 * 3_600_000
    static let interval: Int64 = 15_000

    static func generate() -> [SeriesSamples] {
        var random = SplitMix(seed: 42)
        var result: [SeriesSamples] = []
        let hosts = ["a", "b", "c"]
        let times = scrapeTimes(&random)

        for (hostIndex, host) in hosts.enumerated() {
            let instance = "host-\(host):9100"
            func labels(_ name: String, _ extra: [(String, String)] = []) -> Labels {
                Labels(name: name, [("instance", instance), ("job", "node")] + extra)
            }
            let h = Double(hostIndex)

            for cpu in ["0", "1"] {
                for (modeIndex, mode) in ["idle", "user", "system", "iowait"].enumerated() {
                    let rate = [0.7, 0.2, 0.08, 0.02][modeIndex] * (1 + 0.1 * h)
                    var value = 1000.0 * Double(modeIndex + 1) + h * 17
                    var samples: [Sample] = []
                    for t in times {
                        value += rate * 15 * (0.8 + 0.4 * random.unit())
                        // host b restarts 70 minutes in: its counters start over.
                        if host == "b" && t >= start + 70 * 60_000 && t < start + 70 * 60_000 + interval {
                            value = rate * 3
                        }
                        samples.append(Sample(timestamp: t, value: (value * 100).rounded() / 100))
                    }
                    result.append(SeriesSamples(labels: labels("node_cpu_seconds_total", [("cpu", cpu), ("mode", mode)]), samples: samples))
                }
            }

            result.append(gauge(labels("node_load1"), times) { t in
                ((1 + h * 0.5 + 0.8 * sin(t / 600) + 0.2 * random.unit()) * 100).rounded() / 100
            })
            result.append(gauge(labels("node_memory_MemAvailable_bytes"), times) { t in
                (8e9 - h * 1e9 + 5e8 * sin(t / 1800) + 1e6 * random.unit()).rounded()
            })
            result.append(gauge(labels("node_memory_MemTotal_bytes"), times) { _ in 16e9 - h * 4e9 })
            result.append(gauge(labels("node_filesystem_avail_bytes", [("device", "/dev/sda1"), ("fstype", "ext4"), ("mountpoint", "/")]), times) { t in
                (5e10 - h * 1e10 - t * 1e4 * (1 + h) + 1e5 * random.unit()).rounded()
            })
            result.append(gauge(labels("node_filesystem_avail_bytes", [("device", "/dev/sdb1"), ("fstype", "xfs"), ("mountpoint", "/home")]), times) { t in
                (2e11 - t * 5e3 + 1e5 * random.unit()).rounded()
            })
            result.append(gauge(labels("node_boot_time_seconds"), times) { _ in 1_699_000_000 + h * 1000 })
            result.append(gauge(labels("node_uname_info", [("nodename", host), ("release", "6.1.0-\(hostIndex + 10)")]), times) { _ in 1 })

            for (deviceIndex, device) in ["eth0", "lo"].enumerated() {
                var value = 1e6 * Double(deviceIndex + 1)
                var samples: [Sample] = []
                for t in times {
                    value += (5e4 + 1e4 * h) * Double(2 - deviceIndex) * random.unit()
                    // host c is unreachable from minute 40 to 52: longer than the lookback.
                    if host == "c" && t >= start + 40 * 60_000 && t < start + 52 * 60_000 { continue }
                    samples.append(Sample(timestamp: t, value: value.rounded()))
                }
                result.append(SeriesSamples(labels: labels("node_network_receive_bytes_total", [("device", device)]), samples: samples))
                result.append(SeriesSamples(labels: labels("node_network_transmit_bytes_total", [("device", device)]),
                                            samples: samples.map { Sample(timestamp: $0.timestamp, value: ($0.value * 0.3).rounded()) }))
            }

            for handler in ["/api", "/home"] {
                result.append(contentsOf: histogram(labels: [("handler", handler), ("instance", instance), ("job", "node")],
                                                    times: times, scale: handler == "/api" ? 1 : 3, random: &random))
            }
        }

        let first = Labels(name: "node_temp_celsius", [("instance", "host-a:9100"), ("job", "node"), ("sensor", "cpu")])
        result.append(gauge(first, times.filter { $0 < start + 2 * 3_600_000 }) { t in 40 + 10 * sin(t / 900) })
        // Same labels as node_temp_celsius under another name, starting after that one went stale.
        let second = Labels(name: "node_temp2_celsius", [("instance", "host-a:9100"), ("job", "node"), ("sensor", "cpu")])
        result.append(gauge(second, times.filter { $0 >= start + 150 * 60_000 }) { t in 50 + 10 * cos(t / 900) })
        result.append(gauge(Labels(name: "late_series", [("instance", "host-b:9100"), ("job", "node")]),
                            times.filter { $0 >= start + 150 * 60_000 }) { t in t / 60 })
        var oddIndex = 0
        result.append(gauge(Labels(name: "odd_values", [("instance", "host-a:9100"), ("job", "node")]), times) { t in
            oddIndex += 1
            switch oddIndex % 40 {
            case 7: return .nan
            case 19: return .infinity
            case 31: return -.infinity
            default: return (sin(t / 300) * 100).rounded() / 10
            }
        })
        result.append(gauge(Labels(name: "weird_labels", [("instance", "host-a:9100"), ("path", "C:\\dir \"q\"\nnext")]), times) { _ in 7 })
        for name in ["collision_a", "collision_b"] {
            result.append(gauge(Labels(name: name, [("instance", "host-a:9100"), ("job", "node")]), times) { t in
                name == "collision_a" ? t / 100 : 1000 - t / 100
            })
        }
        for version in ["1", "2"] {
            result.append(gauge(Labels(name: "node_textfile_info", [("instance", "host-a:9100"), ("job", "node"), ("version", version)]), times) { _ in 1 })
        }
        result.append(gauge(Labels(name: "node_textfile_info", [("instance", "host-b:9100"), ("job", "node"), ("version", "1")]), times) { _ in 1 })
        return result
    }

    /// Every 15 s from the start, each shifted by up to ±250 ms of jitter.
    private static func scrapeTimes(_ random: inout SplitMix) -> [Int64] {
        var times: [Int64] = []
        for time in stride(from: Self.start, to: Self.start + Self.duration, by: Int(Self.interval)) {
            let jitter = Int64(random.unit() * 500) - 250
            times.append(time + jitter)
        }
        return times
    }

    /// A gauge whose value is `value(seconds since the start)` at each time.
    private static func gauge(_ labels: Labels, _ times: [Int64], _ value: (Double) -> Double) -> SeriesSamples {
        SeriesSamples(labels: labels, samples: times.map { Sample(timestamp: $0, value: value(Double($0 - start) / 1000)) })
    }

    /// Cumulative `_bucket`, `_sum` and `_count` counters of a request-duration histogram.
    private static func histogram(labels: [(String, String)], times: [Int64], scale: Double, random: inout SplitMix) -> [SeriesSamples] {
        let bounds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
        let limits = [0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.infinity]
        var counts = [Double](repeating: 0, count: bounds.count)
        var sum = 0.0
        var buckets = [[Sample]](repeating: [], count: bounds.count)
        var sums: [Sample] = []
        for t in times {
            for _ in 0..<Int(3 + random.unit() * 6) {
                let duration = 0.02 * scale * exp(random.unit() * 4)
                sum += duration
                for i in limits.indices where duration <= limits[i] { counts[i] += 1 }
            }
            for i in bounds.indices { buckets[i].append(Sample(timestamp: t, value: counts[i])) }
            sums.append(Sample(timestamp: t, value: (sum * 1000).rounded() / 1000))
        }
        var result = bounds.indices.map { i in
            SeriesSamples(labels: Labels(name: "http_request_duration_seconds_bucket", labels + [("le", bounds[i])]), samples: buckets[i])
        }
        result.append(SeriesSamples(labels: Labels(name: "http_request_duration_seconds_sum", labels), samples: sums))
        result.append(SeriesSamples(labels: Labels(name: "http_request_duration_seconds_count", labels), samples: buckets[bounds.count - 1]))
        return result
    }

    /// The series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
    /// Timestamps are seconds with a half-microsecond bias, so that Prometheus' `int64(ts * 1000)`
    /// truncation lands on the intended millisecond.
    static func openMetrics(_ series: [SeriesSamples]) -> String {
        var out = ""
        for entry in series {
            let name = entry.labels.metricName!
            let rest = entry.labels.filter { $0.name != Label.metricName }
            let prefix = name + (rest.isEmpty ? "" : "{" + rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ",") + "}")
            for sample in entry.samples {
                let millis = sample.timestamp % 1000
                let fraction = String(repeating: "0", count: 3 - String(millis).count) + String(millis)
                out += "\(prefix) \(GoFloatFormat.format(sample.value)) \(sample.timestamp / 1000).\(fraction)0005\n"
            }
        }
        return out + "# EOF\n"
    }
}

/// SplitMix64: a fixed-seed generator, so every run produces the same data.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A value in [0, 1).
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
