import NIOSSL
import VigilConfig
import VigilHTTPClient

/// The listener's TLS: the `[tls]` files checked at start-up (the same checks and words as the
/// agent's client certificate, `CertificateFiles`), then loaded into NIOSSL for Hummingbird.
enum ListenerTLS {
    /// Problems with the files of a complete `[tls]` section, each at the key naming the file:
    /// unreadable or not PEM, a key that does not match the certificate, a certificate out of
    /// its validity period at `now` (Unix seconds), a client CA file without certificates.
    /// Empty when TLS is off or the files are usable.
    static func problems(_ tls: CollectorConfig.TLS, now: Int64) -> [ConfigProblem] {
        guard tls.isEnabled, !tls.keyFile.isEmpty else { return [] }
        var problems: [ConfigProblem] = []
        do {
            _ = try CertificateFiles.checkPair(certFile: tls.certFile, keyFile: tls.keyFile, now: now)
        } catch {
            problems.append(ConfigProblem(["tls", error.role == .keyFile ? "key_file" : "cert_file"], error.message, hint: nil))
        }
        if tls.requiresClientCertificates {
            do {
                try CertificateFiles.checkAuthorities(tls.clientCAFile)
            } catch {
                problems.append(ConfigProblem(["tls", "client_ca_file"], error.message, hint: nil))
            }
        }
        return problems
    }

    /// NIOSSL's server configuration for `tls`: TLS 1.2 or newer, the certificate chain and key,
    /// and with `client_ca_file` client certificates required and verified against it.
    /// - Throws: `CollectorStartError` naming the file when a check fails or NIOSSL refuses it.
    static func configuration(_ tls: CollectorConfig.TLS, now: Int64) throws(CollectorStartError) -> TLSConfiguration {
        if let first = problems(tls, now: now).first {
            throw CollectorStartError(message: "[tls] \(first.message)")
        }
        func load<T>(_ file: String, _ key: String, _ body: () throws -> T) throws(CollectorStartError) -> T {
            do {
                return try body()
            } catch {
                throw CollectorStartError(message: "[tls] \(key) \(file) cannot be used for TLS: \(error)")
            }
        }
        let chain = try load(tls.certFile, "cert_file") { try NIOSSLCertificate.fromPEMFile(tls.certFile) }
        let key = try load(tls.keyFile, "key_file") { try NIOSSLPrivateKey(file: tls.keyFile, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if tls.requiresClientCertificates {
            let authorities = try load(tls.clientCAFile, "client_ca_file") { try NIOSSLCertificate.fromPEMFile(tls.clientCAFile) }
            configuration.trustRoots = .certificates(authorities)
            // Clients are identified by their CA, not by a host name.
            configuration.certificateVerification = .noHostnameVerification
        }
        // Building the context here surfaces what NIOSSL refuses at start-up, not at the first connection.
        _ = try load(tls.certFile, "cert_file") { try NIOSSLContext(configuration: configuration) }
        return configuration
    }
}
