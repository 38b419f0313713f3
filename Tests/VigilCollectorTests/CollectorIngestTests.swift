import Foundation
import VigilModel
import VigilWire
import XCTest

/// The real collector binary on loopback, fed real compressed batches over HTTP.
final class CollectorIngestTests: XCTestCase {
    func testIngestedBatchIsQueryableAndListedAsHost() throws {
        let collector = try CollectorProcess(extraArguments: [])
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url)
        let now = UnixTime.nowMilliseconds()
        var batch = TestBatches.host("web-1", agent: "agent-a", sequence: 1, timestamp: now)
        batch.series.append(SeriesSamples(labels: Labels(name: "vigil_agent_build_info", [("host", "web-1"), ("version", "9.9.9")]), samples: [Sample(timestamp: now, value: 1)]))
        let response = try client.send(batch)
        XCTAssertEqual(response.status, 204, response.bodyText)

        let result = try client.query("test_metric_1{host=\"web-1\"}", time: now)
        XCTAssertEqual(result.count, 4)
        let values = result.compactMap { ($0["value"] as? [Any])?[1] as? String }.sorted()
        XCTAssertEqual(values, ["101", "106", "111", "116"])

        let hosts = try client.get("/api/v1/hosts")
        XCTAssertEqual(hosts.status, 200)
        let object = try JSONSerialization.jsonObject(with: Data(hosts.body)) as! [String: Any]
        let rows = object["data"] as! [[String: Any]]
        let web = try XCTUnwrap(rows.first { $0["host"] as? String == "web-1" })
        XCTAssertEqual(web["agentVersion"] as? String, "9.9.9")
        XCTAssertEqual(web["series"] as? Int, 21)
        XCTAssertEqual(web["status"] as? String, "up")
    }

    func testRetriedBatchIsStoredOnce() throws {
        let collector = try CollectorProcess(extraArguments: [])
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url)
        let now = UnixTime.nowMilliseconds()
        let first = TestBatches.host("h", agent: "agent-r", sequence: 7, timestamp: now - 2000)
        XCTAssertEqual(try client.send(first).status, 204)
        XCTAssertEqual(try client.send(first).status, 204, "a retry is acknowledged")
        // Same (agent, sequence) with different content: still treated as the retry it claims to be.
        let impostor = TestBatches.host("h", agent: "agent-r", sequence: 7, timestamp: now)
        XCTAssertEqual(try client.send(impostor).status, 204)
        let result = try client.query("test_metric_0{host=\"h\"}", time: now)
        let timestamps = Set(result.compactMap { ($0["value"] as? [Any])?[0] as? Double })
        XCTAssertEqual(result.count, 4)
        XCTAssertEqual(timestamps, [Double(now) / 1000], "instant query at now still sees the first batch's samples via lookback")
        let range = try client.get("/api/v1/query_range", [
            ("query", "test_metric_0{host=\"h\",index=\"0\"}"),
            ("start", String(Double(now - 2000) / 1000)), ("end", String(Double(now) / 1000)), ("step", "1"),
        ])
        let data = (try JSONSerialization.jsonObject(with: Data(range.body)) as! [String: Any])["data"] as! [String: Any]
        let series = data["result"] as! [[String: Any]]
        XCTAssertEqual(series.count, 1)
        let values = (series[0]["values"] as! [[Any]]).map { $0[1] as! String }
        XCTAssertEqual(values, ["700", "700", "700"], "the impostor's samples at `now` were not stored")
    }

    func testAcknowledgedBatchesSurviveSIGKILL() throws {
        let data = TestPaths.temporaryDirectory("kill")
        let base = UnixTime.nowMilliseconds() - 60_000
        do {
            let collector = try CollectorProcess(dataDirectory: data)
            let client = try IngestClient(url: collector.url)
            for sequence in 1...50 {
                let batch = TestBatches.host("k", agent: "agent-k", sequence: UInt64(sequence), timestamp: base + Int64(sequence) * 1000)
                XCTAssertEqual(try client.send(batch).status, 204)
            }
            collector.kill()
        }
        let restarted = try CollectorProcess(dataDirectory: data)
        defer { restarted.stop() }
        let client = try IngestClient(url: restarted.url)
        let range = try client.get("/api/v1/query_range", [
            ("query", "test_metric_2{host=\"k\",index=\"2\"}"),
            ("start", String(Double(base + 1000) / 1000)), ("end", String(Double(base + 50_000) / 1000)), ("step", "1"),
        ])
        XCTAssertEqual(range.status, 200, range.bodyText)
        let data2 = (try JSONSerialization.jsonObject(with: Data(range.body)) as! [String: Any])["data"] as! [String: Any]
        let values = ((data2["result"] as! [[String: Any]]).first?["values"] as? [[Any]]) ?? []
        XCTAssertEqual(values.map { $0[1] as! String }, (1...50).map { String($0 * 100 + 2) })
        // After the restart a retry of an acknowledged batch is still recognised.
        XCTAssertEqual(try client.send(TestBatches.host("k", agent: "agent-k", sequence: 50, timestamp: base + 99_000)).status, 204)
        // Just past the lookback of the last real sample, only a stored duplicate could answer.
        XCTAssertEqual(try client.query("test_metric_2{host=\"k\"}", time: base + 350_001).count, 0)
    }
}
