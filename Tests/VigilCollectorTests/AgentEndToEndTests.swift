import Foundation
import VigilModel
import XCTest

/// The real agent binary sampling this machine and shipping to the real collector, read
/// back through the fleet CLI binary.
final class AgentEndToEndTests: XCTestCase {
    func testAgentShipsHostMetricsThatTheCLIShows() throws {
        let collector = try CollectorProcess(config: """
            [self_monitor]
            enabled = false
            """)
        defer { collector.stop() }
        let state = TestPaths.temporaryDirectory("agent-state")
        let configPath = state + "/agent.conf"
        try """
            state_dir = "\(state)"
            [collector]
            url = "\(collector.url)"
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let agent = Process()
        agent.executableURL = TestPaths.binary("vigil-agent")
        agent.arguments = ["--config", configPath, "--interval", "1s", "--host", "e2e-host"]
        let agentOutput = Pipe()
        agent.standardError = agentOutput
        agent.standardOutput = agentOutput
        try agent.run()
        defer { if agent.isRunning { agent.terminate(); agent.waitUntilExit() } }

        var hostsOutput = ""
        for _ in 0..<100 {
            hostsOutput = try TestPaths.run("vigil-collector", ["hosts", "--url", collector.url]).output
            if hostsOutput.contains("e2e-host") && hostsOutput.contains(VigilBuild.version) { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(hostsOutput.contains("e2e-host"), hostsOutput)
        XCTAssertTrue(hostsOutput.contains("up"), hostsOutput)
        XCTAssertTrue(hostsOutput.hasPrefix("HOST"), hostsOutput)

        Thread.sleep(forTimeInterval: 2.5)
        let query = try TestPaths.run("vigil-collector", ["query", "node_load1{host=\"e2e-host\"}", "--url", collector.url])
        XCTAssertEqual(query.status, 0, query.output)
        XCTAssertTrue(query.output.contains("node_load1{host=\"e2e-host\"}"), query.output)

        let json = try TestPaths.run("vigil-collector", ["query", "node_memory_MemTotal_bytes{host=\"e2e-host\"}", "--json", "--url", collector.url])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
        let result = (object["data"] as! [String: Any])["result"] as! [[String: Any]]
        let memTotal = Double(((result.first?["value"] as? [Any])?[1] as? String) ?? "") ?? 0
        XCTAssertEqual(memTotal, try Self.memTotalBytes(), "MemTotal matches /proc/meminfo exactly")

        let range = try TestPaths.run("vigil-collector", ["query", "node_cpu_seconds_total{host=\"e2e-host\",cpu=\"0\",mode=\"idle\"}", "--range", "1m", "--step", "1s", "--url", collector.url])
        XCTAssertEqual(range.status, 0, range.output)
        let rows = range.output.split(separator: "\n").filter { $0.first?.isNumber == true }
        XCTAssertGreaterThanOrEqual(rows.count, 3, range.output)

        // The agent keeps its label tables from tick to tick, so after the first batches the
        // collector appends through its series cache.
        let metrics = try IngestClient(url: collector.url).get("/metrics").bodyText
        let hits = IngestSeriesCacheTests.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"hit\"}") ?? 0
        XCTAssertGreaterThanOrEqual(hits, 2, metrics.split(separator: "\n").filter { $0.contains("series_cache") }.joined(separator: "\n"))

        agent.terminate()
        let stoppedBy = Date().addingTimeInterval(3)
        while agent.isRunning && Date() < stoppedBy { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(agent.isRunning, "SIGTERM stops the agent within its 1 s drain")
        XCTAssertEqual(agent.terminationStatus, 0)
        let log = String(decoding: agentOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("stopped"), log)
    }

    static func memTotalBytes() throws -> Double {
        let text = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }!
        let kilobytes = Double(line.split(separator: " ")[1])!
        return kilobytes * 1024
    }
}
