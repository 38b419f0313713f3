import VigilModel

/// Writes a batch payload (docs/formats/batch.md). It encodes whatever it is given: label
/// order, name syntax and timestamp order are the decoder's to check, so tests can build
/// invalid payloads through the same path.
///
/// The parts are separate so that `BatchCompressor` can write the header and columns around
/// label tables it kept from the previous batch; both paths produce the same bytes.
enum BatchEncoder {
    static func encode(_ batch: Batch) -> [UInt8] {
        let tables = LabelTables(batch.series)
        var out = ByteWriter(capacity: headerCapacity(batch) + tables.byteCount + columnsCapacity(batch.series) + BatchFormat.checksumSize)
        let base = baseTimestamp(batch)
        writeHeader(batch, base: base, to: &out)
        tables.write(to: &out)
        writeColumns(batch.series, base: base, to: &out)
        out.appendLittleEndian(out.bytes.withUnsafeBytes { CRC32.checksum($0) })
        return out.bytes
    }

    /// The first timestamp of the first series, or 0 when there is none.
    static func baseTimestamp(_ batch: Batch) -> Int64 {
        batch.series.first?.samples.first?.timestamp ?? 0
    }

    /// Magic, version, flags, agent id and version, sequence and base timestamp.
    static func writeHeader(_ batch: Batch, base: Int64, to out: inout ByteWriter) {
        out.append(BatchFormat.magic.0)
        out.append(BatchFormat.magic.1)
        out.append(BatchFormat.magic.2)
        out.append(BatchFormat.magic.3)
        out.append(BatchFormat.version)
        out.append(0)
        out.appendString(batch.agentID)
        out.appendString(batch.agentVersion)
        out.appendLittleEndian(batch.sequence)
        out.appendZigzagVarint(base)
    }

    /// Per series in table order: the sample count, the timestamp column and the value column.
    static func writeColumns(_ series: [SeriesSamples], base: Int64, to out: inout ByteWriter) {
        // Reading through buffer pointers spares a retain and release of each series' arrays.
        series.withUnsafeBufferPointer { series in
            for index in series.indices {
                series[index].samples.withUnsafeBufferPointer { samples in
                    out.appendUVarint(samples.count)
                    TimestampColumn.encode(samples, base: base, to: &out)
                    ValueColumn.encode(samples, to: &out)
                }
            }
        }
    }

    /// An upper bound of the header's size.
    static func headerCapacity(_ batch: Batch) -> Int {
        // Two length varints, the ids, the sequence and the base timestamp's varint.
        BatchFormat.fixedHeaderSize + 2 * 10 + batch.agentID.utf8.count + batch.agentVersion.utf8.count + 8 + 10
    }

    /// A guess at the columns' size: a one-sample series takes about 11 bytes, and each
    /// further sample a few.
    static func columnsCapacity(_ series: [SeriesSamples]) -> Int {
        series.reduce(0) { $0 + 12 + $1.samples.count * 4 }
    }
}
