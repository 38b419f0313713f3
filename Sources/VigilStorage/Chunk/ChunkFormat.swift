/// Constants and helpers shared by the chunk encoder and decoder (docs/formats/chunk.md).
enum ChunkFormat {
    /// Encoding byte of a columnar Gorilla chunk, the only encoding so far.
    static let columnarGorilla: UInt8 = 1
    /// Bytes before the timestamp column: encoding, sample count (u16 BE), then a uvarint.
    static let fixedHeaderBytes = 3
    /// Approximate heap cost of a non-empty Swift array beyond its elements (malloc + header).
    static let arrayOverhead = 48

    /// Whether `value` fits in a two's complement field of `bits` bits.
    @inline(__always)
    static func fits(_ value: Int64, bits: Int) -> Bool {
        let limit = Int64(1) << Int64(bits - 1)
        return value >= -limit && value < limit
    }

    /// Sign-extends the low `bits` bits of `raw`.
    @inline(__always)
    static func signExtend(_ raw: UInt64, bits: Int) -> Int64 {
        let shift = UInt64(64 - bits)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Appends the serialized chunk with these columns to `out` (a reused buffer spares the allocation).
    static func serialize(count: Int, timestamps: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer,
                          appendingTo out: inout [UInt8]) {
        out.append(columnarGorilla)
        out.append(UInt8(truncatingIfNeeded: count >> 8))
        out.append(UInt8(truncatingIfNeeded: count))
        var length = UInt64(timestamps.count)
        while length >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.append(UInt8(length))
        out.append(contentsOf: timestamps)
        out.append(contentsOf: values)
    }
}
