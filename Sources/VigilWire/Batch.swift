import VigilModel

/// One agent's shipment: the samples of one or more ticks, sent as one HTTP request body.
///
/// `(agentID, sequence)` identifies a batch: an agent retries a failed POST with the same
/// sequence, and the collector treats a repeat as already stored.
public struct Batch: Sendable, Equatable {
    /// The stable identity of the sending agent (usually its host name or a configured id).
    public var agentID: String
    /// The agent's release, for the collector's host registry.
    public var agentVersion: String
    /// Per-agent batch number, increasing by one per new batch; unchanged on retry.
    public var sequence: UInt64
    /// The series in the batch with their samples, each in strictly increasing time order.
    public var series: [SeriesSamples]

    public init(agentID: String, agentVersion: String, sequence: UInt64, series: [SeriesSamples]) {
        self.agentID = agentID
        self.agentVersion = agentVersion
        self.sequence = sequence
        self.series = series
    }

    /// The number of samples over all series.
    public var sampleCount: Int {
        series.reduce(0) { $0 + $1.samples.count }
    }
}
