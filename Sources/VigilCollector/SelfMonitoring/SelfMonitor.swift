import Logging
import VigilAgent
import ServiceLifecycle
import VigilHost
import VigilModel
import VigilStorage

/// Samples the collector's own host in-process on a fixed interval and stores the samples
/// directly (no wire hop), so a collector with no agents still shows something real.
/// The series are the same an agent on this host would send, including the agent
/// metadata series that `vigil-collector hosts` reads.
struct SelfMonitor: Service {
    let storage: Storage
    let options: HostSamplerOptions
    let interval: Duration
    let version: String
    let metrics: CollectorMetrics
    let logger: Logger

    func run() async throws {
        let sampler = HostSampler(options: options)
        let clock = ContinuousClock()
        var next = clock.now
        let metadata = AgentMetadataSeries(host: options.host, version: version, interval: interval)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let timestamp = UnixTime.nowMilliseconds()
            var series = sampler.sample(at: timestamp)
            series.append(contentsOf: metadata.series(at: timestamp))
            for failure in sampler.lastFailures {
                metrics.selfSamplingErrors.increment()
                logger.debug("self-monitor reader failed", metadata: ["failure": "\(failure)"])
            }
            do {
                _ = try await storage.append(series)
            } catch {
                metrics.selfSamplingErrors.increment()
                logger.warning("self-monitor samples not stored", metadata: ["error": "\(error)"])
            }
            next = next.advanced(by: interval)
            if next < clock.now { next = clock.now }
            let deadline = next
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(until: deadline, clock: clock)
                }
            } catch {
                return
            }
        }
    }
}
