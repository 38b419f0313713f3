#if canImport(Glibc)
import Glibc
#endif

/// A spool operation that failed: what, on which path, the system's reason and what to do.
public struct SpoolError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The spool directory cannot be created or listed.
        case directory
        /// Another process holds the spool's lock file.
        case locked
        /// A segment cannot be opened, written, synced, truncated or read.
        case io
        /// One batch is larger than the whole spool may be.
        case tooLarge
        /// The spool was closed (the agent is stopping).
        case closed
    }

    public var kind: Kind
    public var path: String
    public var message: String
    public var hint: String

    public init(_ kind: Kind, path: String, _ message: String, hint: String) {
        self.kind = kind
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// An error for the failed system call `operation` on `path`, with errno's text.
    static func system(_ kind: Kind, _ operation: String, path: String, errno code: Int32, hint: String) -> SpoolError {
        SpoolError(kind, path: path, "cannot \(operation) \(path): \(String(cString: strerror(code)))", hint: hint)
    }

    public var description: String { "\(message); \(hint)" }
}
