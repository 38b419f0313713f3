import Foundation
import VigilModel
import XCTest

/// An agent keeps every sample through a collector crash and restart: it queues batches
/// while the collector is down and delivers them, in order and once, when it is back.
final class AgentOutageTests: XCTestCase {
    func testNoSampleIsLostOrDuplicatedAcrossACollectorKillAndRestart() throws {
        let data = TestPaths.temporaryDirectory("outage")
        let selfMonitorOff = "[self_monitor]\nenabled = false\n"
        var collector: CollectorProcess? = try CollectorProcess(dataDirectory: data, config: selfMonitorOff)
        let address = collector!.address
        let url = collector!.url
        let state = TestPaths.temporaryDirectory("outage-agent")
        try "state_dir = \"\(state)\"\n[shipping]\nretry_initial = \"200ms\"\nretry_max = \"1s\"\n".write(toFile: state + "/agent.conf", atomically: true, encoding: .utf8)
        let agent = Process()
        agent.executableURL = TestPaths.binary("vigil-agent")
        agent.arguments = ["--config", state + "/agent.conf", "--collector", url, "--interval", "1s", "--host", "outage-host", "--token", ""]
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { if agent.isRunning { agent.terminate(); agent.waitUntilExit() } }
        let started = UnixTime.nowMilliseconds()

        Thread.sleep(forTimeInterval: 2.5)
        collector!.kill()
        collector = nil
        Thread.sleep(forTimeInterval: 3)
        let restarted = try CollectorProcess(dataDirectory: data, config: selfMonitorOff, listen: address)
        defer { restarted.stop() }
        Thread.sleep(forTimeInterval: 3)
        agent.terminate()
        agent.waitUntilExit()
        let stopped = UnixTime.nowMilliseconds()

        let client = try IngestClient(url: restarted.url)
        let result = try client.get("/api/v1/query", [
            ("query", "vigil_agent_interval_seconds{host=\"outage-host\"}[1m]"), ("time", String(Double(stopped) / 1000)),
        ])
        XCTAssertEqual(result.status, 200, result.bodyText)
        let data2 = (try JSONSerialization.jsonObject(with: Data(result.body)) as! [String: Any])["data"] as! [String: Any]
        let values = ((data2["result"] as! [[String: Any]]).first?["values"] as? [[Any]]) ?? []
        let timestamps = values.map { Int64((($0[0] as! Double) * 1000).rounded()) }
        let expectedTicks = Int((stopped - started) / 1000)
        XCTAssertGreaterThanOrEqual(timestamps.count, expectedTicks - 1, "one sample per second across the outage: \(timestamps)")
        XCTAssertEqual(timestamps, timestamps.sorted(), "in order")
        XCTAssertEqual(Set(timestamps).count, timestamps.count, "no duplicates")
        for (earlier, later) in zip(timestamps, timestamps.dropFirst()) {
            XCTAssertEqual(Double(later - earlier), 1000, accuracy: 150, "no gap: \(timestamps)")
        }
    }
}
