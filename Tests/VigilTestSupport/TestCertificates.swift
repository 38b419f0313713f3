import Foundation

/// Certificates for TLS tests, made by the `openssl` command into a directory of their own:
/// a CA, an unrelated second CA, and certificates they sign. EC P-256 keys keep it fast
/// (a few hundred milliseconds in all). Every file is PEM; keys are unencrypted.
public struct TestCertificates: Sendable {
    /// A certificate file and its key file.
    public struct Pair: Sendable {
        public let cert: String
        public let key: String

        public init(cert: String, key: String) {
            self.cert = cert
            self.key = key
        }
    }

    public let directory: String
    /// "Vigil Test CA": signs `server`, `expiredServer`, `wrongNameServer` and `client`.
    public let ca: Pair
    /// "Unrelated Test CA": signs `foreignClient`; trusting it alone fails for `server`.
    public let otherCA: Pair
    /// For localhost, 127.0.0.1 and ::1 (subjectAltName), valid from yesterday for 30 days.
    public let server: Pair
    /// Like `server`, but valid only from 2020-01-01 to 2020-01-02.
    public let expiredServer: Pair
    /// Valid, but for elsewhere.example only: no name or address of this host.
    public let wrongNameServer: Pair
    /// A client certificate (clientAuth) signed by `ca`.
    public let client: Pair
    /// A client certificate signed by `otherCA`.
    public let foreignClient: Pair

    /// The openssl binary, or nil when it is not installed.
    public static func openssl() -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        return directories.map { $0 + "/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Makes every certificate in `directory` (created if missing) with the openssl at `openssl`.
    public init(directory: String, openssl: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let maker = Maker(directory: directory, openssl: openssl)
        try maker.writeConfig()
        ca = try maker.authority("ca", subject: "/CN=Vigil Test CA")
        otherCA = try maker.authority("other-ca", subject: "/CN=Unrelated Test CA")
        let yesterday = Maker.timestamp(Date().addingTimeInterval(-86_400))
        let inAMonth = Maker.timestamp(Date().addingTimeInterval(30 * 86_400))
        server = try maker.issue("server", subject: "/CN=localhost", extensions: "server_ext", by: ca, from: yesterday, to: inAMonth)
        expiredServer = try maker.issue(
            "expired-server", subject: "/CN=localhost", extensions: "server_ext", by: ca, from: "20200101000000Z", to: "20200102000000Z")
        wrongNameServer = try maker.issue(
            "wrong-name-server", subject: "/CN=elsewhere.example", extensions: "elsewhere_ext", by: ca, from: yesterday, to: inAMonth)
        client = try maker.issue("client", subject: "/CN=test-agent", extensions: "client_ext", by: ca, from: yesterday, to: inAMonth)
        foreignClient = try maker.issue(
            "foreign-client", subject: "/CN=foreign-agent", extensions: "client_ext", by: otherCA, from: yesterday, to: inAMonth)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Runs openssl commands; `openssl ca` is used for signing because it takes explicit
    /// validity dates (OpenSSL 3.0's `x509 -req` has only `-days`).
    private struct Maker {
        let directory: String
        let openssl: String

        var config: String { directory + "/openssl.cnf" }

        func writeConfig() throws {
            try """
                [req]
                distinguished_name = dn
                prompt = no
                [dn]
                CN = placeholder
                [ca_ext]
                basicConstraints = critical, CA:TRUE
                keyUsage = critical, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                [server_ext]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = serverAuth
                subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
                [elsewhere_ext]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = serverAuth
                subjectAltName = DNS:elsewhere.example
                [client_ext]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = clientAuth

                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        /// A self-signed CA with its own signing database.
        func authority(_ name: String, subject: String) throws -> Pair {
            let pair = Pair(cert: "\(directory)/\(name).crt", key: "\(directory)/\(name).key")
            try run([
                "req", "-x509", "-config", config, "-extensions", "ca_ext", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pair.key, "-out", pair.cert,
                "-days", "365", "-subj", subject,
            ])
            let database = "\(directory)/\(name)-db"
            try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: database + "/index.txt", contents: Data())
            try "1000\n".write(toFile: database + "/serial", atomically: true, encoding: .utf8)
            return pair
        }

        /// A key and a certificate for `subject`, signed by `issuer`, valid from `from` to `to`
        /// (`YYYYMMDDHHMMSSZ`), with the extensions of section `extensions`.
        func issue(_ name: String, subject: String, extensions: String, by issuer: Pair, from: String, to: String) throws -> Pair {
            let pair = Pair(cert: "\(directory)/\(name).crt", key: "\(directory)/\(name).key")
            let request = "\(directory)/\(name).csr"
            try run([
                "req", "-new", "-config", config, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pair.key, "-out", request, "-subj", subject,
            ])
            let database = issuer.cert.replacingOccurrences(of: ".crt", with: "-db")
            let caConfig = "\(database)/ca.cnf"
            try """
                [ca]
                default_ca = signing
                [signing]
                database = \(database)/index.txt
                new_certs_dir = \(database)
                serial = \(database)/serial
                default_md = sha256
                policy = any
                copy_extensions = none
                unique_subject = no
                [any]
                commonName = supplied

                """.write(toFile: caConfig, atomically: true, encoding: .utf8)
            try run([
                "ca", "-config", caConfig, "-batch", "-notext", "-cert", issuer.cert, "-keyfile", issuer.key,
                "-in", request, "-out", pair.cert, "-startdate", from, "-enddate", to,
                "-extfile", config, "-extensions", extensions,
            ])
            return pair
        }

        static func timestamp(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMddHHmmss'Z'"
            return formatter.string(from: date)
        }

        private func run(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure(description: "openssl \(arguments.joined(separator: " ")) failed with \(process.terminationStatus):\n\(text)")
            }
        }
    }
}
