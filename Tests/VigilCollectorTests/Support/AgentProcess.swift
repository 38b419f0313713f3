import Foundation

/// A real `vigil-agent` process with its own state directory (agent id and spool), started
/// from the binary SwiftPM built next to the test bundle; its log is kept for messages.
final class AgentProcess: @unchecked Sendable {
    let process = Process()
    private let output: ProcessOutput

    /// Starts the agent, inside network namespace `namespace` when given.
    init(arguments: [String], namespace: String? = nil) throws {
        let command = TestPaths.command("vigil-agent", arguments, namespace: namespace)
        process.executableURL = command.executable
        process.arguments = command.arguments
        output = ProcessOutput(capturing: process)
        try process.run()
    }

    var logText: String { output.contents }

    /// SIGKILL: nothing of the agent's shutdown runs.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// SIGTERM, then waits; returns the exit status and how long the agent took to exit.
    func stop() -> (status: Int32, seconds: Double) {
        let start = Date()
        process.terminate()
        process.waitUntilExit()
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension IngestClient {
    /// Timestamps (ms) of the raw samples of `selector` over the minute before `time`.
    func rawTimestamps(_ selector: String, at time: Int64) throws -> [Int64] {
        let result = try query(selector + "[1m]", time: time)
        let values = (result.first?["values"] as? [[Any]]) ?? []
        return values.map { Int64((($0[0] as! Double) * 1000).rounded()) }
    }
}
