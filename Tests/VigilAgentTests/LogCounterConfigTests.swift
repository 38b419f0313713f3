import Foundation
import VigilConfig
import XCTest

@testable import VigilAgent

/// Binding of `[[log_counter]]` tables, including the nginx example of agent.conf.example.
final class LogCounterConfigTests: XCTestCase {
    private func bind(_ text: String) throws -> [LogCounterRule] {
        let reader = ConfigReader(try ConfigDocument.parse(text, file: "agent.conf"))
        let rules = LogCounterRule.rules(in: reader.root)
        try reader.finish()
        return rules
    }

    func testNginxExampleBindsToTheTestedNginxRule() throws {
        XCTAssertEqual(try bind(LogCounterConfigTests.nginxExample), [], "commented out in the example")
        let rules = try bind(LogCounterConfigTests.nginxExampleUncommented)
        XCTAssertEqual(rules, [LogCounterRule(
            name: "http_requests_total", pattern: LogCounterTests.nginxPattern, labels: ["status", "method"],
            file: "/var/log/nginx/access.log")])
    }

    func testTheAgentExampleCarriesTheNginxSnippet() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try String(contentsOf: repository.appendingPathComponent("agent.conf.example"), encoding: .utf8)
        XCTAssertTrue(example.contains(LogCounterConfigTests.nginxExample.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testNoTablesGiveNoRules() throws {
        XCTAssertEqual(try bind("# no counters\n").count, 0)
    }

    func testProblemsNameTheKeyAndLine() {
        let text = """
            [[log_counter]]
            file = "/var/log/a.log"
            metric = "a_total"
            pattern = '(?<code>\\d+)'
            labels = ["status"]

            [[log_counter]]
            file = "relative.log"
            metric = "b_total"
            pattern = 'x'
            colour = "red"
            """
        XCTAssertThrowsError(try bind(text)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("agent.conf:5"), text)
            XCTAssertTrue(text.contains("is not a named capture"), text)
            XCTAssertTrue(text.contains("agent.conf:8"), text)
            XCTAssertTrue(text.contains("absolute path"), text)
            XCTAssertTrue(text.contains("colour"), text)
        }
    }

    func testMissingPatternIsReported() {
        XCTAssertThrowsError(try bind("[[log_counter]]\nfile = \"/a\"\nmetric = \"m\"\n")) { error in
            XCTAssertTrue("\(error)".contains("log_counter.pattern is missing"), "\(error)")
        }
    }

    /// The snippet for agent.conf.example, verbatim: commented out, since the example file
    /// sets every key to its default and there are no log counters by default.
    static let nginxExample = #"""
        # Counters from log lines. Each [[log_counter]] tails `file` (following rename and
        # copytruncate rotation and truncation), matches every new line against `pattern` (Swift
        # Regex, PCRE-like, searched anywhere in the line) and counts matches in `metric`, labelled
        # with the named captures listed in `labels` (default: none). At most 1000 label sets per
        # counter; lines with further ones are counted under the label value "__overflow__" and in
        # vigil_agent_log_overflow_lines_total. Positions are kept in <state_dir>/log-offsets, so
        # a restart resumes where the agent stopped; a file it has no position for is read from
        # its end. Lines read and matched: vigil_agent_log_lines_total{file},
        # vigil_agent_log_matched_lines_total{file,rule}.
        #
        # An nginx access log in the combined format, by status and method; the possessive
        # quantifiers (++, *+) never backtrack, which makes matching about a third cheaper.
        # 5xx ratio over 5 minutes:
        #   sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
        # [[log_counter]]
        # file = "/var/log/nginx/access.log"
        # metric = "http_requests_total"
        # pattern = '^\S++ \S++ \S++ \[[^\]]*+\] "(?<method>[A-Z]++) (?<path>[^ "?]*+)[^"]*+" (?<status>\d{3}) '
        # labels = ["status", "method"]

        """#

    /// `nginxExample` with its table lines uncommented.
    static var nginxExampleUncommented: String {
        nginxExample.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let isTableLine = ["# [[", "# file", "# metric", "# pattern", "# labels"].contains { line.hasPrefix($0) }
            return isTableLine ? String(line.dropFirst(2)) : String(line)
        }.joined(separator: "\n")
    }
}
