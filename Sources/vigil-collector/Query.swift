import ArgumentParser
import VigilCollector
import VigilConfig
import VigilModel

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query the fleet with PromQL: values now, or a time series with --range.",
        discussion: """
        EXPRESSION is any PromQL expression, evaluated as Prometheus 2.x does.

        Examples:
          vigil-collector query 'node_load1'
          vigil-collector query 'sum by (host) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))'
          vigil-collector query 'node_load1{host="web-1"}' --range 1h --step 1m
          vigil-collector query 'rate(node_network_receive_bytes_total[5m])' --range 6h --graph
          vigil-collector query 'node_memory_MemAvailable_bytes' --json
        """
    )

    @Argument(help: "The PromQL expression to evaluate.")
    var expression: String

    @Option(help: "Evaluate over this duration ending at --time, e.g. 15m, 1h, 2d.")
    var range: String?

    @Option(help: "Resolution of a range query, e.g. 15s, 1m (default: range / 60).")
    var step: String?

    @Option(help: "Evaluation time (end of the range): Unix seconds or RFC 3339 (default: now).")
    var time: String?

    @Flag(help: "Print the API's JSON instead of a table.")
    var json = false

    @Flag(help: "With --range: one line per series with a sparkline and min/max/last.")
    var graph = false

    @OptionGroup var options: ClientOptions

    func run() throws {
        let client = try options.client()
        let end = time ?? PrometheusNumber.timestamp(UnixTime.nowMilliseconds())
        let body: [UInt8]
        if let range {
            guard let rangeMs = DurationText.milliseconds(range), rangeMs > 0 else {
                throw ValidationError("--range \(range) is not a duration such as 15m, 1h or 2d")
            }
            let stepMs: Int64
            if let step {
                guard let parsed = DurationText.milliseconds(step), parsed > 0 else {
                    throw ValidationError("--step \(step) is not a duration such as 15s or 1m")
                }
                stepMs = parsed
            } else {
                stepMs = max(1000, rangeMs / 60)
            }
            guard let endSeconds = Double(end) else {
                throw ValidationError("--time with --range takes Unix seconds")
            }
            let startSeconds = endSeconds - Double(rangeMs) / 1000
            body = try client.get("/api/v1/query_range", [
                ("query", expression), ("start", PrometheusNumber.value(startSeconds)),
                ("end", end), ("step", PrometheusNumber.value(Double(stepMs) / 1000)),
            ])
        } else {
            body = try client.get("/api/v1/query", [("query", expression), ("time", end)])
        }
        if json {
            print(String(decoding: body, as: UTF8.self))
        } else {
            print(FleetFormatting.result(try QueryResult.decode(try FleetClient.data(of: body))), terminator: "")
        }
    }
}
