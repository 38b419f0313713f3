#if canImport(Glibc)
import Glibc
#endif

/// How a `Storage` is laid out, how strictly it persists, when it cuts, compacts and drops
/// blocks, and what it refuses.
public struct StorageOptions: Sendable {
    /// Head shards; series go to `Labels.stableHash % shards`. At least 1.
    public var shards: Int
    /// A WAL segment is closed and a new one started once a write would take it past this size.
    public var walSegmentBytes: Int
    /// Whether each group commit, block and checkpoint is fsynced. `false` loses acknowledged
    /// appends on a crash: only for benchmarks and tests.
    public var fsync: Bool
    /// The most series the head may hold; nil for no limit.
    public var maxSeries: Int?
    /// Width of the aligned time ranges the head is cut into blocks by (ms, default 2 h).
    /// A range is cut once the newest sample is half a range past its end.
    public var blockRange: Int64
    /// Blocks whose newest sample is older than this (ms) before the newest sample in the
    /// store are deleted; nil keeps them.
    public var retention: Int64?
    /// Oldest blocks are deleted while all blocks together take more bytes than this; nil for no limit.
    public var retentionBytes: Int?
    /// Whether a background thread cuts due blocks, compacts and applies retention. `false`
    /// leaves all of it to `flush()` and `compact()`.
    public var backgroundMaintenance: Bool
    /// Longest label name in bytes (UTF-8) a stored series may have; nil for no limit.
    public var maxLabelNameBytes: Int?
    /// Longest label value in bytes (UTF-8) a stored series may have; nil for no limit.
    public var maxLabelValueBytes: Int?
    /// Most labels (the metric name included) a stored series may have; nil for no limit.
    public var maxLabelsPerSeries: Int?
    /// A head chunk file is sealed and a new one started before a chunk would take it past
    /// this size (bytes; clamped to 1 KiB...2 GiB). Each file is mapped whole, so this is also
    /// the address space, not memory, one file takes.
    public var headChunkSegmentBytes: Int

    public init(
        shards: Int = StorageOptions.activeProcessorCount,
        walSegmentBytes: Int = 128 << 20,
        fsync: Bool = true,
        maxSeries: Int? = nil,
        blockRange: Int64 = 2 * 3_600_000,
        retention: Int64? = nil,
        retentionBytes: Int? = nil,
        backgroundMaintenance: Bool = true,
        maxLabelNameBytes: Int? = 1_024,
        maxLabelValueBytes: Int? = 4_096,
        maxLabelsPerSeries: Int? = 64,
        headChunkSegmentBytes: Int = 128 << 20
    ) {
        self.shards = max(1, shards)
        self.walSegmentBytes = walSegmentBytes
        self.fsync = fsync
        self.maxSeries = maxSeries
        self.blockRange = max(1, blockRange)
        self.retention = retention
        self.retentionBytes = retentionBytes
        self.backgroundMaintenance = backgroundMaintenance
        self.maxLabelNameBytes = maxLabelNameBytes
        self.maxLabelValueBytes = maxLabelValueBytes
        self.maxLabelsPerSeries = maxLabelsPerSeries
        self.headChunkSegmentBytes = headChunkSegmentBytes
    }

    /// Processors online, at least 1.
    public static var activeProcessorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Compaction levels: the block range times 1, 3, 9 and 27 (2 h, 6 h, 18 h, 54 h by default).
    var compactionRanges: [Int64] {
        var ranges = [blockRange]
        for _ in 0..<3 {
            let next = ranges.last!.multipliedReportingOverflow(by: 3)
            if next.overflow { break }
            ranges.append(next.partialValue)
        }
        return ranges
    }
}
