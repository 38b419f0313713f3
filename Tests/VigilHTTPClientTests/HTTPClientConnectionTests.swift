import VigilHTTPClient
import XCTest

/// Keep-alive reuse, reconnecting after the server closed, and when a request is retried.
final class HTTPClientConnectionTests: XCTestCase {
    private let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    func testTwoRequestsShareOneConnection() throws {
        let server = try ScriptedServer()
        let ok = ok
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write(ok)
            try connection.readRequest()
            try connection.write(ok)
            try connection.expectClientClose()
            try server.expectNoPendingConnection()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "POST", path: "/1", body: [1]).bodyText, "ok")
        XCTAssertEqual(try client.send(method: "POST", path: "/2", body: [2]).bodyText, "ok")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 1)
        XCTAssertEqual(outcome.requests.map(\.target), ["/1", "/2"])
    }

    func testReconnectsWhenTheServerClosedTheIdleConnection() throws {
        let server = try ScriptedServer()
        let ok = ok
        server.start { server in
            let first = try server.accept()
            try first.readRequest()
            try first.write(ok)
            first.close()
            server.reached.signal()
            let second = try server.accept()
            try second.readRequest()
            try second.write(ok)
            try second.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/1").status, 200)
        XCTAssertEqual(server.reached.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(try client.send(method: "GET", path: "/2").status, 200)
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 2)
        XCTAssertEqual(outcome.requests.map(\.target), ["/1", "/2"])
    }

    /// The server takes the second request and closes without a byte of response, as a
    /// server whose idle timeout fired just as the request arrived does: the client sends it
    /// again, once, on a new connection.
    func testRetriesOnceOnAFreshConnectionWhenAReusedOneFailsBeforeAnyResponseByte() throws {
        let server = try ScriptedServer()
        let ok = ok
        server.start { server in
            let first = try server.accept()
            try first.readRequest()
            try first.write(ok)
            try first.readRequest()
            first.close()
            let second = try server.accept()
            try second.readRequest()
            try second.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nretry")
            try second.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "POST", path: "/ingest", body: [1]).bodyText, "ok")
        XCTAssertEqual(try client.send(method: "POST", path: "/ingest", body: [2]).bodyText, "retry")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 2)
        XCTAssertEqual(outcome.requests.map(\.body), [[1], [2], [2]])
    }

    func testDoesNotRetryWhenAFreshConnectionFails() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            connection.close()
            try server.waitForTest()
            try server.expectNoPendingConnection()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertThrowsError(try client.send(method: "POST", path: "/ingest", body: [1])) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .receive)
            XCTAssertTrue(error.message.contains("127.0.0.1:\(server.port) closed the connection without sending a response"), error.message)
        }
        server.proceed.signal()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 1)
    }

    func testDoesNotRetryOnceResponseBytesHaveArrived() throws {
        let server = try ScriptedServer()
        let ok = ok
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write(ok)
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
            connection.close()
            try server.waitForTest()
            try server.expectNoPendingConnection()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/1").status, 200)
        XCTAssertThrowsError(try client.send(method: "GET", path: "/2")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .receive)
            XCTAssertTrue(error.message.contains("closed the connection at byte offset 42"), error.message)
        }
        server.proceed.signal()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 1)
    }

    func testConnectionCloseFromTheServerMakesTheNextRequestUseANewConnection() throws {
        let server = try ScriptedServer()
        let ok = ok
        server.start { server in
            let first = try server.accept()
            try first.readRequest()
            try first.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
            try first.expectClientClose()
            let second = try server.accept()
            try second.readRequest()
            try second.write(ok)
            try second.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/1").bodyText, "ok")
        XCTAssertEqual(try client.send(method: "GET", path: "/2").bodyText, "ok")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 2)
    }

    /// A server that rejects a large body from its head alone answers and closes while the
    /// client is still sending; the client returns that answer, not the broken pipe.
    func testReturnsAnEarlyResponseSentWhileTheBodyWasStillGoingOut() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest(readingBody: false)
            try connection.write("HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 8\r\n\r\ntoo big!")
            connection.close()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let response = try client.send(method: "POST", path: "/ingest", body: [UInt8](repeating: 7, count: 32 << 20))
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.bodyText, "too big!")
        assertServerSucceeded(server.finish())
    }
}
