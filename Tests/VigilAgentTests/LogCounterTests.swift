import Foundation
import VigilModel
import XCTest

@testable import VigilAgent

/// Log counters against real files in a temporary directory: appends, partial lines,
/// rotation, truncation, restarts, the cardinality cap and an nginx rule.
final class LogCounterTests: XCTestCase {
    private var directory = ""
    private var log = ""
    private var state = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "logcounter-" + UUID().uuidString
        state = directory + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        log = directory + "/app.log"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Helpers

    private func append(_ text: String, to path: String? = nil) throws {
        let path = path ?? log
        if !FileManager.default.fileExists(atPath: path) {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    private func truncate(_ path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
    }

    /// Counts lines `level=(?<level>\w+)`, reading existing files from 0.
    private func counters(maxSeries: Int = 1000, maxLineBytes: Int = 1 << 16, maxBytesPerPoll: Int = 8 << 20) throws -> LogCounters {
        try LogCounters(
            rules: [LogCounterRule(name: "app_lines_total", pattern: #"level=(?<level>\w+)"#, labels: ["level"], file: log)],
            stateDirectory: state, maxSeriesPerRule: maxSeries, maxLineBytes: maxLineBytes,
            maxBytesPerPoll: maxBytesPerPoll, startAtEnd: false)
    }

    private func value(_ series: [SeriesSamples], _ name: String, _ labels: [(String, String)] = []) -> Double? {
        let wanted = Labels(name: name, labels)
        let found = series.filter { $0.labels == wanted }
        XCTAssertLessThanOrEqual(found.count, 1, "series \(wanted) appears \(found.count) times")
        return found.first?.samples.first?.value
    }

    private func levels(_ series: [SeriesSamples]) -> [String: Double] {
        var out: [String: Double] = [:]
        for entry in series where entry.labels.metricName == "app_lines_total" {
            out[entry.labels["level"] ?? ""] = entry.samples[0].value
        }
        return out
    }

    // MARK: Tests

    func testAppendsAreCountedOnceWithLabels() throws {
        try append("level=info a\nlevel=error b\nno match\n")
        let counters = try counters()
        var series = counters.poll(at: 1000)
        XCTAssertEqual(levels(series), ["info": 1, "error": 1])
        try append("level=info c\n")
        series = counters.poll(at: 2000)
        XCTAssertEqual(levels(series), ["info": 2, "error": 1])
        XCTAssertEqual(value(series, "vigil_agent_log_lines_total", [("file", log)]), 4)
        XCTAssertEqual(
            value(series, "vigil_agent_log_matched_lines_total", [("file", log), ("rule", "app_lines_total")]), 3)
        XCTAssertEqual(series.first?.samples.first?.timestamp, 2000)
        XCTAssertEqual(levels(counters.poll(at: 3000)), ["info": 2, "error": 1], "no new lines, no change")
    }

    func testPartialLineWaitsForItsNewline() throws {
        let counters = try counters()
        try append("level=inf")
        XCTAssertEqual(levels(counters.poll(at: 1)), [:])
        try append("o x\nlevel=err")
        XCTAssertEqual(levels(counters.poll(at: 2)), ["info": 1], "the line is matched whole, not as level=inf")
        try append("or\n")
        XCTAssertEqual(levels(counters.poll(at: 3)), ["info": 1, "error": 1])
    }

    func testRenameRotationLosesNothingAndCountsNothingTwice() throws {
        let counters = try counters()
        try append("level=a\n")
        XCTAssertEqual(levels(counters.poll(at: 1)), ["a": 1])
        try append("level=b\n")
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append("level=c\n", to: log + ".1")
        try append("level=d\n")
        let series = counters.poll(at: 2)
        XCTAssertEqual(levels(series), ["a": 1, "b": 1, "c": 1, "d": 1])
        XCTAssertEqual(value(series, "vigil_agent_log_rotations_total", [("file", log)]), 1)
        XCTAssertEqual(value(series, "vigil_agent_log_truncations_total", [("file", log)]), 0)
        try append("level=d\n")
        XCTAssertEqual(levels(counters.poll(at: 3)), ["a": 1, "b": 1, "c": 1, "d": 2])
    }

    func testCopyTruncateRestartsAtZero() throws {
        let counters = try counters()
        try append("level=a long line with padding to make the file longer\nlevel=b\n")
        XCTAssertEqual(levels(counters.poll(at: 1)), ["a": 1, "b": 1])
        try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
        try truncate(log)
        try append("level=c\n")
        let series = counters.poll(at: 2)
        XCTAssertEqual(levels(series), ["a": 1, "b": 1, "c": 1])
        XCTAssertEqual(value(series, "vigil_agent_log_truncations_total", [("file", log)]), 1)
        XCTAssertEqual(value(series, "vigil_agent_log_rotations_total", [("file", log)]), 0)
    }

    func testTruncationToZeroThenGrowthIsReadFromStart() throws {
        let counters = try counters()
        try append("level=a 0123456789\n")
        _ = counters.poll(at: 1)
        try truncate(log)
        XCTAssertEqual(levels(counters.poll(at: 2)), ["a": 1])
        try append("level=b\n")
        XCTAssertEqual(levels(counters.poll(at: 3)), ["a": 1, "b": 1])
    }

    func testRestartResumesAtSavedOffset() throws {
        try append("level=a\nlevel=b\nlevel=c")
        do {
            let first = try counters()
            XCTAssertEqual(levels(first.poll(at: 1)), ["a": 1, "b": 1])
            try first.saveState()
        }
        try append("\nlevel=d\n")
        let second = try counters()
        XCTAssertEqual(levels(second.poll(at: 2)), ["c": 1, "d": 1], "resumes at the partial line, nothing counted twice")
    }

    func testRestartAfterRotationWhileStoppedStartsNewFileAtZero() throws {
        try append("level=a\n")
        do {
            let first = try counters()
            XCTAssertEqual(levels(first.poll(at: 1)), ["a": 1])
            try first.saveState()
        }
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append("level=b\nlevel=c\n")
        let second = try counters()
        XCTAssertEqual(levels(second.poll(at: 2)), ["b": 1, "c": 1])
    }

    func testWithoutStateAnExistingFileIsReadFromItsEnd() throws {
        try append("level=old\n")
        let counters = try LogCounters(
            rules: [LogCounterRule(name: "app_lines_total", pattern: #"level=(?<level>\w+)"#, labels: ["level"], file: log)],
            stateDirectory: state)
        XCTAssertEqual(levels(counters.poll(at: 1)), [:])
        try append("level=new\n")
        XCTAssertEqual(levels(counters.poll(at: 2)), ["new": 1])
    }

    func testStateFileIsReplacedAtomicallyAndReadable() throws {
        try append("level=a\n")
        let counters = try counters()
        _ = counters.poll(at: 1)
        try counters.saveState()
        let saved = LogOffsetsFile.load(directory: state)
        let attributes = try FileManager.default.attributesOfItem(atPath: log)
        XCTAssertEqual(saved[log]?.offset, 8)
        XCTAssertEqual(saved[log]?.inode, (attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/log-offsets.tmp"))
    }

    func testCardinalityCapSendsNewLabelSetsToOverflow() throws {
        let counters = try counters(maxSeries: 3)
        try append((0..<10).map { "level=l\($0)\n" }.joined() + "level=l0\n")
        let series = counters.poll(at: 1)
        let counted = levels(series)
        XCTAssertEqual(counted.count, 4)
        XCTAssertEqual(counted["l0"], 2, "known label sets keep counting past the cap")
        XCTAssertEqual(counted["__overflow__"], 7)
        XCTAssertEqual(value(series, "vigil_agent_log_overflow_lines_total", [("rule", "app_lines_total")]), 7)
    }

    func testOverlongLineIsCutAndCounted() throws {
        let counters = try counters(maxLineBytes: 16)
        try append("level=first" + String(repeating: "x", count: 100) + " level=hidden\nlevel=ok\n")
        let series = counters.poll(at: 1)
        XCTAssertEqual(levels(series), ["firstxxxxx": 1, "ok": 1])
        XCTAssertEqual(value(series, "vigil_agent_log_cut_lines_total", [("file", log)]), 1)
        XCTAssertEqual(value(series, "vigil_agent_log_lines_total", [("file", log)]), 2)
    }

    func testOverlongPartialLineAcrossPollsIsCutOnce() throws {
        let counters = try counters(maxLineBytes: 16)
        try append("level=abc" + String(repeating: "y", count: 10))
        _ = counters.poll(at: 1)
        try append(String(repeating: "z", count: 50) + "\nlevel=ok\n")
        let series = counters.poll(at: 2)
        XCTAssertEqual(levels(series), ["abcyyyyyyy": 1, "ok": 1])
        XCTAssertEqual(value(series, "vigil_agent_log_cut_lines_total", [("file", log)]), 1)
    }

    func testBacklogIsReadInSlicesOfTheByteBudget() throws {
        try append(String(repeating: "level=a\n", count: 100))
        let counters = try counters(maxBytesPerPoll: 80)
        XCTAssertEqual(levels(counters.poll(at: 1)), ["a": 10])
        XCTAssertEqual(levels(counters.poll(at: 2)), ["a": 20])
    }

    func testMissingFileIsPickedUpWhenItAppears() throws {
        let counters = try counters()
        XCTAssertEqual(levels(counters.poll(at: 1)), [:])
        try append("level=a\n")
        XCTAssertEqual(levels(counters.poll(at: 2)), ["a": 1])
    }

    func testNginxCombinedLogCounts5xxByStatusAndMethod() throws {
        let rule = LogCounterRule(
            name: "http_requests_total", pattern: LogCounterTests.nginxPattern, labels: ["status", "method"], file: log)
        let counters = try LogCounters(rules: [rule], stateDirectory: state, host: "web1", startAtEnd: false)
        try append("""
            203.0.113.7 - - [21/Nov/2026:21:00:01 +0000] "GET /api/items HTTP/1.1" 200 512 "-" "curl/8.0"
            203.0.113.7 - alice [21/Nov/2026:21:00:02 +0000] "POST /api/items HTTP/1.1" 503 0 "https://example.com/" "Mozilla/5.0 (X11)"
            198.51.100.2 - - [21/Nov/2026:21:00:03 +0000] "GET /api/items?x=1 HTTP/2.0" 503 157 "-" "Go-http-client/2.0"
            198.51.100.2 - - [21/Nov/2026:21:00:04 +0000] "GET / HTTP/1.1" 502 157 "-" "-"
            malformed line

            """)
        let series = counters.poll(at: 1)
        func requests(_ status: String, _ method: String) -> Double? {
            value(series, "http_requests_total", [("host", "web1"), ("status", status), ("method", method)])
        }
        XCTAssertEqual(requests("200", "GET"), 1)
        XCTAssertEqual(requests("503", "POST"), 1)
        XCTAssertEqual(requests("503", "GET"), 1)
        XCTAssertEqual(requests("502", "GET"), 1)
        let errors = series.filter { $0.labels.metricName == "http_requests_total" && $0.labels["status"]!.hasPrefix("5") }
        XCTAssertEqual(errors.map { $0.samples[0].value }.reduce(0, +), 3)
        XCTAssertEqual(value(series, "vigil_agent_log_lines_total", [("host", "web1"), ("file", log)]), 5)
    }

    func testInvalidRulesAreRejectedWithTheReason() {
        let bad = [
            LogCounterRule(name: "x_total", pattern: "(unclosed", labels: [], file: log),
            LogCounterRule(name: "x_total", pattern: "(?<a>x)", labels: ["b"], file: log),
            LogCounterRule(name: "1x", pattern: "x", labels: [], file: log),
            LogCounterRule(name: "x_total", pattern: "x", labels: [], file: "relative.log"),
        ]
        let fragments = ["does not compile", "is not a named capture", "metric name", "absolute path"]
        for (rule, fragment) in zip(bad, fragments) {
            XCTAssertThrowsError(try LogCounters(rules: [rule], stateDirectory: state)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }

    /// The pattern of agent.conf.example's nginx rule (combined log format).
    static let nginxPattern =
        #"^\S++ \S++ \S++ \[[^\]]*+\] "(?<method>[A-Z]++) (?<path>[^ "?]*+)[^"]*+" (?<status>\d{3}) "#
}
