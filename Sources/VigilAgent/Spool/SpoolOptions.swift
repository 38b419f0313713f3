/// When the spool forces appended records to the disk with fdatasync.
///
/// Whatever the policy, segments are synced before they are closed and when the spool is
/// closed (SIGTERM), so only a machine crash or power loss can lose unsynced records. A
/// SIGKILLed agent loses nothing: written records are in the page cache.
public enum SpoolSyncPolicy: Equatable, Sendable {
    /// After every appended tick, before `append` returns.
    case always
    /// At most this many milliseconds after a record was appended (checked on each append and
    /// by the shipper thread at least every 200 ms).
    case interval(milliseconds: Int64)
    /// Only on segment rotation and close; the kernel writes back on its own schedule.
    case never
}

/// Limits and durability of a spool.
public struct SpoolOptions: Equatable, Sendable {
    /// Cap on the bytes of all segment files. Before an append would pass it, whole segments
    /// are dropped oldest first and their unacknowledged batches counted as dropped.
    public var maxBytes: Int
    /// A new segment is started when a record would make the current one larger than this
    /// (at most 1 GiB).
    public var segmentBytes: Int
    public var sync: SpoolSyncPolicy

    /// `segmentBytes` defaults to a sixteenth of `maxBytes` within 16 KiB...8 MiB, so the
    /// cap drops at most about 6% of the spool at once.
    public init(maxBytes: Int = 256 << 20, segmentBytes: Int? = nil, sync: SpoolSyncPolicy = .always) {
        self.maxBytes = max(maxBytes, 4 * SpoolOptions.minimumSegmentBytes)
        let chosen = segmentBytes ?? min(8 << 20, max(SpoolOptions.minimumSegmentBytes, self.maxBytes / 16))
        self.segmentBytes = min(chosen, SpoolOptions.maximumSegmentBytes)
        self.sync = sync
    }

    static let minimumSegmentBytes = 16 << 10
    /// Records start below this offset, which the index keeps in 31 bits.
    static let maximumSegmentBytes = 1 << 30
}
