import Foundation
import VigilModel
import VigilWire
import VigilTestSupport
import XCTest

/// The agent's own `/metrics` listener, on a real agent shipping to a real collector.
final class AgentMetricsListenerTests: XCTestCase {
    func testTheListenerReportsWhatTheAgentCollectedSentAndSpooled() throws {
        let collector = try CollectorProcess(config: "[self_monitor]\nenabled = false\n")
        let state = TestPaths.temporaryDirectory("metrics-agent")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try "state_dir = \"\(state)\"\n[shipping]\nretry_initial = \"200ms\"\nretry_max = \"1s\"\n"
            .write(toFile: state + "/agent.conf", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: [
            "--config", state + "/agent.conf", "--collector", collector.url, "--interval", "1s", "--host", "metrics-host",
            "--token", "", "--metrics-listen", "127.0.0.1:0",
        ])
        defer { _ = agent.stop() }
        let address = try waitForListener(agent)

        var metrics = try scrape(address)
        for _ in 0..<100 where (metrics["vigil_agent_batches_sent_total"] ?? 0) < 3 {
            Thread.sleep(forTimeInterval: 0.1)
            metrics = try scrape(address)
        }
        XCTAssertGreaterThanOrEqual(metrics["vigil_agent_batches_sent_total"] ?? 0, 3, agent.logText)
        XCTAssertGreaterThanOrEqual(metrics["vigil_agent_ticks_total"] ?? 0, metrics["vigil_agent_batches_sent_total"] ?? 0)
        XCTAssertGreaterThan(metrics["vigil_agent_samples_collected_total"] ?? 0, 100)
        XCTAssertGreaterThan(metrics["vigil_agent_samples_sent_total"] ?? 0, 100)
        XCTAssertEqual(metrics["vigil_agent_send_failures_total"], 0)
        XCTAssertEqual(metrics["vigil_agent_send_duration_seconds_count"],
            (metrics["vigil_agent_batches_sent_total"] ?? 0) + (metrics["vigil_agent_send_failures_total"] ?? 0)
                + (metrics["vigil_agent_batches_rejected_total"] ?? 0), "every send is timed once")
        XCTAssertGreaterThan(metrics["vigil_agent_spool_bytes"] ?? 0, 0)
        XCTAssertGreaterThan(metrics["process_resident_memory_bytes"] ?? 0, 1_000_000)

        // Collector gone: failures are counted and the spool deepens.
        collector.kill()
        let pendingBefore = metrics["vigil_agent_spool_pending_batches"] ?? 0
        Thread.sleep(forTimeInterval: 3.5)
        metrics = try scrape(address)
        XCTAssertGreaterThan(metrics["vigil_agent_send_failures_total"] ?? 0, 0)
        XCTAssertGreaterThanOrEqual(metrics["vigil_agent_spool_pending_batches"] ?? 0, pendingBefore + 2)

        let other = try LoopbackRequest.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n", to: address)
        XCTAssertTrue(other.hasPrefix("HTTP/1.1 404"), other)
        let post = try LoopbackRequest.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", to: address)
        XCTAssertTrue(post.hasPrefix("HTTP/1.1 405"), post)
        let garbage = try LoopbackRequest.send("nonsense\r\n\r\n", to: address)
        XCTAssertTrue(garbage.hasPrefix("HTTP/1.1 400"), garbage)
    }

    func testPromtoolAcceptsTheExposition() throws {
        guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail("promtool is missing; scripts/install-deps.sh --test installs it") }
            throw XCTSkip("promtool is not installed (apt-get install prometheus)")
        }
        let state = TestPaths.temporaryDirectory("metrics-promtool")
        let agent = try AgentProcess(arguments: [
            "--collector", "http://127.0.0.1:1", "--interval", "1s", "--spool", state + "/spool", "--metrics-listen", "127.0.0.1:0",
        ])
        defer { _ = agent.stop() }
        let address = try waitForListener(agent)
        Thread.sleep(forTimeInterval: 1.5)
        let response = try LoopbackRequest.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", to: address)
        let body = String(response[response.range(of: "\r\n\r\n")!.upperBound...])
        let check = Process()
        check.executableURL = URL(fileURLWithPath: promtool)
        check.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        check.standardInput = input
        check.standardOutput = output
        check.standardError = output
        try check.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        check.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(check.terminationStatus, 0, said)
        XCTAssertEqual(said, "", "promtool finds no lint problem")
    }

    func testAnAddressInUseStopsTheAgentWithAClearError() throws {
        let first = try AgentProcess(arguments: [
            "--collector", "http://127.0.0.1:1", "--spool", TestPaths.temporaryDirectory("metrics-first") + "/spool",
            "--metrics-listen", "127.0.0.1:0",
        ])
        defer { _ = first.stop() }
        let taken = try waitForListener(first)
        let result = try TestPaths.run("vigil-agent", [
            "--collector", "http://127.0.0.1:1", "--spool", TestPaths.temporaryDirectory("metrics-second") + "/spool",
            "--metrics-listen", taken,
        ])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("cannot listen on \(taken) for metrics: Address already in use"), result.output)
    }

    private func waitForListener(_ agent: AgentProcess) throws -> String {
        for _ in 0..<100 {
            if let range = agent.logText.range(of: #"metrics on http://[0-9.]+:[0-9]+"#, options: .regularExpression) {
                return String(agent.logText[range].dropFirst("metrics on http://".count))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CollectorProcessError(message: "the agent did not report its metrics listener:\n\(agent.logText)")
    }

    /// Every unlabelled sample of a scrape, by name; parsed with the collector's own text parser.
    private func scrape(_ address: String) throws -> [String: Double] {
        let response = try LoopbackRequest.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", to: address)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 OK"), response)
        XCTAssertTrue(response.contains("Content-Type: text/plain; version=0.0.4"), response)
        guard let split = response.range(of: "\r\n\r\n") else { return [:] }
        var values: [String: Double] = [:]
        for sample in try PrometheusText.parse(String(response[split.upperBound...])) where sample.labels.count == 1 {
            values[sample.labels.metricName ?? ""] = sample.value
        }
        return values
    }
}

/// One raw HTTP exchange with the agent's listener at `HOST:PORT` (loopback), as text.
enum LoopbackRequest {
    static func send(_ request: String, to address: String) throws -> String {
        guard let port = address.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            throw CollectorProcessError(message: "no port in \(address)")
        }
        return String(decoding: try LoopbackHTTP.exchange(request, port: port), as: UTF8.self)
    }
}
