import ArgumentParser
import Foundation
import VigilAgent

/// The log counter's cost per line, in this process: tail a file of nginx combined-format
/// lines and match each with agent.conf.example's pattern, as the agent does every tick.
/// Prints CPU µs per line and what 10,000 lines a second would cost of one core.
struct LogMatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log-match", abstract: "CPU per log line of a log counter (tail + match + count).")

    /// agent.conf.example's nginx pattern.
    static let nginxPattern = #"^\S++ \S++ \S++ \[[^\]]*+\] "(?<method>[A-Z]++) (?<path>[^ "?]*+)[^"]*+" (?<status>\d{3}) "#

    @Option(help: "Lines to write and match.")
    var lines = 200_000

    @Option(help: "Regular expression (Swift Regex) with the named captures `status` and `method`.")
    var pattern = LogMatchBench.nginxPattern

    func run() throws {
        let directory = NSTemporaryDirectory() + "vigil-bench-log-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/access.log"
        let paths = ["/", "/api/users", "/api/orders", "/static/app.js", "/login", "/api/search?q=x", "/health"]
        let statuses = Array(repeating: "200", count: 90) + Array(repeating: "304", count: 4) + ["404", "404", "404", "500", "502", "503"]
        var text = ""
        for index in 0..<lines {
            text += "10.0.\(index % 250).\(index % 199) - - [21/Nov/2026:10:00:00 +0000] \"GET \(paths[index % paths.count]) HTTP/1.1\" "
            text += "\(statuses[(index * 7) % statuses.count]) \(1_000 + index % 9_000) \"-\" \"Mozilla/5.0 (X11; Linux x86_64) bench\"\n"
        }
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let rule = LogCounterRule(name: "http_requests_total", pattern: pattern, labels: ["status", "method"], file: file)
        var counters = try LogCounters(
            rules: [rule], stateDirectory: directory, maxBytesPerPoll: 1 << 30, startAtEnd: false)
        let start = ProcessCPU.selfSeconds()
        let series = counters.poll(at: 0)
        let seconds = ProcessCPU.selfSeconds() - start
        let matched = series.filter { $0.labels.metricName == "http_requests_total" }.reduce(0.0) { $0 + ($1.samples.first?.value ?? 0) }
        guard Int(matched) == lines else { throw ValidationError("matched \(Int(matched)) of \(lines) lines: the pattern or a bug") }
        let perLine = seconds / Double(lines)
        print(String(format: "%d lines matched and counted: %.2f µs CPU per line; 10,000 lines/s = %.2f%% of one core",
            lines, perLine * 1e6, perLine * 10_000 * 100))
    }
}
