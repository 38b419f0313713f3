import Hummingbird
import Logging
import Synchronization

/// What a request may do, by the scope of the bearer token it carries.
public enum AccessScope: String, Sendable {
    case ingest, read, admin
}

/// Decides whether a request's bearer token grants a scope.
///
/// Rules: a revoked agent token is refused in every scope, whatever list it also appears in.
/// An admin token grants every scope. A scope with no tokens configured (and no admin tokens)
/// is open; the collector's configuration refuses to listen on a non-loopback address while
/// no tokens are configured at all, so an open scope is reachable only from the host itself.
///
/// The rules can be replaced while requests run (`replace(with:)`, on SIGHUP); a request is
/// checked against one consistent set. Tokens are never logged; a revoked one is logged by
/// its agent's name.
public final class AccessPolicy: Sendable {
    /// The token sets one check uses.
    struct Rules: Sendable {
        var ingest: TokenSet
        var read: TokenSet
        var admin: TokenSet
        /// Revoked agent tokens, with the agents' names in the same order.
        var revoked: TokenSet
        var revokedNames: [String]
    }

    private let rules: Mutex<Rules>
    private let logger: Logger

    /// A policy from the `[auth]` section of a configuration.
    public init(auth: CollectorConfig.Auth, logger: Logger) {
        rules = Mutex(Self.rules(auth))
        self.logger = logger
    }

    /// Replaces every token set at once; requests already past `authorize` are not affected.
    public func replace(with auth: CollectorConfig.Auth) {
        let next = Self.rules(auth)
        rules.withLock { $0 = next }
    }

    /// Throws 401 unless the request's `Authorization: Bearer` token grants `scope`.
    public func authorize(_ request: Request, for scope: AccessScope) throws(HTTPError) {
        let current = rules.withLock { $0 }
        let tokens: TokenSet
        switch scope {
        case .ingest: tokens = current.ingest
        case .read: tokens = current.read
        case .admin: tokens = current.admin
        }
        let header = request.headers[.authorization]
        if tokens.isEmpty && current.admin.isEmpty && scope != .admin && header == nil { return }
        guard let header else {
            throw Self.unauthorized("missing bearer token for \(scope.rawValue) access")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else {
            throw Self.unauthorized("Authorization header must be 'Bearer <token>'")
        }
        let presented = header.dropFirst(prefix.count)
        if let index = current.revoked.index(of: presented) {
            logger.warning("refused a revoked agent token", metadata: [
                "agent": "\(current.revokedNames[index])", "scope": "\(scope.rawValue)",
            ])
            throw Self.unauthorized("token was revoked")
        }
        if tokens.isEmpty && current.admin.isEmpty && scope != .admin { return }
        guard tokens.accepts(presented) || current.admin.accepts(presented) else {
            throw Self.unauthorized("token does not grant \(scope.rawValue) access")
        }
    }

    private static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: message)
    }

    private static func rules(_ auth: CollectorConfig.Auth) -> Rules {
        let active = auth.agents.filter { !$0.revoked }
        let revoked = auth.agents.filter(\.revoked)
        return Rules(
            ingest: TokenSet(auth.ingestTokens + active.map(\.token)),
            read: TokenSet(auth.readTokens),
            admin: TokenSet(auth.adminTokens),
            revoked: TokenSet(revoked.map(\.token)),
            revokedNames: revoked.map(\.name))
    }
}
