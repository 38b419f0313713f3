import Foundation
import VigilHTTPClient
import XCTest

/// Failures a server or the network can cause, each with its kind and a message naming the server.
final class HTTPClientFailureTests: XCTestCase {
    func testTimesOutWhenTheServerNeverAnswers() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try server.waitForTest()
            connection.close()
        }
        let timeout = Duration.milliseconds(300)
        let client = HTTPClient(url: try server.url, timeout: timeout)
        let clock = ContinuousClock()
        let started = clock.now
        XCTAssertThrowsError(try client.send(method: "GET", path: "/hang")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .timeout)
            XCTAssertTrue(error.message.contains("127.0.0.1:\(server.port) sent nothing for 0.3 seconds"), error.message)
        }
        let elapsed = clock.now - started
        server.proceed.signal()
        XCTAssertGreaterThanOrEqual(elapsed, timeout)
        XCTAssertLessThan(elapsed, .seconds(5), "the client waited far past its timeout")
        assertServerSucceeded(server.finish())
    }

    func testConnectionRefusedNamesHostAndPort() throws {
        let port = try closedPort()
        let client = HTTPClient(url: try HTTPURL(parsing: "http://127.0.0.1:\(port)"), timeout: .seconds(5))
        XCTAssertThrowsError(try client.send(method: "GET", path: "/")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .connect)
            XCTAssertTrue(error.message.contains("cannot connect to 127.0.0.1:\(port)"), error.message)
            XCTAssertTrue(error.message.contains("Connection refused"), error.message)
        }
    }

    func testUnresolvableHostIsAResolveError() throws {
        let client = HTTPClient(url: try HTTPURL(parsing: "http://no-such-host.invalid:9090"), timeout: .seconds(5))
        XCTAssertThrowsError(try client.send(method: "GET", path: "/")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .resolve)
            XCTAssertTrue(error.message.contains("no-such-host.invalid"), error.message)
        }
    }

    func testMalformedResponsesAreRejectedWithTheOffendingBytesAndOffset() throws {
        let cases: [(response: String, expected: String)] = [
            ("SSH-2.0-OpenSSH_9.2\r\n", "'SSH-2.0-OpenSSH_9.2' at byte offset 0 where a status line"),
            ("HTTP/1.1 OK 200\r\n\r\n", "'HTTP/1.1 OK 200' at byte offset 0"),
            ("HTTP/2 200\r\n\r\n", "'HTTP/2 200'"),
            ("HTTP/1.1 200 OK\r\nGood: yes\r\nNo colon here\r\n\r\n", "'No colon here' at byte offset 28 where a header"),
            ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "'Bad Name: x'"),
            ("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n", "' folded'"),
            ("HTTP/1.1 200 OK\r\nX: \u{1}\r\n\r\n", #"'X: \x01'"#),
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "'Content-Length: -1'"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "'Content-Length: 3, 4'"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "'Transfer-Encoding: gzip, chunked'"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "'zz' at byte offset 47 where a chunk size"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "longer than its size 2"),
            ("HTTP/1.1 101 Switching Protocols\r\n\r\n", "101 Switching Protocols"),
        ]
        let server = try ScriptedServer()
        server.start { server in
            for item in cases {
                let connection = try server.accept()
                try connection.readRequest()
                try connection.write(item.response)
                try connection.expectClientClose()
            }
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        for item in cases {
            XCTAssertThrowsError(try client.send(method: "GET", path: "/"), item.response) { error in
                let error = error as! HTTPClientError
                XCTAssertEqual(error.kind, .malformedResponse, item.response)
                XCTAssertTrue(error.message.contains(item.expected), "\(item.expected) not in: \(error.message)")
                XCTAssertTrue(error.message.contains("127.0.0.1:\(server.port)"), error.message)
            }
        }
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, cases.count, "each failure closes the connection")
    }

    func testResponsesOverTheSizeLimitAreRefused() throws {
        let limit = 1000
        let big = String(repeating: "x", count: limit + 1)
        let fitting = String(repeating: "y", count: limit)
        let cases: [(response: String, expected: String?)] = [
            ("HTTP/1.1 200 OK\r\nContent-Length: \(limit + 1)\r\n\r\n", "announced a body of 1001 bytes"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n", "announced a body of 99999999999999 bytes"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n\(fitting)\r\n1\r\nz\r\n0\r\n\r\n", "chunk of 1 bytes"),
            ("HTTP/1.0 200 OK\r\n\r\n\(big)", "exceeds the limit of 1000 bytes"),
            ("HTTP/1.1 200 OK\r\nX-Huge: \(String(repeating: "h", count: 70_000))\r\n\r\n", "no line end within"),
            ("HTTP/1.0 200 OK\r\n\r\n\(fitting)", nil),
        ]
        let server = try ScriptedServer()
        server.start { server in
            for item in cases {
                let connection = try server.accept()
                try connection.readRequest()
                try connection.write(item.response)
                connection.close()
            }
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5), maxResponseBytes: limit)
        for item in cases {
            do {
                let response = try client.send(method: "GET", path: "/")
                XCTAssertNil(item.expected, "expected a failure for \(item.response.prefix(60))")
                XCTAssertEqual(response.body.count, limit)
            } catch {
                XCTAssertEqual(error.kind, .responseTooLarge, String(item.response.prefix(60)))
                let expected = try XCTUnwrap(item.expected, error.message)
                XCTAssertTrue(error.message.contains(expected), "\(expected) not in: \(error.message)")
            }
        }
        assertServerSucceeded(server.finish())
    }

    /// With a backlog of 0 and one connection already waiting unaccepted, the kernel drops
    /// further SYNs, so a connect gets no answer at all.
    func testConnectTimesOutWhenNoAnswerComes() throws {
        let server = try ScriptedServer(backlog: 0)
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(server.port).bigEndian
            inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(filler)
        }
        let client = HTTPClient(url: try server.url, timeout: .milliseconds(300))
        XCTAssertThrowsError(try client.send(method: "GET", path: "/")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .timeout, error.message)
            XCTAssertTrue(error.message.contains("connecting to 127.0.0.1:\(server.port) timed out"), error.message)
        }
    }
}
