import Foundation
import Synchronization
import VigilHTTPClient

/// Posts pre-encoded batches to the collector's ingest endpoint over several keep-alive
/// connections, one blocking thread each, each taking the next unsent batch.
struct IngestLoad {
    let endpoint: HTTPURL
    let connections: Int

    /// What one `post` call saw: wall time, batches not answered 204, and the first such answer.
    struct Result {
        var wallSeconds: Double
        var failures: Int
        var firstFailure: String?
    }

    /// Sends every batch of `batches` once and returns when all have been answered.
    func post(_ batches: ArraySlice<[UInt8]>) -> Result {
        let counters = LoadCounters()
        let group = DispatchGroup()
        let started = ContinuousClock.now
        let base = batches.startIndex
        let count = batches.count
        let endpoint = endpoint
        for _ in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                let client = HTTPClient(url: endpoint, timeout: .seconds(60))
                while true {
                    let index = counters.cursor.add(1, ordering: .relaxed).oldValue
                    guard index < count else { break }
                    let failure: String?
                    do {
                        let response = try client.send(method: "POST", path: "/api/v1/ingest", headers: [("Content-Encoding", "deflate")], body: batches[base + index])
                        failure = response.status == 204 ? nil : "HTTP \(response.status): \(response.bodyText.prefix(300))"
                    } catch {
                        failure = "\(error)"
                    }
                    if let failure { counters.fail(failure) }
                }
                group.leave()
            }
        }
        group.wait()
        let elapsed = (ContinuousClock.now - started).components
        return Result(
            wallSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
            failures: counters.failures.load(ordering: .relaxed),
            firstFailure: counters.firstFailure.withLock { $0 })
    }
}

/// Shared between the load threads: the next batch to send and the failures seen.
final class LoadCounters: Sendable {
    let cursor = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let firstFailure = Mutex<String?>(nil)

    func fail(_ message: String) {
        failures.add(1, ordering: .relaxed)
        firstFailure.withLock { if $0 == nil { $0 = message } }
    }
}
