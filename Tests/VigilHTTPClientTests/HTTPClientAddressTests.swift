import VigilHTTPClient
import XCTest

/// Reaching servers by name and over IPv6.
final class HTTPClientAddressTests: XCTestCase {
    func testTalksToAServerOnIPv6Loopback() throws {
        let server: ScriptedServer
        do {
            server = try ScriptedServer(address: "::1")
        } catch {
            throw XCTSkip("no IPv6 loopback on this machine: \(error)")
        }
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try HTTPURL(parsing: "http://[::1]:\(server.port)/"), timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/six").bodyText, "v6")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.requests.first?.header("Host"), "[::1]:\(server.port)")
    }

    func testResolvesLocalhostAndConnectsToAnAddressThatAnswers() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nname")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try HTTPURL(parsing: "http://localhost:\(server.port)"), timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/").bodyText, "name")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.requests.first?.header("Host"), "localhost:\(server.port)")
    }
}
