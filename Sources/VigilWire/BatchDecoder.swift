import VigilModel

/// Reads and validates a batch payload (docs/formats/batch.md) straight from its bytes: the
/// framing (magic, version, flags, CRC-32), then the header, string table, series table and
/// sample columns, with every `WireLimits` bound checked before the memory it guards is used.
enum BatchDecoder {
    static func decode(_ payload: UnsafeRawBufferPointer, limits: WireLimits) throws(WireError) -> Batch {
        let decoded = try decode(payload, limits: limits, known: { _ in nil }, keepTables: false)
        var series: [SeriesSamples] = []
        series.reserveCapacity(decoded.samples.seriesCount)
        for (index, labels) in (decoded.labels ?? []).enumerated() {
            series.append(SeriesSamples(labels: labels, samples: Array(decoded.samples[series: index])))
        }
        return Batch(agentID: decoded.agentID, agentVersion: decoded.agentVersion, sequence: decoded.sequence, series: series)
    }

    /// Decodes a payload; when its label tables are byte for byte those `known` returns for
    /// its agent id, they are not
    /// decoded again (`labels` is nil). With `keepTables` the result carries its tables'
    /// bytes (or `known`) for the next call.
    static func decode(
        _ payload: UnsafeRawBufferPointer, limits: WireLimits, known: (String) -> BatchLabelTables?, keepTables: Bool
    ) throws(WireError) -> DecodedBatch {
        guard payload.count <= limits.maxInflatedBytes else {
            throw .payloadTooLarge(bytes: payload.count, limit: limits.maxInflatedBytes)
        }
        let magic = [BatchFormat.magic.0, BatchFormat.magic.1, BatchFormat.magic.2, BatchFormat.magic.3]
        for (offset, expected) in magic.enumerated() {
            guard offset < payload.count else { throw .truncated(field: "magic", offset: 0) }
            guard payload[offset] == expected else { throw .badMagic(offset: offset) }
        }
        guard payload.count > BatchFormat.versionOffset else {
            throw .truncated(field: "version", offset: BatchFormat.versionOffset)
        }
        let version = payload[BatchFormat.versionOffset]
        guard version == BatchFormat.version else {
            throw .unsupportedVersion(version, offset: BatchFormat.versionOffset)
        }
        guard payload.count > BatchFormat.flagsOffset else {
            throw .truncated(field: "flags", offset: BatchFormat.flagsOffset)
        }
        let flags = payload[BatchFormat.flagsOffset]
        guard flags & ~BatchFormat.knownFlags == 0 else {
            throw .unsupportedFlags(flags, offset: BatchFormat.flagsOffset)
        }
        guard payload.count >= BatchFormat.fixedHeaderSize + BatchFormat.checksumSize else {
            throw .truncated(field: "checksum", offset: BatchFormat.fixedHeaderSize)
        }
        let checksumOffset = payload.count - BatchFormat.checksumSize
        let stored = UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: checksumOffset, as: UInt32.self))
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: payload[..<checksumOffset]))
        guard stored == computed else {
            throw .checksumMismatch(stored: stored, computed: computed, offset: checksumOffset)
        }

        var reader = ByteReader(base: payload.baseAddress!, position: BatchFormat.fixedHeaderSize, end: checksumOffset)
        let batch = try decodeBody(&reader, limits: limits, known: known, keepTables: keepTables)
        guard reader.position == checksumOffset else {
            throw .trailingBytes(count: checksumOffset - reader.position, offset: reader.position)
        }
        return batch
    }

    private static func decodeBody(
        _ reader: inout ByteReader, limits: WireLimits, known knownTables: (String) -> BatchLabelTables?, keepTables: Bool
    ) throws(WireError) -> DecodedBatch {
        let agentIDOffset = reader.position
        let agentID = try readID(&reader, "agent id", limit: limits.maxIDBytes)
        guard !agentID.isEmpty else { throw .emptyAgentID(offset: agentIDOffset) }
        let agentVersion = try readID(&reader, "agent version", limit: limits.maxIDBytes)
        let sequence = try reader.readLittleEndianUInt64("sequence")
        let base = try reader.readZigzagVarint("base timestamp")

        let known = knownTables(agentID)
        let tablesStart = reader.position
        let labels: [Labels]?
        let tables: BatchLabelTables?
        if let known, known.isPrefix(of: reader) {
            // The same bytes decode to the same labels, already checked against these limits.
            reader.position += known.bytes.count
            labels = nil
            tables = known
        } else {
            let decoded = try decodeLabelTables(&reader, limits: limits)
            labels = decoded
            tables = keepTables
                ? BatchLabelTables(bytes: Array(UnsafeRawBufferPointer(start: reader.base + tablesStart, count: reader.position - tablesStart)),
                                   seriesCount: decoded.count)
                : nil
        }
        let seriesCount = labels?.count ?? known!.seriesCount
        let samples = try decodeSampleColumns(&reader, seriesCount: seriesCount, base: base, limits: limits)
        return DecodedBatch(agentID: agentID, agentVersion: agentVersion, sequence: sequence,
                            labels: labels, labelTables: tables, samples: samples)
    }

    /// Reads the string table and the series table at the reader's position.
    static func decodeLabelTables(_ reader: inout ByteReader, limits: WireLimits) throws(WireError) -> [Labels] {
        let strings = try StringTable(reading: &reader, limits: limits)

        let seriesCountOffset = reader.position
        let seriesCount = try reader.readUVarint("series count")
        guard seriesCount <= UInt64(clamping: limits.maxSeries) else {
            throw .tooManySeries(count: seriesCount, limit: limits.maxSeries, offset: seriesCountOffset)
        }
        // Each series needs at least a label count and a sample count byte; this bounds the
        // allocations below before any is made.
        guard seriesCount <= UInt64(reader.remaining / 2) else {
            throw .truncated(field: "series table", offset: seriesCountOffset)
        }
        var labels: [Labels] = []
        labels.reserveCapacity(Int(seriesCount))
        for _ in 0..<Int(seriesCount) {
            labels.append(try SeriesLabels.decode(&reader, strings: strings, limits: limits))
        }
        return labels
    }

    /// Reads the sample columns of `seriesCount` series into one buffer.
    private static func decodeSampleColumns(
        _ reader: inout ByteReader, seriesCount: Int, base: Int64, limits: WireLimits
    ) throws(WireError) -> PackedSamples {
        // At least one byte per series and per sample is left (checked for the series by the
        // table's reader, for samples below), so the first guess is bounded by the payload.
        var packed = PackedSamples(reservingSeries: seriesCount, samples: min(seriesCount * 2, reader.remaining))
        var totalSamples: UInt64 = 0
        for _ in 0..<seriesCount {
            let seriesOffset = reader.position
            let count = try reader.readUVarint("sample count")
            guard count > 0 else { throw .emptySeries(offset: seriesOffset) }
            let (sum, overflow) = totalSamples.addingReportingOverflow(count)
            guard !overflow, sum <= UInt64(clamping: limits.maxSamples) else {
                throw .tooManySamples(count: overflow ? .max : sum, limit: limits.maxSamples, offset: seriesOffset)
            }
            totalSamples = sum
            // Every sample costs at least one timestamp byte; this bounds the allocation.
            guard count <= UInt64(reader.remaining) else {
                throw .truncated(field: "timestamp column", offset: reader.position)
            }
            try packed.appendRun(count: Int(count)) { column throws(WireError) in
                try TimestampColumn.decode(into: column, base: base, from: &reader)
                try ValueColumn.decode(into: column, from: &reader)
            }
        }
        return packed
    }

    private static func readID(_ reader: inout ByteReader, _ field: StaticString, limit: Int) throws(WireError) -> String {
        let lengthOffset = reader.position
        let length = try reader.readUVarint(field)
        guard length <= UInt64(clamping: limit) else {
            throw .idTooLong(field: "\(field)", bytes: length, limit: limit, offset: lengthOffset)
        }
        let offset = try reader.skip(length, field)
        switch UTF8Validation.string(UnsafeRawBufferPointer(start: reader.base + offset, count: Int(length))) {
        case .success(let string): return string
        case .failure(let invalid): throw .invalidUTF8(field: "\(field)", offset: offset + invalid.offset)
        }
    }
}
