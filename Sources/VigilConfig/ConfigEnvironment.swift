#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a config reader looks up environment variables that a config file names
/// (`ingest_token_envs = ["VIGIL_INGEST_TOKEN"]`).
///
/// `process` reads the running process's environment at the moment of the lookup; tests pass
/// a fixed dictionary so binding stays a pure function of its inputs.
public struct ConfigEnvironment: Sendable {
    private let lookup: @Sendable (String) -> String?

    /// An environment that answers from `variables` only.
    public init(_ variables: [String: String]) {
        lookup = { variables[$0] }
    }

    /// The process's own environment.
    public static let process = ConfigEnvironment(lookup: { name in
        getenv(name).map { String(cString: $0) }
    })

    private init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// The value of the variable `name`, or nil when it is not set.
    public func value(of name: String) -> String? {
        lookup(name)
    }
}
