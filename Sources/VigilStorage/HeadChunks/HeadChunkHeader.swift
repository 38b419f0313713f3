/// The 32 bytes before each chunk in a head chunk segment (docs/formats/head-chunks.md): the
/// series' previous chunk, the chunk's time bounds and length, and a CRC-32 of those fields,
/// so that a damaged header is never followed as a link or trusted as a length.
struct HeadChunkHeader: Equatable {
    static let bytes = 32

    /// The series' chunk before this one; `HeadChunkRef.none` for its first.
    let previous: HeadChunkRef
    /// Timestamps of the chunk's first and last sample.
    let minTime: Int64
    let maxTime: Int64
    /// Bytes of the chunk (docs/formats/chunk.md) after the header.
    let length: Int

    init(previous: HeadChunkRef, minTime: Int64, maxTime: Int64, length: Int) {
        precondition(length >= 0 && length <= Int(UInt32.max), "bug: a head chunk of \(length) bytes")
        self.previous = previous
        self.minTime = minTime
        self.maxTime = maxTime
        self.length = length
    }

    /// Parses the first 32 bytes of `raw`; nil when the CRC does not match.
    init?(_ raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= Self.bytes, "bug: a head chunk header read from \(raw.count) bytes")
        let crc = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        guard crc == WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<28])) else { return nil }
        previous = HeadChunkRef(segment: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
                                offset: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        minTime = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self))
        maxTime = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)))
    }

    /// Writes the header into the first 32 bytes of `raw`.
    func store(to raw: UnsafeMutableRawBufferPointer) {
        precondition(raw.count >= Self.bytes, "bug: a head chunk header written to \(raw.count) bytes")
        raw.storeBytes(of: previous.segment.littleEndian, toByteOffset: 0, as: UInt32.self)
        raw.storeBytes(of: previous.offset.littleEndian, toByteOffset: 4, as: UInt32.self)
        raw.storeBytes(of: minTime.littleEndian, toByteOffset: 8, as: Int64.self)
        raw.storeBytes(of: maxTime.littleEndian, toByteOffset: 16, as: Int64.self)
        raw.storeBytes(of: UInt32(length).littleEndian, toByteOffset: 24, as: UInt32.self)
        let crc = WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<28]))
        raw.storeBytes(of: crc.littleEndian, toByteOffset: 28, as: UInt32.self)
    }
}
