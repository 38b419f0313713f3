extension ResponseReader {
    /// The most bytes a response head (status line and headers, interim 1xx heads included)
    /// or a chunked trailer may take. Bodies have their own limit, `maxResponseBytes`.
    static let maxHeadBytes = 64 << 10

    /// Reads one complete response to a request with `requestMethod`, skipping interim 1xx
    /// responses. `keepsConnectionOpen` is false when the server closes or may close the
    /// connection after it (HTTP/1.0, `Connection: close`, a body delimited by close).
    mutating func readResponse(
        requestMethod: String, maxBodyBytes: Int
    ) throws(HTTPClientError) -> (response: HTTPResponse, keepsConnectionOpen: Bool) {
        let headStart = consumed
        while true {
            let head = try readHead(headStart: headStart)
            if (100..<200).contains(head.status) {
                guard head.status != 101 else {
                    throw HTTPClientError(.malformedResponse,
                        "\(peer) answered 101 Switching Protocols, but the client asked for no protocol upgrade")
                }
                continue
            }
            let framing = try head.bodyFraming(requestMethod: requestMethod, peer: peer)
            var body: [UInt8] = []
            switch framing {
            case .none:
                break
            case .length(let length):
                guard length <= maxBodyBytes else {
                    throw HTTPClientError(.responseTooLarge,
                        "\(peer) announced a body of \(length) bytes (Content-Length), over the limit of \(maxBodyBytes) bytes (maxResponseBytes); raise the limit or request less")
                }
                body.reserveCapacity(length)
                try read(exactly: length, into: &body, what: "a body of \(length) bytes")
            case .chunked:
                try readChunkedBody(into: &body, limit: maxBodyBytes)
                try readTrailer()
            case .untilClose:
                try readToEnd(into: &body, limit: maxBodyBytes, what: "a body delimited by closing the connection")
            }
            let response = HTTPResponse(status: head.status, headers: head.headers, body: body)
            return (response, head.keepsConnectionOpen && framing != .untilClose)
        }
    }

    /// Reads a status line and header fields up to the empty line, within `maxHeadBytes`
    /// counted from `headStart`.
    private mutating func readHead(headStart: Int) throws(HTTPClientError) -> ResponseHead {
        let statusOffset = consumed
        let statusLine = try readLine(limit: headBudget(from: headStart), what: "the status line")
        guard var head = ResponseHead(statusLine: statusLine) else {
            throw HTTPClientError(.malformedResponse,
                "\(peer) sent \(quoted(statusLine)) at byte offset \(statusOffset) where a status line 'HTTP/1.x NNN reason' belongs; is it an HTTP/1.1 server?")
        }
        while true {
            let lineOffset = consumed
            let line = try readLine(limit: headBudget(from: headStart), what: "the response headers")
            if line.isEmpty { return head }
            guard let header = ResponseHead.parseHeader(line) else {
                throw HTTPClientError(.malformedResponse,
                    "\(peer) sent \(quoted(line)) at byte offset \(lineOffset) where a header 'name: value' belongs")
            }
            head.headers.append(header)
        }
    }

    private func headBudget(from headStart: Int) -> Int {
        max(Self.maxHeadBytes - (consumed - headStart), 1)
    }
}

/// Up to 80 bytes of `line` in quotes, with bytes outside printable ASCII as `\xNN`.
func quoted(_ line: [UInt8]) -> String {
    var text = "'"
    for byte in line.prefix(80) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
            text.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let hex = String(byte, radix: 16, uppercase: true)
            text += byte < 0x10 ? "\\x0\(hex)" : "\\x\(hex)"
        }
    }
    return text + (line.count > 80 ? "...'" : "'")
}
