import ArgumentParser
import Foundation
import Logging
import VigilAgent

/// Disk spool throughput: append batches of a given size under a sync policy, then read
/// and acknowledge them all (what draining a backlog does), in this process, on the
/// directory given (the file system under test).
struct SpoolBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spool", abstract: "Append and drain throughput of the agent's disk spool.")

    @Option(help: "Batches to append, then drain.")
    var batches = 5_000

    @Option(help: "Bytes per batch body (an agent tick compresses to about 3 to 10 KiB).")
    var bytes = 8_192

    @Option(help: "always (fdatasync per append), interval (every 1 s) or never.")
    var fsync = "always"

    @Option(help: "Directory to create the spool in (removed afterwards).")
    var directory = NSTemporaryDirectory()

    func run() throws {
        let sync: SpoolSyncPolicy
        switch fsync {
        case "always": sync = .always
        case "interval": sync = .interval(milliseconds: 1_000)
        case "never": sync = .never
        default: throw ValidationError("--fsync must be always, interval or never")
        }
        let path = directory + "/vigil-bench-spool-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try Spool.open(directory: path, options: SpoolOptions(maxBytes: 1 << 40, sync: sync), logger: Logger(label: "bench"))
        var generator = SystemRandomNumberGenerator()
        let body = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }

        let appendStart = ProcessCPU.selfSeconds()
        let appendWall = Date()
        for index in 0..<batches {
            spool.append([OutgoingBatch(sequence: UInt64(index + 1), samples: 1_000, body: body)])
        }
        spool.syncIfDue()
        let appendSeconds = Date().timeIntervalSince(appendWall)
        let appendCPU = ProcessCPU.selfSeconds() - appendStart

        let drainStart = ProcessCPU.selfSeconds()
        let drainWall = Date()
        var drained = 0
        while let batch = spool.next(order: .oldestFirst, includingBacklog: true, waitingUntil: 0) {
            spool.acknowledge(batch.position)
            drained += 1
        }
        let drainSeconds = Date().timeIntervalSince(drainWall)
        let drainCPU = ProcessCPU.selfSeconds() - drainStart
        let stats = spool.stats
        spool.close()
        guard drained == batches else { throw ValidationError("drained \(drained) of \(batches) batches: a bug") }

        let megabytes = Double(batches * bytes) / 1_048_576
        print("spool, fsync \(fsync), \(batches) batches of \(bytes) B (\(String(format: "%.1f", megabytes)) MiB), \(stats.syncs) fdatasync calls")
        print(String(format: "append: %.0f batches/s, %.1f MiB/s wall; %.1f µs CPU per batch", Double(batches) / appendSeconds,
            megabytes / appendSeconds, appendCPU / Double(batches) * 1e6))
        print(String(format: "drain (read + acknowledge): %.0f batches/s, %.1f MiB/s wall; %.1f µs CPU per batch", Double(batches) / drainSeconds,
            megabytes / drainSeconds, drainCPU / Double(batches) * 1e6))
    }
}
