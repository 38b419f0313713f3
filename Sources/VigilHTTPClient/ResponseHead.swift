/// The status line and header fields of a response, and what they say about the body and
/// the connection (RFC 9112 §6.3, §9.3). Pure: parses lines already read.
struct ResponseHead {
    var minorVersion: Int
    var status: Int
    var headers: [(name: String, value: String)] = []

    /// How the body that follows the head is delimited.
    enum BodyFraming: Equatable {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    /// Parses `HTTP/1.x NNN reason` (the reason may be absent); nil when `line` is not a
    /// status line.
    init?(statusLine line: [UInt8]) {
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, line.starts(with: prefix), ASCII.isDigit(line[7]), line[8] == UInt8(ascii: " "),
              line[9...11].allSatisfy(ASCII.isDigit), line.count == 12 || line[12] == UInt8(ascii: " ")
        else { return nil }
        minorVersion = Int(line[7] - UInt8(ascii: "0"))
        status = line[9...11].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Parses `name: value` with optional whitespace around the value; nil when `line` is not
    /// a header field (no colon, a name that is not a token, whitespace before the colon, or
    /// an obsolete folded continuation line).
    static func parseHeader(_ line: [UInt8]) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              line[..<colon].allSatisfy(HeaderName.isTokenByte)
        else { return nil }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, ASCII.isOptionalWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, ASCII.isOptionalWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        guard !value.contains(where: { $0 < 0x20 && $0 != UInt8(ascii: "\t") || $0 == 0x7F }) else { return nil }
        return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Every value of the header `name`.
    func values(of name: String) -> [String] {
        headers.compactMap { HeaderName.equal($0.name, name) ? $0.value : nil }
    }

    /// Whether the server lets the connection stay open after this response: HTTP/1.1 unless
    /// it says `Connection: close`, HTTP/1.0 only when it says `Connection: keep-alive`.
    var keepsConnectionOpen: Bool {
        let options = values(of: "Connection")
        if options.contains(where: { HeaderName.list($0, contains: "close") }) { return false }
        return minorVersion >= 1 || options.contains(where: { HeaderName.list($0, contains: "keep-alive") })
    }

    /// How the body is delimited for a response to `requestMethod`. HEAD, 1xx, 204 and 304
    /// responses have none; then `Transfer-Encoding: chunked`, then `Content-Length`, else the
    /// body runs until the server closes. Throws `.malformedResponse` for a transfer coding
    /// other than chunked or an invalid or contradictory `Content-Length`.
    func bodyFraming(requestMethod: String, peer: String) throws(HTTPClientError) -> BodyFraming {
        if requestMethod == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304 {
            return .none
        }
        let codings = values(of: "Transfer-Encoding")
        if !codings.isEmpty {
            let list = codings.joined(separator: ", ")
            let elements = list.split(separator: ",").map { $0.trimmingOptionalWhitespace() }
            guard elements.count == 1, HeaderName.equal(elements[0], "chunked") else {
                throw HTTPClientError(.malformedResponse,
                    "\(peer) answered with 'Transfer-Encoding: \(list)'; this client decodes only 'chunked'")
            }
            return .chunked
        }
        let lengths = values(of: "Content-Length")
        guard !lengths.isEmpty else { return .untilClose }
        let elements = lengths.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false)
        let parsed = elements.map { element -> Int? in
            let digits = element.trimmingOptionalWhitespace()
            guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy(ASCII.isDigit) else { return nil }
            return Int(digits)
        }
        guard let length = parsed[0], parsed.allSatisfy({ $0 == length }) else {
            throw HTTPClientError(.malformedResponse,
                "\(peer) answered with 'Content-Length: \(lengths.joined(separator: ", "))', which is not one non-negative number")
        }
        return .length(length)
    }
}
