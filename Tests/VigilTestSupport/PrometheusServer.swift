import Foundation

/// A real Prometheus (Debian's 2.42 package) serving blocks built from OpenMetrics text by
/// `promtool tsdb create-blocks-from openmetrics`, on a free loopback port, stopped by `stop()`.
public final class PrometheusServer {
    public let port: UInt16
    private let process: Process
    private let logPath: String

    /// The binaries, or nil when the prometheus package is not installed.
    public static func binaries() -> (prometheus: String, promtool: String)? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        func find(_ name: String) -> String? {
            directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let prometheus = find("prometheus"), let promtool = find("promtool") else { return nil }
        return (prometheus, promtool)
    }

    /// Builds blocks from `openMetrics` in `directory`/data and starts Prometheus on them.
    public init(openMetrics: String, directory: String, prometheus: String, promtool: String) throws {
        let input = directory + "/data.om"
        let data = directory + "/data"
        try openMetrics.write(toFile: input, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        logPath = directory + "/prometheus.log"
        try Self.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", input, data], log: directory + "/promtool.log")

        let config = directory + "/prometheus.yml"
        try "global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        port = try LoopbackHTTP.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: prometheus)
        process.arguments = [
            "--config.file=\(config)", "--storage.tsdb.path=\(data)", "--storage.tsdb.retention.time=100y",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try waitUntilReady()
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The decoded JSON envelope of `GET path` with `parameters`.
    public func api(_ path: String, _ parameters: [(String, String)]) throws -> [String: Any] {
        let (_, body) = try LoopbackHTTP.get(port: port, path: path, parameters: parameters)
        guard let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw LoopbackHTTP.Failure(description: "\(path) did not answer a JSON object")
        }
        return json
    }

    private func waitUntilReady() throws {
        for _ in 0..<300 {
            if !process.isRunning { break }
            if let (status, _) = try? LoopbackHTTP.get(port: port, path: "/-/ready"), status == 200 { return }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        stop()
        throw LoopbackHTTP.Failure(description: "prometheus did not become ready in 30 s; its log:\n\(log)")
    }

    private static func run(_ executable: String, _ arguments: [String], log: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw LoopbackHTTP.Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed:\n\(output)")
        }
    }
}
