import Foundation
import XCTest

/// What an operator sees from the two programs' command lines.
final class CommandLineTests: XCTestCase {
    func testCheckConfigReportsEveryProblemWithFileLineAndHint() throws {
        let directory = TestPaths.temporaryDirectory("check")
        let path = directory + "/collector.conf"
        try """
            listen = "127.0.0.1:9470"
            lissen = "x"
            [storage]
            shards = "four"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TestPaths.run("vigil-collector", ["check-config", path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("\(path):2:1: unknown key \"lissen\""), result.output)
        XCTAssertTrue(result.output.contains("did you mean \"listen\""), result.output)
        XCTAssertTrue(result.output.contains("\(path):4:"), result.output)

        let serve = try TestPaths.run("vigil-collector", ["serve", "--config", path, "--check-config"])
        XCTAssertNotEqual(serve.status, 0)
        XCTAssertTrue(serve.output.contains("unknown key \"lissen\""), serve.output)

        try "listen = \"127.0.0.1:9470\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let valid = try TestPaths.run("vigil-collector", ["check-config", path])
        XCTAssertEqual(valid.status, 0, valid.output)
        XCTAssertTrue(valid.output.contains("configuration is valid"))
    }

    func testAgentCheckConfigRejectsABadIntervalWithItsLine() throws {
        let directory = TestPaths.temporaryDirectory("agent-check")
        let path = directory + "/agent.conf"
        try "host = \"a\"\ninterval = \"500ms\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TestPaths.run("vigil-agent", ["--config", path, "--check-config"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("\(path):2:"), result.output)
        XCTAssertTrue(result.output.contains("interval"), result.output)

        let flag = try TestPaths.run("vigil-agent", ["--interval", "10x", "--check-config"])
        XCTAssertNotEqual(flag.status, 0)
        XCTAssertTrue(flag.output.contains("10x"), flag.output)
    }

    func testFleetVerbsExplainAnUnreachableCollector() throws {
        let result = try TestPaths.run("vigil-collector", ["hosts", "--url", "http://127.0.0.1:1", "--timeout", "2"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("cannot reach the collector at http://127.0.0.1:1"), result.output)
        XCTAssertFalse(result.output.contains("Usage:"), "a runtime failure is not a usage error: \(result.output)")
    }

    func testHelpNamesTheVerbs() throws {
        let result = try TestPaths.run("vigil-collector", ["--help"])
        XCTAssertEqual(result.status, 0)
        for verb in ["serve", "hosts", "query", "check-config"] {
            XCTAssertTrue(result.output.contains(verb), result.output)
        }
        let agent = try TestPaths.run("vigil-agent", ["--help"])
        for flag in ["--config", "--collector", "--interval", "--host", "--check-config"] {
            XCTAssertTrue(agent.output.contains(flag), agent.output)
        }
    }
}
