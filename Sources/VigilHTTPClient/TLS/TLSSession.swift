import COpenSSL
import Glibc

/// One TLS client session over memory BIOs: OpenSSL never touches the socket. The connection
/// feeds it ciphertext that arrived (`feed`) and sends what it produced (`takeOutput`), so
/// every socket wait keeps the connection's timeout and MSG_NOSIGNAL, and no SIGPIPE can
/// come from inside OpenSSL. Frees the session (and both BIOs) when released.
///
/// Not thread-safe: the connection that owns it drives it from one thread.
final class TLSSession {
    /// What one OpenSSL call came to.
    enum Step {
        /// The call completed: the handshake finished, or this many bytes were read or written.
        case done(Int)
        /// OpenSSL needs more ciphertext from the server before the call can complete.
        case needsInput
        /// The server closed the TLS session (close_notify).
        case closed
        /// The call failed; nothing more can be done on this session.
        case failed(Failure)
    }

    /// A failed call: OpenSSL's error text, the reason code of its first error, and the
    /// certificate verification result (`X509_V_OK` when verification did not fail).
    struct Failure {
        var text: String
        var reason: Int32
        var verifyResult: Int
    }

    /// The name or address the server's certificate is verified for.
    let host: String
    private let ssl: OpaquePointer
    /// Ciphertext from the server, read by OpenSSL.
    private let incoming: OpaquePointer
    /// Ciphertext for the server, written by OpenSSL.
    private let outgoing: OpaquePointer
    /// Keeps the context alive as long as the session (OpenSSL counts references too).
    let context: TLSContext

    /// A session that verifies the server's certificate for `host`: a name is sent as SNI and
    /// checked against the certificate's DNS names, an IP address against its IP addresses.
    init(context: TLSContext, host: String) {
        self.context = context
        self.host = host
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer), let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            preconditionFailure("bug: SSL_new or BIO_new failed (out of memory?): \(OpenSSLErrors.drain())")
        }
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        // An empty input BIO means "wait for more", not end of stream.
        _ = vigil_BIO_set_mem_eof_return(incoming, -1)
        _ = vigil_BIO_set_mem_eof_return(outgoing, -1)
        SSL_set_bio(ssl, incoming, outgoing)
        SSL_set_connect_state(ssl)
        if Self.isIPAddress(host) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            _ = vigil_SSL_set_server_name(ssl, host)
            SSL_set1_host(ssl, host)
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Runs or continues the handshake.
    func handshake() -> Step {
        perform { SSL_connect($0) }
    }

    /// Encrypts up to `bytes.count` bytes into the output; `.done` counts the bytes taken.
    func write(_ bytes: UnsafeRawBufferPointer) -> Step {
        perform { SSL_write($0, bytes.baseAddress, Int32(min(bytes.count, Int(Int32.max)))) }
    }

    /// Decrypts up to `buffer.count` bytes of application data into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Step {
        perform { SSL_read($0, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max)))) }
    }

    /// Whether the server has sent application data or closed the session, without consuming
    /// anything: false when only handshake messages (TLS 1.3 session tickets) were pending.
    func hasUnreadDataOrClosed() -> Bool {
        if SSL_pending(ssl) > 0 { return true }
        var byte: UInt8 = 0
        switch perform({ SSL_peek($0, &byte, 1) }) {
        case .needsInput: return false
        case .done, .closed, .failed: return true
        }
    }

    /// Queues a close_notify alert in the output.
    func shutdown() {
        SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Hands ciphertext that arrived from the server to OpenSSL.
    func feed(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let written = BIO_write(incoming, bytes.baseAddress, Int32(bytes.count))
        precondition(written == Int32(bytes.count), "bug: a memory BIO took \(written) of \(bytes.count) bytes")
    }

    /// Takes the ciphertext OpenSSL produced for the server, or nil when there is none.
    func takeOutput() -> [UInt8]? {
        let pending = Int(BIO_ctrl_pending(outgoing))
        guard pending > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = bytes.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32(pending)) }
        precondition(read == Int32(pending), "bug: a memory BIO gave \(read) of its \(pending) pending bytes")
        return bytes
    }

    private func perform(_ call: (OpaquePointer) -> Int32) -> Step {
        ERR_clear_error()
        let result = call(ssl)
        if result > 0 { return .done(Int(result)) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .needsInput
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            let (text, reason) = OpenSSLErrors.drainWithReason()
            return .failed(Failure(text: text, reason: reason, verifyResult: Int(SSL_get_verify_result(ssl))))
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }
}
