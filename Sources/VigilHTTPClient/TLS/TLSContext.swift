import COpenSSL
import Glibc

/// An OpenSSL client context (`SSL_CTX`) built from `TLSOptions`: TLS 1.2 or newer, the server's
/// certificate verified against the CA file or the system store, and the client certificate
/// for mutual TLS when one is given. Frees the context when released.
///
/// Not shared between threads by this module: each `HTTPClient` builds one per connection.
final class TLSContext {
    let pointer: OpaquePointer
    /// How messages name the trusted CAs: `ca_file /etc/vigil/ca.crt` or `the system store`.
    let trustDescription: String

    /// Bundles of the major distributions, tried when OpenSSL's compiled-in default file is
    /// missing: a static binary built on Debian keeps Debian's paths wherever it runs.
    static let systemBundles = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem",
    ]

    /// Loads and checks every file of `options` (see `TLSOptions.check`); `now` is Unix seconds.
    /// - Throws: `TLSFileError` naming the first unusable file.
    init(_ options: TLSOptions, now: Int64) throws(TLSFileError) {
        if (options.certFile == nil) != (options.keyFile == nil) {
            let (role, path) = options.certFile.map { (TLSFileError.Role.certFile, $0) } ?? (.keyFile, options.keyFile ?? "")
            throw TLSFileError(role, path: path,
                "a client certificate needs both a certificate file and a key file; only the \(role.rawValue) \(path) is given")
        }
        if let caFile = options.caFile { try CertificateFiles.checkAuthorities(caFile) }
        if let certFile = options.certFile, let keyFile = options.keyFile {
            _ = try CertificateFiles.checkPair(certFile: certFile, keyFile: keyFile, now: now)
        }

        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            preconditionFailure("bug: SSL_CTX_new failed (out of memory?): \(OpenSSLErrors.drain())")
        }
        pointer = context
        trustDescription = options.caFile.map { "CA file \($0)" } ?? "the system store"
        _ = vigil_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        // Never prompt on the terminal for a passphrase.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }

        if let caFile = options.caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw TLSFileError(.caFile, path: caFile, "OpenSSL cannot load CA file \(caFile): \(OpenSSLErrors.drain())")
            }
        } else {
            loadSystemStore()
        }
        if let certFile = options.certFile, let keyFile = options.keyFile {
            guard SSL_CTX_use_certificate_chain_file(context, certFile) == 1 else {
                throw TLSFileError(.certFile, path: certFile, "OpenSSL cannot load certificate file \(certFile): \(OpenSSLErrors.drain())")
            }
            guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1,
                  SSL_CTX_check_private_key(context) == 1 else {
                throw TLSFileError(.keyFile, path: keyFile, "OpenSSL cannot use key file \(keyFile): \(OpenSSLErrors.drain())")
            }
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// OpenSSL's default paths (which honour SSL_CERT_FILE and SSL_CERT_DIR), plus the first
    /// distribution bundle that exists when the compiled-in default file does not.
    private func loadSystemStore() {
        SSL_CTX_set_default_verify_paths(pointer)
        ERR_clear_error()
        let defaultFile = String(cString: X509_get_default_cert_file())
        guard getenv("SSL_CERT_FILE") == nil, access(defaultFile, R_OK) != 0 else { return }
        if let bundle = Self.systemBundles.first(where: { access($0, R_OK) == 0 }) {
            SSL_CTX_load_verify_locations(pointer, bundle, nil)
            ERR_clear_error()
        }
    }
}
