/// Reads the records of one segment file in order and finds where its valid prefix ends.
///
/// A segment is valid up to the first record that is incomplete, fails its CRC, has an
/// unknown type or a malformed payload; everything from there on is the torn (or corrupt)
/// tail the spool cuts off. A segment whose header is missing or wrong has no valid prefix.
enum SegmentScanner {
    enum Record {
        /// A batch record: its sample count and payload length.
        case batch(samples: UInt32, payloadBytes: UInt32)
        /// An acknowledgement of the batch record at `position`.
        case ack(SpoolPosition)
    }

    struct End: Equatable {
        /// Bytes of the valid prefix: the header and every good record.
        var validBytes: Int
        /// Why reading stopped before the end of the file; nil when the whole file is valid.
        var problem: String?
    }

    /// Calls `visit(offset, record)` for each valid record, with `buffer` as scratch space.
    static func scan(
        _ file: SpoolFile, size: Int, buffer: inout [UInt8], visit: (Int, Record) -> Void
    ) throws(SpoolError) -> End {
        let headerBytes = SpoolFormat.segmentHeaderBytes
        guard size >= headerBytes else {
            return End(validBytes: 0, problem: "file of \(size) bytes is shorter than the \(headerBytes)-byte segment header")
        }
        _ = try file.read(into: &buffer, count: headerBytes, at: 0)
        guard buffer.prefix(headerBytes).elementsEqual(SpoolFormat.segmentHeader) else {
            return End(validBytes: 0, problem: "segment header is not VSPL version 1")
        }
        var offset = headerBytes
        while offset < size {
            guard size - offset >= SpoolFormat.recordHeaderBytes else {
                return End(validBytes: offset, problem: "incomplete record header at byte \(offset)")
            }
            _ = try file.read(into: &buffer, count: SpoolFormat.recordHeaderBytes, at: offset)
            let (storedCRC, length, typeByte) = buffer.withUnsafeBytes { raw in
                (raw.loadLE(UInt32.self, at: 0), Int(raw.loadLE(UInt32.self, at: 4)), raw[8])
            }
            let end = offset + SpoolFormat.recordHeaderBytes + length
            guard end <= size else {
                return End(validBytes: offset, problem: "record at byte \(offset) claims \(length) payload bytes past the end of the file")
            }
            _ = try file.read(into: &buffer, count: SpoolFormat.recordHeaderBytes + length, at: offset)
            let record: Record? = buffer.withUnsafeBytes { raw in
                let checked = UnsafeRawBufferPointer(rebasing: raw[4..<(SpoolFormat.recordHeaderBytes + length)])
                guard SpoolFormat.crc32(checked) == storedCRC else { return nil }
                let payload = UnsafeRawBufferPointer(rebasing: raw[SpoolFormat.recordHeaderBytes..<(SpoolFormat.recordHeaderBytes + length)])
                switch SpoolRecordType(rawValue: typeByte) {
                case .batch where length >= SpoolFormat.batchPrefixBytes:
                    return .batch(samples: payload.loadLE(UInt32.self, at: 8), payloadBytes: UInt32(length))
                case .ack where length == SpoolFormat.ackPayloadBytes:
                    return .ack(SpoolPosition(segment: payload.loadLE(UInt64.self, at: 0), offset: payload.loadLE(UInt64.self, at: 8)))
                default:
                    return nil
                }
            }
            guard let record else {
                return End(validBytes: offset, problem: "record at byte \(offset) fails its CRC or is malformed (type \(typeByte), \(length) bytes)")
            }
            visit(offset, record)
            offset = end
        }
        return End(validBytes: offset, problem: nil)
    }
}
