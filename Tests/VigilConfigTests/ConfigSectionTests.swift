import VigilConfig
import XCTest

/// Typed getters: defaults, overrides, wrong types and ranges.
final class ConfigSectionTests: XCTestCase {
    func testEveryGetterReturnsItsDefaultWhenTheKeyIsMissing() throws {
        let (values, errors) = try bind("") { root in
            let section = root.section("missing")
            return (
                root.string("s", default: "dflt"), root.int("i", default: 7, min: 0, max: 9),
                root.bool("b", default: true), root.duration("d", default: .seconds(10)),
                root.bytes("z", default: 4096), root.stringArray("a", default: ["x"]),
                root.oneOf("l", default: TestLevel.info), root.listOf("c", default: [TestLevel.debug]),
                section.string("inner", default: "deep"), section.path
            )
        }
        XCTAssertEqual(errors, [])
        XCTAssertEqual(values.0, "dflt")
        XCTAssertEqual(values.1, 7)
        XCTAssertEqual(values.2, true)
        XCTAssertEqual(values.3, .seconds(10))
        XCTAssertEqual(values.4, 4096)
        XCTAssertEqual(values.5, ["x"])
        XCTAssertEqual(values.6, .info)
        XCTAssertEqual(values.7, [.debug])
        XCTAssertEqual(values.8, "deep")
        XCTAssertEqual(values.9, ["missing"])
    }

    func testValuesInTheFileOverrideDefaults() throws {
        let (values, errors) = try bind("""
            s = "text"
            i = 3
            b = false
            d = "1m30s"
            z = "8MiB"
            a = ["p", "q"]
            l = "warning"
            c = ["warning", "debug"]
            [t]
            inner = "set"
            """) { root in
            (
                root.string("s", default: ""), root.int("i", default: 0, min: 0, max: 9),
                root.bool("b", default: true), root.duration("d", default: .zero),
                root.bytes("z", default: 0), root.stringArray("a", default: []),
                root.oneOf("l", default: TestLevel.info), root.listOf("c", default: [TestLevel]()),
                root.section("t").string("inner", default: "")
            )
        }
        XCTAssertEqual(errors, [])
        XCTAssertEqual(values.0, "text")
        XCTAssertEqual(values.1, 3)
        XCTAssertEqual(values.2, false)
        XCTAssertEqual(values.3, .seconds(90))
        XCTAssertEqual(values.4, 8 << 20)
        XCTAssertEqual(values.5, ["p", "q"])
        XCTAssertEqual(values.6, .warning)
        XCTAssertEqual(values.7, [.warning, .debug])
        XCTAssertEqual(values.8, "set")
    }

    func testDurationsInEveryForm() throws {
        let forms: [(String, Duration)] = [
            ("10s", .seconds(10)), ("1m30s", .seconds(90)), ("500ms", .milliseconds(500)), ("2h", .seconds(7_200)),
            ("1d", .seconds(86_400)), ("1h1m1s1ms", .milliseconds(3_661_001)), ("0", .zero), ("0s", .zero),
        ]
        for (text, expected) in forms {
            let (value, errors) = try bind("d = \"\(text)\"") { $0.duration("d", default: .seconds(-1)) }
            XCTAssertEqual(errors, [], text)
            XCTAssertEqual(value, expected, text)
        }
    }

    func testSizesInEveryForm() throws {
        let forms: [(String, Int)] = [
            ("\"8MiB\"", 8 << 20), ("\"512KiB\"", 512 << 10), ("\"1GB\"", 1_000_000_000), ("\"100B\"", 100),
            ("\"2TiB\"", 2 << 40), ("\"3KB\"", 3_000), ("\"4096\"", 4096), ("65536", 65536),
        ]
        for (text, expected) in forms {
            let (value, errors) = try bind("z = \(text)") { $0.bytes("z", default: -1) }
            XCTAssertEqual(errors, [], text)
            XCTAssertEqual(value, expected, text)
        }
    }

    func testInvalidDurationsAndSizesKeepTheDefaultAndSayWhatIsAccepted() throws {
        let (values, errors) = try bind("""
            [shipping]
            retry = "10 s"
            size = "8mb"
            """) { root in
            let shipping = root.section("shipping")
            return (shipping.duration("retry", default: .seconds(1)), shipping.bytes("size", default: 42))
        }
        XCTAssertEqual(values.0, .seconds(1))
        XCTAssertEqual(values.1, 42)
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:2:9: shipping.retry is not a duration: "10 s"; write a whole number followed by ms, s, m, h, d, w or y, largest unit first, such as "1m30s""#,
            #"agent.conf:3:8: shipping.size is not a size: "8mb"; write a whole number followed by B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, such as "128MiB""#,
        ])
        XCTAssertEqual(errors.map(\.kind), [.invalidValue, .invalidValue])
        XCTAssertEqual(errors.map(\.keyPath), ["shipping.retry", "shipping.size"])
    }

    func testRangeErrorsNameTheLimits() throws {
        let (values, errors) = try bind("""
            interval = "500ms"
            timeout = "2h"
            batch = 0
            queue = 1_000_001
            segment = "512KiB"
            """) { root in
            (
                root.duration("interval", default: .seconds(10), min: .seconds(1), max: .seconds(3_600)),
                root.duration("timeout", default: .seconds(10), max: .seconds(300)),
                root.int("batch", default: 20_000, min: 1),
                root.int("queue", default: 360, min: 1, max: 1_000_000),
                root.bytes("segment", default: 128 << 20, min: 1 << 20, max: 1 << 30)
            )
        }
        XCTAssertEqual(values.0, .seconds(10))
        XCTAssertEqual(values.1, .seconds(10))
        XCTAssertEqual(values.2, 20_000)
        XCTAssertEqual(values.3, 360)
        XCTAssertEqual(values.4, 128 << 20)
        XCTAssertEqual(errors.map(\.description), [
            "agent.conf:1:12: interval is 500ms, below the minimum of 1s; use a value from 1s to 1h",
            "agent.conf:2:11: timeout is 2h, above the maximum of 5m; use a value of at most 5m",
            "agent.conf:3:9: batch is 0, below the minimum of 1; use a value of at least 1",
            "agent.conf:4:9: queue is 1000001, above the maximum of 1000000; use a value from 1 to 1000000",
            "agent.conf:5:11: segment is 512KiB, below the minimum of 1MiB; use a value from 1MiB to 1GiB",
        ])
        XCTAssertTrue(errors.allSatisfy { $0.kind == .outOfRange })
    }

    func testWrongTypesSayWhatToWrite() throws {
        let (_, errors) = try bind("""
            name = 5
            count = "5"
            enabled = "yes"
            interval = 10
            size = true
            list = "cpu"
            level = 3
            """) { root in
            _ = root.string("name", default: "")
            _ = root.int("count", default: 1)
            _ = root.bool("enabled", default: true)
            _ = root.duration("interval", default: .seconds(10))
            _ = root.bytes("size", default: 8 << 20)
            _ = root.stringArray("list", default: [])
            _ = root.oneOf("level", default: TestLevel.info)
        }
        XCTAssertEqual(errors.map(\.description), [
            "agent.conf:1:8: name must be a string, found an integer; put the value in double quotes",
            "agent.conf:2:9: count must be a whole number, found a string; write count = 1, without quotes",
            "agent.conf:3:11: enabled must be true or false, found a string; write enabled = true or enabled = false, without quotes",
            "agent.conf:4:12: interval must be a duration string, found an integer; durations are strings with a unit: write interval = \"10s\"",
            "agent.conf:5:8: size must be a size, found a boolean; write size = \"8MiB\"",
            "agent.conf:6:8: list must be an array of strings, found a string; write list = [\"cpu\"]",
            "agent.conf:7:9: level must be a string, found an integer; write level = \"info\", one of debug, info, warning",
        ])
        XCTAssertTrue(errors.allSatisfy { $0.kind == .wrongType })
    }

    func testArrayElementsOfTheWrongTypeArePointedAt() throws {
        let (value, errors) = try bind("list = [\"a\", 2, \"c\", false]") { $0.stringArray("list", default: ["dflt"]) }
        XCTAssertEqual(value, ["dflt"])
        XCTAssertEqual(errors.map(\.description), [
            "agent.conf:1:14: list[1] must be a string, found an integer; put the value in double quotes",
            "agent.conf:1:22: list[3] must be a string, found a boolean; put the value in double quotes",
        ])
    }

    func testOneOfSuggestsTheClosestName() throws {
        let (value, errors) = try bind("[log]\nlevel = \"warn\"") { $0.section("log").oneOf("level", default: TestLevel.info) }
        XCTAssertEqual(value, .info)
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:2:9: log.level has unknown name "warn"; did you mean "warning"? use one of debug, info, warning"#,
        ])
    }

    func testListOfRejectsUnknownAndRepeatedNames() throws {
        let (value, errors) = try bind(#"c = ["info", "dbug", "info"]"#) { $0.listOf("c", default: [TestLevel.warning]) }
        XCTAssertEqual(value, [.warning])
        XCTAssertEqual(errors.map(\.description), [
            #"agent.conf:1:14: c has unknown name "dbug"; did you mean "debug"? use one of debug, info, warning"#,
            #"agent.conf:1:22: c lists "info" twice; remove the second one"#,
        ])
        XCTAssertEqual(errors.map(\.kind), [.invalidValue, .duplicate])
    }

    func testSectionWrittenAsAValueIsAnErrorAndReadsAsEmpty() throws {
        let (value, errors) = try bind("collector = \"http://x\"") { root in
            root.section("collector").string("url", default: "dflt")
        }
        XCTAssertEqual(value, "dflt")
        XCTAssertEqual(errors.map(\.description), [
            "agent.conf:1:13: collector must be a table, found a string; write it as a [collector] section",
        ])
    }

    func testAskingForASectionTwiceGivesTheSameSection() throws {
        let (_, errors) = try bind("[t]\na = 1\nb = 2") { root in
            XCTAssertTrue(root.section("t") === root.section("t"))
            _ = root.section("t").int("a", default: 0)
            _ = root.section("t").int("b", default: 0)
        }
        XCTAssertEqual(errors, [])
    }

    func testPositionOfDoesNotConsumeTheKey() throws {
        let (position, errors) = try bind("x = 1\ny = 2") { root in
            _ = root.int("x", default: 0)
            return root.position(of: "y")
        }
        XCTAssertEqual(position, SourcePosition(line: 2, column: 5))
        XCTAssertEqual(errors.map(\.kind), [.unknownKey])
    }
}
