import VigilHTTPClient
import XCTest

/// What the client puts on the wire, as a real server receives it.
final class HTTPClientRequestTests: XCTestCase {
    func testPostCarriesHostLengthKeepAliveDefaultUserAgentAndBody() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 204 No Content\r\n\r\n")
            try connection.expectClientClose()
        }
        let url = try HTTPURL(parsing: "http://127.0.0.1:\(server.port)/base/")
        let client = HTTPClient(url: url, timeout: .seconds(5))
        let body: [UInt8] = [0x78, 0x9C, 0x00, 0xFF, 0x0D, 0x0A]
        let response = try client.send(method: "POST", path: "/api/v1/ingest?batch=7",
                                       headers: [("Authorization", "Bearer s3cret"), ("Content-Encoding", "deflate")], body: body)
        client.close()
        XCTAssertEqual(response.status, 204)
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        let request = try XCTUnwrap(outcome.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.target, "/base/api/v1/ingest?batch=7")
        XCTAssertEqual(request.header("Host"), "127.0.0.1:\(server.port)")
        XCTAssertEqual(request.header("Content-Length"), "6")
        XCTAssertEqual(request.header("Connection"), "keep-alive")
        XCTAssertEqual(request.header("User-Agent"), "vigil")
        XCTAssertEqual(request.header("Authorization"), "Bearer s3cret")
        XCTAssertEqual(request.header("Content-Encoding"), "deflate")
        XCTAssertEqual(request.body, body)
    }

    func testGetWithCallerUserAgentAndEncodedQuery() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let query = HTTPQuery.encode([("query", #"up{job="node"}"#), ("time", "1700000000")])
        _ = try client.send(method: "GET", path: "/api/v1/query?" + query, headers: [("user-agent", "vigil-fleet/1.0")])
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        let request = try XCTUnwrap(outcome.requests.first)
        XCTAssertEqual(request.target, "/api/v1/query?query=up%7Bjob%3D%22node%22%7D&time=1700000000")
        XCTAssertEqual(request.headers.filter { $0.name.lowercased() == "user-agent" }.map(\.value), ["vigil-fleet/1.0"])
        XCTAssertNil(request.header("Content-Length"), "a GET without a body carries no Content-Length")
    }

    func testEmptyPathAndQueryOnlyPathUseTheBasePath() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            for _ in 0..<2 {
                try connection.readRequest()
                try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            }
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        _ = try client.send(method: "GET", path: "")
        _ = try client.send(method: "GET", path: "?x=1")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.requests.map(\.target), ["/", "/?x=1"])
    }

    /// The URL points at a closed port: had the client tried to connect, the error would be
    /// `.connect`, so `.invalidRequest` shows it refused before touching the network.
    func testRejectsRequestsThatWouldBreakFramingBeforeConnecting() throws {
        let port = try closedPort()
        let client = HTTPClient(url: try HTTPURL(parsing: "http://127.0.0.1:\(port)"), timeout: .seconds(5))
        let cases: [(method: String, path: String, headers: [(String, String)], expected: String)] = [
            ("GET", "/x", [("X-Injected", "a\r\nEvil: 1")], "CR, LF or NUL"),
            ("GET", "/x", [("Bad Name", "v")], "not an HTTP token"),
            ("POST", "/x", [("Content-Length", "5")], "Content-Length"),
            ("GET", "/x", [("connection", "close")], "Connection"),
            ("GET", "/x", [("Transfer-Encoding", "chunked")], "Transfer-Encoding"),
            ("GE T", "/x", [], "method 'GE T'"),
            ("", "/x", [], "method ''"),
            ("GET", "x", [], "must start with '/' or '?'"),
            ("GET", "/a b", [], "percent-encode"),
            ("GET", "/ü", [], "percent-encode"),
        ]
        for item in cases {
            XCTAssertThrowsError(try client.send(method: item.method, path: item.path, headers: item.headers)) { error in
                let error = error as! HTTPClientError
                XCTAssertEqual(error.kind, .invalidRequest, "\(item)")
                XCTAssertTrue(error.message.contains(item.expected), "\(item.expected) not in: \(error.message)")
            }
        }
    }
}

/// A loopback port with nothing listening: bound by a server that is then released.
func closedPort() throws -> Int {
    try ScriptedServer().port
}
