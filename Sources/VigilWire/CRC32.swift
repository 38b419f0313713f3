import CZlib

/// CRC-32 (ISO-HDLC, as zlib's `crc32`) over a byte range: the batch payload's checksum.
enum CRC32 {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, with: bytes)
    }

    /// The checksum of the bytes `crc` covers followed by `bytes`.
    static func extend(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(uLong(crc), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }

    /// The checksum of two byte ranges one after the other, from their own checksums and the
    /// second one's length: O(log length) instead of rereading the bytes.
    static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_combine(uLong(first), uLong(second), .init(secondLength)))
    }
}
