#if canImport(Glibc)
import Glibc
#endif

/// A log counter rule that cannot be used, or a state file that cannot be written.
public struct LogCounterError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A rule's metric name, pattern, labels or file is invalid.
        case rule
        /// The offsets state file cannot be written.
        case state
    }

    public var kind: Kind
    /// For `.rule`: the config key at fault (`metric`, `pattern`, `labels` or `file`); else empty.
    public var key: String
    public var message: String
    public var hint: String

    public init(_ kind: Kind, key: String = "", _ message: String, hint: String) {
        self.kind = kind
        self.key = key
        self.message = message
        self.hint = hint
    }

    static func system(_ operation: String, path: String, errno code: Int32) -> LogCounterError {
        LogCounterError(
            .state, "cannot \(operation) \(path): \(String(cString: strerror(code)))",
            hint: "make the agent's state directory writable by the agent")
    }

    public var description: String { "\(message); \(hint)" }
}
