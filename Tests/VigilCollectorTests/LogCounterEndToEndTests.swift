import Foundation
import VigilModel
import XCTest

/// The agent binary tails a real log file through a rename rotation and the collector ends
/// up with the counters a 5xx-ratio alert needs.
final class LogCounterEndToEndTests: XCTestCase {
    func testNginxLinesBecomeCountersAcrossRotation() throws {
        let collector = try CollectorProcess(config: "[self_monitor]\nenabled = false\n")
        defer { collector.stop() }
        let state = TestPaths.temporaryDirectory("logs")
        let log = state + "/access.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        try """
            state_dir = "\(state)"
            collectors = ["loadavg"]
            [[log_counter]]
            file = "\(log)"
            metric = "http_requests_total"
            pattern = '^\\S++ \\S++ \\S++ \\[[^\\]]*+\\] "(?<method>[A-Z]++) (?<path>[^ "?]*+)[^"]*+" (?<status>\\d{3}) '
            labels = ["status", "method"]
            """.write(toFile: state + "/agent.conf", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: ["--config", state + "/agent.conf", "--collector", collector.url, "--interval", "1s", "--host", "web-7"])
        defer { _ = agent.stop() }
        Thread.sleep(forTimeInterval: 1.5)

        func line(_ status: Int, _ method: String = "GET") -> String {
            "10.0.0.1 - - [21/Nov/2026:20:00:00 +0000] \"\(method) /api/items?id=1 HTTP/1.1\" \(status) 512 \"-\" \"curl/8\"\n"
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        handle.write(Data((String(repeating: line(200), count: 95) + String(repeating: line(503), count: 4) + line(502, "POST")).utf8))
        try handle.close()
        Thread.sleep(forTimeInterval: 1.5)
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try String(repeating: line(503), count: 10).write(toFile: log, atomically: false, encoding: .utf8)
        Thread.sleep(forTimeInterval: 2.5)

        let client = try IngestClient(url: collector.url)
        let now = UnixTime.nowMilliseconds()
        func value(_ query: String) throws -> Double? {
            try client.query(query, time: now).first.flatMap { ($0["value"] as? [Any])?[1] as? String }.flatMap(Double.init)
        }
        XCTAssertEqual(try value("http_requests_total{host=\"web-7\",status=\"200\",method=\"GET\"}"), 95, agent.logText)
        XCTAssertEqual(try value("http_requests_total{status=\"503\"}"), 14, "4 before the rotation, 10 after: \(agent.logText)")
        XCTAssertEqual(try value("sum(http_requests_total{status=~\"5..\"}) / sum(http_requests_total)"), 15.0 / 110.0)
        XCTAssertEqual(try value("vigil_agent_log_rotations_total"), 1)
    }
}
