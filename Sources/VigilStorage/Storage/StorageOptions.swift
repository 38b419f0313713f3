#if canImport(Glibc)
import Glibc
#endif

/// How a `Storage` is laid out and how strictly it persists.
public struct StorageOptions: Sendable {
    /// Head shards; series go to `Labels.stableHash % shards`. At least 1.
    public var shards: Int
    /// A WAL segment is closed and a new one started once a write would take it past this size.
    public var walSegmentBytes: Int
    /// Whether each group commit is fsynced. `false` loses acknowledged appends on a crash:
    /// only for benchmarks and tests.
    public var fsync: Bool
    /// The most series the head may hold; nil for no limit.
    public var maxSeries: Int?

    public init(
        shards: Int = StorageOptions.activeProcessorCount,
        walSegmentBytes: Int = 128 << 20,
        fsync: Bool = true,
        maxSeries: Int? = nil
    ) {
        self.shards = max(1, shards)
        self.walSegmentBytes = walSegmentBytes
        self.fsync = fsync
        self.maxSeries = maxSeries
    }

    /// Processors online, at least 1.
    public static var activeProcessorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
