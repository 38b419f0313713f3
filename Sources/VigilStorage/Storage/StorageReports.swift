/// What opening the store found: blocks, and the WAL's checkpoint and segments.
public struct ReplayReport: Sendable {
    /// WAL records applied.
    public var records: Int
    /// Series in the head after replay.
    public var series: Int
    /// Samples restored into the head.
    public var samples: Int
    /// Set when a torn or corrupt tail was cut off: which segment, at which byte offset, why.
    public var tornTail: String?
    /// Wall-clock time opening took (blocks and replay).
    public var seconds: Double
    /// Blocks opened.
    public var blocks: Int
    /// Leftovers of interrupted writes removed from the blocks directory: temporary and
    /// half-deleted block directories, and blocks a finished compaction had replaced.
    public var removedLeftovers: [String]
}

/// One group of series sharing a label value (for example one host).
public struct GroupSummary: Sendable, Equatable {
    public var seriesCount: Int
    /// The newest sample timestamp of any series in the group (ms).
    public var lastTimestamp: Int64

    public init(seriesCount: Int, lastTimestamp: Int64) {
        self.seriesCount = seriesCount
        self.lastTimestamp = lastTimestamp
    }
}

/// Size of the store right now.
public struct StorageStats: Sendable {
    /// Series in the head.
    public var series: Int
    /// Samples in the head.
    public var samples: Int
    /// Head chunks: cut, open and out-of-order ones.
    public var chunks: Int
    /// Bytes in the WAL's segment and checkpoint files.
    public var walBytes: Int
    /// An estimate of the head's heap memory: series, labels, open and out-of-order chunks,
    /// index, and the heap arenas of head chunks whose write failed.
    public var headBytes: Int
    /// Blocks on disk.
    public var blocks: Int
    /// Samples in blocks (a sample in two overlapping blocks, not yet compacted, counts twice).
    public var blockSamples: Int
    /// Series entries in blocks, summed over blocks.
    public var blockSeries: Int
    /// Bytes of all block files: meta, index and chunks.
    public var blockBytes: Int
    /// Why the last background cut, compaction or retention failed; nil after a success.
    public var maintenanceError: String?
    /// Head chunk files (`chunks_head/`) and the bytes written to them, including chunks
    /// already truncated from the head in files not deleted yet.
    public var headChunkFiles = 0
    public var headChunkFileBytes = 0
    /// Chunks that went to the heap since the store opened because writing them to a head
    /// chunk file failed (their heap arenas count in `headBytes` until a block cut frees them).
    public var headChunksOnHeap = 0
    /// The last failed write or delete of a head chunk file; nil once a later chunk was written.
    public var headChunkError: String?

    /// Block bytes per block sample; nil without blocks.
    public var blockBytesPerSample: Double? {
        blockSamples > 0 ? Double(blockBytes) / Double(blockSamples) : nil
    }
}
