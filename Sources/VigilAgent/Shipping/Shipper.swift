import Logging
import VigilHTTPClient
import VigilModel

/// Sends spooled batches to the collectors, one at a time, on its own thread.
///
/// Order: the spool hands out batches by `DrainOrder`; batches older than the newest tick
/// (the backlog after an outage or a restart) are paced by `BacklogPacer`, fresh ones are not.
///
/// Per response: 2xx acknowledges the batch (the spool forgets it); other 4xx except 401, 403,
/// 408 and 429 mean no collector will ever accept it, so it is logged, counted and acknowledged
/// too; anything else (network errors, timeouts, a refused token, which a reload may fix,
/// 408, 429, 5xx) keeps the batch, moves to the next
/// collector and, once every collector failed in turn, waits for an exponential backoff with
/// jitter. The collector deduplicates by (agent id, sequence), so a batch resent after a lost
/// acknowledgement is stored once.
final class Shipper: @unchecked Sendable {
    enum Outcome: Equatable {
        case acknowledged
        case rejected(status: Int, message: String)
        case retry(reason: String)
    }

    /// The longest the shipper sleeps without checking for a stop request or an `.interval` sync.
    static let idleWake: Int64 = 200_000_000

    private let spool: Spool
    private let settings: SharedShipperSettings
    private let telemetry: AgentTelemetry
    private let logger: Logger
    private let lock = ConditionLock()
    private var sentBatches = 0
    private var rejectedBatches = 0
    private var failedAttempts = 0

    init(spool: Spool, settings: SharedShipperSettings, telemetry: AgentTelemetry = AgentTelemetry(), logger: Logger) {
        self.spool = spool
        self.settings = settings
        self.telemetry = telemetry
        self.logger = logger
    }

    var counts: (sent: Int, rejected: Int, failedAttempts: Int) {
        lock.withLock { (sentBatches, rejectedBatches, failedAttempts) }
    }

    /// Ships until `stop` is set. A send under way when it is set still completes (bounded by
    /// the collector timeout); the caller need not wait for that, the batch stays spooled.
    func run(stop: StopFlag) {
        var generator = SystemRandomNumberGenerator()
        var (current, generation) = settings.current
        var clients = current.collectors.map { HTTPClient(url: $0, timeout: current.timeout, tls: current.tls) }
        var failover = CollectorFailover(count: clients.count)
        var pacer = BacklogPacer(perSecond: current.backlogBatchesPerSecond)
        var failing = false
        while !stop.isStopped {
            let latest = settings.current
            if latest.generation != generation {
                (current, generation) = latest
                clients = current.collectors.map { HTTPClient(url: $0, timeout: current.timeout, tls: current.tls) }
                failover = CollectorFailover(count: clients.count)
                pacer = BacklogPacer(perSecond: current.backlogBatchesPerSecond)
            }
            spool.syncIfDue()
            let now = MonotonicClock.now()
            let backlogAllowed = pacer.allows(at: now)
            let wake = backlogAllowed ? now + Self.idleWake : min(pacer.nextAllowed, now + Self.idleWake)
            guard let batch = spool.next(order: current.drainOrder, includingBacklog: backlogAllowed, waitingUntil: wake) else {
                continue
            }
            if batch.isBacklog { pacer.sent(at: now) }
            let client = clients[failover.current]
            let sendStarted = MonotonicClock.now()
            let outcome = send(batch, with: client, token: current.token)
            telemetry.sent(outcome.kind, samples: batch.samples, seconds: Double(MonotonicClock.now() - sendStarted) / 1e9)
            switch outcome {
            case .acknowledged:
                spool.acknowledge(batch.position)
                lock.withLock { sentBatches += 1 }
                if failing {
                    logger.info("collector reachable again", metadata: ["url": "\(client.url)", "pending": "\(spool.stats.pendingBatches)"])
                    failing = false
                }
                failover.succeeded()
            case .rejected(let status, let message):
                spool.acknowledge(batch.position)
                lock.withLock { rejectedBatches += 1 }
                logger.error("collector rejected a batch; dropping it", metadata: [
                    "url": "\(client.url)", "status": "\(status)", "sequence": "\(batch.sequence)", "message": "\(message)",
                ])
            case .retry(let reason):
                let attempts = lock.withLock {
                    failedAttempts += 1
                    return failedAttempts
                }
                let wasFailing = failing
                failing = true
                guard let attempt = failover.failed() else {
                    if !wasFailing {
                        logger.warning("cannot ship to a collector; trying the next", metadata: [
                            "url": "\(client.url)", "next": "\(clients[failover.current].url)", "reason": "\(reason)",
                        ])
                    }
                    continue
                }
                if attempt == 0 || attempt % 10 == 0 {
                    logger.warning("cannot ship to any collector; retrying", metadata: [
                        "url": "\(client.url)", "reason": "\(reason)", "pending": "\(spool.stats.pendingBatches)",
                        "failed_attempts": "\(attempts)",
                    ])
                }
                let delay = current.backoff.delay(attempt: attempt, using: &generator) * 1_000_000
                if stop.sleep(until: MonotonicClock.now() + delay) { return }
            }
        }
    }

    func send(_ batch: SpooledBatch, with client: HTTPClient, token: String) -> Outcome {
        var headers: [(String, String)] = [
            ("Content-Type", "application/x-vigil-batch"),
            ("Content-Encoding", "deflate"),
            ("User-Agent", "vigil-agent/\(VigilBuild.version)"),
        ]
        if !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        do {
            let response = try client.send(method: "POST", path: "/api/v1/ingest", headers: headers, body: batch.body)
            return Self.classify(status: response.status, body: response.bodyText)
        } catch {
            return .retry(reason: "\(error)")
        }
    }

    static func classify(status: Int, body: String) -> Outcome {
        switch status {
        case 200..<300: return .acknowledged
        case 408, 429: return .retry(reason: "HTTP \(status)")
        case 401, 403:
            return .retry(reason: "HTTP \(status): the collector refuses the token; fix [collector] token and send SIGHUP")
        case 400..<500: return .rejected(status: status, message: String(body.prefix(500)))
        default: return .retry(reason: "HTTP \(status): \(body.prefix(200))")
        }
    }
}

extension Shipper.Outcome {
    /// How the agent's own metrics count this outcome.
    var kind: AgentTelemetry.SendOutcomeKind {
        switch self {
        case .acknowledged: .acknowledged
        case .rejected: .rejected
        case .retry: .failed
        }
    }
}
