import Logging
import VigilHost
import VigilHTTPClient
import VigilModel

/// The agent's main loop: sample on a drift-free schedule, build and compress batches,
/// queue them, and let the shipper thread deliver them. Stops on SIGTERM/SIGINT after
/// trying for up to one second to deliver what is queued.
public final class AgentRuntime {
    public static let shutdownDrain: Int64 = 1_000_000_000

    private let config: AgentConfig
    private let logger: Logger

    public init(config: AgentConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Runs until a termination signal; returns the process exit code.
    public func run() throws -> Int32 {
        let host = config.host.isEmpty ? HostName.current() : config.host
        let url = try HTTPURL(parsing: config.collector.url)
        let identity = AgentIdentity.load(stateDirectory: config.stateDir, host: host)
        if let warning = identity.warning { logger.warning("\(warning)") }

        let sampler = HostSampler(options: HostSamplerOptions(
            host: host, procfs: config.procfs, sysfs: config.sysfs, rootfs: config.rootfs,
            collectors: Set(config.collectors.compactMap(HostCollector.init(rawValue:)))
        ))
        let metadata = AgentMetadataSeries(host: host, version: VigilBuild.version, interval: config.interval)
        let queue = BatchQueue(capacity: config.shipping.queueMaxBatches)
        var builder = BatchBuilder(
            agentID: identity.id,
            maxSamples: config.shipping.maxBatchSamples,
            firstSequence: UInt64(UnixTime.nowMilliseconds()) * 1000
        )
        let shipper = Shipper(
            queue: queue, url: url, token: config.collector.token, timeout: config.collector.timeout,
            backoff: Backoff(initial: DurationText.milliseconds(of: config.shipping.retryInitial), maximum: DurationText.milliseconds(of: config.shipping.retryMax)),
            logger: logger
        )
        let stop = StopFlag()
        let drain = DrainDeadline()
        let shipperThread = AgentThread { shipper.run(stop: stop, drainDeadline: { drain.value }) }

        TerminationSignals.install()
        logger.info("vigil-agent \(VigilBuild.version) sampling \(host) every \(DurationText.format(config.interval)), shipping to \(url)", metadata: ["agent_id": "\(identity.id)"])

        var schedule = TickSchedule(origin: MonotonicClock.now(), interval: config.interval.nanoseconds)
        var deadline = schedule.origin
        while TerminationSignals.pending == 0 {
            let timestamp = UnixTime.nowMilliseconds()
            var series = sampler.sample(at: timestamp)
            series.append(contentsOf: metadata.series(at: timestamp))
            for failure in sampler.lastFailures {
                logger.debug("reader failed", metadata: ["failure": "\(failure)"])
            }
            for entry in builder.build(series) { queue.append(entry) }
            deadline = schedule.next(after: MonotonicClock.now())
            while TerminationSignals.pending == 0, !MonotonicClock.sleep(until: deadline) {}
        }

        logger.info("stopping: delivering \(queue.count) queued batches for up to 1 s")
        drain.set(MonotonicClock.now() + Self.shutdownDrain)
        stop.requestStop()
        queue.close()
        shipperThread.join()
        let left = queue.count
        let counts = shipper.counts
        logger.info("stopped", metadata: ["sent": "\(counts.sent)", "undelivered": "\(left)", "skipped_ticks": "\(schedule.skipped)"])
        return 0
    }
}

/// The monotonic time by which the shipper must give up on shutdown; nil while running.
final class DrainDeadline: @unchecked Sendable {
    private let lock = ConditionLock()
    private var deadline: Int64?

    var value: Int64? { lock.withLock { deadline } }

    func set(_ value: Int64) { lock.withLock { deadline = value } }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
