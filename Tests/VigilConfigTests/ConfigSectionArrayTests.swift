import VigilConfig
import XCTest

/// `[[name]]` arrays of tables, as the agent's log counters use them.
final class ConfigSectionArrayTests: XCTestCase {
    func testEachTableIsBoundAndUnknownKeysNameTheirLine() throws {
        let text = """
            [[rule]]
            file = "/var/log/a.log"
            pattern = 'x'

            [[rule]]
            file = "/var/log/b.log"
            patern = 'y'
            """
        let reader = ConfigReader(try ConfigDocument.parse(text, file: "agent.conf"))
        let rules = reader.root.sections("rule")
        XCTAssertEqual(rules.map { $0.string("file", default: "") }, ["/var/log/a.log", "/var/log/b.log"])
        XCTAssertEqual(rules.map { $0.string("pattern", default: "-") }, ["x", "-"])
        XCTAssertThrowsError(try reader.finish()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("agent.conf:7:1: unknown key \"patern\""), text)
            XCTAssertTrue(text.contains("did you mean \"pattern\""), text)
        }
    }

    func testAbsentArrayIsEmptyAndAWrongTypeIsReported() throws {
        let reader = ConfigReader(try ConfigDocument.parse("rule = 3\n", file: "a.conf"))
        XCTAssertEqual(reader.root.sections("rule").count, 0)
        XCTAssertEqual(ConfigReader(try ConfigDocument.parse("", file: "b.conf")).root.sections("rule").count, 0)
        XCTAssertThrowsError(try reader.finish()) { error in
            XCTAssertTrue("\(error)".contains("must be an array of tables"), "\(error)")
        }
    }
}
