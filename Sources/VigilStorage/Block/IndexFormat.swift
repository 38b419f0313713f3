import VigilModel

/// Byte layout of a block's `index` file (docs/formats/index.md).
enum IndexFormat {
    static let magic: [UInt8] = [0x56, 0x49, 0x44, 0x58]  // "VIDX"
    static let version: UInt8 = 1
    static let headerBytes = 8
    /// Sections in file order; the table of contents lists them in this order.
    static let sectionCount = 4
    /// offset u64, length u64, crc32 u32 per section, then the TOC's own crc32.
    static let tocBytes = sectionCount * 20 + 4

    /// A series' chunk: its time bounds, its sample count and where its two columns lie in
    /// the block's `chunks` file (each followed there by 4 bytes of CRC). Chunks of different
    /// series with identical timestamps share one timestamp column.
    struct ChunkRef: Equatable {
        var minTime: Int64
        var maxTime: Int64
        var count: Int
        var timestamps: Range<Int>
        var values: Range<Int>
    }

    /// The order of symbols: by UTF-8 bytes, so a reader can binary-search without Unicode rules.
    @inline(__always)
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

/// A 64-bit FNV-1a hash of a label set, stored with each series of a block so that series can
/// be counted across blocks and the head without decoding labels. Defined by the index format:
/// every name and value's UTF-8 bytes, each followed by the byte 0xFF (never part of UTF-8).
enum SeriesHash {
    static func of(_ labels: Labels) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for label in labels {
            hash = mix(label.name, hash)
            hash = mix(label.value, hash)
        }
        return hash
    }

    @inline(__always)
    private static func mix(_ text: String, _ seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return (hash ^ 0xff) &* 0x100_0000_01b3
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func uint32LE(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func uint64LE(at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
