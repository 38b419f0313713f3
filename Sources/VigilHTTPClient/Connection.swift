import Glibc

/// One TCP connection whose every wait is bounded: the socket is non-blocking and each send
/// or receive that would block polls for at most the timeout. Sends use MSG_NOSIGNAL, so a
/// peer that has gone away yields EPIPE instead of killing the process with SIGPIPE.
/// Closes its socket when released, after a TLS close_notify when TLS is on.
///
/// With TLS on (`startTLS`, Connection+TLS.swift) `sendAll`, `receive` and `isIdle` carry
/// application data through the TLS session; the `plain` methods always move raw bytes.
final class Connection {
    /// How error messages name the server: `host:port`, plus the address when it differs.
    let peer: String
    let timeout: Duration
    private let descriptor: Int32
    /// The TLS session once `startTLS` completed its handshake, else nil.
    var tls: TLSSession?

    init(descriptor: Int32, peer: String, timeout: Duration) {
        self.descriptor = descriptor
        self.peer = peer
        self.timeout = timeout
    }

    deinit {
        if let tls { sendCloseNotify(tls) }
        Glibc.close(descriptor)
    }

    /// Writes all of `bytes`. Throws `.timeout` when the peer accepts nothing for `timeout`,
    /// `.send` when the connection fails, `.tls` when the TLS session fails.
    func sendAll(_ bytes: [UInt8]) throws(HTTPClientError) {
        if let tls {
            try tlsSendAll(bytes, over: tls)
        } else {
            try plainSendAll(bytes)
        }
    }

    /// Reads up to `buffer.count` bytes, waiting at most `timeout` for the first; returns 0 when
    /// the peer has closed. `awaiting` names what is being read, for the error message.
    func receive(into buffer: UnsafeMutableRawBufferPointer, awaiting: String) throws(HTTPClientError) -> Int {
        if let tls {
            return try tlsReceive(into: buffer, awaiting: awaiting, over: tls)
        }
        return try plainReceive(into: buffer, awaiting: awaiting)
    }

    /// Whether the connection looks fit for another request: nothing is readable on it.
    /// An idle connection that turns readable has been closed or reset by the server, or
    /// carries bytes no request asked for; either way it must not be reused. With TLS, session
    /// tickets the server sent after the handshake do not count.
    var isIdle: Bool {
        if let tls { return tlsIsIdle(tls) }
        return !plainIsReadable
    }

    /// Writes all of `bytes` to the socket as they are.
    func plainSendAll(_ bytes: [UInt8]) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                sent += count
                continue
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                switch wait(for: POLLOUT) {
                case .ready:
                    continue
                case .timedOut:
                    throw HTTPClientError(.timeout,
                        "\(peer) accepted no request bytes for \(timeout) (sent \(sent) of \(bytes.count)); the server is stalled or overloaded")
                case .failed(let pollCode):
                    throw HTTPClientError(.send, "waiting to send the request to \(peer) failed: \(describeErrno(pollCode))")
                }
            default:
                throw HTTPClientError(.send,
                    "sending the request to \(peer) failed after \(sent) of \(bytes.count) bytes: \(describeErrno(code))")
            }
        }
    }

    /// Reads up to `buffer.count` bytes from the socket as they are, waiting as `receive` does.
    func plainReceive(into buffer: UnsafeMutableRawBufferPointer, awaiting: String) throws(HTTPClientError) -> Int {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                switch wait(for: POLLIN) {
                case .ready:
                    continue
                case .timedOut:
                    throw HTTPClientError(.timeout,
                        "\(peer) sent nothing for \(timeout) while the client waited for \(awaiting); the server is hung or too slow")
                case .failed(let pollCode):
                    throw HTTPClientError(.receive, "waiting for \(awaiting) from \(peer) failed: \(describeErrno(pollCode))")
                }
            default:
                throw HTTPClientError(.receive, "reading \(awaiting) from \(peer) failed: \(describeErrno(code))")
            }
        }
    }

    /// Whether the socket has bytes (or an end of stream) to read right now.
    var plainIsReadable: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) != 0
    }

    /// Reads what the socket holds right now without waiting: nil when nothing has arrived,
    /// 0 when the peer has closed or the connection failed.
    func plainReceiveNow(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: return 0
            }
        }
    }

    /// Sends what the socket takes right now without waiting, ignoring failures: for a
    /// farewell that nobody waits for.
    func plainSendNow(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { raw in
            Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
    }

    private func wait(for events: Int32) -> SocketWait {
        waitForSocket(descriptor, events: events, timeout: timeout)
    }
}

/// `strerror` text with the errno number, for messages.
func describeErrno(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
