import Foundation
import VigilModel
import VigilWire
import XCTest

/// Bad input gets a clear error and changes nothing.
final class CollectorRejectionTests: XCTestCase {
    func testMalformedOversizedAndBombBodiesAreRejectedAndStoreNothing() throws {
        let collector = try CollectorProcess(config: """
            [ingest]
            max_body_size = "64KiB"
            max_inflated_size = "1MiB"
            """)
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url)
        let now = UnixTime.nowMilliseconds()

        let garbage = try client.post(Array("not a batch".utf8))
        XCTAssertEqual(garbage.status, 400, garbage.bodyText)
        XCTAssertTrue(garbage.bodyText.contains("invalid batch"), garbage.bodyText)

        var valid = BatchCodec.encode(TestBatches.host("bad", agent: "a", sequence: 1, timestamp: now))
        valid[valid.count / 2] ^= 0xFF
        let corrupt = try client.post(Zlib.compress(valid.withUnsafeBytes { $0 }))
        XCTAssertEqual(corrupt.status, 400, corrupt.bodyText)

        let truncated = BatchCodec.compress(TestBatches.host("bad", agent: "a", sequence: 2, timestamp: now)).dropLast(5)
        XCTAssertEqual(try client.post(Array(truncated)).status, 400)

        let oversized = try client.post([UInt8](repeating: 7, count: 100_000))
        XCTAssertEqual(oversized.status, 413, oversized.bodyText)

        // 64 MiB of zeros compresses to ~64 KiB; it must stop at the 1 MiB inflate limit.
        let zeros = [UInt8](repeating: 0, count: 32 << 20)
        let bomb = Zlib.compress(zeros.withUnsafeBytes { $0 }, level: 9)
        XCTAssertLessThan(bomb.count, 64 << 10)
        let bombResponse = try client.post(bomb)
        XCTAssertEqual(bombResponse.status, 413, bombResponse.bodyText)

        let gzip = try client.post(BatchCodec.compress(TestBatches.host("bad", agent: "a", sequence: 3, timestamp: now)), encoding: "br")
        XCTAssertEqual(gzip.status, 415)

        XCTAssertEqual(try client.query("test_metric_0{host=\"bad\"}", time: now).count, 0, "nothing from rejected batches was stored")
        // The collector still works after all that.
        XCTAssertEqual(try client.send(TestBatches.host("good", agent: "a", sequence: 4, timestamp: now)).status, 204)
        XCTAssertEqual(try client.query("test_metric_0{host=\"good\"}", time: now).count, 4)
    }

    func testTokensAreRequiredPerScope() throws {
        let collector = try CollectorProcess(config: """
            [auth]
            ingest_tokens = ["ingest-secret"]
            read_tokens = ["read-secret"]
            admin_tokens = ["admin-secret"]
            """)
        defer { collector.stop() }
        let now = UnixTime.nowMilliseconds()
        let batch = TestBatches.host("t", agent: "a", sequence: 1, timestamp: now)
        XCTAssertEqual(try IngestClient(url: collector.url).send(batch).status, 401)
        XCTAssertEqual(try IngestClient(url: collector.url, token: "wrong").send(batch).status, 401)
        XCTAssertEqual(try IngestClient(url: collector.url, token: "read-secret").send(batch).status, 401)
        XCTAssertEqual(try IngestClient(url: collector.url, token: "ingest-secret").send(batch).status, 204)

        let reader = try IngestClient(url: collector.url)
        XCTAssertEqual(try reader.get("/api/v1/hosts").status, 401)
        XCTAssertEqual(try reader.get("/api/v1/hosts", token: "ingest-secret").status, 401)
        XCTAssertEqual(try reader.get("/api/v1/hosts", token: "read-secret").status, 200)
        XCTAssertEqual(try reader.get("/api/v1/query", [("query", "up")], token: "admin-secret").status, 200)
        XCTAssertFalse(collector.logText.contains("secret"), "tokens never appear in the log")
    }

    func testNonLoopbackListenWithoutTokensIsRefused() throws {
        let result = try TestPaths.run("vigil-collector", ["serve", "--listen", "0.0.0.0:0", "--data", TestPaths.temporaryDirectory("refuse")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("without tokens"), result.output)
    }

    func testFormEncodedQueryStringsAreDecodedAsPrometheusDoes() throws {
        let collector = try CollectorProcess()
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url)
        let now = UnixTime.nowMilliseconds()
        XCTAssertEqual(try client.send(TestBatches.host("plus", agent: "p", sequence: 1, timestamp: now)).status, 204)
        let plus = try client.get("/api/v1/query?query=sum+by+(host)(test_metric_0)&time=\(Double(now) / 1000)")
        XCTAssertEqual(plus.status, 200, plus.bodyText)
        XCTAssertTrue(plus.bodyText.contains("\"host\":\"plus\""), plus.bodyText)
        let encodedPlus = try client.get("/api/v1/query?query=1%2B2")
        XCTAssertTrue(encodedPlus.bodyText.contains("\"3\""), "%2B stays a plus: \(encodedPlus.bodyText)")
    }

    func testBadQueryAnswersBadData() throws {
        let collector = try CollectorProcess()
        defer { collector.stop() }
        let response = try IngestClient(url: collector.url).get("/api/v1/query", [("query", "node_load1{host=}")])
        XCTAssertEqual(response.status, 400)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
        XCTAssertEqual(object["status"] as? String, "error")
        XCTAssertEqual(object["errorType"] as? String, "bad_data")
        XCTAssertTrue((object["error"] as? String ?? "").contains("1:17"), "\(object)")
    }
}
