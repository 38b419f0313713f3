import Glibc

extension Connection {
    /// Resolves `url.host` with getaddrinfo and tries each address in the order returned,
    /// giving each one `timeout` to accept a non-blocking connect. Returns the first
    /// connection made; throws `.resolve` when the name has no address, `.timeout` when every
    /// address timed out and `.connect` otherwise, naming each address and why it failed.
    ///
    /// With `tls` (required for an https URL) the first connection made runs the TLS
    /// handshake; when that fails no other address is tried and its `.tls` error is thrown.
    ///
    /// Name resolution itself is bounded by the system resolver's own timeouts
    /// (resolv.conf), not by `timeout`: getaddrinfo cannot be interrupted.
    static func open(to url: HTTPURL, timeout: Duration, tls: TLSContext?) throws(HTTPClientError) -> Connection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV
        var addresses: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(url.host, String(url.port), &hints, &addresses)
        guard status == 0, let addresses else {
            let reason = status == EAI_SYSTEM ? describeErrno(errno) : String(cString: gai_strerror(status))
            throw HTTPClientError(.resolve,
                "cannot resolve host '\(url.host)' of \(url): \(reason); check the URL and the DNS configuration")
        }
        defer { freeaddrinfo(addresses) }

        var failures: [String] = []
        var everyAttemptTimedOut = true
        var next: UnsafeMutablePointer<addrinfo>? = addresses
        while let entry = next?.pointee {
            next = entry.ai_next
            let address = numericAddress(entry.ai_addr, entry.ai_addrlen)
            let peer = address == url.authority ? address : "\(url.authority) at \(address)"
            switch attempt(entry, timeout: timeout) {
            case .connected(let descriptor):
                let connection = Connection(descriptor: descriptor, peer: peer, timeout: timeout)
                if let tls { try connection.startTLS(context: tls, host: url.host) }
                return connection
            case .timedOut:
                failures.append("\(address): no answer within \(timeout)")
            case .failed(let reason):
                everyAttemptTimedOut = false
                failures.append("\(address): \(reason)")
            }
        }
        let tried = failures.joined(separator: "; ")
        if everyAttemptTimedOut {
            throw HTTPClientError(.timeout,
                "connecting to \(url.authority) timed out (\(tried)); check that the host is up and no firewall drops the traffic")
        }
        throw HTTPClientError(.connect,
            "cannot connect to \(url.authority) (\(tried)); check that the server is running and listening there")
    }

    private enum Attempt {
        case connected(Int32)
        case timedOut
        case failed(String)
    }

    private static func attempt(_ entry: addrinfo, timeout: Duration) -> Attempt {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(entry.ai_family, entry.ai_socktype | flags, entry.ai_protocol)
        guard descriptor >= 0 else { return .failed("socket() failed: \(describeErrno(errno))") }

        if connect(descriptor, entry.ai_addr, entry.ai_addrlen) != 0 {
            let code = errno
            // EINTR leaves the connect running asynchronously, exactly like EINPROGRESS.
            guard code == EINPROGRESS || code == EINTR else {
                close(descriptor)
                return .failed(describeErrno(code))
            }
            switch waitForSocket(descriptor, events: POLLOUT, timeout: timeout) {
            case .ready:
                break
            case .timedOut:
                close(descriptor)
                return .timedOut
            case .failed(let pollCode):
                close(descriptor)
                return .failed("poll() failed: \(describeErrno(pollCode))")
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length) != 0 {
                socketError = errno
            }
            guard socketError == 0 else {
                close(descriptor)
                return .failed(describeErrno(socketError))
            }
        }
        // Requests go out in one write; without Nagle the tail of a large body is not held
        // back waiting for the server's delayed ACK.
        var on: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return .connected(descriptor)
    }

    /// The address as `a.b.c.d:port` or `[v6]:port`.
    private static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                                 NI_NUMERICHOST | NI_NUMERICSERV)
        guard status == 0 else { return "an address getnameinfo cannot print" }
        let hostText = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let serviceText = service.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return hostText.contains(":") ? "[\(hostText)]:\(serviceText)" : "\(hostText):\(serviceText)"
    }
}
