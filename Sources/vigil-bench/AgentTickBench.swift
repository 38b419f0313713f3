import ArgumentParser
import Foundation
import VigilHTTPClient
import VigilHost
import VigilModel
import VigilWire

/// The agent's per-tick work, back to back in this process: sample every reader, encode,
/// compress, and (with --url) POST to a collector. Prints CPU time per tick by stage.
///
/// Only the work a tick does is timed (getrusage before and after each stage); the agent's
/// sleeping, its thread hand-off to the shipper and process start-up are not, so the
/// whole-process figure of scripts/bench-agent.sh is the one to hold against a budget.
struct AgentTickBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent-tick", abstract: "CPU cost of one agent tick, by stage.")

    @Option(help: "Ticks to run after 50 warm-up ticks.")
    var ticks = 2000

    @Option(help: "Collector URL to POST each batch to (omit to skip sending).")
    var url: String?

    @Option(help: "procfs root to read.")
    var procfs = "/proc"

    @Option(help: "zlib level, 0 (store) to 9 (smallest); the agent uses 1.")
    var level: Int32 = 1

    func validate() throws {
        guard ticks > 0 else { throw ValidationError("--ticks must be at least 1") }
        guard (0...9).contains(level) else { throw ValidationError("--level must be 0 to 9, got \(level)") }
    }

    func run() throws {
        let sampler = HostSampler(options: HostSamplerOptions(host: "bench-host", procfs: procfs))
        let client = try url.map { HTTPClient(url: try HTTPURL(parsing: $0)) }
        var sequence = UInt64(UnixTime.nowMilliseconds()) * 1000
        let compressor = BatchCompressor(level: level)
        var series = 0, bodyBytes = 0
        var sampleCPU = 0.0, compressCPU = 0.0, sendCPU = 0.0
        for round in 0..<(ticks + 50) {
            let t0 = ProcessCPU.selfSeconds()
            let samples = sampler.sample(at: UnixTime.nowMilliseconds())
            let t1 = ProcessCPU.selfSeconds()
            // As the agent does: one BatchCompressor kept across ticks (zlib stream and label tables reused).
            let body = compressor.compress(Batch(agentID: "bench", agentVersion: VigilBuild.version, sequence: sequence, series: samples))
            sequence += 1
            let t3 = ProcessCPU.selfSeconds()
            if let client {
                let response = try client.send(method: "POST", path: "/api/v1/ingest", headers: [("Content-Encoding", "deflate")], body: body)
                guard response.status == 204 else { throw ValidationError("collector answered \(response.status): \(response.bodyText)") }
            }
            let t4 = ProcessCPU.selfSeconds()
            if round >= 50 {
                sampleCPU += t1 - t0
                compressCPU += t3 - t1
                sendCPU += t4 - t3
                series = samples.count
                bodyBytes = body.count
            }
        }
        let n = Double(ticks)
        print("agent tick, \(ticks) ticks back to back, \(series) series, \(bodyBytes) bytes after zlib level \(level)")
        print(String(format: "  read+parse   %6.1f us CPU/tick", sampleCPU / n * 1e6))
        print(String(format: "  encode+zlib  %6.1f us CPU/tick (BatchCompressor)", compressCPU / n * 1e6))
        if url != nil { print(String(format: "  HTTP send    %6.1f us CPU/tick (client side)", sendCPU / n * 1e6)) }
        print(String(format: "  total        %6.1f us CPU/tick", (sampleCPU + compressCPU + sendCPU) / n * 1e6))
        print("  RSS \((ProcessCPU.residentBytes(pid: getpid()) ?? 0) / 1024) KiB (this bench process, with Foundation; not the agent's)")
    }
}
