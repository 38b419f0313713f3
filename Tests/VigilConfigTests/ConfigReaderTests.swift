import VigilConfig
import XCTest

/// Unknown keys with hints, reported problems, and collecting every error in file order.
final class ConfigReaderTests: XCTestCase {
    func testUnknownKeyNamesFileLineColumnSectionAndTheClosestKey() throws {
        let text = String(repeating: "# comment\n", count: 10) + "[collector]\nintervall = \"10s\"\nurl = \"http://x\"\n"
        let (_, errors) = try bind(text) { root in
            let collector = root.section("collector")
            _ = collector.duration("interval", default: .seconds(10))
            _ = collector.string("url", default: "")
        }
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:12:1: unknown key "intervall" in [collector]; did you mean "interval"?"#,
        ])
        XCTAssertEqual(errors.first?.kind, .unknownKey)
        XCTAssertEqual(errors.first?.keyPath, "collector.intervall")
    }

    func testUnknownTopLevelKeyAndUnknownTable() throws {
        let (_, errors) = try bind("""
            intreval = "10s"
            [colector]
            url = "x"
            [log]
            level = "info"
            """) { root in
            _ = root.duration("interval", default: .seconds(10))
            _ = root.section("collector").string("url", default: "")
            _ = root.section("log").string("level", default: "")
        }
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:1:1: unknown key "intreval" at top level; did you mean "interval"?"#,
            "agent.conf:2:2: unknown table [colector]; did you mean [collector]?",
        ])
    }

    func testWithoutACloseMatchTheHintListsTheKnownKeys() throws {
        let (_, errors) = try bind("[shipping]\ncompression = true") { root in
            let shipping = root.section("shipping")
            _ = shipping.int("max_batch_samples", default: 1)
            _ = shipping.section("retry")
            _ = shipping.duration("timeout", default: .seconds(1))
        }
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:2:1: unknown key "compression" in [shipping]; known keys in [shipping]: max_batch_samples, [shipping.retry], timeout"#,
        ])
    }

    func testSuggestionsIgnoreCaseAndDashes() throws {
        let (_, errors) = try bind("State-Dir = \"/x\"") { _ = $0.string("state_dir", default: "") }
        XCTAssertEqual(errors.first?.hint, #"did you mean "state_dir"?"#)
    }

    func testKeysOfAnUnknownTableAreNotReportedOneByOne() throws {
        let (_, errors) = try bind("[extra]\na = 1\nb = 2\n[extra.deeper]\nc = 3") { _ in }
        XCTAssertEqual(errors.map(\.message), ["unknown table [extra]"])
        XCTAssertEqual(errors.first?.hint, "this section takes no keys; remove it")
    }

    func testEveryErrorIsCollectedAndOrderedByPosition() throws {
        let (_, errors) = try bind("""
            interval = "1x"
            unknown = 1
            [shipping]
            max_batch_samples = -1
            retry_max = 5
            """) { root in
            let shipping = root.section("shipping")
            _ = shipping.duration("retry_max", default: .seconds(60))
            _ = shipping.int("max_batch_samples", default: 1, min: 1)
            _ = root.duration("interval", default: .seconds(10))
        }
        XCTAssertEqual(errors.map(\.position), [
            SourcePosition(line: 1, column: 12), SourcePosition(line: 2, column: 1),
            SourcePosition(line: 4, column: 21), SourcePosition(line: 5, column: 13),
        ])
        XCTAssertEqual(errors.map(\.kind), [.invalidValue, .unknownKey, .outOfRange, .wrongType])
    }

    func testReportedProblemsArePlacedAtTheirValueOrTheFile() throws {
        let document = try ConfigDocument.parse("[collector]\nurl = \"https://x\"", file: "agent.conf")
        let reader = ConfigReader(document)
        _ = reader.root.section("collector").string("url", default: "")
        reader.report(ConfigProblem(["collector", "url"], "collector.url must start with http://", hint: "use http"))
        reader.report(ConfigProblem(["listen"], "refusing to listen", hint: nil))
        do throws(ConfigErrors) {
            try reader.finish()
            XCTFail("expected errors")
        } catch {
            XCTAssertEqual(error.description, """
                agent.conf: refusing to listen
                agent.conf:2:7: collector.url must start with http://; use http
                """)
            XCTAssertEqual(error.errors.map(\.keyPath), ["listen", "collector.url"])
        }
    }

    func testSectionReportUsesTheKeysPosition() throws {
        let (_, errors) = try bind("[collector]\ntoken = \"a\"\ntoken_file = \"/t\"") { root in
            let collector = root.section("collector")
            _ = collector.string("token", default: "")
            _ = collector.string("token_file", default: "")
            collector.report("token_file", "both set", hint: "keep one")
        }
        XCTAssertEqual(errors.map(\.description), ["agent.conf:3:14: both set; keep one"])
    }

    func testFinishWithoutProblemsDoesNotThrow() throws {
        let reader = ConfigReader(try ConfigDocument.parse("a = 1", file: "x.conf"))
        XCTAssertEqual(reader.root.int("a", default: 0), 1)
        XCTAssertNoThrow(try reader.finish())
        XCTAssertEqual(reader.errors, [])
    }

    func testErrorsFromFlagsPrintWithoutFileOrPosition() {
        let errors = ConfigErrors(problems: [ConfigProblem(["listen"], "refusing to listen on 0.0.0.0:1", hint: "set tokens")])
        XCTAssertEqual(errors.description, "refusing to listen on 0.0.0.0:1; set tokens")
        XCTAssertEqual(errors.errors.first?.keyPath, "listen")
        XCTAssertNil(errors.errors.first?.position)
    }
}
