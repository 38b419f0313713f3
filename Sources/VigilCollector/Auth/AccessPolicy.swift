import Hummingbird

/// What a request may do, by the scope of the bearer token it carries.
public enum AccessScope: String, Sendable {
    case ingest, read, admin
}

/// Decides whether a request's bearer token grants a scope.
///
/// Rules: an admin token grants every scope. A scope with no tokens configured (and no
/// admin tokens) is open; the collector's configuration refuses to listen on a
/// non-loopback address while no tokens are configured at all, so an open scope is
/// reachable only from the host itself. Tokens are never logged.
public struct AccessPolicy: Sendable {
    public let ingest: TokenSet
    public let read: TokenSet
    public let admin: TokenSet

    public init(ingest: TokenSet, read: TokenSet, admin: TokenSet) {
        self.ingest = ingest
        self.read = read
        self.admin = admin
    }

    /// Throws 401 unless the request's `Authorization: Bearer` token grants `scope`.
    public func authorize(_ request: Request, for scope: AccessScope) throws(HTTPError) {
        let tokens: TokenSet
        switch scope {
        case .ingest: tokens = ingest
        case .read: tokens = read
        case .admin: tokens = admin
        }
        if tokens.isEmpty && admin.isEmpty && scope != .admin { return }
        guard let header = request.headers[.authorization] else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing bearer token for \(scope.rawValue) access")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "Authorization header must be 'Bearer <token>'")
        }
        let presented = header.dropFirst(prefix.count)
        guard tokens.accepts(presented) || admin.accepts(presented) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "token does not grant \(scope.rawValue) access")
        }
    }
}
