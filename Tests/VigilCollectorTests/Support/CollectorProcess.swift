import Foundation
import XCTest

/// A real `vigil-collector serve` process on 127.0.0.1 with its own data directory,
/// started from the binary SwiftPM built next to the test bundle.
// The log is collected by ProcessOutput (locked); the rest is set once in init.
final class CollectorProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: String
    private let output: ProcessOutput
    private(set) var address: String = ""
    /// "http", or "https" when the collector serves TLS.
    private(set) var scheme: String = "http"

    var url: String { "\(scheme)://\(address)" }
    /// Where the config text given to `init` is written (next to the data directory).
    var configPath: String { dataDirectory + ".conf" }

    /// Starts the collector (inside network namespace `namespace` when given) and waits
    /// until it logs its listening address. The config text is written to `configPath`;
    /// `environment` is added to the test's own environment.
    init(
        dataDirectory: String? = nil, config: String? = nil, listen: String = "127.0.0.1:0",
        extraArguments: [String] = [], environment: [String: String] = [:], namespace: String? = nil
    ) throws {
        self.dataDirectory = dataDirectory ?? TestPaths.temporaryDirectory("collector")
        output = ProcessOutput(capturing: process)
        var arguments = ["serve", "--listen", listen, "--data", self.dataDirectory]
        if let config {
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            arguments += ["--config", configPath]
        }
        let command = TestPaths.command("vigil-collector", arguments + extraArguments, namespace: namespace)
        process.executableURL = command.executable
        process.arguments = command.arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let found = listeningAddress() {
                (scheme, address) = found
                return
            }
            if !process.isRunning {
                throw CollectorProcessError(message: "collector exited with \(process.terminationStatus) before listening:\n\(logText)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw CollectorProcessError(message: "collector did not report a listening address within 60 s:\n\(logText)")
    }

    var logText: String { output.contents }

    private func listeningAddress() -> (scheme: String, address: String)? {
        let text = logText
        for scheme in ["http", "https"] {
            guard let range = text.range(of: "listening on \(scheme)://") else { continue }
            let rest = text[range.upperBound...]
            let address = rest.prefix { !$0.isWhitespace }
            return address.isEmpty ? nil : (scheme, String(address))
        }
        return nil
    }

    /// SIGKILL: no shutdown path runs.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct CollectorProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

enum TestPaths {
    /// The directory holding SwiftPM's built products: the test runner itself lives there.
    static var productsDirectory: URL {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent()
    }

    static func binary(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    static func temporaryDirectory(_ prefix: String) -> String {
        let path = NSTemporaryDirectory() + "vigil-\(prefix)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The executable and arguments that run built binary `name`, inside network namespace
    /// `namespace` (through `ip netns exec`, which execs it: the process id stays its own) when given.
    static func command(_ name: String, _ arguments: [String], namespace: String? = nil) -> (executable: URL, arguments: [String]) {
        guard let namespace else { return (binary(name), arguments) }
        return NetworkNamespacePair.launcher(in: namespace, [binary(name).path] + arguments)
    }

    /// Runs a built binary to completion and returns its exit status and combined output.
    static func run(
        _ name: String, _ arguments: [String], environment: [String: String]? = nil, namespace: String? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        let launch = command(name, arguments, namespace: namespace)
        process.executableURL = launch.executable
        process.arguments = launch.arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
