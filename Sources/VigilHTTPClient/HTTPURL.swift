import Glibc

/// The address of an HTTP server and the path prefix every request is sent under,
/// parsed from `http://host[:port][/path]` or `https://host[:port][/path]`.
///
/// `host` is a lowercased name, an IPv4 address or an IPv6 address without brackets;
/// `basePath` is empty or starts with `/` and has no trailing `/`. An `https` URL makes
/// `HTTPClient` speak TLS and verify the server's certificate for `host`.
public struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable {
        case http, https

        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    public var basePath: String

    /// Parses `http(s)://host[:port][/path]`. The port defaults to 80 (443 with https); IPv6
    /// literals are written in brackets (`http://[::1]:9090`). Userinfo, query strings and
    /// fragments are rejected: credentials go into headers and queries into the path given
    /// to `HTTPClient.send`.
    public init(parsing text: String) throws(HTTPClientError) {
        func fail(_ problem: String) -> HTTPClientError {
            HTTPClientError(.invalidURL, "URL '\(text)' \(problem); expected http://host[:port][/path] or https://host[:port][/path]")
        }
        // Parsed as bytes: the stdlib's string searching would pull Unicode and regex tables
        // into the agent's memory for no gain on an ASCII-only grammar.
        let bytes = Array(text.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        let separator = Array("://".utf8)
        guard let schemeEnd = (0..<bytes.count).first(where: { bytes[$0...].starts(with: separator) }) else {
            throw fail("has no scheme; write it as http://\(text)")
        }
        let schemeText = String(decoding: bytes[..<schemeEnd].map(ASCII.lowercase), as: UTF8.self)
        guard let scheme = Scheme(rawValue: schemeText) else { throw fail("has the unsupported scheme '\(schemeText)'") }

        let authorityStart = schemeEnd + separator.count
        if let bad = bytes[authorityStart...].first(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            throw fail("contains '\(Unicode.Scalar(bad))'; pass query strings in the path given to send(method:path:)")
        }
        let authorityEnd = bytes[authorityStart...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        let authority = authorityStart..<authorityEnd
        if bytes[authority].contains(UInt8(ascii: "@")) {
            throw fail("contains credentials; send them in an Authorization header instead")
        }

        let hostRange: Range<Int>
        let portRange: Range<Int>?
        if bytes[authority].first == UInt8(ascii: "[") {
            guard let close = bytes[authority].firstIndex(of: UInt8(ascii: "]")) else {
                throw fail("has an unclosed '[' in its host")
            }
            hostRange = (authority.lowerBound + 1)..<close
            if close + 1 == authorityEnd {
                portRange = nil
            } else if bytes[close + 1] == UInt8(ascii: ":") {
                portRange = (close + 2)..<authorityEnd
            } else {
                throw fail("has '\(string((close + 1)..<authorityEnd))' after the bracketed host; only ':port' may follow")
            }
            guard Self.isIPv6Literal(string(hostRange)) else {
                throw fail("has '[\(string(hostRange))]', which is not an IPv6 address")
            }
        } else {
            let colons = bytes[authority].indices.filter { bytes[$0] == UInt8(ascii: ":") }
            if colons.count > 1 {
                throw fail("has several ':' in its host; write IPv6 addresses in brackets, like http://[::1]:9090")
            }
            if let colon = colons.first {
                hostRange = authority.lowerBound..<colon
                portRange = (colon + 1)..<authorityEnd
            } else {
                hostRange = authority
                portRange = nil
            }
            guard !hostRange.isEmpty else { throw fail("has no host") }
            guard bytes[hostRange].allSatisfy(Self.isHostNameByte) else {
                throw fail("has the host '\(string(hostRange))' with characters other than letters, digits, '-', '.' and '_'")
            }
        }

        var port = scheme.defaultPort
        if let portRange {
            let digits = bytes[portRange]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(ASCII.isDigit),
                  case let number = digits.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }), (1...65535).contains(number)
            else { throw fail("has the port '\(string(portRange))'; a port is a number from 1 to 65535") }
            port = number
        }

        var pathEnd = bytes.count
        guard bytes[authorityEnd..<pathEnd].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw fail("has spaces, control or non-ASCII characters in its path; percent-encode them")
        }
        while pathEnd > authorityEnd, bytes[pathEnd - 1] == UInt8(ascii: "/") { pathEnd -= 1 }

        self.scheme = scheme
        self.host = String(decoding: bytes[hostRange].map(ASCII.lowercase), as: UTF8.self)
        self.port = port
        self.basePath = string(authorityEnd..<pathEnd)
    }

    /// `host:port`, with brackets around an IPv6 address: how error messages name the server.
    public var authority: String { "\(bracketedHost):\(port)" }

    public var description: String { "\(scheme.rawValue)://\(authority)\(basePath)" }

    /// The `Host` header value: the port is left out when it is the scheme's default.
    var hostHeader: String { port == scheme.defaultPort ? bracketedHost : authority }

    var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }

    /// The request target for `path` under `basePath`. `path` is empty, starts with `/`,
    /// or starts with `?` (a query on the base path itself).
    func requestTarget(_ path: String) throws(HTTPClientError) -> String {
        let target: String
        if path.isEmpty || path.hasPrefix("?") {
            target = (basePath.isEmpty ? "/" : basePath) + path
        } else if path.hasPrefix("/") {
            target = basePath + path
        } else {
            throw HTTPClientError(.invalidRequest, "path '\(path)' for \(self) must start with '/' or '?'")
        }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPClientError(.invalidRequest,
                "path '\(path)' for \(self) contains spaces, control or non-ASCII characters; percent-encode it (HTTPQuery.encode for queries)")
        }
        return target
    }

    private static func isHostNameByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }

    private static func isIPv6Literal(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
