/// Why a batch body was refused. Every case names the byte offset where the problem was found:
/// an offset into the zlib stream for the `zlib...` cases and `bodyTooLarge`, an offset into the
/// inflated payload for all others. `isTooLarge` separates limit violations (HTTP 413: the
/// batch may be fine but is bigger than this collector accepts) from malformed input (HTTP 400:
/// the sender is broken or the bytes were damaged; retrying the same bytes cannot succeed).
public enum WireError: Error, Sendable, Equatable {
    // MARK: zlib framing

    /// The compressed body is longer than `WireLimits.maxCompressedBytes`.
    case bodyTooLarge(bytes: Int, limit: Int)
    /// Inflating would produce more than the limit; stopped after reading `offset` compressed bytes.
    case inflatedTooLarge(limit: Int, offset: Int)
    /// zlib rejected the stream (bad header, bad block, bad Adler-32 checksum, preset dictionary).
    case zlibCorrupt(reason: String, offset: Int)
    /// The zlib stream ended before its end-of-stream marker and checksum.
    case zlibTruncated(offset: Int)
    /// Bytes follow the end of the zlib stream.
    case zlibTrailingBytes(count: Int, offset: Int)

    // MARK: payload structure

    /// The inflated payload is longer than `WireLimits.maxInflatedBytes`.
    case payloadTooLarge(bytes: Int, limit: Int)
    /// The payload does not start with the batch magic `VGLB`.
    case badMagic(offset: Int)
    /// The format version is not one this decoder reads.
    case unsupportedVersion(UInt8, offset: Int)
    /// Flag bits are set that this version does not define.
    case unsupportedFlags(UInt8, offset: Int)
    /// The payload ends inside `field`, which starts at `offset`.
    case truncated(field: String, offset: Int)
    /// The CRC-32 stored at `offset` does not match the bytes before it.
    case checksumMismatch(stored: UInt32, computed: UInt32, offset: Int)
    /// `count` bytes follow the last series, before the checksum.
    case trailingBytes(count: Int, offset: Int)
    /// A varint in `field` has more than 64 significant bits.
    case varintOverflow(field: String, offset: Int)
    /// The agent id is empty.
    case emptyAgentID(offset: Int)
    /// `field` is not valid UTF-8; `offset` is the first invalid byte.
    case invalidUTF8(field: String, offset: Int)
    /// A label refers to string `index` of a table with `count` strings.
    case stringIndexOutOfRange(index: UInt64, count: Int, offset: Int)
    /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`.
    case invalidLabelName(String, offset: Int)
    /// A series has no `__name__` label; `offset` is the start of the series' entry.
    case missingMetricName(offset: Int)
    /// A metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    case invalidMetricName(String, offset: Int)
    /// Label `name` does not sort strictly after `previous` (out of order or repeated).
    case labelsNotSorted(previous: String, name: String, offset: Int)
    /// Label `name` has an empty value (an empty value means "no such label" and must be left out).
    case emptyLabelValue(name: String, offset: Int)
    /// A series has zero samples.
    case emptySeries(offset: Int)
    /// A timestamp is not after the one before it in the same series.
    case timestampNotIncreasing(previous: Int64, timestamp: Int64, offset: Int)
    /// The XOR value column breaks its encoding rules.
    case invalidValueEncoding(reason: String, offset: Int)

    // MARK: limits (isTooLarge)

    /// The batch declares more series than `WireLimits.maxSeries`.
    case tooManySeries(count: UInt64, limit: Int, offset: Int)
    /// The samples counted so far exceed `WireLimits.maxSamples`.
    case tooManySamples(count: UInt64, limit: Int, offset: Int)
    /// A series declares more labels than `WireLimits.maxLabelsPerSeries`.
    case tooManyLabels(count: UInt64, limit: Int, offset: Int)
    /// A label name is longer than `WireLimits.maxLabelNameBytes`.
    case labelNameTooLong(bytes: Int, limit: Int, offset: Int)
    /// A label value is longer than `WireLimits.maxLabelValueBytes`.
    case labelValueTooLong(bytes: Int, limit: Int, offset: Int)
    /// A string-table entry is longer than any label name or value may be.
    case stringTooLong(bytes: UInt64, limit: Int, offset: Int)
    /// The agent id or agent version is longer than `WireLimits.maxIDBytes`.
    case idTooLong(field: String, bytes: UInt64, limit: Int, offset: Int)

    /// True when the input broke a `WireLimits` bound (answer 413), false when it is malformed (400).
    public var isTooLarge: Bool {
        switch self {
        case .bodyTooLarge, .inflatedTooLarge, .payloadTooLarge, .tooManySeries, .tooManySamples,
             .tooManyLabels, .labelNameTooLong, .labelValueTooLong, .stringTooLong, .idTooLong:
            return true
        case .zlibCorrupt, .zlibTruncated, .zlibTrailingBytes, .badMagic, .unsupportedVersion,
             .unsupportedFlags, .truncated, .checksumMismatch, .trailingBytes, .varintOverflow,
             .emptyAgentID, .invalidUTF8, .stringIndexOutOfRange, .invalidLabelName,
             .missingMetricName, .invalidMetricName, .labelsNotSorted, .emptyLabelValue,
             .emptySeries, .timestampNotIncreasing, .invalidValueEncoding:
            return false
        }
    }
}
