import Foundation
import VigilModel
import VigilTestSupport
import VigilWire
import XCTest

/// `promtool query ...` against the collector prints exactly what it prints against a real
/// Prometheus 2.42 holding the same samples (blocks built by promtool from OpenMetrics text).
final class PromtoolCompatibilityTests: XCTestCase {
    func testPromtoolPrintsTheSameAgainstVigilAndPrometheus() throws {
        guard let binaries = PrometheusServer.binaries() else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("prometheus and promtool are not installed; scripts/install-deps.sh --test installs them")
            }
            throw XCTSkip("prometheus/promtool not installed (apt-get install prometheus)")
        }
        let start = (UnixTime.nowMilliseconds() / 60_000 - 180) * 60_000
        let series = Self.series(start: start)
        let directory = TestPaths.temporaryDirectory("promtool")
        let prometheus = try PrometheusServer(openMetrics: Self.openMetrics(series), directory: directory,
                                              prometheus: binaries.prometheus, promtool: binaries.promtool)
        defer { prometheus.stop() }
        let collector = try CollectorProcess(config: "[self_monitor]\nenabled = false\n")
        defer { collector.stop() }
        let batch = Batch(agentID: "promtool-test", agentVersion: "1", sequence: 1, series: series)
        XCTAssertEqual(try IngestClient(url: collector.url).send(batch).status, 204)

        let at = String((start + 100 * 15_000) / 1000)
        let from = String((start + 10 * 15_000) / 1000)
        let to = String((start + 170 * 15_000) / 1000)
        let commands: [[String]] = [
            ["query", "instant", "--time=\(at)", "URL", "node_test_bytes_total"],
            ["query", "instant", "--time=\(at)", "URL", "sum by (host) (rate(node_test_bytes_total[5m]))"],
            ["query", "instant", "--time=\(at)", "URL", "node_test_load > 1"],
            ["query", "range", "--start=\(from)", "--end=\(to)", "--step=5m", "URL", "rate(node_test_bytes_total{dev=\"eth0\"}[2m])"],
            ["query", "range", "--start=\(from)", "--end=\(to)", "--step=7m", "URL", "avg_over_time(node_test_load[10m])"],
            ["query", "series", "--match=node_test_load", "URL"],
            ["query", "labels", "URL", "dev"],
        ]
        for command in commands {
            let againstPrometheus = try Self.promtool(binaries.promtool, command, url: "http://127.0.0.1:\(prometheus.port)")
            let againstVigil = try Self.promtool(binaries.promtool, command, url: collector.url)
            XCTAssertEqual(againstPrometheus.status, 0, "\(command): \(againstPrometheus.output)")
            XCTAssertFalse(againstPrometheus.output.isEmpty, "\(command)")
            XCTAssertEqual(againstVigil.output, againstPrometheus.output, "\(command)")
        }
    }

    /// Two hosts, two devices: integer byte counters (one with a reset) and a float gauge, every 15 s for 45 min.
    static func series(start: Int64) -> [SeriesSamples] {
        var result: [SeriesSamples] = []
        for host in ["a", "b"] {
            for (deviceIndex, device) in ["eth0", "lo"].enumerated() {
                var total = 0.0
                let samples = (0..<180).map { step -> Sample in
                    total = step == 90 && host == "b" ? 0 : total + Double(1000 * (deviceIndex + 1) + step % 7 * 13)
                    return Sample(timestamp: start + Int64(step) * 15_000, value: total)
                }
                result.append(SeriesSamples(labels: Labels(name: "node_test_bytes_total", [("host", host), ("dev", device)]), samples: samples))
            }
            let load = (0..<180).map { step in
                Sample(timestamp: start + Int64(step) * 15_000, value: (host == "a" ? 0.5 : 1.25) + Double(step % 11) / 8)
            }
            result.append(SeriesSamples(labels: Labels(name: "node_test_load", [("host", host)]), samples: load))
        }
        return result
    }

    static func openMetrics(_ series: [SeriesSamples]) -> String {
        var text = ""
        var lastName = ""
        for item in series.sorted(by: { ($0.labels.metricName ?? "") < ($1.labels.metricName ?? "") }) {
            let name = item.labels.metricName ?? ""
            if name != lastName {
                text += "# TYPE \(name) gauge\n"
                lastName = name
            }
            let labels = item.labels.filter { $0.name != Label.metricName }.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
            for sample in item.samples {
                text += "\(name){\(labels)} \(GoFloatFormat.format(sample.value)) \(PrometheusNumber(sample.timestamp))\n"
            }
        }
        return text + "# EOF\n"
    }

    private static func PrometheusNumber(_ milliseconds: Int64) -> String {
        "\(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(3))"
    }

    static func promtool(_ path: String, _ command: [String], url: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = command.map { $0 == "URL" ? url : $0 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
