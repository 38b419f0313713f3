import Foundation
import Glibc
import XCTest

/// Debian's node_exporter 1.5 run as a child process on a free loopback port, for comparison tests.
final class NodeExporterProcess {
    static let binary = "/usr/bin/prometheus-node-exporter"

    private let process = Process()
    let port: UInt16

    /// Starts node_exporter with `arguments` (besides the listen address) and waits until it
    /// answers. Skips the test when the binary is missing, unless the environment variable CI
    /// is set, in which case the test fails.
    init(arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: NodeExporterProcess.binary) else {
            let message = "\(NodeExporterProcess.binary) is not installed (apt-get install prometheus-node-exporter); the comparison with node_exporter 1.5 did not run"
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail(message)
                throw NodeExporterProcessError(message: message)
            }
            throw XCTSkip(message)
        }
        port = try NodeExporterProcess.freePort()
        process.executableURL = URL(fileURLWithPath: NodeExporterProcess.binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while (try? scrape()) == nil {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw NodeExporterProcessError(message: "node_exporter did not answer on 127.0.0.1:\(port) within 10 s")
            }
            usleep(50_000)
        }
    }

    deinit {
        stop()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// GET /metrics over a plain socket (HTTP/1.0, so the body is neither chunked nor compressed).
    func scrape() throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NodeExporterProcessError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = NodeExporterProcess.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw NodeExporterProcessError(message: "connect: errno \(errno)") }
        let request = Array("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else {
            throw NodeExporterProcessError(message: "write: errno \(errno)")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            guard count >= 0 else { throw NodeExporterProcessError(message: "read: errno \(errno)") }
            if count == 0 { break }
            response.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.0 200") || text.hasPrefix("HTTP/1.1 200"),
              let split = text.range(of: "\r\n\r\n") else {
            throw NodeExporterProcessError(message: "unexpected response: \(text.prefix(200))")
        }
        return String(text[split.upperBound...])
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// A port the kernel just handed out for 127.0.0.1 and that is free again.
    private static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NodeExporterProcessError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw NodeExporterProcessError(message: "bind: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}

struct NodeExporterProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
