/// The agent's own counters, shared by the sampling thread, the shipper thread and the
/// metrics listener. Every update is a few additions under one uncontended lock.
///
/// Spool gauges are not copied here: the exposition reads `Spool.stats` when asked.
final class AgentTelemetry: @unchecked Sendable {
    /// Upper bounds (seconds) of the send latency histogram, Prometheus' default buckets.
    static let sendBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// A consistent copy of every counter.
    struct Snapshot: Equatable, Sendable {
        var ticks = 0
        var skippedTicks = 0
        var samplesCollected = 0
        var readerFailures = 0
        var collectSecondsTotal = 0.0
        var batchesSent = 0
        var samplesSent = 0
        var batchesRejected = 0
        var sendFailures = 0
        /// Cumulative counts per `sendBuckets` bound, then the count of every send (+Inf).
        var sendBucketCounts = [Int](repeating: 0, count: AgentTelemetry.sendBuckets.count + 1)
        var sendSecondsTotal = 0.0
    }

    private let lock = ConditionLock()
    private var state = Snapshot()

    var snapshot: Snapshot { lock.withLock { state } }

    /// One tick sampled: `samples` collected in `seconds`, `failures` readers that failed.
    func collected(samples: Int, failures: Int, seconds: Double) {
        lock.withLock {
            state.ticks += 1
            state.samplesCollected += samples
            state.readerFailures += failures
            state.collectSecondsTotal += seconds
        }
    }

    /// Ticks the schedule skipped because sampling fell behind.
    func setSkippedTicks(_ count: Int) {
        lock.withLock { state.skippedTicks = count }
    }

    /// One POST finished in `seconds`: acknowledged (with its samples), rejected for good, or failed.
    func sent(_ outcome: SendOutcomeKind, samples: Int, seconds: Double) {
        lock.withLock {
            switch outcome {
            case .acknowledged:
                state.batchesSent += 1
                state.samplesSent += samples
            case .rejected:
                state.batchesRejected += 1
            case .failed:
                state.sendFailures += 1
            }
            // Failures count too: a collector that times out shows in the latency.
            for (index, bound) in Self.sendBuckets.enumerated() where seconds <= bound {
                state.sendBucketCounts[index] += 1
            }
            state.sendBucketCounts[Self.sendBuckets.count] += 1
            state.sendSecondsTotal += seconds
        }
    }

    enum SendOutcomeKind: Sendable {
        case acknowledged, rejected, failed
    }
}
