import Foundation
import VigilModel
import VigilWire
import XCTest

/// Flushing the head to blocks through the admin API and reading the store's figures back
/// with `vigil-collector tsdb stats`; data stays queryable across the flush and a restart.
final class StorageAdminTests: XCTestCase {
    func testFlushNeedsAdminTokenPersistsBlocksAndKeepsDataQueryable() throws {
        let data = TestPaths.temporaryDirectory("flush")
        let config = """
            [auth]
            ingest_tokens = ["in"]
            read_tokens = ["rd"]
            admin_tokens = ["adm"]
            [self_monitor]
            enabled = false
            """
        let start = (UnixTime.nowMilliseconds() / 60_000 - 600) * 60_000
        var series: [SeriesSamples] = []
        for host in 0..<5 {
            let samples = (0..<600).map { Sample(timestamp: start + Int64($0) * 60_000, value: Double($0 * 100 + host)) }
            series.append(SeriesSamples(labels: Labels(name: "flush_test_total", [("host", "h\(host)")]), samples: samples))
        }
        let query = "sum(flush_test_total)"
        let at = start + 500 * 60_000
        var before = ""
        do {
            let collector = try CollectorProcess(dataDirectory: data, config: config)
            defer { collector.stop() }
            let client = try IngestClient(url: collector.url, token: "in")
            XCTAssertEqual(try client.send(Batch(agentID: "f", agentVersion: "1", sequence: 1, series: series)).status, 204)
            before = try TestPaths.run("vigil-collector", ["query", query, "--time", String(at / 1000), "--url", collector.url, "--token", "rd"]).output
            XCTAssertTrue(before.contains("250010"), before)

            let denied = try TestPaths.run("vigil-collector", ["tsdb", "flush", "--url", collector.url, "--token", "rd"])
            XCTAssertNotEqual(denied.status, 0)
            XCTAssertTrue(denied.output.contains("401"), denied.output)

            let flushed = try TestPaths.run("vigil-collector", ["tsdb", "flush", "--url", collector.url, "--token", "adm"])
            XCTAssertEqual(flushed.status, 0, flushed.output)
            let stats = try TestPaths.run("vigil-collector", ["tsdb", "stats", "--json", "--url", collector.url, "--token", "rd"])
            let vigil = ((try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as! [String: Any])["data"] as! [String: Any])["vigil"] as! [String: Any]
            XCTAssertGreaterThan(vigil["blocks"] as? Int ?? 0, 0, stats.output)
            XCTAssertEqual(vigil["blockSamples"] as? Int, 3_000, stats.output)
            XCTAssertGreaterThan(vigil["blockBytes"] as? Int ?? 0, 0)
            let table = try TestPaths.run("vigil-collector", ["tsdb", "stats", "--url", collector.url, "--token", "rd"])
            XCTAssertTrue(table.output.contains("BYTES/SAMPLE") && table.output.contains("blocks"), table.output)

            let after = try TestPaths.run("vigil-collector", ["query", query, "--time", String(at / 1000), "--url", collector.url, "--token", "rd"]).output
            XCTAssertEqual(after, before, "the same answer from blocks as from the head")
        }
        let restarted = try CollectorProcess(dataDirectory: data, config: config)
        defer { restarted.stop() }
        let again = try TestPaths.run("vigil-collector", ["query", query, "--time", String(at / 1000), "--url", restarted.url, "--token", "rd"]).output
        XCTAssertEqual(again, before, "and after a restart")
    }
}
