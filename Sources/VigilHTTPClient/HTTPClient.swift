import Glibc

/// One keep-alive connection to one server; reconnects transparently when the server closed
/// an idle connection. Blocking: `send` returns when the whole response has been read.
///
/// Not thread-safe: one owner calls `send` and `close`.
///
/// Every wait is bounded by `timeout`: connecting (per address), each write that would block
/// and each read that would block. The timeout bounds a wait for progress, not the whole
/// exchange, so a server trickling bytes slower than that is still waited for.
///
/// An `https` URL speaks TLS 1.2 or newer through the system OpenSSL, verifying the server's
/// certificate against `tls.caFile` (or the system store) and `url.host`, and presenting a
/// client certificate when `tls` has one. The files are read again for every new connection,
/// so renewed certificates take effect without a new client. `tls` is ignored for `http`.
public final class HTTPClient {
    public let url: HTTPURL
    public let timeout: Duration
    /// The most body bytes one response may have; its head is capped at 64 KiB besides.
    public let maxResponseBytes: Int
    public let tls: TLSOptions
    private var connection: Connection?

    public init(url: HTTPURL, timeout: Duration = .seconds(10), maxResponseBytes: Int = 64 << 20, tls: TLSOptions = TLSOptions()) {
        precondition(timeout > .zero, "bug: HTTPClient needs a positive timeout, got \(timeout)")
        precondition(maxResponseBytes >= 0, "bug: HTTPClient needs a non-negative maxResponseBytes, got \(maxResponseBytes)")
        self.url = url
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.tls = tls
    }

    /// Sends `method` to `url.basePath + path` and returns the complete response, whatever
    /// its status. `path` is empty or starts with `/` or `?` and may carry a query
    /// (see `HTTPQuery.encode`). `headers` may replace `Host` and `User-Agent`; the client
    /// writes `Content-Length` and `Connection` itself and refuses them in `headers`.
    ///
    /// The connection is kept for the next call when the server allows it. When a request on
    /// a kept connection fails before any response byte arrives (the server closed it while
    /// idle), it is sent once more on a fresh connection; a request that fails after response
    /// bytes arrived, or on a fresh connection, or by timeout, is not repeated. After any
    /// error the connection is closed. TLS failures throw `.tlsFiles` (a local file is not
    /// usable) or `.tls` (handshake or session, with OpenSSL's reason) and are not repeated.
    public func send(
        method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws(HTTPClientError) -> HTTPResponse {
        let request = try RequestEncoder.encode(
            method: method, target: url.requestTarget(path), host: url.hostHeader,
            headers: headers, body: body, server: url.authority)

        if let kept = connection {
            if kept.isIdle {
                do {
                    return try exchange(request, method: method, on: kept)
                } catch let failure {
                    let retryable = [.send, .receive].contains(failure.error.kind) && !failure.responseStarted
                    guard retryable else { throw failure.error }
                }
            } else {
                close()
            }
        }
        let fresh = try Connection.open(to: url, timeout: timeout, tls: try tlsContext())
        connection = fresh
        do {
            return try exchange(request, method: method, on: fresh)
        } catch let failure {
            throw failure.error
        }
    }

    /// Closes the connection, if one is open. The next `send` opens a new one.
    public func close() {
        connection = nil
    }

    /// A context freshly built from `tls` for an https URL, nil for http.
    private func tlsContext() throws(HTTPClientError) -> TLSContext? {
        guard url.scheme == .https else { return nil }
        do {
            return try TLSContext(tls, now: Int64(time(nil)))
        } catch {
            throw HTTPClientError(.tlsFiles, "cannot connect to \(url) with TLS: \(error.message)")
        }
    }

    private struct ExchangeFailure: Error {
        var error: HTTPClientError
        /// Whether any byte of a response had arrived when the exchange failed.
        var responseStarted: Bool
    }

    /// Writes `request` and reads its response on `connection`, then closes the connection
    /// unless it can carry another request. Closes it on every failure.
    private func exchange(_ request: [UInt8], method: String, on connection: Connection) throws(ExchangeFailure) -> HTTPResponse {
        var reader = ResponseReader(connection: connection)
        do {
            try connection.sendAll(request)
        } catch let sendError {
            // A server may answer early (413 before reading a large body) and close; its
            // response, or the TLS alert it sent, is still readable and says more than the
            // broken pipe does.
            if sendError.kind == .send {
                do {
                    let early = try reader.readResponse(requestMethod: method, maxBodyBytes: maxResponseBytes)
                    close()
                    return early.response
                } catch where error.kind == .tls {
                    close()
                    throw ExchangeFailure(error: error, responseStarted: reader.receivedAny)
                } catch {}
            }
            close()
            throw ExchangeFailure(error: sendError, responseStarted: reader.receivedAny)
        }
        do {
            let (response, keepsConnectionOpen) = try reader.readResponse(requestMethod: method, maxBodyBytes: maxResponseBytes)
            if !keepsConnectionOpen || reader.hasUnconsumedBytes { close() }
            return response
        } catch {
            close()
            throw ExchangeFailure(error: error, responseStarted: reader.receivedAny)
        }
    }
}
