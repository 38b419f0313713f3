import VigilHTTPClient
import VigilModel

/// What the shipper needs from the configuration; replaced as a whole on SIGHUP.
struct ShipperSettings: Equatable, Sendable {
    var collectors: [HTTPURL]
    var token: String
    var timeout: Duration
    var tls: TLSOptions
    var backoff: Backoff
    var drainOrder: DrainOrder
    var backlogBatchesPerSecond: Int

    /// The settings of `config`; throws when a collector URL does not parse.
    init(_ config: AgentConfig) throws(HTTPClientError) {
        var collectors: [HTTPURL] = []
        for url in config.collector.urls { collectors.append(try HTTPURL(parsing: url)) }
        self.collectors = collectors
        token = config.collector.token
        timeout = config.collector.timeout
        tls = config.collector.tls
        backoff = Backoff(
            initial: DurationText.milliseconds(of: config.shipping.retryInitial),
            maximum: DurationText.milliseconds(of: config.shipping.retryMax))
        drainOrder = config.shipping.drainOrder
        backlogBatchesPerSecond = config.shipping.backlogBatchesPerSecond
    }
}

/// The current `ShipperSettings`, shared between the sampler thread (which replaces them on
/// reload) and the shipper thread (which picks them up before its next send).
final class SharedShipperSettings: @unchecked Sendable {
    private let lock = ConditionLock()
    private var settings: ShipperSettings
    private var generation = 0

    init(_ settings: ShipperSettings) {
        self.settings = settings
    }

    var current: (settings: ShipperSettings, generation: Int) { lock.withLock { (settings, generation) } }

    func replace(with settings: ShipperSettings) {
        lock.withLock {
            guard settings != self.settings else { return }
            self.settings = settings
            generation += 1
        }
    }
}
