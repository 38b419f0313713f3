import VigilModel

/// The series an agent sends about itself with every batch:
/// `vigil_agent_build_info{host,version} 1` and `vigil_agent_interval_seconds{host}`.
/// The collector derives a host's agent version and staleness threshold from them.
public struct AgentMetadataSeries: Sendable {
    private let buildInfo: Labels
    private let intervalLabels: Labels
    private let intervalSeconds: Double

    public init(host: String, version: String, interval: Duration) {
        buildInfo = Labels(name: "vigil_agent_build_info", [("host", host), ("version", version)])
        intervalLabels = Labels(name: "vigil_agent_interval_seconds", [("host", host)])
        let (seconds, attoseconds) = interval.components
        intervalSeconds = Double(seconds) + Double(attoseconds) / 1e18
    }

    public func series(at timestamp: Int64) -> [SeriesSamples] {
        [
            SeriesSamples(labels: buildInfo, samples: [Sample(timestamp: timestamp, value: 1)]),
            SeriesSamples(labels: intervalLabels, samples: [Sample(timestamp: timestamp, value: intervalSeconds)]),
        ]
    }
}
