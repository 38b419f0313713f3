#if canImport(Glibc)
import Glibc
#endif

/// The agent's optional local HTTP listener: `GET /metrics` answers the agent's own metrics in
/// the Prometheus text format; any other path is 404, any other method 405.
///
/// Deliberately small: one thread, one connection at a time, `Connection: close`, a request
/// head of at most 8 KiB read within 2 seconds. It serves a scraper on the host, not the
/// public; it carries no secrets and takes no input beyond the request line.
final class MetricsListener: @unchecked Sendable {
    static let maxRequestBytes = 8_192
    static let clientTimeoutSeconds = 2

    /// The address actually bound, `HOST:PORT` (the port filled in when 0 was asked for).
    let boundAddress: String
    private let descriptor: Int32
    private let render: @Sendable () -> String

    /// Binds and listens on `listen` (`127.0.0.1:9471`, `[::1]:9471`, `localhost:0`).
    /// - Throws: `MetricsListenerError` naming the address and the reason.
    init(listen: String, render: @escaping @Sendable () -> String) throws(MetricsListenerError) {
        guard let (host, port) = Self.split(listen) else {
            throw MetricsListenerError("metrics listen address \"\(listen)\" is not HOST:PORT; write 127.0.0.1:9471")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var addresses: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &addresses) == 0, let first = addresses else {
            throw MetricsListenerError("cannot resolve the metrics listen host \"\(host)\"")
        }
        defer { freeaddrinfo(addresses) }
        let entry = first.pointee
        let descriptor = socket(entry.ai_family, entry.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), entry.ai_protocol)
        guard descriptor >= 0 else { throw MetricsListenerError("cannot create a socket: \(Self.reason())") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, entry.ai_addr, entry.ai_addrlen) == 0, Glibc.listen(descriptor, 16) == 0 else {
            let reason = Self.reason()
            close(descriptor)
            throw MetricsListenerError("cannot listen on \(listen) for metrics: \(reason)")
        }
        self.descriptor = descriptor
        self.render = render
        boundAddress = Self.localAddress(descriptor) ?? listen
    }

    deinit {
        close(descriptor)
    }

    /// Serves until `stop` is set, checking it at least every 200 ms.
    func run(stop: StopFlag) {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !stop.isStopped {
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: Self.clientTimeoutSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = readHead(client) else {
            respond(client, status: "400 Bad Request", body: "incomplete or oversized request\n")
            return
        }
        let requestLine = head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let parts = requestLine.split(separator: UInt8(ascii: " "))
        guard parts.count == 3 else {
            respond(client, status: "400 Bad Request", body: "malformed request line\n")
            return
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        guard path == "/metrics" else {
            respond(client, status: "404 Not Found", body: "the agent serves only /metrics\n")
            return
        }
        guard method == "GET" || method == "HEAD" else {
            respond(client, status: "405 Method Not Allowed", body: "use GET\n", extraHeaders: "Allow: GET, HEAD\r\n")
            return
        }
        respond(client, status: "200 OK", body: render(), contentType: "text/plain; version=0.0.4; charset=utf-8", headOnly: method == "HEAD")
    }

    /// The bytes up to the blank line ending the request head; nil past the size limit, on
    /// timeout or when the client closes first.
    private func readHead(_ client: Int32) -> [UInt8]? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2_048)
        while buffer.count < Self.maxRequestBytes {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
            if Self.endsHead(buffer) { return buffer }
        }
        return nil
    }

    private static func endsHead(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for end in 3..<bytes.count
        where bytes[end] == 10 && bytes[end - 1] == 13 && bytes[end - 2] == 10 && bytes[end - 3] == 13 {
            return true
        }
        return false
    }

    private func respond(
        _ client: Int32, status: String, body: String, contentType: String = "text/plain; charset=utf-8",
        extraHeaders: String = "", headOnly: Bool = false
    ) {
        let payload = Array(body.utf8)
        var response = Array((
            "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(payload.count)\r\n"
                + "\(extraHeaders)Connection: close\r\n\r\n").utf8)
        if !headOnly { response += payload }
        var offset = 0
        while offset < response.count {
            let written = response[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// `host:port` or `[v6]:port` taken apart; nil when not of that form.
    static func split(_ text: String) -> (host: String, port: String)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        let port = String(text[text.index(after: colon)...])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), let number = Int(port), number <= 65_535
        else { return nil }
        return (host, port)
    }

    private static func localAddress(_ descriptor: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let got = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard got == 0 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let named = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard named == 0 else { return nil }
        let hostText = String(cString: host)
        return storage.ss_family == sa_family_t(AF_INET6) ? "[\(hostText)]:\(String(cString: service))" : "\(hostText):\(String(cString: service))"
    }

    private static func reason() -> String {
        String(cString: strerror(errno))
    }
}

/// The metrics listener could not start; the message names the address and why.
public struct MetricsListenerError: Error, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
