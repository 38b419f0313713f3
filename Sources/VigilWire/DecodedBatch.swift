#if canImport(Glibc)
import Glibc
#endif
import VigilModel

/// A batch payload decoded for storing: the header, the series' labels (unless they matched
/// known label tables) and every series' samples in one buffer.
public struct DecodedBatch: Sendable {
    public var agentID: String
    public var agentVersion: String
    public var sequence: UInt64
    /// The series' labels in table order; nil when the payload's label tables were the
    /// `known` ones passed to the decoder (their labels are `labelTables.labels(limits:)`).
    public var labels: [Labels]?
    /// The payload's label tables, when the decoder was asked to keep them.
    public var labelTables: BatchLabelTables?
    /// Series `i`'s samples are `samples[series: i]`, in the order of the series table.
    public var samples: PackedSamples
}

/// The string table and series table of a batch payload (docs/formats/batch.md) as bytes.
///
/// An agent sends the same series in the same order tick after tick, so its batches carry
/// byte-identical tables; a collector that keeps the last ones per agent recognises them with
/// one comparison and skips decoding, validating, hashing and looking up every label set.
/// Only tables that decoded without error under the same `WireLimits` are ever kept.
public struct BatchLabelTables: Sendable, Equatable {
    public let bytes: [UInt8]
    public let seriesCount: Int

    /// The labels these tables describe, decoded again from the bytes.
    public func labels(limits: WireLimits) throws(WireError) -> [Labels] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) -> [Labels] in
                guard let base = raw.baseAddress else { throw .truncated(field: "string table", offset: 0) }
                var reader = ByteReader(base: base, position: 0, end: raw.count)
                return try BatchDecoder.decodeLabelTables(&reader, limits: limits)
            }
        }.get()
    }

    /// Whether the reader's remaining bytes start with these tables.
    func isPrefix(of reader: ByteReader) -> Bool {
        guard reader.remaining >= bytes.count else { return false }
        return bytes.withUnsafeBytes { known in
            known.baseAddress.map { memcmp($0, reader.base + reader.position, bytes.count) == 0 } ?? true
        }
    }
}
