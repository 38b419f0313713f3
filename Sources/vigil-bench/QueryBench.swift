import ArgumentParser
import Foundation
import VigilHTTPClient
import VigilModel
import VigilWire

/// PromQL latency of the collector beside Prometheus on the same node-shaped fleet. Each
/// store is loaded through its own path: OpenMetrics text and `promtool tsdb
/// create-blocks-from openmetrics` for Prometheus, the HTTP ingest endpoint for Vigil.
/// scripts/bench-query.sh runs the three steps and starts and stops both servers.
struct QueryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "PromQL query latency of the collector beside Prometheus on the same node-shaped data.",
        subcommands: [QueryBenchOpenMetrics.self, QueryBenchLoad.self, QueryBenchCompare.self]
    )
}

/// The fleet's size; the three steps must be given the same values to see the same data.
struct FleetOptions: ParsableArguments {
    @Option(help: "Hosts (42 series each: 32 CPU-mode counters, 6 network counters, 4 gauges).")
    var hosts = 100

    @Option(help: "Hours of samples, 10 s apart, from the fleet's fixed start time.")
    var hours = 24

    func validate() throws {
        guard (1...999).contains(hosts) else { throw ValidationError("--hosts must be 1 to 999, got \(hosts)") }
        guard (1...720).contains(hours) else { throw ValidationError("--hours must be 1 to 720, got \(hours)") }
    }

    var fleet: NodeFleet { NodeFleet(hosts: hosts, hours: hours) }
}

// MARK: - The data

/// Deterministic node_exporter-shaped series for a fleet: per host 4 CPUs × 8 modes of
/// `node_cpu_seconds_total` (float seconds in 0.01 s steps that add up to 10 s per CPU per
/// sample), receive and transmit byte counters for 3 devices, load, memory and file-system
/// gauges. Utilization follows a daily cycle with noise; hosts 7, 32, 57 and 82 reboot once,
/// so their counters start over. Every sample is 10 s after the previous one.
struct NodeFleet {
    /// 2023-11-15T18:00:00Z, 12 h into a 54 h-aligned range: 24 h of data then fall into two
    /// of Prometheus' 18 h block ranges in one 54 h range, a layout its compactor leaves alone.
    static let start: Int64 = 1_700_071_200_000
    static let spacing: Int64 = 10_000
    static let samplesPerHour = 360
    static let cpus = 4
    /// Modes in node_exporter's order with their share of busy time; idle takes the rest.
    static let modes: [(name: String, share: Double)] = [
        ("idle", 0), ("iowait", 0.06), ("irq", 0.01), ("nice", 0.02), ("softirq", 0.04), ("steal", 0.03),
        ("system", 0.22), ("user", 0.62),
    ]
    static let devices: [(name: String, bytesPerSecond: Double)] = [("eth0", 2e6), ("eth1", 1e5), ("lo", 2e4)]
    static let seriesPerHost = cpus * modes.count + devices.count * 2 + 4

    let hosts: Int
    let hours: Int

    var samplesPerSeries: Int { hours * Self.samplesPerHour }
    var seriesCount: Int { hosts * Self.seriesPerHost }
    var sampleCount: Int { seriesCount * samplesPerSeries }
    /// The newest sample's time (ms).
    var end: Int64 { Self.start + Int64(samplesPerSeries - 1) * Self.spacing }

    /// The `instance` label of host `index`: `host-007:9100`.
    static func instance(_ index: Int) -> String {
        let digits = String(index)
        return "host-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits + ":9100"
    }

    /// Every series of host `host`, all samples; the same on every call.
    func series(ofHost host: Int) -> [SeriesSamples] {
        var random = FleetRandom(seed: 0x5EED_0000 &+ UInt64(host))
        let count = samplesPerSeries
        let instance = Self.instance(host)
        func labels(_ name: String, _ extra: [(String, String)] = []) -> Labels {
            Labels(name: name, [("instance", instance), ("job", "node")] + extra)
        }
        let times = (0..<count).map { Self.start + Int64($0) * Self.spacing }
        let busy = 0.05 + 0.45 * random.unit()
        let phase = random.unit() * 2 * Double.pi
        let uptime = Double(2 + host % 30) * 86_400
        let reboot = host % 25 == 7 ? (13 + host % 5) * Self.samplesPerHour + 17 : -1
        let utilization = (0..<count).map { n in
            let daily = sin(2 * Double.pi * Double(n) / 8_640 + phase)
            return min(0.97, max(0.01, busy * (1 + 0.6 * daily) + 0.08 * (random.unit() - 0.5)))
        }
        var result: [SeriesSamples] = []
        result.reserveCapacity(Self.seriesPerHost)

        for cpu in 0..<Self.cpus {
            // Centiseconds, the kernel's USER_HZ ticks that node_exporter divides by 100.
            var ticks = Self.modes.map { Int64(uptime * 100 * ($0.share == 0 ? 1 - busy : busy * $0.share)) }
            var samples = [[Sample]](repeating: [], count: Self.modes.count)
            for m in samples.indices { samples[m].reserveCapacity(count) }
            for n in 0..<count {
                if n == reboot { ticks = ticks.map { _ in 0 } }
                let busyTicks = 1_000 * utilization[n] * (0.9 + 0.2 * random.unit())
                var used: Int64 = 0
                for m in 1..<Self.modes.count {
                    let step = Int64((busyTicks * Self.modes[m].share * (0.6 + 0.8 * random.unit())).rounded())
                    ticks[m] += step
                    used += step
                }
                ticks[0] += max(0, 1_000 - used)
                for m in samples.indices { samples[m].append(Sample(timestamp: times[n], value: Double(ticks[m]) / 100)) }
            }
            for m in samples.indices {
                result.append(SeriesSamples(labels: labels("node_cpu_seconds_total", [("cpu", String(cpu)), ("mode", Self.modes[m].name)]),
                                            samples: samples[m]))
            }
        }

        let traffic = 0.2 + 1.8 * random.unit()
        for device in Self.devices {
            for (direction, share) in [("receive", 1.0), ("transmit", 0.4)] {
                let perStep = 10 * device.bytesPerSecond * traffic * share
                var bytes = Int64(uptime * perStep / 10)
                var samples: [Sample] = []
                samples.reserveCapacity(count)
                for n in 0..<count {
                    if n == reboot { bytes = 0 }
                    bytes += Int64(perStep * (0.3 + 1.4 * utilization[n]) * (0.5 + random.unit()))
                    samples.append(Sample(timestamp: times[n], value: Double(bytes)))
                }
                result.append(SeriesSamples(labels: labels("node_network_\(direction)_bytes_total", [("device", device.name)]), samples: samples))
            }
        }

        let memoryTotal = Double([8, 16, 32][host % 3]) * 1_073_741_824
        var load = utilization[0] * Double(Self.cpus)
        var free = 40e9 - Double(host) * 1e8
        var loads: [Sample] = [], available: [Sample] = [], totals: [Sample] = [], filesystem: [Sample] = []
        for n in 0..<count {
            load = 0.92 * load + 0.08 * utilization[n] * Double(Self.cpus) * (0.8 + 0.4 * random.unit())
            loads.append(Sample(timestamp: times[n], value: (load * 100).rounded() / 100))
            let memory = memoryTotal * (0.55 - 0.3 * utilization[n] + 0.03 * random.unit())
            available.append(Sample(timestamp: times[n], value: (memory / 4_096).rounded() * 4_096))
            totals.append(Sample(timestamp: times[n], value: memoryTotal))
            free -= 4_096 * (random.unit() * 20).rounded()
            if n % 2_160 == 2_159 { free += 2e9 }
            filesystem.append(Sample(timestamp: times[n], value: free))
        }
        result.append(SeriesSamples(labels: labels("node_load1"), samples: loads))
        result.append(SeriesSamples(labels: labels("node_memory_MemAvailable_bytes"), samples: available))
        result.append(SeriesSamples(labels: labels("node_memory_MemTotal_bytes"), samples: totals))
        result.append(SeriesSamples(labels: labels("node_filesystem_avail_bytes", [("device", "/dev/vda1"), ("fstype", "ext4"), ("mountpoint", "/")]),
                                    samples: filesystem))
        return result
    }
}

/// SplitMix64 with a fixed seed, so every run generates the same fleet.
struct FleetRandom {
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
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}

// MARK: - Step 1: OpenMetrics text for promtool

/// Writes the fleet as OpenMetrics text (one series' samples after another, `# EOF` last),
/// the input of `promtool tsdb create-blocks-from openmetrics`.
struct QueryBenchOpenMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openmetrics", abstract: "Write the fleet as OpenMetrics text for promtool.")

    @OptionGroup var fleetOptions: FleetOptions

    @Option(help: "File to write (several GB at 100 hosts × 24 h).")
    var output: String

    func run() throws {
        let fleet = fleetOptions.fleet
        guard let file = fopen(output, "w") else {
            throw ValidationError("cannot create \(output): \(String(cString: strerror(errno)))")
        }
        let clock = ContinuousClock.now
        var buffer: [UInt8] = []
        buffer.reserveCapacity(9 << 20)
        var written = 0
        func flush() throws {
            let count = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard count == buffer.count else {
                throw ValidationError("writing \(output) failed after \(written + count) bytes: \(String(cString: strerror(errno)))")
            }
            written += count
            buffer.removeAll(keepingCapacity: true)
        }
        for host in 0..<fleet.hosts {
            for series in fleet.series(ofHost: host) {
                let prefix = OpenMetricsText.seriesPrefix(series.labels)
                for sample in series.samples {
                    precondition(sample.timestamp % 1_000 == 0, "bug: fleet timestamps are whole seconds, got \(sample.timestamp) ms")
                    buffer.append(contentsOf: prefix)
                    OpenMetricsText.appendValue(sample.value, to: &buffer)
                    buffer.append(UInt8(ascii: " "))
                    OpenMetricsText.appendInteger(sample.timestamp / 1_000, to: &buffer)
                    buffer.append(UInt8(ascii: "\n"))
                }
                if buffer.count >= 8 << 20 { try flush() }
            }
        }
        buffer.append(contentsOf: Array("# EOF\n".utf8))
        try flush()
        guard fclose(file) == 0 else { throw ValidationError("closing \(output) failed: \(String(cString: strerror(errno)))") }
        print(String(format: "wrote %@: %d series, %d samples, %.2f GB in %.1f s", output, fleet.seriesCount, fleet.sampleCount,
                     Double(written) / 1e9, QueryTiming.seconds(since: clock)))
    }
}

/// The pieces of an OpenMetrics sample line.
enum OpenMetricsText {
    /// `name{a="x",b="y"} ` with the trailing space.
    static func seriesPrefix(_ labels: Labels) -> [UInt8] {
        let rest = labels.filter { $0.name != Label.metricName }
        let inner = rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ",")
        return Array(((labels.metricName ?? "") + (rest.isEmpty ? "" : "{" + inner + "}") + " ").utf8)
    }

    /// The shortest text that parses back to `value`: an integer or a number with two
    /// decimals when that is exact (all counters and most gauges here), else Swift's
    /// shortest round-trip form, which Go's ParseFloat reads back to the same value.
    static func appendValue(_ value: Double, to out: inout [UInt8]) {
        if value.rounded() == value, abs(value) < 1e15 {
            appendInteger(Int64(value), to: &out)
            return
        }
        let centis = (value * 100).rounded()
        if abs(centis) < 1e15, Double(Int64(centis)) / 100 == value {
            let whole = Int64(centis)
            if whole < 0 { out.append(UInt8(ascii: "-")) }
            appendInteger(abs(whole) / 100, to: &out)
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0") + UInt8(abs(whole) / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(abs(whole) % 10))
            return
        }
        out.append(contentsOf: Array(value.description.utf8))
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(raw[index]) }
        }
    }
}

// MARK: - Step 2: load the collector through its ingest endpoint

/// Posts the fleet to a running collector as agents catching up would: one batch per host
/// per hour (42 series × 360 samples), all hosts' hour h before any host's hour h + 1, so
/// every series arrives in time order and the collector cuts and compacts blocks behind the
/// newest hour as it goes. Then waits until the collector's CPU time stops growing, so that
/// background block cuts and compaction are done before anything is timed.
struct QueryBenchLoad: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load the fleet into a collector through POST /api/v1/ingest.")

    @OptionGroup var fleetOptions: FleetOptions

    @Option(help: "Collector URL.")
    var url = "http://127.0.0.1:9470"

    @Option(help: "PID of the collector, to see when its background work is done.")
    var collectorPid: Int32

    @Option(help: "Concurrent connections.")
    var connections = 2

    func run() throws {
        let fleet = fleetOptions.fleet
        let endpoint = try HTTPURL(parsing: url)
        let clock = ContinuousClock.now
        var batches = [[[UInt8]]](repeating: [], count: fleet.hours)
        var bytes = 0
        for host in 0..<fleet.hosts {
            let series = fleet.series(ofHost: host)
            for hour in 0..<fleet.hours {
                let window = hour * NodeFleet.samplesPerHour..<(hour + 1) * NodeFleet.samplesPerHour
                let slice = series.map { SeriesSamples(labels: $0.labels, samples: Array($0.samples[window])) }
                let batch = Batch(agentID: "fleet-" + NodeFleet.instance(host), agentVersion: VigilBuild.version,
                                  sequence: UInt64(hour + 1), series: slice)
                let body = BatchCodec.compress(batch, level: 1)
                bytes += body.count
                batches[hour].append(body)
            }
        }
        print(String(format: "encoded %d batches (%d samples, %.1f MB compressed) in %.1f s",
                     fleet.hosts * fleet.hours, fleet.sampleCount, Double(bytes) / 1e6, QueryTiming.seconds(since: clock)))

        let before = try CollectorScrape(url: endpoint)
        let cpuBefore = ProcessCPU.seconds(pid: collectorPid) ?? 0
        let load = IngestLoad(endpoint: endpoint, connections: connections)
        var wall = 0.0
        for hour in batches.indices {
            let result = load.post(batches[hour][...])
            guard result.failures == 0 else {
                throw ValidationError("hour \(hour): \(result.failures) of \(batches[hour].count) batches failed; first: \(result.firstFailure ?? "?")")
            }
            wall += result.wallSeconds
        }
        let cpu = (ProcessCPU.seconds(pid: collectorPid) ?? 0) - cpuBefore
        let after = try CollectorScrape(url: endpoint)
        let stored = Int((after["vigil_ingest_samples_total"] ?? 0) - (before["vigil_ingest_samples_total"] ?? 0))
        guard stored == fleet.sampleCount else {
            throw ValidationError("the collector stored \(stored) of the \(fleet.sampleCount) samples sent; see its log")
        }
        print(String(format: "ingested %d samples in %.1f s wall, collector CPU %.1f s", stored, wall, cpu))
        let settle = try QueryTiming.waitUntilIdle(pid: collectorPid, name: "collector")
        let settled = try CollectorScrape(url: endpoint)
        print(String(format: "background block cuts and compaction done %.1f s later; head now holds %d series, %d samples",
                     settle, Int(settled["vigil_storage_head_series"] ?? 0), Int(settled["vigil_storage_head_samples"] ?? 0)))
    }
}

// MARK: - Step 3: time the queries on both servers

/// Runs each query once on each server (the first, cold run; its answers are compared), then
/// `runs` more times alternating between the servers, with one client and one keep-alive
/// connection per server. Wall time is from sending the request to having read the whole
/// response; CPU is the server's utime+stime (/proc/PID/stat, 10 ms ticks) around each request.
struct QueryBenchCompare: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Time PromQL queries on the collector and on Prometheus and compare the answers.")

    @OptionGroup var fleetOptions: FleetOptions

    @Option(help: "Collector URL.")
    var vigilURL: String

    @Option(help: "PID of the collector.")
    var vigilPid: Int32

    @Option(help: "Bearer token for the collector, when it has tokens configured.")
    var vigilToken: String?

    @Option(help: "Prometheus URL.")
    var prometheusURL: String

    @Option(help: "PID of Prometheus.")
    var prometheusPid: Int32

    @Option(help: "Timed runs per query and server after the first.")
    var runs = 5

    @Option(help: "Relative tolerance for equal values.")
    var tolerance = 1e-6

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let fleet = fleetOptions.fleet
        let servers = [
            QueryServer(name: "Vigil", url: try HTTPURL(parsing: vigilURL), pid: vigilPid, token: vigilToken),
            QueryServer(name: "Prometheus", url: try HTTPURL(parsing: prometheusURL), pid: prometheusPid, token: nil),
        ]
        for server in servers { _ = try QueryTiming.waitUntilIdle(pid: server.pid, name: server.name) }
        var rows: [String] = []
        var agreements: [String] = []
        var disagreements = 0
        for query in BenchQuery.all(fleet) {
            print("\n\(query.title): \(query.expression)")
            var first: [QueryTiming] = []
            var answers: [QueryAnswer] = []
            for server in servers {
                let (timing, body) = try server.time(query)
                first.append(timing)
                answers.append(try QueryAnswer(body: body, server: server.name))
                print(String(format: "  %@ first run: %.3f s, CPU %.2f s, %.1f MB", server.name, timing.wall, timing.cpu, Double(body.count) / 1e6))
            }
            var timings = [[QueryTiming]](repeating: [], count: servers.count)
            for _ in 0..<runs {
                for (index, server) in servers.enumerated() { timings[index].append(try server.time(query).timing) }
            }
            for (index, server) in servers.enumerated() {
                let walls = timings[index].map(\.wall).sorted()
                let cpu = timings[index].reduce(0) { $0 + $1.cpu }
                let wall = walls.reduce(0, +)
                let row = String(format: "%.3f | %.3f | %.3f | %.2f | %.2f", first[index].wall, walls[0], walls[walls.count / 2],
                                 cpu / Double(runs), cpu / wall)
                print("  \(server.name): first, min, median s, CPU s per query, CPU / wall: \(row)")
                rows.append("| \(query.title) | \(server.name) | \(answers[index].series) | \(answers[index].points) | \(row) |")
            }
            let agreement = answers[0].compare(with: answers[1], tolerance: tolerance)
            if agreement.problem != nil { disagreements += 1 }
            let verdict = agreement.problem.map { "**no**: \($0)" } ?? "yes"
            print("  answers agree: \(verdict) (largest relative difference \(agreement.largestDifference))")
            agreements.append("| \(query.title) | \(answers[0].series) / \(answers[1].series) | \(answers[0].points) / \(answers[1].points) | \(verdict) | \(String(format: "%.1e", agreement.largestDifference)) |")
        }
        print("\n| query | server | series | points | first s | min s | median s | CPU s per query | CPU / wall |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in rows { print(row) }
        print("\n| query | series (Vigil / Prometheus) | points (Vigil / Prometheus) | agree within \(tolerance) | largest relative difference |")
        print("| --- | --- | --- | --- | --- |")
        for row in agreements { print(row) }
        if disagreements > 0 { throw ExitCode(1) }
    }
}

/// One benchmarked request: a range query, or an instant query when `step` is nil.
struct BenchQuery {
    var title: String
    var expression: String
    var start: Int64
    var end: Int64
    var step: Int64?

    /// The issue's two range queries, the first summed to one series (the same reading and
    /// evaluation with almost no response to write), an instant query and two single-series
    /// reads, all ending at the fleet's newest sample and reaching back at most 24 h.
    static func all(_ fleet: NodeFleet) -> [BenchQuery] {
        let end = fleet.end
        let start = end - Int64(min(fleet.hours, 24)) * 3_600_000
        let hours = (end - start) / 3_600_000
        let one = NodeFleet.instance(fleet.hosts / 2)
        return [
            BenchQuery(title: "CPU rate, \(fleet.hosts * NodeFleet.cpus * NodeFleet.modes.count) series, \(hours) h at 5 m",
                       expression: "rate(node_cpu_seconds_total[5m])", start: start, end: end, step: 300_000),
            BenchQuery(title: "the same summed to one series (little JSON)",
                       expression: "sum(rate(node_cpu_seconds_total[5m]))", start: start, end: end, step: 300_000),
            BenchQuery(title: "network sum by instance, \(fleet.hosts) hosts, \(hours) h at 1 m",
                       expression: "sum by (instance)(rate(node_network_receive_bytes_total[5m]))", start: start, end: end, step: 60_000),
            BenchQuery(title: "instant: busy CPU by instance",
                       expression: "sum by (instance)(rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))", start: end, end: end, step: nil),
            BenchQuery(title: "one series, \(hours) h raw samples",
                       expression: "node_cpu_seconds_total{instance=\"\(one)\",cpu=\"0\",mode=\"user\"}[\(hours)h]", start: end, end: end, step: nil),
            BenchQuery(title: "one series, \(hours) h at 1 m",
                       expression: "node_memory_MemAvailable_bytes{instance=\"\(one)\"}", start: start, end: end, step: 60_000),
        ]
    }

    /// The request path with its query string; times in seconds as Prometheus takes them.
    var path: String {
        func seconds(_ ms: Int64) -> String { String(format: "%.3f", Double(ms) / 1_000) }
        if let step {
            return "/api/v1/query_range?" + HTTPQuery.encode([
                ("query", expression), ("start", seconds(start)), ("end", seconds(end)), ("step", seconds(step)),
            ])
        }
        return "/api/v1/query?" + HTTPQuery.encode([("query", expression), ("time", seconds(end))])
    }
}

/// A server under test: where it listens, its process, one keep-alive connection.
struct QueryServer {
    let name: String
    let pid: Int32
    let client: HTTPClient
    let headers: [(String, String)]

    init(name: String, url: HTTPURL, pid: Int32, token: String?) {
        self.name = name
        self.pid = pid
        client = HTTPClient(url: url, timeout: .seconds(300), maxResponseBytes: 1 << 30)
        headers = token.map { [("Authorization", "Bearer " + $0)] } ?? []
    }

    /// Sends `query` once; throws unless the answer is 200 with `"status":"success"`.
    func time(_ query: BenchQuery) throws -> (timing: QueryTiming, body: [UInt8]) {
        let cpuBefore = try cpuSeconds()
        let started = ContinuousClock.now
        let response = try client.send(method: "GET", path: query.path, headers: headers)
        let wall = QueryTiming.seconds(since: started)
        let cpu = try cpuSeconds() - cpuBefore
        guard response.status == 200, response.body.starts(with: Array("{\"status\":\"success\"".utf8)) else {
            throw ValidationError("\(name) answered \(response.status) to \(query.expression): \(response.bodyText.prefix(400))")
        }
        return (QueryTiming(wall: wall, cpu: cpu), response.body)
    }

    private func cpuSeconds() throws -> Double {
        guard let seconds = ProcessCPU.seconds(pid: pid) else {
            throw ValidationError("cannot read /proc/\(pid)/stat: is \(pid) the running \(name)?")
        }
        return seconds
    }
}

/// Wall and server CPU seconds of one request.
struct QueryTiming {
    var wall: Double
    var cpu: Double

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Waits until `pid` used under 20 ms of CPU in each of 6 half-second intervals in a row;
    /// returns the seconds waited. Throws after 15 minutes or when the process is gone.
    static func waitUntilIdle(pid: Int32, name: String) throws -> Double {
        let started = ContinuousClock.now
        var quiet = 0
        guard var last = ProcessCPU.seconds(pid: pid) else { throw ValidationError("\(name) (pid \(pid)) is not running") }
        while quiet < 6 {
            usleep(500_000)
            guard let now = ProcessCPU.seconds(pid: pid) else { throw ValidationError("\(name) (pid \(pid)) exited") }
            quiet = now - last < 0.02 ? quiet + 1 : 0
            last = now
            if seconds(since: started) > 900 { throw ValidationError("\(name) (pid \(pid)) was still busy after 15 minutes") }
        }
        return seconds(since: started)
    }
}

/// A query answer reduced to what is compared: each series' sorted label text and its
/// (ms, value) points. A vector's element is a series with one point.
struct QueryAnswer {
    var points: Int
    private var byLabels: [String: [(time: Int64, value: Double)]]

    var series: Int { byLabels.count }

    init(body: [UInt8], server: String) throws {
        guard let envelope = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = envelope["data"] as? [String: Any], let type = data["resultType"] as? String,
              let result = data["result"] as? [[String: Any]] else {
            throw ValidationError("\(server)'s answer is not a Prometheus vector or matrix: \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        func point(_ pair: Any?) throws -> (Int64, Double) {
            guard let pair = pair as? [Any], pair.count == 2, let time = (pair[0] as? NSNumber)?.doubleValue,
                  let text = pair[1] as? String, let value = Double(text) else {
                throw ValidationError("\(server)'s answer has a malformed [time, \"value\"] pair: \(String(describing: pair))")
            }
            return (Int64((time * 1_000).rounded()), value)
        }
        var byLabels: [String: [(time: Int64, value: Double)]] = [:]
        var points = 0
        for element in result {
            let metric = element["metric"] as? [String: String] ?? [:]
            let key = metric.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
            let pairs = try type == "matrix" ? (element["values"] as? [Any] ?? []).map(point) : [point(element["value"])]
            guard byLabels[key] == nil else { throw ValidationError("\(server) returned the series {\(key)} twice") }
            byLabels[key] = pairs.map { (time: $0.0, value: $0.1) }
            points += pairs.count
        }
        self.byLabels = byLabels
        self.points = points
    }

    /// The largest relative difference between equal-labelled points (NaN equals NaN), and
    /// the first difference beyond `tolerance` or in series or timestamps, if any.
    func compare(with other: QueryAnswer, tolerance: Double) -> (largestDifference: Double, problem: String?) {
        var largest = 0.0
        guard Set(byLabels.keys) == Set(other.byLabels.keys) else {
            let missing = Set(other.byLabels.keys).subtracting(byLabels.keys).sorted().prefix(2)
            let extra = Set(byLabels.keys).subtracting(other.byLabels.keys).sorted().prefix(2)
            return (largest, "series differ: only in the second {\(missing.joined(separator: "} {"))}, only in the first {\(extra.joined(separator: "} {"))}")
        }
        for (key, mine) in byLabels.sorted(by: { $0.key < $1.key }) {
            let theirs = other.byLabels[key]!
            guard mine.map(\.time) == theirs.map(\.time) else {
                return (largest, "{\(key)} has \(mine.count) points at other times than the other's \(theirs.count)")
            }
            for (a, b) in zip(mine, theirs) {
                if a.value.isNaN && b.value.isNaN || a.value == b.value { continue }
                let difference = abs(a.value - b.value) / max(abs(a.value), abs(b.value))
                largest = max(largest, difference.isNaN ? .infinity : difference)
                if !(difference <= tolerance) {
                    return (largest, "{\(key)} at \(a.time) ms: \(a.value) against \(b.value)")
                }
            }
        }
        return (largest, nil)
    }
}
