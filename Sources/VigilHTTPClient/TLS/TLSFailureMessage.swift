import COpenSSL

/// Turns a failed TLS call into an `HTTPClientError` of kind `.tls` whose message gives
/// OpenSSL's own words (`certificate verify failed: certificate has expired`) and what to do.
enum TLSFailureMessage {
    /// - Parameters:
    ///   - failure: what OpenSSL reported.
    ///   - during: what was under way: `the TLS handshake`, `reading the response`.
    ///   - peer: how the server is named (`host:port`); `host`: the name verified.
    ///   - trust: where trusted CAs came from (`CA file /etc/vigil/ca.crt`).
    static func error(
        _ failure: TLSSession.Failure, during: String, peer: String, host: String, trust: String
    ) -> HTTPClientError {
        if failure.verifyResult != Int(X509_V_OK) {
            let reason = String(cString: X509_verify_cert_error_string(failure.verifyResult))
            return HTTPClientError(.tls,
                "\(during) with \(peer) failed: certificate verify failed: \(reason) (X509 error \(failure.verifyResult)); "
                + verifyHint(failure.verifyResult, host: host, trust: trust))
        }
        let detail = failure.text.isEmpty ? "the TLS session failed" : failure.text
        return HTTPClientError(.tls, "\(during) with \(peer) failed: \(detail)\(reasonHint(failure.reason))")
    }

    private static func verifyHint(_ code: Int, host: String, trust: String) -> String {
        switch Int32(code) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "the server's certificate has expired: renew it on the server (or check the clocks)"
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "the server's certificate is not valid yet: check the clocks of both hosts"
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
             X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return "the server's certificate is not signed by a CA in \(trust); give the CA that signed it as the CA file"
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return "the server's certificate is not issued for '\(host)'; connect by a name or address in its subjectAltName, or reissue it"
        default:
            return "check the server's certificate chain against \(trust)"
        }
    }

    /// A hint for the reasons a user can act on: alerts the server sent about the client's
    /// certificate, and a plain-HTTP server behind an https URL.
    private static func reasonHint(_ reason: Int32) -> String {
        let alertBase = Int32(SSL_AD_REASON_OFFSET)
        switch reason {
        case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
            return "; the server requires a client certificate: give a certificate file and a key file"
        case alertBase + Int32(SSL_AD_BAD_CERTIFICATE), alertBase + Int32(SSL_AD_UNKNOWN_CA),
             alertBase + Int32(SSL_AD_CERTIFICATE_UNKNOWN), alertBase + Int32(SSL_AD_UNSUPPORTED_CERTIFICATE):
            return "; the server refused the client certificate: it must be signed by a CA the server trusts"
        case alertBase + Int32(SSL_AD_CERTIFICATE_EXPIRED):
            return "; the server says the client certificate has expired: renew it"
        case SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG, SSL_R_HTTP_REQUEST:
            return "; the server does not speak TLS on this port: use an http:// URL or the TLS port"
        default:
            return ""
        }
    }
}
