import VigilAgent
import XCTest

final class AgentCommandLineTests: XCTestCase {
    func testFlagsInBothFormsAndRepeatedCollectors() throws {
        let line = try AgentCommandLine.parse([
            "--config", "/etc/vigil/agent.conf", "--collector=http://a:9470", "--collector", "http://b:9470",
            "--interval", "1s", "--host=web-1", "--token", "t", "--spool", "/var/spool/vigil", "--check-config",
        ])
        XCTAssertEqual(line.config, "/etc/vigil/agent.conf")
        XCTAssertEqual(line.collectors, ["http://a:9470", "http://b:9470"])
        XCTAssertEqual(line.interval, "1s")
        XCTAssertEqual(line.host, "web-1")
        XCTAssertEqual(line.token, "t")
        XCTAssertEqual(line.spool, "/var/spool/vigil")
        XCTAssertTrue(line.checkConfig)
        XCTAssertEqual(try AgentCommandLine.parse([]), AgentCommandLine())
        XCTAssertTrue(try AgentCommandLine.parse(["-h"]).showHelp)
        XCTAssertTrue(try AgentCommandLine.parse(["--version"]).showVersion)
        XCTAssertEqual(try AgentCommandLine.parse(["--token="]).token, "", "an empty value is a value")
    }

    func testMistakesNameTheArgument() {
        let cases: [([String], String)] = [
            (["--interval"], "--interval needs a value"),
            (["--intervall", "1s"], "unknown argument \"--intervall\""),
            (["extra"], "unknown argument \"extra\""),
            (["--check-config=yes"], "--check-config takes no value"),
        ]
        for (arguments, message) in cases {
            XCTAssertThrowsError(try AgentCommandLine.parse(arguments), "\(arguments)") { error in
                XCTAssertEqual((error as? AgentCommandLineError)?.message, message)
            }
        }
    }

    func testUsageListsEveryFlag() {
        for flag in ["--config", "--collector", "--interval", "--host", "--token", "--spool", "--check-config", "--version", "--help"] {
            XCTAssertTrue(AgentCommandLine.usage.contains(flag), flag)
        }
    }
}
