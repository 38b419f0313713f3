import Glibc

/// Why a reader could not produce its series this tick.
public enum HostReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `open(2)` failed for `path`; `errno` says why (ENOENT: the kernel or the configured
    /// procfs/sysfs root does not provide the file).
    case openFailed(path: String, errno: Int32)
    /// `read(2)` failed part-way through `path`.
    case readFailed(path: String, errno: Int32)
    /// `path` was read but its contents do not have the layout node_exporter 1.5 expects.
    case malformed(path: String, HostParseError)

    public var description: String {
        switch self {
        case .openFailed(let path, let code):
            let hint = code == ENOENT
                ? "check that the procfs/sysfs/rootfs options point at mounted proc and sys filesystems, or disable this collector"
                : code == EACCES || code == EPERM
                ? "run the agent as a user that may read it, or disable this collector"
                : "check the file and the agent's permissions"
            return "cannot open \(path): \(HostReadError.errnoText(code)); \(hint)"
        case .readFailed(let path, let code):
            return "cannot read \(path): \(HostReadError.errnoText(code)); the file may have vanished while being read, the next tick retries"
        case .malformed(let path, let parse):
            return "\(path): \(parse); this kernel's format differs from what node_exporter 1.5 reads, please report it with the file's contents"
        }
    }

    private static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}

/// Where and why a /proc or /sys file did not parse: a 1-based line, the byte offset from the
/// start of the file, the field being read, and what was wrong with it.
public struct HostParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let byteOffset: Int
    public let field: String
    public let reason: String

    public init(line: Int, byteOffset: Int, field: String, reason: String) {
        self.line = line
        self.byteOffset = byteOffset
        self.field = field
        self.reason = reason
    }

    public var description: String {
        "line \(line), byte offset \(byteOffset), field \(field): \(reason)"
    }
}
