/// Everything `HTTPURL` and `HTTPClient` can throw: what kind of step failed and a message
/// that names the server, what went wrong and what to check.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The step that failed. Callers decide on retries by kind: `invalidURL`, `invalidRequest`
    /// and `responseTooLarge` fail the same way again; the others may pass on a later try.
    public enum Kind: String, Sendable, Equatable, CustomStringConvertible {
        /// The URL string could not be parsed or uses something unsupported (https, userinfo).
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
