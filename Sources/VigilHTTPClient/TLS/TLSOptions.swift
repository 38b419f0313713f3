/// The files an `HTTPClient` uses for `https` URLs: whom to trust and, for mutual TLS, who it is.
///
/// Paths are used as given (callers resolve relative ones). The files are read each time a
/// connection is opened, so renewed certificates take effect at the next connection.
public struct TLSOptions: Equatable, Sendable {
    /// PEM file of the CA certificates that may sign the server's certificate; nil trusts the
    /// system store (OpenSSL's default paths, `SSL_CERT_FILE`, the distributions' bundles).
    public var caFile: String?
    /// PEM file of the client certificate, then any intermediates, for mutual TLS. Set together
    /// with `keyFile` or not at all.
    public var certFile: String?
    /// PEM file of the private key of `certFile`, unencrypted.
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    /// Opens every file and checks what can be checked without a server: the CA file holds a
    /// certificate, the client certificate and key are both given, parse, belong together and
    /// are valid at `now` (Unix seconds). Costs one OpenSSL context; initialises OpenSSL.
    /// - Throws: `TLSFileError` for the first file that is not usable.
    public func check(now: Int64) throws(TLSFileError) {
        _ = try TLSContext(self, now: now)
    }
}

/// A TLS file that cannot be used, and why: unreadable, not PEM, a key that does not match its
/// certificate, a certificate outside its validity period.
public struct TLSFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which of the files is at fault; configuration readers map it to their key.
    public enum Role: String, Sendable {
        case caFile = "CA file"
        case certFile = "certificate file"
        case keyFile = "key file"
    }

    public var role: Role
    /// The path concerned, as given.
    public var path: String
    /// What is wrong and what to do, naming the file.
    public var message: String

    public init(_ role: Role, path: String, _ message: String) {
        self.role = role
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
