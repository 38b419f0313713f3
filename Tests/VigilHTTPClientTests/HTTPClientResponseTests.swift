import VigilHTTPClient
import XCTest

/// Response framing: each way a body can be delimited, read from a real socket.
final class HTTPClientResponseTests: XCTestCase {
    func testReadsContentLengthBodyAndHeadersCaseInsensitively() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Empty:\r\nContent-Length: 11\r\n\r\nhello world")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let response = try client.send(method: "GET", path: "/file")
        client.close()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.bodyText, "hello world")
        XCTAssertEqual(response.header("content-type"), "text/plain")
        XCTAssertEqual(response.header("CONTENT-LENGTH"), "11")
        XCTAssertEqual(response.header("x-empty"), "")
        XCTAssertNil(response.header("X-Missing"))
        XCTAssertEqual(response.headers.map(\.name), ["Content-Type", "X-Empty", "Content-Length"])
        assertServerSucceeded(server.finish())
    }

    func testDecodesChunkedBodyWithExtensionsAndTrailerThenReusesTheConnection() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Checksum: 42\r\n\r\n")
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3 \r\nend\r\n0\r\n\r\n")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        XCTAssertEqual(try client.send(method: "GET", path: "/a").bodyText, "hello 0123456789")
        XCTAssertEqual(try client.send(method: "GET", path: "/b").bodyText, "end")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 1)
    }

    func testReadsBodyUntilCloseWhenNoLengthIsGiven() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\nuntil the end")
            connection.close()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let response = try client.send(method: "GET", path: "/")
        XCTAssertEqual(response.bodyText, "all of it\nuntil the end")
        assertServerSucceeded(server.finish())
    }

    func testHeadAnd204And304ResponsesHaveNoBody() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            try connection.readRequest()
            try connection.write("HTTP/1.1 204 No Content\r\n\r\n")
            try connection.readRequest()
            try connection.write("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n")
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let head = try client.send(method: "HEAD", path: "/big")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), "1000")
        XCTAssertEqual(head.body, [])
        XCTAssertEqual(try client.send(method: "POST", path: "/ingest", body: [1, 2, 3]).status, 204)
        XCTAssertEqual(try client.send(method: "GET", path: "/cached").status, 304)
        XCTAssertEqual(try client.send(method: "GET", path: "/last").bodyText, "done")
        client.close()
        let outcome = server.finish()
        assertServerSucceeded(outcome)
        XCTAssertEqual(outcome.acceptedConnections, 1)
    }

    func testSkipsInterim100ContinueResponse() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
            connection.close()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let response = try client.send(method: "PUT", path: "/thing", body: Array("x".utf8))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.bodyText, "ok")
        assertServerSucceeded(server.finish())
    }

    func testParsesAResponseDeliveredOneByteAtATime() throws {
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            try connection.readRequest()
            try connection.writeByteByByte("HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nabc")
            try connection.readRequest()
            try connection.writeByteByByte("HTTP/1.1 404 Not Found\nTransfer-Encoding: chunked\n\n4\r\nnope\r\n0\r\n\r\n")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let first = try client.send(method: "GET", path: "/a")
        XCTAssertEqual(first.bodyText, "abc")
        XCTAssertEqual(first.header("x-a"), "1")
        let second = try client.send(method: "GET", path: "/b")
        XCTAssertEqual(second.status, 404)
        XCTAssertEqual(second.bodyText, "nope")
        client.close()
        assertServerSucceeded(server.finish())
    }

    func testTransfersLargeBinaryBodiesIntact() throws {
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let server = try ScriptedServer()
        server.start { server in
            let connection = try server.accept()
            let request = try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: \(request.body.count)\r\n\r\n")
            try connection.write(request.body)
            try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            var offset = 0
            while offset < payload.count {
                let chunk = payload[offset..<min(offset + 100_000, payload.count)]
                try connection.write(String(chunk.count, radix: 16) + "\r\n")
                try connection.write(Array(chunk) + Array("\r\n".utf8))
                offset += chunk.count
            }
            try connection.write("0\r\n\r\n")
            try connection.expectClientClose()
        }
        let client = HTTPClient(url: try server.url, timeout: .seconds(5))
        let echoed = try client.send(method: "POST", path: "/echo", headers: [("Content-Type", "application/octet-stream")], body: payload)
        XCTAssertTrue(echoed.body == payload, "the Content-Length body differs from what was sent")
        let chunked = try client.send(method: "GET", path: "/chunked")
        XCTAssertTrue(chunked.body == payload, "the chunked body differs from the payload")
        client.close()
        assertServerSucceeded(server.finish())
    }
}

func assertServerSucceeded(_ outcome: ScriptedServer.Outcome, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNil(outcome.failure, "server script failed", file: file, line: line)
}
