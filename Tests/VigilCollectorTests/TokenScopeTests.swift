import Foundation
import VigilHTTPClient
import VigilModel
import VigilWire
import XCTest

/// Every endpoint against every kind of token, on a real collector; and revocation of one
/// agent's token by editing the config and sending SIGHUP.
final class TokenScopeTests: XCTestCase {
    private static let config = """
        [auth]
        ingest_token_envs = ["VIGIL_TEST_INGEST_TOKEN"]
        read_token_files = ["read.token"]
        admin_tokens = ["admin-secret"]

        [[auth.agent]]
        name = "web-01"
        token = "web-01-secret"

        [[auth.agent]]
        name = "old-02"
        token = "old-02-secret"
        revoked = true
        """

    private enum Grant { case open, ingest, read, admin }

    /// (method, path, body, content type, scope the endpoint needs).
    private static let endpoints: [(String, String, [UInt8], String, Grant)] = {
        let batch = BatchCodec.compress(TestBatches.host("scope", agent: "s", sequence: 1, timestamp: UnixTime.nowMilliseconds()))
        let text = Array("scope_metric{a=\"b\"} 1\n".utf8)
        let form = Array("query=up".utf8)
        let formType = "application/x-www-form-urlencoded"
        return [
            ("POST", "/api/v1/ingest", batch, "deflate", .ingest),
            ("POST", "/api/v1/import/prometheus", text, "identity", .ingest),
            ("GET", "/api/v1/hosts", [], "", .read),
            ("GET", "/api/v1/query?query=up", [], "", .read),
            ("POST", "/api/v1/query", form, formType, .read),
            ("GET", "/api/v1/query_range?query=up&start=0&end=60&step=15", [], "", .read),
            ("POST", "/api/v1/query_range", Array("query=up&start=0&end=60&step=15".utf8), formType, .read),
            ("GET", "/api/v1/series?match[]=up", [], "", .read),
            ("POST", "/api/v1/series", Array("match[]=up".utf8), formType, .read),
            ("GET", "/api/v1/labels", [], "", .read),
            ("POST", "/api/v1/labels", [], formType, .read),
            ("GET", "/api/v1/label/__name__/values", [], "", .read),
            ("GET", "/api/v1/metadata", [], "", .read),
            ("GET", "/api/v1/status/buildinfo", [], "", .read),
            ("GET", "/api/v1/status/tsdb", [], "", .read),
            ("POST", "/api/v1/admin/flush", [], "", .admin),
            ("GET", "/metrics", [], "", .open),
            ("GET", "/-/healthy", [], "", .open),
        ]
    }()

    func testEveryEndpointAcceptsExactlyTheTokensOfItsScope() throws {
        let collector = try startCollector()
        defer { collector.stop() }
        let client = HTTPClient(url: try HTTPURL(parsing: collector.url), timeout: .seconds(30))
        // nil: no Authorization header. Each token with the scopes it grants.
        let presented: [(String?, Set<Grant>)] = [
            (nil, [.open]), ("wrong-secret", [.open]), ("env-ingest-secret", [.open, .ingest]),
            ("web-01-secret", [.open, .ingest]), ("old-02-secret", [.open]),
            ("file-read-secret", [.open, .read]), ("admin-secret", [.open, .ingest, .read, .admin]),
        ]
        for (method, path, body, type, needed) in Self.endpoints {
            for (token, grants) in presented {
                var headers: [(String, String)] = []
                if let token { headers.append(("Authorization", "Bearer \(token)")) }
                if type == "deflate" || type == "identity" {
                    headers.append(("Content-Encoding", type))
                } else if !type.isEmpty {
                    headers.append(("Content-Type", type))
                }
                let response = try client.send(method: method, path: path, headers: headers, body: body)
                let who = "\(method) \(path) with \(token ?? "no token")"
                if grants.contains(needed) {
                    XCTAssertTrue((200..<300).contains(response.status), "\(who): \(response.status) \(response.bodyText)")
                } else {
                    XCTAssertEqual(response.status, 401, "\(who): \(response.bodyText)")
                    XCTAssertEqual(response.header("WWW-Authenticate"), "Bearer", who)
                }
            }
        }
        XCTAssertFalse(collector.logText.contains("secret"), "tokens never appear in the log:\n\(collector.logText)")
        XCTAssertTrue(collector.logText.contains("refused a revoked agent token"), collector.logText)
        XCTAssertTrue(collector.logText.contains("old-02"), "a revoked token is logged by its agent's name")
    }

    func testRevokingAnAgentTokenTakesEffectOnSIGHUPAndABadReloadKeepsTheTokens() throws {
        let collector = try startCollector()
        defer { collector.stop() }
        let agent = try IngestClient(url: collector.url, token: "web-01-secret")
        let now = UnixTime.nowMilliseconds()
        XCTAssertEqual(try agent.send(TestBatches.host("web-01", agent: "w", sequence: 1, timestamp: now)).status, 204)

        // A broken file: the running tokens stay.
        try (Self.config + "\nnonsense = \n").write(toFile: collector.configPath, atomically: true, encoding: .utf8)
        try hangUp(collector, waitingFor: "keeping the running tokens", occurrence: 1)
        XCTAssertEqual(try agent.send(TestBatches.host("web-01", agent: "w", sequence: 2, timestamp: now + 1_000)).status, 204)

        let revoked = Self.config.replacingOccurrences(of: "token = \"web-01-secret\"", with: "token = \"web-01-secret\"\nrevoked = true")
        try revoked.write(toFile: collector.configPath, atomically: true, encoding: .utf8)
        try hangUp(collector, waitingFor: "reloaded [auth]", occurrence: 1)
        let refused = try agent.send(TestBatches.host("web-01", agent: "w", sequence: 3, timestamp: now + 2_000))
        XCTAssertEqual(refused.status, 401)
        XCTAssertTrue(refused.bodyText.contains("revoked"), refused.bodyText)
        XCTAssertEqual(try IngestClient(url: collector.url, token: "env-ingest-secret")
            .send(TestBatches.host("web-02", agent: "x", sequence: 1, timestamp: now)).status, 204, "other tokens keep working")
        let reader = try IngestClient(url: collector.url, token: "admin-secret")
        let stored = try reader.query("test_metric_0{host=\"web-01\",index=\"0\"}[1h]", time: now + 5_000)
        XCTAssertEqual((stored.first?["values"] as? [Any])?.count, 2, "the two batches sent before revocation, not the third")
        XCTAssertFalse(collector.logText.contains("secret"), collector.logText)
    }

    private func startCollector() throws -> CollectorProcess {
        let directory = TestPaths.temporaryDirectory("scopes")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The config file sits next to the data directory, so the relative token file does too.
        let data = directory + "/data"
        try "file-read-secret\n".write(toFile: directory + "/read.token", atomically: true, encoding: .utf8)
        return try CollectorProcess(
            dataDirectory: data, config: Self.config, environment: ["VIGIL_TEST_INGEST_TOKEN": "env-ingest-secret"])
    }

    /// Sends SIGHUP and waits until the log shows `marker` `occurrence` times.
    private func hangUp(_ collector: CollectorProcess, waitingFor marker: String, occurrence: Int) throws {
        kill(collector.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if collector.logText.components(separatedBy: marker).count - 1 >= occurrence { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CollectorProcessError(message: "no \"\(marker)\" in the log after SIGHUP:\n\(collector.logText)")
    }
}
