import Logging
import VigilHTTPClient
import VigilModel

/// Sends queued batches to the collector in order, one at a time, on its own thread.
///
/// Per response: 204/200 acknowledges and removes the batch; other 4xx except 408 and
/// 429 mean the collector will never accept it, so it is logged and dropped; anything
/// else (network errors, timeouts, 408, 429, 5xx) keeps the batch and retries after an
/// exponential backoff with jitter. The collector deduplicates by (agent id, sequence),
/// so a retry after a lost acknowledgement stores nothing twice.
final class Shipper: @unchecked Sendable {
    enum Outcome: Equatable {
        case acknowledged
        case rejected(status: Int, message: String)
        case retry(reason: String)
    }

    private let queue: BatchQueue
    private let url: HTTPURL
    private let token: String
    private let timeout: Duration
    private let backoff: Backoff
    private let logger: Logger
    private let lock = ConditionLock()
    private var sentBatches = 0
    private var rejectedBatches = 0
    private var failedAttempts = 0

    init(queue: BatchQueue, url: HTTPURL, token: String, timeout: Duration, backoff: Backoff, logger: Logger) {
        self.queue = queue
        self.url = url
        self.token = token
        self.timeout = timeout
        self.backoff = backoff
        self.logger = logger
    }

    var counts: (sent: Int, rejected: Int, failedAttempts: Int) {
        lock.withLock { (sentBatches, rejectedBatches, failedAttempts) }
    }

    /// Ships until `stop` is set and, after that, until the queue is empty or `drainDeadline()` passes.
    func run(stop: StopFlag, drainDeadline: @escaping @Sendable () -> Int64?) {
        let client = HTTPClient(url: url, timeout: timeout)
        defer { client.close() }
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            if let deadline = drainDeadline(), MonotonicClock.now() >= deadline { return }
            guard let entry = queue.first(waitingUntil: MonotonicClock.now() + 200_000_000) else {
                if stop.isStopped { return }
                continue
            }
            switch send(entry, with: client) {
            case .acknowledged:
                queue.removeFirst(ifSequence: entry.sequence)
                lock.withLock { sentBatches += 1 }
                if attempt > 0 { logger.info("collector reachable again", metadata: ["url": "\(url)", "queued": "\(queue.count)"]) }
                attempt = 0
            case .rejected(let status, let message):
                queue.removeFirst(ifSequence: entry.sequence)
                lock.withLock { rejectedBatches += 1 }
                logger.error("collector rejected a batch; dropping it", metadata: ["status": "\(status)", "sequence": "\(entry.sequence)", "message": "\(message)"])
            case .retry(let reason):
                lock.withLock { failedAttempts += 1 }
                if attempt == 0 || attempt % 10 == 0 {
                    logger.warning("cannot ship to collector; retrying", metadata: ["url": "\(url)", "reason": "\(reason)", "queued": "\(queue.count)"])
                }
                let wait = backoff.delay(attempt: attempt, using: &generator)
                attempt += 1
                var until = MonotonicClock.now() + wait * 1_000_000
                if let deadline = drainDeadline() { until = min(until, deadline) }
                if stop.sleep(until: until), drainDeadline() == nil { return }
            }
        }
    }

    func send(_ entry: BatchQueue.Entry, with client: HTTPClient) -> Outcome {
        var headers: [(String, String)] = [
            ("Content-Type", "application/x-vigil-batch"),
            ("Content-Encoding", "deflate"),
            ("User-Agent", "vigil-agent/\(VigilBuild.version)"),
        ]
        if !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        do {
            let response = try client.send(method: "POST", path: "/api/v1/ingest", headers: headers, body: entry.body)
            return Self.classify(status: response.status, body: response.bodyText)
        } catch {
            return .retry(reason: "\(error)")
        }
    }

    static func classify(status: Int, body: String) -> Outcome {
        switch status {
        case 200..<300: return .acknowledged
        case 408, 429: return .retry(reason: "HTTP \(status)")
        case 400..<500: return .rejected(status: status, message: String(body.prefix(500)))
        default: return .retry(reason: "HTTP \(status): \(body.prefix(200))")
        }
    }
}
