import CZlib

/// Byte layout of spool segments and records (docs/formats/spool.md). Pure: no I/O.
enum SpoolFormat {
    /// "VSPL", the format version and three zero bytes.
    static let segmentHeader: [UInt8] = [0x56, 0x53, 0x50, 0x4C, 1, 0, 0, 0]
    static var segmentHeaderBytes: Int { segmentHeader.count }

    /// crc32 (u32 LE) | payload length (u32 LE) | type (u8); the CRC covers length, type, payload.
    static let recordHeaderBytes = 9
    /// sequence (u64 LE) | samples (u32 LE), then the compressed batch.
    static let batchPrefixBytes = 12
    /// segment (u64 LE) | offset (u64 LE) of the acknowledged batch record.
    static let ackPayloadBytes = 16
    /// The largest payload a record may carry: the length field's range.
    static let maxPayloadBytes = Int(UInt32.max)

    static let segmentSuffix = ".seg"

    /// `00000000000000000042.seg`: the index in 20 decimal digits, so names sort as numbers.
    static func segmentName(_ index: UInt64) -> String {
        let digits = String(index)
        return String(repeating: "0", count: 20 - digits.count) + digits + segmentSuffix
    }

    /// The index of a segment file name, or nil for any other file.
    static func segmentIndex(_ name: String) -> UInt64? {
        let bytes = Array(name.utf8)
        guard bytes.count == 20 + segmentSuffix.utf8.count, name.hasSuffix(segmentSuffix) else { return nil }
        let digits = bytes[..<20]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    /// zlib's CRC-32 (IEEE 802.3), continuing from `crc`.
    static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(crc), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }
}

/// Record types; a reader treats any other type as corruption (see SegmentScanner).
enum SpoolRecordType: UInt8 {
    /// One compressed batch waiting for the collector.
    case batch = 1
    /// The collector acknowledged (or finally rejected) the batch record at a position.
    case ack = 2
}

extension Array where Element == UInt8 {
    /// Replaces the contents with one framed batch record.
    mutating func setSpoolBatchRecord(sequence: UInt64, samples: Int, body: [UInt8]) {
        removeAll(keepingCapacity: true)
        append(contentsOf: repeatElement(0, count: SpoolFormat.recordHeaderBytes))
        appendLE(sequence)
        appendLE(UInt32(clamping: samples))
        append(contentsOf: body)
        finishSpoolRecord(type: .batch)
    }

    /// Replaces the contents with one framed ack record for `position`.
    mutating func setSpoolAckRecord(for position: SpoolPosition) {
        removeAll(keepingCapacity: true)
        append(contentsOf: repeatElement(0, count: SpoolFormat.recordHeaderBytes))
        appendLE(position.segment)
        appendLE(position.offset)
        finishSpoolRecord(type: .ack)
    }

    private mutating func finishSpoolRecord(type: SpoolRecordType) {
        let payload = count - SpoolFormat.recordHeaderBytes
        precondition(payload <= SpoolFormat.maxPayloadBytes, "bug: spool record payload of \(payload) bytes exceeds u32")
        withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(payload).littleEndian, toByteOffset: 4, as: UInt32.self)
            raw[8] = type.rawValue
            let crc = SpoolFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[4...]))
            raw.storeBytes(of: crc.littleEndian, toByteOffset: 0, as: UInt32.self)
        }
    }

    mutating func appendLE(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendLE(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func loadLE(_ type: UInt32.Type, at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func loadLE(_ type: UInt64.Type, at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
