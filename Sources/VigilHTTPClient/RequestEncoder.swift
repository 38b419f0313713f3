/// Serializes an HTTP/1.1 request after checking that nothing in it can break the framing:
/// the method is a token, the target is visible ASCII, header names are tokens and values
/// hold no CR, LF or NUL. Pure.
enum RequestEncoder {
    /// Headers the client writes itself from the body and its connection handling.
    static let reservedHeaders = ["Content-Length", "Transfer-Encoding", "Connection"]

    /// The request bytes: request line, `Host` (unless the caller sends one), the caller's
    /// headers in order, `User-Agent: vigil` (unless the caller sends one), `Content-Length`
    /// (when there is a body or the method is POST, PUT or PATCH), `Connection: keep-alive`,
    /// the empty line and the body. `server` names the server in error messages.
    static func encode(
        method: String, target: String, host: String, headers: [(String, String)], body: [UInt8], server: String
    ) throws(HTTPClientError) -> [UInt8] {
        guard !method.isEmpty, method.utf8.allSatisfy(HeaderName.isTokenByte) else {
            throw HTTPClientError(.invalidRequest, "method '\(method)' for \(server) is not an HTTP token (like GET or POST)")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(HeaderName.isTokenByte) else {
                throw HTTPClientError(.invalidRequest, "header name '\(name)' for \(server) is not an HTTP token")
            }
            guard !value.utf8.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }) else {
                throw HTTPClientError(.invalidRequest, "header '\(name)' for \(server) has a CR, LF or NUL in its value")
            }
            if let reserved = reservedHeaders.first(where: { HeaderName.equal($0, name) }) {
                throw HTTPClientError(.invalidRequest,
                    "header '\(name)' for \(server) is written by HTTPClient itself; leave \(reserved) out of the headers")
            }
        }
        func has(_ name: String) -> Bool { headers.contains { HeaderName.equal($0.0, name) } }

        var head = "\(method) \(target) HTTP/1.1\r\n"
        if !has("Host") { head += "Host: \(host)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !has("User-Agent") { head += "User-Agent: vigil\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: keep-alive\r\n\r\n"

        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.utf8.count + body.count)
        bytes.append(contentsOf: head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }
}
