/// Why a storage call failed. `message` says what was wrong, where (file, byte offset,
/// series index) and what to do about it.
public struct StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// A file system call failed; the message names the call, the path and errno's text.
        case io
        /// The WAL holds bytes that replay cannot accept anywhere but in a tail it may cut.
        case corruptWAL
        /// The store is already open in this or another process.
        case locked
        /// A batch would create more series than `StorageOptions.maxSeries` allows.
        case seriesLimit
        /// A batch holds a series that cannot be stored (for example one without labels).
        case invalidSeries
        /// Matchers that would select every series, or none at all.
        case invalidMatchers
        /// `close()` was called.
        case closed
        /// An earlier WAL write or fsync failed; nothing more is accepted until reopened.
        case walFailed
        /// A block directory holds bytes its reader cannot accept (bad magic, version, CRC or
        /// structure); the message names the block, the file and the byte offset.
        case corruptBlock
        /// A series has a label name or value longer than `StorageOptions` allows, or too many labels.
        case labelLimit
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "storage: \(message)" }
}
