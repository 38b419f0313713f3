import Foundation
import VigilHTTPClient
import VigilTestSupport
import XCTest

/// The client's TLS against `openssl s_server`, with certificates the test makes: success,
/// and each certificate problem with OpenSSL's own words in the error.
final class HTTPClientTLSTests: XCTestCase {
    func testGetsAFileOverTLSWithTheRightCA() throws {
        let (certificates, openssl) = try makeTestCertificates()
        let server = try OpenSSLServer(openssl: openssl, directory: certificates.directory, certificate: certificates.server)
        defer { server.stop() }
        for host in ["127.0.0.1", "localhost"] {
            let client = HTTPClient(
                url: try HTTPURL(parsing: "https://\(host):\(server.port)"), tls: TLSOptions(caFile: certificates.ca.cert))
            let response = try client.send(method: "GET", path: "/hello.txt")
            XCTAssertEqual(response.status, 200, host)
            XCTAssertEqual(response.bodyText, "hello over tls\n", host)
        }
    }

    func testAnUnrelatedCAFailsWithOpenSSLsVerifyError() throws {
        let (certificates, openssl) = try makeTestCertificates()
        let server = try OpenSSLServer(openssl: openssl, directory: certificates.directory, certificate: certificates.server)
        defer { server.stop() }
        let error = try sendFailure(port: server.port, tls: TLSOptions(caFile: certificates.otherCA.cert))
        XCTAssertEqual(error.kind, .tls)
        XCTAssertTrue(error.message.contains("certificate verify failed: unable to get local issuer certificate"), error.message)
        XCTAssertTrue(error.message.contains(certificates.otherCA.cert), "names the CA file: \(error.message)")
    }

    func testAnExpiredServerCertificateFailsAsExpired() throws {
        let (certificates, openssl) = try makeTestCertificates()
        let server = try OpenSSLServer(openssl: openssl, directory: certificates.directory, certificate: certificates.expiredServer)
        defer { server.stop() }
        let error = try sendFailure(port: server.port, tls: TLSOptions(caFile: certificates.ca.cert))
        XCTAssertEqual(error.kind, .tls)
        XCTAssertTrue(error.message.contains("certificate verify failed: certificate has expired"), error.message)
    }

    func testACertificateForAnotherNameFailsAsAMismatch() throws {
        let (certificates, openssl) = try makeTestCertificates()
        let server = try OpenSSLServer(openssl: openssl, directory: certificates.directory, certificate: certificates.wrongNameServer)
        defer { server.stop() }
        let byAddress = try sendFailure(port: server.port, tls: TLSOptions(caFile: certificates.ca.cert))
        XCTAssertTrue(byAddress.message.contains("certificate verify failed: IP address mismatch"), byAddress.message)
        let byName = try sendFailure(host: "localhost", port: server.port, tls: TLSOptions(caFile: certificates.ca.cert))
        XCTAssertTrue(byName.message.contains("certificate verify failed: hostname mismatch"), byName.message)
        XCTAssertTrue(byName.message.contains("'localhost'"), byName.message)
    }

    func testAServerRequiringClientCertificatesAcceptsOnlyTheRightOne() throws {
        let (certificates, openssl) = try makeTestCertificates()
        let server = try OpenSSLServer(
            openssl: openssl, directory: certificates.directory, certificate: certificates.server, clientCA: certificates.ca.cert)
        defer { server.stop() }
        let trusted = TLSOptions(caFile: certificates.ca.cert, certFile: certificates.client.cert, keyFile: certificates.client.key)
        let client = HTTPClient(url: try HTTPURL(parsing: "https://127.0.0.1:\(server.port)"), tls: trusted)
        XCTAssertEqual(try client.send(method: "GET", path: "/hello.txt").bodyText, "hello over tls\n")

        let withoutCertificate = try sendFailure(port: server.port, tls: TLSOptions(caFile: certificates.ca.cert))
        XCTAssertEqual(withoutCertificate.kind, .tls, withoutCertificate.message)
        let foreign = TLSOptions(
            caFile: certificates.ca.cert, certFile: certificates.foreignClient.cert, keyFile: certificates.foreignClient.key)
        let refused = try sendFailure(port: server.port, tls: foreign)
        XCTAssertEqual(refused.kind, .tls, refused.message)
        XCTAssertTrue(refused.message.contains("alert"), "carries the server's alert: \(refused.message)")
    }

    func testUnusableLocalFilesFailBeforeConnecting() throws {
        let (certificates, _) = try makeTestCertificates()
        // Nothing listens on port 9; the file problems are found first.
        let mismatched = try sendFailure(port: 9, tls: TLSOptions(certFile: certificates.client.cert, keyFile: certificates.server.key))
        XCTAssertEqual(mismatched.kind, .tlsFiles)
        XCTAssertTrue(mismatched.message.contains("does not match the certificate in \(certificates.client.cert)"), mismatched.message)

        let missing = try sendFailure(port: 9, tls: TLSOptions(caFile: certificates.directory + "/missing.crt"))
        XCTAssertEqual(missing.kind, .tlsFiles)
        XCTAssertTrue(missing.message.contains("cannot read CA file \(certificates.directory)/missing.crt: No such file"), missing.message)

        let notPEM = try sendFailure(port: 9, tls: TLSOptions(caFile: certificates.ca.key))
        XCTAssertTrue(notPEM.message.contains("holds no PEM certificate"), notPEM.message)

        let expired = TLSOptions(certFile: certificates.expiredServer.cert, keyFile: certificates.expiredServer.key)
        let expiredError = try sendFailure(port: 9, tls: expired)
        XCTAssertTrue(expiredError.message.contains("expired on 2020-01-02 00:00:00 UTC"), expiredError.message)
    }

    func testPlainHTTPServerBehindAnHTTPSURLIsNamedAsSuch() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            // Reads the ClientHello, so closing does not reset the connection under the answer.
            try? connection.expectClientClose()
            connection.close()
        }
        let error = try sendFailure(port: server.port, tls: TLSOptions())
        _ = server.finish()
        XCTAssertEqual(error.kind, .tls)
        XCTAssertTrue(error.message.contains("does not speak TLS"), error.message)
    }

    private func sendFailure(host: String = "127.0.0.1", port: Int, tls: TLSOptions) throws -> HTTPClientError {
        let client = HTTPClient(url: try HTTPURL(parsing: "https://\(host):\(port)"), timeout: .seconds(5), tls: tls)
        do {
            let response = try client.send(method: "GET", path: "/hello.txt")
            XCTFail("expected a TLS failure, got HTTP \(response.status)")
            throw TestCertificates.Failure(description: "no failure")
        } catch let error as HTTPClientError {
            return error
        }
    }
}
