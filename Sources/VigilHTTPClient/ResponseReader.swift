/// Buffered reading of one response from a connection. Counts consumed bytes so errors can
/// give byte offsets, and records whether any byte arrived at all, which decides whether a
/// failed request may be retried on a fresh connection.
///
/// Memory is bounded by the callers' limits: lines by `readLine(limit:)`, bodies by the limit
/// each body reader checks before appending; the buffer grows past its initial 16 KiB only
/// to hold one over-long line, and never past that line's limit.
struct ResponseReader {
    let connection: Connection
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// Bytes of the response consumed so far: the offset of the next byte.
    private(set) var consumed = 0
    private(set) var receivedAny = false

    init(connection: Connection) {
        self.connection = connection
        buffer = [UInt8](repeating: 0, count: 16 << 10)
    }

    var peer: String { connection.peer }

    /// Whether bytes beyond what was consumed have arrived: after a complete response, the
    /// server sent something nobody asked for and the connection must not be reused.
    var hasUnconsumedBytes: Bool { start < end }

    /// Reads one line ending in LF and returns it without the LF and a CR before it.
    /// Throws `.responseTooLarge` when `limit` bytes arrive without an LF.
    mutating func readLine(limit: Int, what: String) throws(HTTPClientError) -> [UInt8] {
        var scanned = 0
        while true {
            if let newline = buffer[(start + scanned)..<end].firstIndex(of: UInt8(ascii: "\n")) {
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = Array(buffer[start..<lineEnd])
                consume(newline + 1 - start)
                return line
            }
            scanned = end - start
            if scanned >= limit {
                throw HTTPClientError(.responseTooLarge,
                    "\(what) from \(peer) at byte offset \(consumed) has no line end within \(limit) bytes; the server's response is not HTTP or is too large")
            }
            guard try fill(awaiting: what) else { throw endOfStream(during: what) }
        }
    }

    /// Reads one byte.
    mutating func readByte(what: String) throws(HTTPClientError) -> UInt8 {
        if start == end {
            guard try fill(awaiting: what) else { throw endOfStream(during: what) }
        }
        let byte = buffer[start]
        consume(1)
        return byte
    }

    /// Appends exactly `count` bytes to `body`; the caller has checked `count` against its limit.
    mutating func read(exactly count: Int, into body: inout [UInt8], what: String) throws(HTTPClientError) {
        var remaining = count
        while remaining > 0 {
            if start == end {
                guard try fill(awaiting: what) else { throw endOfStream(during: what) }
            }
            let taken = min(remaining, end - start)
            body.append(contentsOf: buffer[start..<(start + taken)])
            consume(taken)
            remaining -= taken
        }
    }

    /// Appends everything until the server closes the connection, throwing
    /// `.responseTooLarge` as soon as `body` would exceed `limit` bytes.
    mutating func readToEnd(into body: inout [UInt8], limit: Int, what: String) throws(HTTPClientError) {
        while true {
            if start < end {
                let available = end - start
                guard available <= limit - body.count else {
                    throw HTTPClientError(.responseTooLarge,
                        "\(what) from \(peer) exceeds the limit of \(limit) bytes (maxResponseBytes); raise the limit or request less")
                }
                body.append(contentsOf: buffer[start..<end])
                consume(available)
            }
            guard try fill(awaiting: what) else { return }
        }
    }

    private mutating func consume(_ count: Int) {
        start += count
        consumed += count
    }

    /// Receives more bytes after `end`, first reclaiming consumed space or, when one line
    /// fills the whole buffer, doubling it. Returns false when the server has closed.
    private mutating func fill(awaiting what: String) throws(HTTPClientError) -> Bool {
        if start == end {
            start = 0
            end = 0
        } else if end == buffer.count {
            if start > 0 {
                let kept = end - start
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: kept)
                }
                start = 0
                end = kept
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        let filled = end
        let connection = connection
        let outcome = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(HTTPClientError) in
                try connection.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), awaiting: what)
            }
        }
        let received = try outcome.get()
        guard received > 0 else { return false }
        end += received
        receivedAny = true
        return true
    }

    private func endOfStream(during what: String) -> HTTPClientError {
        if !receivedAny {
            // A TLS listener drops a plain request without a word; say so, it is a common slip.
            let hint = connection.tls == nil ? "; if it serves HTTPS, use an https:// URL" : ""
            return HTTPClientError(.receive, "\(peer) closed the connection without sending a response\(hint)")
        }
        return HTTPClientError(.receive,
            "\(peer) closed the connection at byte offset \(consumed + (end - start)) of the response, while the client read \(what)")
    }
}
