/// TLS on a connection: the handshake and application data through a `TLSSession`, with
/// every byte of ciphertext moved by the plain socket methods (and their timeouts).
extension Connection {
    /// Ciphertext is handed to OpenSSL in pieces of this size at most; one TLS record fits.
    static let tlsChunk = 16 << 10

    /// Runs the TLS handshake with `context` for `host` and turns TLS on for every later
    /// `sendAll`, `receive` and `isIdle`.
    /// - Throws: `.tls` when the handshake fails (certificate verification among the causes),
    ///   `.timeout`, `.send` or `.receive` when the socket does.
    func startTLS(context: TLSContext, host: String) throws(HTTPClientError) {
        let session = TLSSession(context: context, host: host)
        var scratch = [UInt8](repeating: 0, count: Self.tlsChunk)
        let outcome = scratch.withUnsafeMutableBytes { raw in
            Result { () throws(HTTPClientError) in
                _ = try drive(session, during: "the TLS handshake", scratch: raw) { session.handshake() }
            }
        }
        try outcome.get()
        tls = session
    }

    func tlsSendAll(_ bytes: [UInt8], over session: TLSSession) throws(HTTPClientError) {
        // Only a renegotiation or key update needs to read while sending; it lands here.
        var scratch = [UInt8](repeating: 0, count: Self.tlsChunk)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.tlsChunk, bytes.count)
            let outcome = bytes.withUnsafeBytes { raw in
                scratch.withUnsafeMutableBytes { scratchRaw in
                    Result { () throws(HTTPClientError) -> Int in
                        try drive(session, during: "sending the request", scratch: scratchRaw) {
                            session.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                        }
                    }
                }
            }
            let taken = try outcome.get()
            guard taken > 0 else {
                throw HTTPClientError(.send, "\(peer) closed the TLS session while the client sent the request")
            }
            offset += taken
        }
    }

    /// Decrypted bytes into `buffer`; `buffer` doubles as the landing place for ciphertext.
    func tlsReceive(
        into buffer: UnsafeMutableRawBufferPointer, awaiting: String, over session: TLSSession
    ) throws(HTTPClientError) -> Int {
        try drive(session, during: "reading \(awaiting)", scratch: buffer) { session.read(into: buffer) }
    }

    /// Idle when the socket holds nothing, or only handshake messages such as TLS 1.3 session
    /// tickets; anything else (data, close_notify, end of stream) makes it unfit for reuse.
    func tlsIsIdle(_ session: TLSSession) -> Bool {
        var scratch = [UInt8](repeating: 0, count: Self.tlsChunk)
        while plainIsReadable {
            let received = scratch.withUnsafeMutableBytes { plainReceiveNow(into: $0) }
            guard let received else { break }
            if received == 0 { return false }
            scratch.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[..<received])) }
        }
        let busy = session.hasUnreadDataOrClosed()
        if let output = session.takeOutput() { plainSendNow(output) }
        return !busy
    }

    /// A close_notify, sent if the socket takes it at once.
    func sendCloseNotify(_ session: TLSSession) {
        session.shutdown()
        if let output = session.takeOutput() { plainSendNow(output) }
    }

    /// Repeats `step` until it completes, sending whatever ciphertext OpenSSL produced after
    /// each try and receiving more (into `scratch`) whenever it needs input. Returns the
    /// step's count, or 0 when the server closed the session or the connection.
    private func drive(
        _ session: TLSSession, during: String, scratch: UnsafeMutableRawBufferPointer, _ step: () -> TLSSession.Step
    ) throws(HTTPClientError) -> Int {
        while true {
            let outcome = step()
            if case .failed(let failure) = outcome {
                // An alert OpenSSL queued still goes out; the failure is what gets reported.
                if let output = session.takeOutput() { plainSendNow(output) }
                throw TLSFailureMessage.error(
                    failure, during: during, peer: peer, host: session.host, trust: session.context.trustDescription)
            }
            if let output = session.takeOutput() { try plainSendAll(output) }
            switch outcome {
            case .done(let count):
                return count
            case .closed:
                return 0
            case .needsInput:
                let received = try plainReceive(into: scratch, awaiting: during)
                if received == 0 {
                    if tls != nil { return 0 }
                    throw HTTPClientError(.tls,
                        "\(peer) closed the connection during the TLS handshake; check that it serves TLS on this port and accepts this client")
                }
                session.feed(UnsafeRawBufferPointer(rebasing: scratch[..<received]))
            case .failed:
                preconditionFailure("bug: a failed TLS step was handled above")
            }
        }
    }
}
