/// Everything `HTTPURL` and `HTTPClient` can throw: what kind of step failed and a message
/// that names the server, what went wrong and what to check.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The step that failed. Callers decide on retries by kind: `invalidURL`, `invalidRequest`
    /// and `responseTooLarge` fail the same way again; the others may pass on a later try.
    public enum Kind: String, Sendable, Equatable, CustomStringConvertible {
        /// The URL string could not be parsed or uses something unsupported (a scheme, userinfo).
        case invalidURL
        /// The method, path or a header cannot be sent as given (CR/LF, spaces, reserved header).
        case invalidRequest
        /// The host name did not resolve to any address.
        case resolve
        /// No address of the host accepted a TCP connection.
        case connect
        /// Connecting, sending or waiting for response bytes took longer than the client's timeout.
        case timeout
        /// Writing the request failed (connection reset, broken pipe).
        case send
        /// Reading the response failed or the server closed the connection before it was complete.
        case receive
        /// The bytes received are not a valid HTTP/1.x response.
        case malformedResponse
        /// The response head or body exceeds the client's limits.
        case responseTooLarge
        /// A CA, certificate or key file of `TLSOptions` cannot be used: unreadable, not PEM,
        /// a key that does not match its certificate, a certificate out of its validity period.
        case tlsFiles
        /// The TLS handshake or session failed: the server's certificate did not verify
        /// (expired, unknown CA, wrong name), the server refused the client's certificate, or
        /// the server does not speak TLS. The message carries OpenSSL's reason.
        case tls

        public var description: String { rawValue }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
