import Foundation
import VigilHTTPClient
import XCTest

/// Against an HTTP server this project did not write: Python's http.server, which answers
/// HTTP/1.0 and closes after each response.
final class HTTPClientPythonServerTests: XCTestCase {
    func testGetsFilesFromPythonHTTPServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<(1 << 20) + 123).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(payload).write(to: directory.appendingPathComponent("payload.bin"))
        try Data("hello from python\n".utf8).write(to: directory.appendingPathComponent("hello.txt"))

        let port = try closedPort()
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory.path, String(port)]
        python.standardOutput = FileHandle.nullDevice
        python.standardError = FileHandle.nullDevice
        do {
            try python.run()
        } catch {
            throw XCTSkip("python3 cannot be started: \(error)")
        }
        defer {
            python.terminate()
            python.waitUntilExit()
        }

        let client = HTTPClient(url: try HTTPURL(parsing: "http://127.0.0.1:\(port)"), timeout: .seconds(10))
        let hello = try waitForServer(client, path: "/hello.txt", process: python)
        XCTAssertEqual(hello.status, 200)
        XCTAssertEqual(hello.bodyText, "hello from python\n")

        let file = try client.send(method: "GET", path: "/payload.bin")
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(file.header("content-length"), String(payload.count))
        XCTAssertTrue(file.body == payload, "GET /payload.bin returned \(file.body.count) bytes that differ from the file")

        let head = try client.send(method: "HEAD", path: "/payload.bin")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), String(payload.count))
        XCTAssertEqual(head.body.count, 0)

        let missing = try client.send(method: "GET", path: "/missing?x=" + HTTPQuery.encode([("a", "b c")]))
        XCTAssertEqual(missing.status, 404)
    }

    /// Sends GET `path` until the freshly started server accepts connections (up to 10 s).
    private func waitForServer(_ client: HTTPClient, path: String, process: Process) throws -> HTTPResponse {
        for _ in 0..<200 {
            do {
                return try client.send(method: "GET", path: path)
            } catch {
                if !process.isRunning, process.terminationStatus == 127 { throw XCTSkip("python3 is not installed") }
                guard error.kind == .connect, process.isRunning else { throw error }
                usleep(50_000)
            }
        }
        return try client.send(method: "GET", path: path)
    }
}
