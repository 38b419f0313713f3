/// A collector that produced no series in the last `HostSampler.sample(at:)` call, and why.
public struct HostReaderFailure: Sendable, Equatable, CustomStringConvertible {
    /// The node_exporter collector name, as in `node_scrape_collector_success{collector=...}`.
    public let collector: HostCollector
    public let error: HostReadError

    public init(collector: HostCollector, error: HostReadError) {
        self.collector = collector
        self.error = error
    }

    /// A one-line message naming the collector, the file and what to do.
    public var message: String { "collector \(collector.rawValue): \(error)" }

    public var description: String { message }
}
