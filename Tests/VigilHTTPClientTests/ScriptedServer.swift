import Foundation
import Glibc
import VigilHTTPClient

/// A TCP server on a loopback address for tests. Its script runs on a background thread,
/// accepts connections, reads requests and writes whatever bytes the test wants; the test
/// then asks `finish()` what the server saw. Every blocking step gives up after 10 s, so a
/// client that misbehaves fails the test instead of hanging it.
final class ScriptedServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What the server saw, collected once its script has ended.
    struct Outcome {
        var acceptedConnections: Int
        var requests: [ReceivedRequest]
        /// Why the script failed, or nil when it ran to its end.
        var failure: String?
    }

    let address: String
    let port: Int
    /// Signalled by a test to let a script that is holding a connection open go on.
    let proceed = DispatchSemaphore(value: 0)
    /// Signalled by a script to tell the test it has reached a point (closed a connection).
    let reached = DispatchSemaphore(value: 0)
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var accepted = 0
    private var requests: [ReceivedRequest] = []
    private var failure: String?

    /// Listens on `address` ("127.0.0.1" or "::1") at a port the kernel picks.
    init(address: String = "127.0.0.1", backlog: Int32 = 16) throws {
        self.address = address
        let isIPv6 = address.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        var storage = sockaddr_storage()
        var length: socklen_t
        if isIPv6 {
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let v6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                v6.pointee.sin6_family = sa_family_t(AF_INET6)
                inet_pton(AF_INET6, address, &v6.pointee.sin6_addr)
            }
        } else {
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let v4 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                v4.pointee.sin_family = sa_family_t(AF_INET)
                inet_pton(AF_INET, address, &v4.pointee.sin_addr)
            }
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw Failure(description: "cannot listen on \(address): \(reason)")
        }
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let networkPort = withUnsafeBytes(of: &storage) { raw in
            isIPv6 ? raw.load(as: sockaddr_in6.self).sin6_port : raw.load(as: sockaddr_in.self).sin_port
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: networkPort))
    }

    deinit {
        Glibc.close(listener)
    }

    var url: HTTPURL {
        get throws {
            try HTTPURL(parsing: address.contains(":") ? "http://[\(address)]:\(port)" : "http://\(address):\(port)")
        }
    }

    /// Runs `script` on a background thread; an error it throws is reported by `finish()`.
    func start(_ script: @escaping @Sendable (ScriptedServer) throws -> Void) {
        let thread = Thread { [self] in
            do {
                try script(self)
            } catch {
                lock.withLock { failure = "\(error)" }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Waits up to 30 s for the script to end and returns what the server saw.
    func finish() -> Outcome {
        if finished.wait(timeout: .now() + 30) == .timedOut {
            return Outcome(acceptedConnections: -1, requests: [], failure: "the server script did not end within 30 s")
        }
        return lock.withLock { Outcome(acceptedConnections: accepted, requests: requests, failure: failure) }
    }

    /// Waits up to 30 s for the test to signal `proceed`.
    func waitForTest() throws {
        guard proceed.wait(timeout: .now() + 30) == .success else {
            throw Failure(description: "the test did not signal proceed within 30 s")
        }
    }

    /// Throws if a client has connected and waits to be accepted.
    func expectNoPendingConnection() throws {
        var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) == 0 else { throw Failure(description: "the client opened another connection") }
    }

    /// Accepts the next connection, waiting at most 10 s.
    func accept() throws -> ServerConnection {
        var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 10_000) == 1 else { throw Failure(description: "no connection arrived within 10 s") }
        let descriptor = Glibc.accept(listener, nil, nil)
        guard descriptor >= 0 else { throw Failure(description: "accept(): \(String(cString: strerror(errno)))") }
        lock.withLock { accepted += 1 }
        return ServerConnection(descriptor: descriptor) { [self] request in
            lock.withLock { requests.append(request) }
        }
    }
}

/// A request as the scripted server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The server's side of one accepted connection; blocking with 10 s receive and send timeouts.
final class ServerConnection {
    private let descriptor: Int32
    private let record: (ReceivedRequest) -> Void
    private var buffered: [UInt8] = []

    init(descriptor: Int32, record: @escaping (ReceivedRequest) -> Void) {
        self.descriptor = descriptor
        self.record = record
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Reads one request head and, unless `readingBody` is false, its Content-Length body;
    /// records the request and returns it.
    @discardableResult
    func readRequest(readingBody: Bool = true) throws -> ReceivedRequest {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            if let found = Self.find(separator, in: buffered) {
                headEnd = found
            } else {
                guard try receiveMore() else { throw ScriptedServer.Failure(description: "client closed before a full request head") }
            }
        }
        let lines = String(decoding: buffered[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { throw ScriptedServer.Failure(description: "bad request line '\(lines[0])'") }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw ScriptedServer.Failure(description: "bad header '\(line)'") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        buffered.removeFirst(headEnd! + separator.count)
        var request = ReceivedRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [])
        let length = readingBody ? Int(request.header("Content-Length") ?? "0") ?? 0 : 0
        while buffered.count < length {
            guard try receiveMore() else { throw ScriptedServer.Failure(description: "client closed inside a request body") }
        }
        request.body = Array(buffered[..<length])
        buffered.removeFirst(length)
        record(request)
        return request
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw ScriptedServer.Failure(description: "send(): \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Writes `bytes` one at a time, so the client meets every possible split of a response.
    func writeByteByByte(_ text: String) throws {
        for byte in text.utf8 { try write([byte]) }
    }

    /// Waits until the client closes the connection; throws if it sends anything first.
    func expectClientClose() throws {
        guard buffered.isEmpty, try !receiveMore() else {
            throw ScriptedServer.Failure(description: "client sent more bytes instead of closing")
        }
    }

    func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    private func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw ScriptedServer.Failure(description: "recv(): \(String(cString: strerror(errno)))") }
        buffered.append(contentsOf: chunk[..<count])
        return count > 0
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
