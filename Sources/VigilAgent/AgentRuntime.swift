import Logging
import VigilHost
import VigilHTTPClient
import VigilModel

/// The agent's main loop: sample on a drift-free schedule, build and compress batches,
/// append them to the disk spool, and let the shipper thread deliver them.
///
/// SIGTERM/SIGINT: stop sampling, give the shipper up to `shutdownGrace` to finish a send,
/// sync the spool and return, within a second. Whatever was not delivered is sent by the
/// next run. SIGHUP: read the config again through `reload`; on an error keep running with
/// the old one and log why.
public final class AgentRuntime {
    public static let shutdownGrace: Int64 = 500_000_000

    private let config: AgentConfig
    private var logger: Logger
    private let reload: (() throws -> AgentConfig)?

    /// - Parameter reload: reads the config again (file and flags) on SIGHUP; nil ignores SIGHUP.
    public init(config: AgentConfig, logger: Logger, reload: (() throws -> AgentConfig)? = nil) {
        self.config = config
        self.logger = logger
        self.reload = reload
    }

    /// Runs until a termination signal; returns the process exit code.
    /// - Throws: `SpoolError` when the spool cannot be opened, `HTTPClientError` for a
    ///   collector URL that does not parse, `MetricsListenerError` when `[metrics] listen`
    ///   cannot be bound.
    public func run() throws -> Int32 {
        AgentSignals.install()
        var config = self.config
        let settings = SharedShipperSettings(try ShipperSettings(config))
        var sampling = SamplingSetup(config)
        let identity = AgentIdentity.load(stateDirectory: config.stateDir, host: sampling.host)
        if let warning = identity.warning { logger.warning("\(warning)") }
        let spool = try Spool.open(directory: config.spoolDirectory, options: config.spoolOptions, logger: logger)
        var logCounters = try LogCounters(rules: config.logCounters, stateDirectory: config.stateDir, host: sampling.host)
        var builder = BatchBuilder(
            agentID: identity.id,
            maxSamples: config.shipping.maxBatchSamples,
            firstSequence: UInt64(UnixTime.nowMilliseconds()) * 1000
        )
        let telemetry = AgentTelemetry()
        let shipper = Shipper(spool: spool, settings: settings, telemetry: telemetry, logger: logger)
        let stop = StopFlag()
        // Bound before any thread starts, so an address in use fails the start cleanly.
        let metricsThread = try startMetricsListener(config, telemetry: telemetry, spool: spool, stop: stop)
        let shipperThread = AgentThread { shipper.run(stop: stop) }
        logger.info("vigil-agent \(VigilBuild.version) sampling \(sampling.host) every \(DurationText.format(config.interval))", metadata: [
            "agent_id": "\(identity.id)", "collectors": "\(config.collector.urls.joined(separator: ","))", "spool": "\(spool.path)",
        ])

        var schedule = TickSchedule(origin: MonotonicClock.now(), interval: config.interval.nanoseconds)
        var deadline = schedule.origin
        ticking: while true {
            switch AgentSignals.wait(until: deadline) {
            case .stop?:
                break ticking
            case .reload?:
                guard let (reloaded, shipping) = reloadConfig(running: config) else { continue }
                if reloaded.interval != config.interval {
                    schedule = TickSchedule(origin: deadline, interval: reloaded.interval.nanoseconds)
                }
                if SamplingSetup.Inputs(reloaded) != SamplingSetup.Inputs(config) { sampling = SamplingSetup(reloaded) }
                if reloaded.logCounters != config.logCounters || reloaded.host != config.host {
                    // The new counters resume every file at the position saved here; their values restart at 0.
                    do {
                        try logCounters.saveState()
                        logCounters = try LogCounters(rules: reloaded.logCounters, stateDirectory: reloaded.stateDir, host: sampling.host)
                    } catch {
                        logger.error("log counters not reloaded; keeping the running ones", metadata: ["error": "\(error)"])
                    }
                }
                builder.maxSamples = reloaded.shipping.maxBatchSamples
                settings.replace(with: shipping)
                spool.update(reloaded.spoolOptions)
                logger.logLevel = reloaded.log.level
                config = reloaded
                logger.info("configuration reloaded")
                continue
            case nil:
                break
            }
            let started = MonotonicClock.now()
            let timestamp = UnixTime.nowMilliseconds()
            var series = sampling.sampler.sample(at: timestamp)
            series.append(contentsOf: sampling.metadata.series(at: timestamp))
            series.append(contentsOf: sampling.spoolSeries.series(at: timestamp, stats: spool.stats))
            if !config.logCounters.isEmpty {
                series.append(contentsOf: logCounters.poll(at: timestamp))
                do {
                    try logCounters.saveState()
                } catch {
                    logger.warning("log counter offsets not saved", metadata: ["error": "\(error)"])
                }
            }
            for failure in sampling.sampler.lastFailures {
                logger.debug("reader failed", metadata: ["failure": "\(failure)"])
            }
            spool.append(builder.build(series))
            telemetry.collected(
                samples: series.reduce(0) { $0 + $1.samples.count }, failures: sampling.sampler.lastFailures.count,
                seconds: Double(MonotonicClock.now() - started) / 1e9)
            telemetry.setSkippedTicks(Int(schedule.skipped))
            deadline = schedule.next(after: MonotonicClock.now())
        }

        stop.requestStop()
        let joined = shipperThread.join(until: MonotonicClock.now() + Self.shutdownGrace)
        _ = metricsThread?.join(until: MonotonicClock.now() + Self.shutdownGrace)
        spool.close()
        let counts = shipper.counts
        let stats = spool.stats
        logger.info("stopped", metadata: [
            "sent": "\(counts.sent)", "pending": "\(stats.pendingBatches)", "dropped_batches": "\(stats.droppedBatches)",
            "skipped_ticks": "\(schedule.skipped)", "send_interrupted": "\(!joined)",
        ])
        return 0
    }

    /// Binds the `/metrics` listener and starts it on its own thread when `[metrics] listen` is set.
    /// - Throws: `MetricsListenerError` when the address cannot be bound.
    private func startMetricsListener(
        _ config: AgentConfig, telemetry: AgentTelemetry, spool: Spool, stop: StopFlag
    ) throws -> AgentThread? {
        guard !config.metrics.listen.isEmpty else { return nil }
        let procfs = config.procfs
        let listener = try MetricsListener(listen: config.metrics.listen) {
            AgentMetricsExposition(
                telemetry: telemetry.snapshot, spool: spool.stats, process: .current(procfs: procfs), version: VigilBuild.version
            ).render()
        }
        logger.info("serving the agent's metrics on http://\(listener.boundAddress)/metrics")
        return AgentThread { listener.run(stop: stop) }
    }

    /// The config `reload` reads and the shipper's part of it, when it is valid; nil (logged) otherwise.
    private func reloadConfig(running: AgentConfig) -> (AgentConfig, ShipperSettings)? {
        guard let reload else { return nil }
        let reloaded: AgentConfig
        let shipping: ShipperSettings
        do {
            reloaded = try reload()
            shipping = try ShipperSettings(reloaded)
        } catch {
            logger.error("config reload failed; keeping the running config", metadata: ["error": "\(error)"])
            return nil
        }
        var applied = reloaded
        if reloaded.spoolDirectory != running.spoolDirectory || reloaded.stateDir != running.stateDir {
            logger.warning("state_dir and [spool] dir take effect only at the next start; keeping the running ones", metadata: [
                "state_dir": "\(running.stateDir)", "spool": "\(running.spoolDirectory)",
            ])
            applied.stateDir = running.stateDir
            applied.spool.dir = running.spool.dir
        }
        if reloaded.metrics != running.metrics {
            logger.warning("[metrics] listen takes effect only at the next start; keeping the running listener", metadata: [
                "listen": "\(running.metrics.listen)",
            ])
            applied.metrics = running.metrics
        }
        return (applied, shipping)
    }
}

/// What sampling derives from the config: the host name, the sampler and the agent's own series.
struct SamplingSetup {
    let host: String
    let sampler: HostSampler
    let metadata: AgentMetadataSeries
    let spoolSeries: AgentSpoolSeries

    init(_ config: AgentConfig) {
        host = config.host.isEmpty ? HostName.current() : config.host
        var options = HostSamplerOptions(
            host: host, procfs: config.procfs, sysfs: config.sysfs, rootfs: config.rootfs,
            collectors: Set(config.collectors.compactMap(HostCollector.init(rawValue:))))
        options.cgroupInclude = config.cgroups.includePattern
        options.cgroupExclude = config.cgroups.excludePattern
        options.cgroupMaxCount = config.cgroups.maxCount
        options.cgroupMaxDepth = config.cgroups.maxDepth
        sampler = HostSampler(options: options)
        metadata = AgentMetadataSeries(host: host, version: VigilBuild.version, interval: config.interval)
        spoolSeries = AgentSpoolSeries(host: host)
    }

    /// The config fields whose change needs a new setup.
    struct Inputs: Equatable {
        let host, procfs, sysfs, rootfs: String
        let interval: Duration
        let collectors: [String]
        let cgroups: AgentConfig.Cgroups

        init(_ config: AgentConfig) {
            host = config.host
            procfs = config.procfs
            sysfs = config.sysfs
            rootfs = config.rootfs
            interval = config.interval
            collectors = config.collectors
            cgroups = config.cgroups
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
