extension ResponseReader {
    /// Decodes a chunked body (RFC 9112 §7.1) up to and including the last-chunk line,
    /// ignoring chunk extensions. Throws `.responseTooLarge` before reading a chunk that
    /// would take `body` over `limit` bytes.
    mutating func readChunkedBody(into body: inout [UInt8], limit: Int) throws(HTTPClientError) {
        while true {
            let lineOffset = consumed
            let line = try readLine(limit: 4096, what: "a chunk size line")
            guard let size = Self.parseChunkSize(line) else {
                throw HTTPClientError(.malformedResponse,
                    "\(peer) sent \(quoted(line)) at byte offset \(lineOffset) where a chunk size (hexadecimal) belongs")
            }
            if size == 0 { return }
            guard size <= limit - body.count else {
                throw HTTPClientError(.responseTooLarge,
                    "chunked body from \(peer) exceeds the limit of \(limit) bytes (maxResponseBytes) with a chunk of \(size) bytes at byte offset \(lineOffset); raise the limit or request less")
            }
            try read(exactly: size, into: &body, what: "a chunk of \(size) bytes")
            let endOffset = consumed
            var terminator = try readByte(what: "the line end after a chunk")
            if terminator == UInt8(ascii: "\r") { terminator = try readByte(what: "the line end after a chunk") }
            guard terminator == UInt8(ascii: "\n") else {
                throw HTTPClientError(.malformedResponse,
                    "\(peer) sent a chunk longer than its size \(size): no line end at byte offset \(endOffset)")
            }
        }
    }

    /// Skips trailer fields after the last chunk, up to the empty line.
    mutating func readTrailer() throws(HTTPClientError) {
        let trailerStart = consumed
        while true {
            let budget = max(Self.maxHeadBytes - (consumed - trailerStart), 1)
            if try readLine(limit: budget, what: "the chunked trailer").isEmpty { return }
        }
    }

    /// The size from a chunk size line: hexadecimal digits, then optional whitespace and
    /// `;extensions`. Nil when malformed or over 15 digits (more than any limit allows).
    static func parseChunkSize(_ line: [UInt8]) -> Int? {
        var size = 0
        var digits = 0
        var index = 0
        while index < line.count, let digit = hexValue(line[index]) {
            size = size << 4 | digit
            digits += 1
            index += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        while index < line.count, ASCII.isOptionalWhitespace(line[index]) { index += 1 }
        guard index == line.count || line[index] == UInt8(ascii: ";") else { return nil }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
