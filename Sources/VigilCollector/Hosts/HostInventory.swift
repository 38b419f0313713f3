import VigilModel
import VigilStorage

/// One host that has reported to the collector.
public struct HostStatus: Sendable, Equatable {
    public var host: String
    public var agentVersion: String
    /// Newest sample of any of the host's series, ms since the epoch.
    public var lastSeen: Int64
    public var seriesCount: Int
    /// The host's reported sampling interval in seconds, when it reports one.
    public var intervalSeconds: Double?
    public var isUp: Bool
}

/// Derives the host list from the store itself, so it survives restarts with the data:
/// every series carries a `host` label; agents (and the collector's own sampler) also send
/// `vigil_agent_build_info{version}` and `vigil_agent_interval_seconds`.
public struct HostInventory: Sendable {
    public static let buildInfoMetric = "vigil_agent_build_info"
    public static let intervalMetric = "vigil_agent_interval_seconds"
    /// How far back to look for a host's version and interval (a stale host keeps its version).
    static let metadataLookback: Int64 = 7 * 24 * 3_600_000

    let storage: Storage
    /// Fixed staleness threshold in ms; nil derives it per host as 3 × its interval, at least 30 s.
    let staleAfter: Int64?

    public init(storage: Storage, staleAfter: Int64?) {
        self.storage = storage
        self.staleAfter = staleAfter
    }

    /// Hosts sorted by name, judged up or stale at `now` (ms).
    public func hosts(now: Int64) throws -> [HostStatus] {
        let groups = storage.summarize(by: "host")
        var versions: [String: String] = [:]
        for (labels, _) in try storage.latest([try LabelMatcher(Label.metricName, .equal, Self.buildInfoMetric)], at: now, lookback: Self.metadataLookback) {
            if let host = labels["host"], let version = labels["version"] { versions[host] = version }
        }
        var intervals: [String: Double] = [:]
        for (labels, sample) in try storage.latest([try LabelMatcher(Label.metricName, .equal, Self.intervalMetric)], at: now, lookback: Self.metadataLookback) {
            if let host = labels["host"] { intervals[host] = sample.value }
        }
        return groups.map { host, summary in
            let interval = intervals[host]
            let threshold = staleAfter ?? max(30_000, Int64((interval ?? 10) * 3_000))
            return HostStatus(
                host: host,
                agentVersion: versions[host] ?? "",
                lastSeen: summary.lastTimestamp,
                seriesCount: summary.seriesCount,
                intervalSeconds: interval,
                isUp: now - summary.lastTimestamp <= threshold
            )
        }.sorted { $0.host < $1.host }
    }
}
