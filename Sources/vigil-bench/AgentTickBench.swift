import ArgumentParser
import Foundation
import VigilHTTPClient
import VigilHost
import VigilModel
import VigilWire

/// The agent's per-tick work, back to back in this process: sample every reader, encode,
/// compress, and (with --url) POST to a collector. Prints CPU time per tick by stage.
struct AgentTickBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent-tick", abstract: "CPU cost of one agent tick, by stage.")

    @Option(help: "Ticks to run after warm-up.")
    var ticks = 2000

    @Option(help: "Collector URL to POST each batch to (omit to skip sending).")
    var url: String?

    @Option(help: "procfs root to read.")
    var procfs = "/proc"

    func run() throws {
        let sampler = HostSampler(options: HostSamplerOptions(host: "bench-host", procfs: procfs))
        let client = try url.map { HTTPClient(url: try HTTPURL(parsing: $0)) }
        var sequence = UInt64(UnixTime.nowMilliseconds()) * 1000
        var series = 0
        var bytes = 0
        var sampleCPU = 0.0, encodeCPU = 0.0, sendCPU = 0.0
        for round in 0..<(ticks + 50) {
            let measuring = round >= 50
            let t0 = ProcessCPU.selfSeconds()
            let samples = sampler.sample(at: UnixTime.nowMilliseconds())
            let t1 = ProcessCPU.selfSeconds()
            let body = BatchCodec.compress(Batch(agentID: "bench", agentVersion: VigilBuild.version, sequence: sequence, series: samples))
            sequence += 1
            let t2 = ProcessCPU.selfSeconds()
            if let client {
                let response = try client.send(method: "POST", path: "/api/v1/ingest", headers: [("Content-Encoding", "deflate")], body: body)
                guard response.status == 204 else { throw ValidationError("collector answered \(response.status): \(response.bodyText)") }
            }
            let t3 = ProcessCPU.selfSeconds()
            if measuring {
                sampleCPU += t1 - t0
                encodeCPU += t2 - t1
                sendCPU += t3 - t2
                series = samples.count
                bytes = body.count
            }
        }
        let n = Double(ticks)
        print("agent tick, \(ticks) ticks back to back, \(series) series, \(bytes) bytes compressed per batch")
        print(String(format: "  read+parse   %.1f us CPU/tick", sampleCPU / n * 1e6))
        print(String(format: "  encode+zlib  %.1f us CPU/tick", encodeCPU / n * 1e6))
        if url != nil { print(String(format: "  HTTP send    %.1f us CPU/tick (client side)", sendCPU / n * 1e6)) }
        print(String(format: "  total        %.1f us CPU/tick", (sampleCPU + encodeCPU + sendCPU) / n * 1e6))
        print("  RSS \(ProcessCPU.residentBytes(pid: getpid()) ?? 0) bytes (bench process, includes Foundation)")
    }
}
