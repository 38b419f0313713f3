import COpenSSL
import Glibc

/// Checks of PEM certificate and key files with the system OpenSSL. The client uses them for
/// its mutual-TLS certificate and the collector for its listener's, so both programs report
/// the same problems in the same words, naming the file.
public enum CertificateFiles {
    /// What a certificate that passed looks like, for log lines.
    public struct Summary: Equatable, Sendable {
        /// The subject in OpenSSL's one-line form: `/CN=collector.example`.
        public var subject: String
        /// The end of the validity period, Unix seconds.
        public var notAfter: Int64
        /// `notAfter` as `2027-01-31 12:00:00 UTC`.
        public var notAfterText: String
    }

    /// Checks that `certFile` starts with a PEM certificate, `keyFile` holds an unencrypted PEM
    /// private key, the key belongs to the certificate, and the certificate is valid at `now`
    /// (Unix seconds). Intermediates after the first certificate are not checked here.
    /// - Throws: `TLSFileError` naming the file at fault.
    public static func checkPair(certFile: String, keyFile: String, now: Int64) throws(TLSFileError) -> Summary {
        let certificate = try firstCertificate(certFile, role: .certFile)
        defer { X509_free(certificate) }
        let key = try privateKey(keyFile)
        defer { EVP_PKEY_free(key) }
        ERR_clear_error()
        guard X509_check_private_key(certificate, key) == 1 else {
            ERR_clear_error()
            throw TLSFileError(.keyFile, path: keyFile,
                "the private key in \(keyFile) does not match the certificate in \(certFile); use the key the certificate was issued for")
        }
        return try validity(of: certificate, file: certFile, role: .certFile, now: now)
    }

    /// Checks that `caFile` holds at least one PEM certificate and returns how many it holds.
    /// CA certificates out of their validity period are left to verification, which names them.
    /// - Throws: `TLSFileError` when the file cannot be read or holds no certificate.
    @discardableResult
    public static func checkAuthorities(_ caFile: String) throws(TLSFileError) -> Int {
        let bytes = try read(caFile, role: .caFile)
        var count = 0
        withMemoryBIO(bytes) { bio in
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                X509_free(certificate)
                count += 1
            }
        }
        ERR_clear_error()
        guard count > 0 else {
            throw TLSFileError(.caFile, path: caFile,
                "CA file \(caFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA certificate that signed the peer's certificate")
        }
        return count
    }

    static func firstCertificate(_ path: String, role: TLSFileError.Role) throws(TLSFileError) -> OpaquePointer {
        let bytes = try read(path, role: role)
        ERR_clear_error()
        guard let certificate = withMemoryBIO(bytes, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            let detail = OpenSSLErrors.drain()
            throw TLSFileError(role, path: path,
                "\(role.rawValue) \(path) does not start with a PEM certificate (-----BEGIN CERTIFICATE-----)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        return certificate
    }

    private static func privateKey(_ path: String) throws(TLSFileError) -> OpaquePointer {
        let bytes = try read(path, role: .keyFile)
        ERR_clear_error()
        // The callback refuses to supply a passphrase: OpenSSL's default would prompt on the terminal.
        guard let key = withMemoryBIO(bytes, { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in 0 }, nil) }) else {
            let detail = OpenSSLErrors.drain()
            throw TLSFileError(.keyFile, path: path,
                "key file \(path) holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)\(detail.isEmpty ? "" : ": \(detail)"); decrypt it with `openssl pkey -in KEY -out KEY.plain`")
        }
        return key
    }

    static func validity(
        of certificate: OpaquePointer, file: String, role: TLSFileError.Role, now: Int64
    ) throws(TLSFileError) -> Summary {
        var moment = time_t(now)
        let notBefore = X509_get0_notBefore(certificate)
        let notAfter = X509_get0_notAfter(certificate)
        let afterText = text(of: notAfter)
        if X509_cmp_time(notAfter, &moment) < 0 {
            throw TLSFileError(role, path: file,
                "the certificate in \(file) expired on \(afterText); renew it (or check this host's clock)")
        }
        if X509_cmp_time(notBefore, &moment) > 0 {
            throw TLSFileError(role, path: file,
                "the certificate in \(file) is not valid before \(text(of: notBefore)); check this host's clock")
        }
        var seconds: Int64 = now
        var tm = Glibc.tm()
        if let notAfter, ASN1_TIME_to_tm(notAfter, &tm) == 1 { seconds = Int64(timegm(&tm)) }
        return Summary(subject: subject(of: certificate), notAfter: seconds, notAfterText: afterText)
    }

    /// An ASN.1 time as `2027-01-31 12:00:00 UTC`.
    static func text(of time: UnsafePointer<ASN1_TIME>?) -> String {
        var tm = Glibc.tm()
        guard let time, ASN1_TIME_to_tm(time, &tm) == 1 else { return "an unreadable date" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday)) \(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) UTC"
    }

    private static func subject(of certificate: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard X509_NAME_oneline(X509_get_subject_name(certificate), &buffer, Int32(buffer.count)) != nil else { return "" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The whole file; a certificate file is small, so no limit beyond 1 MiB is needed.
    static func read(_ path: String, role: TLSFileError.Role) throws(TLSFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TLSFileError(role, path: path, "cannot read \(role.rawValue) \(path): \(describeErrno(errno))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TLSFileError(role, path: path, "cannot read \(role.rawValue) \(path): \(describeErrno(errno))")
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            guard bytes.count <= 1 << 20 else {
                throw TLSFileError(role, path: path, "\(role.rawValue) \(path) is over 1 MiB; it is not a PEM certificate or key file")
            }
        }
    }

    private static func withMemoryBIO<Result>(_ bytes: [UInt8], _ body: (OpaquePointer) -> Result) -> Result {
        bytes.withUnsafeBytes { raw in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))!
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
