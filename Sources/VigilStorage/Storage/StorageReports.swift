/// What opening the store found in the WAL.
public struct ReplayReport: Sendable {
    /// WAL records applied.
    public var records: Int
    /// Series in the head after replay.
    public var series: Int
    /// Samples restored into the head.
    public var samples: Int
    /// Set when a torn or corrupt tail was cut off: which segment, at which byte offset, why.
    public var tornTail: String?
    /// Wall-clock time the replay took.
    public var seconds: Double
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
    public var series: Int
    public var samples: Int
    /// Cut chunks plus the open chunk of every series.
    public var chunks: Int
    /// Bytes in WAL segment files.
    public var walBytes: Int
    /// An estimate of the head's heap memory: series, labels, chunks, index.
    public var headBytes: Int
}
