import Foundation
import VigilHTTPClient
import VigilModel
import VigilTestSupport
import VigilWire
import XCTest

/// The collector's HTTPS listener (NIOSSL through HummingbirdTLS) with certificates the test
/// makes with openssl: batches stored over TLS, the fleet CLI over TLS, mutual TLS, and
/// start-up refusing certificate files that cannot work.
final class CollectorTLSTests: XCTestCase {
    func testABatchSentOverTLSIsStoredAndTheCLIReadsItOverTLS() throws {
        let certificates = try makeCertificates()
        let collector = try CollectorProcess(config: tlsConfig(certificates))
        defer { collector.stop() }
        XCTAssertTrue(collector.url.hasPrefix("https://"), collector.url)

        // Several batches on one client: the kept connection survives the TLS 1.3 session
        // tickets the server sends after the handshake.
        let client = try IngestClient(url: collector.url, tls: TLSOptions(caFile: certificates.ca.cert))
        for sequence in 1...3 {
            XCTAssertEqual(try client.send(Self.batch(host: "tls-host", sequence: UInt64(sequence))).status, 204)
        }

        let query = try TestPaths.run("vigil-collector", [
            "query", "node_test_value{host=\"tls-host\"}", "--url", collector.url, "--ca-file", certificates.ca.cert,
        ])
        XCTAssertEqual(query.status, 0, query.output)
        XCTAssertTrue(query.output.contains("node_test_value{host=\"tls-host\"}"), query.output)

        let plain = try TestPaths.run("vigil-collector", ["hosts", "--url", collector.url.replacingOccurrences(of: "https", with: "http")])
        XCTAssertNotEqual(plain.status, 0, "plain HTTP to the TLS listener fails: \(plain.output)")
    }

    func testAClientTrustingAnotherCAIsToldWhy() throws {
        let certificates = try makeCertificates()
        let collector = try CollectorProcess(config: tlsConfig(certificates))
        defer { collector.stop() }
        let client = try IngestClient(url: collector.url, tls: TLSOptions(caFile: certificates.otherCA.cert))
        XCTAssertThrowsError(try client.send(Self.batch(host: "wrong-ca"))) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .tls)
            XCTAssertTrue(error.message.contains("certificate verify failed: unable to get local issuer certificate"), error.message)
        }
        let cli = try TestPaths.run("vigil-collector", ["hosts", "--url", collector.url, "--ca-file", certificates.otherCA.cert])
        XCTAssertNotEqual(cli.status, 0)
        XCTAssertTrue(cli.output.contains("unable to get local issuer certificate"), cli.output)
    }

    func testMutualTLSAcceptsOnlyClientsWithACertificateFromTheClientCA() throws {
        let certificates = try makeCertificates()
        let collector = try CollectorProcess(config: tlsConfig(certificates, clientCA: certificates.ca.cert))
        defer { collector.stop() }
        XCTAssertTrue(collector.logText.contains("client certificates required"), collector.logText)

        let withClientCertificate = TLSOptions(
            caFile: certificates.ca.cert, certFile: certificates.client.cert, keyFile: certificates.client.key)
        XCTAssertEqual(try IngestClient(url: collector.url, tls: withClientCertificate).send(Self.batch(host: "mtls-host")).status, 204)

        let anonymous = try IngestClient(url: collector.url, tls: TLSOptions(caFile: certificates.ca.cert))
        XCTAssertThrowsError(try anonymous.send(Self.batch(host: "anonymous"))) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .tls, error.message)
            XCTAssertTrue(error.message.contains("client certificate"), error.message)
        }
        let foreign = TLSOptions(
            caFile: certificates.ca.cert, certFile: certificates.foreignClient.cert, keyFile: certificates.foreignClient.key)
        XCTAssertThrowsError(try IngestClient(url: collector.url, tls: foreign).send(Self.batch(host: "foreign"))) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .tls, error.message)
            XCTAssertTrue(error.message.contains("refused the client certificate"), error.message)
        }

        var environment = ProcessInfo.processInfo.environment
        environment["VIGIL_CA_FILE"] = certificates.ca.cert
        environment["VIGIL_CERT_FILE"] = certificates.client.cert
        environment["VIGIL_KEY_FILE"] = certificates.client.key
        let hosts = try TestPaths.run("vigil-collector", ["hosts", "--url", collector.url], environment: environment)
        XCTAssertEqual(hosts.status, 0, hosts.output)
        XCTAssertTrue(hosts.output.contains("mtls-host"), hosts.output)
        XCTAssertFalse(hosts.output.contains("anonymous") || hosts.output.contains("foreign"), hosts.output)
    }

    func testTheAgentShipsOverMutualTLS() throws {
        let certificates = try makeCertificates()
        let collector = try CollectorProcess(config: tlsConfig(certificates, clientCA: certificates.ca.cert))
        defer { collector.stop() }
        let state = TestPaths.temporaryDirectory("agent-tls")
        let configPath = state + "/agent.conf"
        try """
            state_dir = "\(state)"
            collectors = ["loadavg"]
            [collector]
            url = "\(collector.url)"
            ca_file = "\(certificates.ca.cert)"
            cert_file = "\(certificates.client.cert)"
            key_file = "\(certificates.client.key)"
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: ["--config", configPath, "--interval", "1s", "--host", "tls-agent"])
        defer { _ = agent.stop() }

        let arguments = [
            "query", "node_load1{host=\"tls-agent\"}", "--url", collector.url, "--ca-file", certificates.ca.cert,
            "--cert-file", certificates.client.cert, "--key-file", certificates.client.key,
        ]
        var output = ""
        for _ in 0..<100 {
            output = try TestPaths.run("vigil-collector", arguments).output
            if output.contains("node_load1{host=\"tls-agent\"}") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(output.contains("node_load1{host=\"tls-agent\"}"), "query: \(output)\nagent: \(agent.logText)")
    }

    func testTheCollectorRefusesToStartWithAnExpiredCertificate() throws {
        let certificates = try makeCertificates()
        let config = try writeConfig(tlsConfig(certificates, server: certificates.expiredServer))
        let serve = try serve(config)
        XCTAssertNotEqual(serve.status, 0)
        XCTAssertTrue(serve.output.contains("\(config):3:13: the certificate in \(certificates.expiredServer.cert) expired on 2020-01-02 00:00:00 UTC"), serve.output)

        let check = try TestPaths.run("vigil-collector", ["check-config", config])
        XCTAssertNotEqual(check.status, 0)
        XCTAssertTrue(check.output.contains("expired on 2020-01-02"), check.output)
    }

    func testTheCollectorRefusesAKeyThatDoesNotMatchItsCertificate() throws {
        let certificates = try makeCertificates()
        let mismatched = TestCertificates.Pair(cert: certificates.server.cert, key: certificates.client.key)
        let config = try writeConfig(tlsConfig(certificates, server: mismatched))
        let serve = try serve(config)
        XCTAssertNotEqual(serve.status, 0)
        XCTAssertTrue(serve.output.contains(
            "\(config):4:12: the private key in \(certificates.client.key) does not match the certificate in \(certificates.server.cert)"),
            serve.output)
    }

    func testTheCollectorNamesAnUnreadableFile() throws {
        let certificates = try makeCertificates()
        let missing = certificates.directory + "/missing-ca.crt"
        let config = try writeConfig(tlsConfig(certificates, clientCA: missing))
        let check = try TestPaths.run("vigil-collector", ["check-config", config])
        XCTAssertNotEqual(check.status, 0)
        XCTAssertTrue(check.output.contains("\(config):5:18: cannot read CA file \(missing): No such file or directory"), check.output)
    }

    private func makeCertificates() throws -> TestCertificates {
        guard let openssl = TestCertificates.openssl() else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("openssl is not installed; scripts/install-deps.sh --test installs it")
            }
            throw XCTSkip("openssl is not installed (apt-get install openssl)")
        }
        return try TestCertificates(directory: TestPaths.temporaryDirectory("certs"), openssl: openssl)
    }

    /// Lines 1-5: self_monitor off, then [tls] with cert_file on line 3 (value at column 13),
    /// key_file on line 4 (column 12), client_ca_file on line 5 (column 18) when given.
    private func tlsConfig(_ certificates: TestCertificates, server: TestCertificates.Pair? = nil, clientCA: String? = nil) -> String {
        let pair = server ?? certificates.server
        var text = """
            self_monitor.enabled = false
            [tls]
            cert_file = "\(pair.cert)"
            key_file = "\(pair.key)"

            """
        if let clientCA { text += "client_ca_file = \"\(clientCA)\"\n" }
        return text
    }

    private func writeConfig(_ text: String) throws -> String {
        let path = TestPaths.temporaryDirectory("tls-config") + "/collector.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func serve(_ config: String) throws -> (status: Int32, output: String) {
        try TestPaths.run("vigil-collector", [
            "serve", "--config", config, "--listen", "127.0.0.1:0", "--data", TestPaths.temporaryDirectory("tls-data"),
        ])
    }

    static func batch(host: String, sequence: UInt64 = 1) -> Batch {
        let now = UnixTime.nowMilliseconds()
        let series = SeriesSamples(
            labels: Labels(name: "node_test_value", [("host", host)]),
            samples: [Sample(timestamp: now + Int64(sequence), value: 1)])
        return Batch(agentID: "tls-test-\(host)", agentVersion: "1", sequence: sequence, series: [series])
    }
}
