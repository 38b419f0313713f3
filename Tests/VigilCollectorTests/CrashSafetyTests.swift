import Foundation
import VigilHTTPClient
import VigilModel
import VigilWire
import XCTest

/// SIGKILL while agents ingest hard and the head is being flushed to blocks: every batch the
/// collector acknowledged is there after a restart, and the store opens cleanly.
final class CrashSafetyTests: XCTestCase {
    func testKillDuringHeavyIngestAndFlushLosesNoAcknowledgedBatch() throws {
        let data = TestPaths.temporaryDirectory("crash")
        let config = """
            [auth]
            admin_tokens = ["adm"]
            [self_monitor]
            enabled = false
            [storage]
            block_range = "1m"
            """
        let base = (UnixTime.nowMilliseconds() / 60_000 - 30) * 60_000
        let collector = try CollectorProcess(dataDirectory: data, config: config)
        let url = collector.url
        let acknowledged = AcknowledgedBatches()
        let stop = StopSignal()
        let group = DispatchGroup()
        for worker in 0..<3 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = try? HTTPClient(url: HTTPURL(parsing: url), timeout: .seconds(10)) else { return }
                var sequence: UInt64 = 0
                while !stop.isSet {
                    sequence += 1
                    let batch = Self.batch(worker: worker, sequence: sequence, base: base)
                    let body = BatchCodec.compress(batch)
                    let headers = [("Content-Encoding", "deflate"), ("Authorization", "Bearer adm")]
                    guard let response = try? client.send(method: "POST", path: "/api/v1/ingest", headers: headers, body: body) else { return }
                    if response.status == 204 { acknowledged.add(worker: worker, sequence: sequence) }
                }
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            guard let client = try? HTTPClient(url: HTTPURL(parsing: url), timeout: .seconds(10)) else { return }
            while !stop.isSet {
                _ = try? client.send(method: "POST", path: "/api/v1/admin/flush", headers: [("Authorization", "Bearer adm")])
            }
        }
        Thread.sleep(forTimeInterval: 3)
        collector.kill()
        stop.set()
        group.wait()
        let acked = acknowledged.all
        XCTAssertGreaterThan(acked.count, 20, "the load ran before the kill")

        let restarted = try CollectorProcess(dataDirectory: data, config: config)
        defer { restarted.stop() }
        let client = try IngestClient(url: restarted.url, token: "adm")
        for worker in 0..<3 {
            let sequences = acked.filter { $0.worker == worker }.map(\.sequence)
            guard let last = sequences.max() else { continue }
            let result = try client.query("crash_test{worker=\"\(worker)\",index=\"7\"}[2h]", time: base + Int64(last) * 1000 + 1000)
            let timestamps = Set(((result.first?["values"] as? [[Any]]) ?? []).map { Int64((($0[0] as! Double) * 1000).rounded()) })
            for sequence in sequences {
                XCTAssertTrue(timestamps.contains(base + Int64(sequence) * 1000), "worker \(worker) batch \(sequence) was acknowledged but is missing")
            }
        }
        XCTAssertFalse(restarted.logText.contains("error"), restarted.logText)
    }

    /// 50 series of one worker at one timestamp per sequence number.
    static func batch(worker: Int, sequence: UInt64, base: Int64) -> Batch {
        let series = (0..<50).map { index in
            SeriesSamples(labels: Labels(name: "crash_test", [("worker", String(worker)), ("index", String(index))]),
                          samples: [Sample(timestamp: base + Int64(sequence) * 1000, value: Double(sequence))])
        }
        return Batch(agentID: "crash-\(worker)", agentVersion: "1", sequence: sequence, series: series)
    }
}

/// (worker, sequence) pairs the collector answered 204 for; shared by the load threads.
final class AcknowledgedBatches: @unchecked Sendable {
    private let lock = NSLock()
    private var pairs: [(worker: Int, sequence: UInt64)] = []

    func add(worker: Int, sequence: UInt64) {
        lock.lock()
        pairs.append((worker, sequence))
        lock.unlock()
    }

    var all: [(worker: Int, sequence: UInt64)] {
        lock.lock()
        defer { lock.unlock() }
        return pairs
    }
}

final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
