/// Bounds a decoder enforces before it trusts a batch; each violation is a `WireError` whose
/// `isTooLarge` is true (HTTP 413). The defaults fit a large host's full node_exporter set
/// many times over; a collector may lower them for untrusted agents.
public struct WireLimits: Sendable, Equatable {
    /// Largest accepted request body (the zlib stream).
    public var maxCompressedBytes: Int = 8 << 20
    /// Largest accepted inflated payload; inflating stops as soon as output would exceed it.
    public var maxInflatedBytes: Int = 64 << 20
    /// Most series in one batch.
    public var maxSeries: Int = 200_000
    /// Most samples in one batch, over all series.
    public var maxSamples: Int = 2_000_000
    /// Most labels on one series, `__name__` included.
    public var maxLabelsPerSeries: Int = 64
    /// Longest label name, in UTF-8 bytes.
    public var maxLabelNameBytes: Int = 256
    /// Longest label value, in UTF-8 bytes.
    public var maxLabelValueBytes: Int = 4096
    /// Longest agent id and agent version, in UTF-8 bytes.
    public var maxIDBytes: Int = 256

    public init() {}

    /// The defaults above.
    public static let standard = WireLimits()
}
