import VigilModel

/// The spool's counters as series the agent sends with every tick, so losses show up in the
/// collector, not only in the agent's log: `vigil_agent_spool_dropped_batches_total`,
/// `vigil_agent_spool_pending_batches` and `vigil_agent_spool_bytes`, each with `host`.
struct AgentSpoolSeries {
    private let dropped: Labels
    private let pending: Labels
    private let bytes: Labels

    init(host: String) {
        dropped = Labels(name: "vigil_agent_spool_dropped_batches_total", [("host", host)])
        pending = Labels(name: "vigil_agent_spool_pending_batches", [("host", host)])
        bytes = Labels(name: "vigil_agent_spool_bytes", [("host", host)])
    }

    func series(at timestamp: Int64, stats: SpoolStats) -> [SeriesSamples] {
        [
            SeriesSamples(labels: dropped, samples: [Sample(timestamp: timestamp, value: Double(stats.droppedBatches))]),
            SeriesSamples(labels: pending, samples: [Sample(timestamp: timestamp, value: Double(stats.pendingBatches))]),
            SeriesSamples(labels: bytes, samples: [Sample(timestamp: timestamp, value: Double(stats.bytes))]),
        ]
    }
}
