/// The agent-to-collector batch: an uncompressed payload (docs/formats/batch.md) inside a
/// zlib stream. The agent calls `compress`; the collector calls `decompress` on the request
/// body and answers 413 or 400 by `WireError.isTooLarge`.
public enum BatchCodec {
    /// The uncompressed payload. Encodes any batch as given; `decode` checks the rules
    /// (names, order, non-empty series), so only batches built from valid `Labels` and
    /// strictly increasing samples round-trip.
    public static func encode(_ batch: Batch) -> [UInt8] {
        BatchEncoder.encode(batch)
    }

    /// Validates and decodes a payload; throws the first problem found, with its byte offset.
    /// Cost: one pass over the bytes; one String per distinct string, one `[Label]` and one
    /// `[Sample]` allocation per series.
    public static func decode(_ payload: UnsafeRawBufferPointer, limits: WireLimits = .standard) throws(WireError) -> Batch {
        try BatchDecoder.decode(payload, limits: limits)
    }

    /// Validates and decodes a payload for storing, keeping its label tables in the result.
    /// `known` is asked, once the agent id is read, for label tables seen before from that
    /// agent (tables that decoded under these same limits); when the payload's tables are
    /// byte for byte those, they are skipped rather than decoded and `labels` is nil. Same
    /// checks and errors as `decode` otherwise. Cost: one pass over the bytes; one
    /// allocation for all samples.
    public static func decode(
        _ payload: UnsafeRawBufferPointer, limits: WireLimits = .standard,
        known: (_ agentID: String) -> BatchLabelTables?
    ) throws(WireError) -> DecodedBatch {
        try BatchDecoder.decode(payload, limits: limits, known: known, keepTables: true)
    }

    public static func decode(_ payload: [UInt8], limits: WireLimits = .standard) throws(WireError) -> Batch {
        // withUnsafeBytes rethrows untyped errors; Result carries the typed one across.
        try payload.withUnsafeBytes { bytes in
            Result { () throws(WireError) in try BatchDecoder.decode(bytes, limits: limits) }
        }.get()
    }

    /// A request body: `encode(batch)` as a zlib (RFC 1950) stream.
    public static func compress(_ batch: Batch, level: Int32 = 6) -> [UInt8] {
        encode(batch).withUnsafeBytes { Zlib.compress($0, level: level) }
    }

    /// Checks the body against `maxCompressedBytes`, inflates at most `maxInflatedBytes` and decodes.
    public static func decompress(_ body: UnsafeRawBufferPointer, limits: WireLimits = .standard) throws(WireError) -> Batch {
        guard body.count <= limits.maxCompressedBytes else {
            throw .bodyTooLarge(bytes: body.count, limit: limits.maxCompressedBytes)
        }
        return try Zlib.withInflated(body, maxOutputBytes: limits.maxInflatedBytes) { (payload) throws(WireError) in
            try BatchDecoder.decode(payload, limits: limits)
        }
    }

    public static func decompress(_ body: [UInt8], limits: WireLimits = .standard) throws(WireError) -> Batch {
        try body.withUnsafeBytes { bytes in
            Result { () throws(WireError) in try decompress(bytes, limits: limits) }
        }.get()
    }
}
