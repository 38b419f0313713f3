import VigilModel

/// Writes a batch payload (docs/formats/batch.md). It encodes whatever it is given: label
/// order, name syntax and timestamp order are the decoder's to check, so tests can build
/// invalid payloads through the same path.
enum BatchEncoder {
    static func encode(_ batch: Batch) -> [UInt8] {
        // Pass 1: the string table, and each label as a pair of table indexes.
        var indexes: [String: Int] = [:]
        var strings: [String] = []
        var pairs: [Int] = []
        pairs.reserveCapacity(batch.series.reduce(0) { $0 + $1.labels.count } * 2)
        func intern(_ string: String) -> Int {
            if let index = indexes[string] { return index }
            indexes[string] = strings.count
            strings.append(string)
            return strings.count - 1
        }
        for series in batch.series {
            for label in series.labels {
                pairs.append(intern(label.name))
                pairs.append(intern(label.value))
            }
        }

        // Pass 2: header, tables, columns, checksum.
        let sampleCount = batch.sampleCount
        var out = ByteWriter(capacity: 64 + strings.reduce(0) { $0 + $1.utf8.count + 2 } + pairs.count * 2 + sampleCount * 4)
        out.append(BatchFormat.magic.0)
        out.append(BatchFormat.magic.1)
        out.append(BatchFormat.magic.2)
        out.append(BatchFormat.magic.3)
        out.append(BatchFormat.version)
        out.append(0)
        out.appendString(batch.agentID)
        out.appendString(batch.agentVersion)
        out.appendLittleEndian(batch.sequence)
        let base = batch.series.first?.samples.first?.timestamp ?? 0
        out.appendZigzagVarint(base)

        out.appendUVarint(strings.count)
        for string in strings { out.appendString(string) }

        out.appendUVarint(batch.series.count)
        var next = 0
        for series in batch.series {
            out.appendUVarint(series.labels.count)
            for _ in 0..<series.labels.count * 2 {
                out.appendUVarint(pairs[next])
                next += 1
            }
        }

        for series in batch.series {
            out.appendUVarint(series.samples.count)
            TimestampColumn.encode(series.samples, base: base, to: &out)
            ValueColumn.encode(series.samples, to: &out)
        }

        let checksum = out.bytes.withUnsafeBytes { CRC32.checksum($0) }
        out.appendLittleEndian(checksum)
        return out.bytes
    }
}
