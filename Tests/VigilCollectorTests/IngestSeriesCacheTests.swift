import Foundation
import VigilModel
import VigilWire
import XCTest

/// The collector's per-agent series cache (SeriesPlacementCache) on the real collector:
/// batches that repeat their agent's label tables are stored through it, and every sample
/// lands in its own series whatever the tables, the agent ids or the block cuts in between.
final class IngestSeriesCacheTests: XCTestCase {
    private let config = """
        [auth]
        admin_tokens = ["adm"]
        [self_monitor]
        enabled = false
        """

    func testRepeatedTablesHitTheCacheAndEverySampleLandsInItsSeries() throws {
        let collector = try CollectorProcess(config: config)
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url, token: "adm")
        let start = UnixTime.nowMilliseconds() - 120_000
        var sequence: UInt64 = 0
        func send(_ host: String, agent: String, series: Int, at offset: Int64) throws {
            sequence += 1
            let batch = TestBatches.host(host, agent: agent, sequence: sequence, timestamp: start + offset, series: series)
            let response = try client.send(batch)
            XCTAssertEqual(response.status, 204, response.bodyText)
        }
        // Agent a: the same 20 series five times (1 miss, then hits), one more series (a miss:
        // other tables), the 21 again (a hit).
        for tick in 0..<5 { try send("a", agent: "agent-a", series: 20, at: Int64(tick) * 1_000) }
        try send("a", agent: "agent-a", series: 21, at: 5_000)
        try send("a", agent: "agent-a", series: 21, at: 6_000)
        // Two senders claiming one agent id with different series, alternately: each batch
        // misses, and neither's samples reach the other's series.
        for tick in 0..<4 {
            try send(tick % 2 == 0 ? "b" : "c", agent: "agent-shared", series: 10, at: Int64(tick) * 1_000)
        }
        // A flush cuts the whole head into blocks and removes every series from it: agent a's
        // cached placement is stale, and its next batch is stored by labels.
        XCTAssertEqual(try client.post([], encoding: "identity", path: "/api/v1/admin/flush").status, 204)
        try send("a", agent: "agent-a", series: 21, at: 7_000)
        try send("a", agent: "agent-a", series: 21, at: 8_000)

        let metrics = try client.get("/metrics").bodyText
        XCTAssertEqual(Self.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"hit\"}"), 6)
        XCTAssertEqual(Self.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"miss\"}"), 6)
        XCTAssertEqual(Self.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"stale\"}"), 1)

        // Every series holds exactly its own samples: value = sequence * 100 + index.
        let end = start + 8_000
        let hostA = try values(client, "{host=\"a\"}", from: start, to: end)
        XCTAssertEqual(hostA.count, 21)
        for (index, samples) in hostA {
            let expected: [Int64: Double] = Dictionary(uniqueKeysWithValues: (0...8).compactMap { tick in
                if index == 20 && tick < 5 { return nil }
                return (start + Int64(tick) * 1_000, Double(tick + 1 + (tick >= 7 ? 4 : 0)) * 100 + Double(index))
            })
            XCTAssertEqual(samples, expected, "series index=\(index) of host a")
        }
        for (host, ticks) in [("b", [0, 2]), ("c", [1, 3])] {
            let stored = try values(client, "{host=\"\(host)\"}", from: start, to: end)
            XCTAssertEqual(stored.count, 10)
            for (index, samples) in stored {
                let expected = Dictionary(uniqueKeysWithValues: ticks.map {
                    (start + Int64($0) * 1_000, Double(7 + $0 + 1) * 100 + Double(index))
                })
                XCTAssertEqual(samples, expected, "series index=\(index) of host \(host)")
            }
        }
    }

    func testCacheTurnedOffStillStoresEverything() throws {
        let collector = try CollectorProcess(config: config + "\n[ingest]\nseries_cache_size = 0\n")
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url, token: "adm")
        let start = UnixTime.nowMilliseconds() - 60_000
        for tick in 0..<3 {
            let batch = TestBatches.host("d", agent: "agent-d", sequence: UInt64(tick + 1), timestamp: start + Int64(tick) * 1_000)
            XCTAssertEqual(try client.send(batch).status, 204)
        }
        let metrics = try client.get("/metrics").bodyText
        XCTAssertEqual(Self.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"miss\"}"), 3)
        XCTAssertNil(Self.counter(metrics, "vigil_ingest_series_cache_batches_total{result=\"hit\"}").flatMap { $0 > 0 ? $0 : nil })
        let stored = try values(client, "{host=\"d\"}", from: start, to: start + 2_000)
        XCTAssertEqual(stored.count, 20)
        XCTAssertEqual(stored.values.map(\.count), Array(repeating: 3, count: 20))
    }

    /// Per series `index` label, its samples in [from, to] by timestamp (ms).
    private func values(_ client: IngestClient, _ selector: String, from: Int64, to: Int64) throws -> [Int: [Int64: Double]] {
        let response = try client.get("/api/v1/query_range", [
            ("query", "last_over_time(\(selector)[1ms])"),
            ("start", String(Double(from) / 1000)), ("end", String(Double(to) / 1000)), ("step", "1"),
        ])
        XCTAssertEqual(response.status, 200, response.bodyText)
        let data = (try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any])["data"] as! [String: Any]
        var result: [Int: [Int64: Double]] = [:]
        for series in data["result"] as! [[String: Any]] {
            let index = Int((series["metric"] as! [String: String])["index"]!)!
            for pair in series["values"] as! [[Any]] {
                let time = Int64(((pair[0] as! Double) * 1000).rounded())
                result[index, default: [:]][time] = Double(pair[1] as! String)!
            }
        }
        return result
    }

    /// The value of the metrics line starting with `series`, or nil.
    static func counter(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
