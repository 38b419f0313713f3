import Foundation
import VigilModel
import XCTest

/// The agent's disk spool and shipping with the real binaries: nothing is lost when the
/// collector is down and the agent itself is killed meanwhile; fail-over between collectors;
/// SIGHUP reload and SIGTERM.
final class AgentSpoolTests: XCTestCase {
    private let selfMonitorOff = "[self_monitor]\nenabled = false\n"

    private func agentConfig(_ state: String, _ extra: String = "") throws -> String {
        let path = state + "/agent.conf"
        try """
            state_dir = "\(state)"
            \(extra)
            [shipping]
            retry_initial = "200ms"
            retry_max = "1s"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEverySampleArrivesOnceAcrossACollectorOutageAndAnAgentKilledDuringIt() throws {
        let data = TestPaths.temporaryDirectory("spool-outage")
        var collector: CollectorProcess? = try CollectorProcess(dataDirectory: data, config: selfMonitorOff)
        let address = collector!.address
        let url = collector!.url
        let state = TestPaths.temporaryDirectory("spool-outage-agent")
        let arguments = ["--config", try agentConfig(state), "--collector", url, "--interval", "1s", "--host", "spool-host", "--token", ""]
        var agent = try AgentProcess(arguments: arguments)
        let started = UnixTime.nowMilliseconds()

        Thread.sleep(forTimeInterval: 2.5)
        collector!.kill()
        collector = nil
        Thread.sleep(forTimeInterval: 2.3)
        agent.kill()
        let killedLog = agent.logText
        agent = try AgentProcess(arguments: arguments)
        Thread.sleep(forTimeInterval: 2.7)
        let restarted = try CollectorProcess(dataDirectory: data, config: selfMonitorOff, listen: address)
        defer { restarted.stop() }
        Thread.sleep(forTimeInterval: 4)
        let (status, seconds) = agent.stop()
        let stopped = UnixTime.nowMilliseconds()
        XCTAssertEqual(status, 0, agent.logText)
        XCTAssertLessThan(seconds, 1, "SIGTERM stops the agent within a second")
        XCTAssertTrue(agent.logText.contains("spool holds unacknowledged batches; resending them"), agent.logText)

        let timestamps = try IngestClient(url: restarted.url)
            .rawTimestamps("vigil_agent_interval_seconds{host=\"spool-host\"}", at: stopped)
        let expectedTicks = Int((stopped - started) / 1000)
        XCTAssertGreaterThanOrEqual(timestamps.count, expectedTicks - 2, "one sample per second across the outage: \(timestamps)")
        XCTAssertEqual(timestamps, timestamps.sorted(), "in order")
        XCTAssertEqual(Set(timestamps).count, timestamps.count, "no duplicates")
        let gaps = zip(timestamps, timestamps.dropFirst()).map { $1 - $0 }
        // The killed agent's last tick and the restarted agent's first are less than one
        // interval plus its start-up apart; every other pair is one interval apart.
        XCTAssertTrue(gaps.allSatisfy { $0 > 0 && $0 <= 1_300 }, "no gap: \(gaps)\n\(killedLog)\n\(agent.logText)")
        XCTAssertLessThanOrEqual(gaps.filter { abs($0 - 1_000) > 150 }.count, 1, "only the restart breaks the 1 s rhythm: \(gaps)")
        XCTAssertLessThan(timestamps.first ?? .max, started + 1_500, "the first samples, sent before the outage, are there")
        let metrics = try IngestClient(url: restarted.url).get("/metrics").bodyText
        XCTAssertFalse(metrics.contains("vigil_ingest_out_of_order_samples_total 0\n"),
                       "fresh_first (the default) sends the present before the backlog, so the backlog arrives out of order")
    }

    func testTheAgentFailsOverToTheNextCollector() throws {
        let collector = try CollectorProcess(config: selfMonitorOff)
        defer { collector.stop() }
        let state = TestPaths.temporaryDirectory("spool-failover-agent")
        let agent = try AgentProcess(arguments: [
            "--config", try agentConfig(state), "--collector", "http://127.0.0.1:1", "--collector", collector.url,
            "--interval", "1s", "--host", "failover-host", "--token", "",
        ])
        let client = try IngestClient(url: collector.url)
        var timestamps: [Int64] = []
        for _ in 0..<100 where timestamps.count < 3 {
            Thread.sleep(forTimeInterval: 0.1)
            timestamps = try client.rawTimestamps("vigil_agent_interval_seconds{host=\"failover-host\"}", at: UnixTime.nowMilliseconds())
        }
        XCTAssertGreaterThanOrEqual(timestamps.count, 3, agent.logText)
        XCTAssertTrue(agent.logText.contains("cannot ship to a collector; trying the next"), agent.logText)
        XCTAssertEqual(agent.stop().status, 0)
    }

    func testSIGHUPReloadsTheConfigAndKeepsItWhenTheNewOneIsInvalid() throws {
        let collector = try CollectorProcess(config: selfMonitorOff)
        defer { collector.stop() }
        let state = TestPaths.temporaryDirectory("spool-reload-agent")
        let configPath = try agentConfig(state, "host = \"reload-1\"\ninterval = \"1s\"\n[collector]\nurl = \"\(collector.url)\"")
        let agent = try AgentProcess(arguments: ["--config", configPath, "--token", ""])
        let client = try IngestClient(url: collector.url)
        func samples(_ host: String) throws -> Int {
            try client.rawTimestamps("vigil_agent_interval_seconds{host=\"\(host)\"}", at: UnixTime.nowMilliseconds()).count
        }
        func waitFor(_ host: String) throws -> Bool {
            for _ in 0..<100 {
                if try samples(host) > 0 { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        XCTAssertTrue(try waitFor("reload-1"), agent.logText)

        _ = try agentConfig(state, "host = \"reload-2\"\ninterval = \"1s\"\n[collector]\nurl = \"\(collector.url)\"")
        agent.signal(SIGHUP)
        XCTAssertTrue(try waitFor("reload-2"), agent.logText)
        XCTAssertTrue(agent.logText.contains("configuration reloaded"), agent.logText)

        try "interval = \"soon\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        agent.signal(SIGHUP)
        let before = try samples("reload-2")
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertGreaterThan(try samples("reload-2"), before, "still sampling with the old config")
        XCTAssertTrue(agent.logText.contains("config reload failed; keeping the running config"), agent.logText)
        XCTAssertTrue(agent.process.isRunning)
        XCTAssertEqual(agent.stop().status, 0)
    }
}
