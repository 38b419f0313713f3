/// Writes a stream of bits, most significant bit first within each byte, into memory the
/// caller owns (a column of `OpenChunkBuffer`).
///
/// Bytes past the stream's end need not be zero: a write assigns every byte it reaches for
/// the first time and ORs only into the stream's partly filled last byte, whose unused low
/// bits it left zero. So the bytes of a stream are exactly what a reader decodes, also in a
/// buffer reused for the next chunk.
enum BitWriter {
    /// Appends one bit to the stream of `bitCount` bits at `bytes`, which has room for it.
    @inline(__always)
    static func write(bit: Bool, to bytes: UnsafeMutablePointer<UInt8>, at bitCount: Int) {
        let used = bitCount & 7
        if used == 0 {
            bytes[bitCount >> 3] = bit ? 0x80 : 0
        } else if bit {
            bytes[bitCount >> 3] |= UInt8(0x80) >> UInt8(used)
        }
    }

    /// Appends the low `count` bits of `value` (1...64), most significant first, to the stream
    /// of `bitCount` bits at `bytes`, which has room for them.
    @inline(__always)
    static func write(_ value: UInt64, count: Int, to bytes: UnsafeMutablePointer<UInt8>, at bitCount: Int) {
        var position = bitCount
        var remaining = count
        // Fill the partly used last byte, then whole bytes, then the top bits of one more.
        let used = position & 7
        if used != 0 {
            let free = 8 - used
            let take = free < remaining ? free : remaining
            let piece = (value >> UInt64(remaining - take)) & ((1 << UInt64(take)) - 1)
            bytes[position >> 3] |= UInt8(truncatingIfNeeded: piece) << UInt8(free - take)
            remaining -= take
            position += take
        }
        while remaining >= 8 {
            bytes[position >> 3] = UInt8(truncatingIfNeeded: value >> UInt64(remaining - 8))
            remaining -= 8
            position += 8
        }
        if remaining > 0 {
            // The low `remaining` bits of value land in the byte's top bits.
            bytes[position >> 3] = UInt8(truncatingIfNeeded: value << UInt64(8 - remaining))
        }
    }

    /// Bits that `value` takes as an unsigned LEB128 varint.
    @inline(__always)
    static func uvarintBits(_ value: UInt64) -> Int {
        max(1, (64 - value.leadingZeroBitCount + 6) / 7) * 8
    }

    /// Appends `value` as an unsigned LEB128 varint to the byte-aligned stream of `bitCount`
    /// bits at `bytes`, which has room for `uvarintBits(value)` more.
    static func writeUVarint(_ value: UInt64, to bytes: UnsafeMutablePointer<UInt8>, at bitCount: Int) {
        precondition(bitCount & 7 == 0, "bug: BitWriter.writeUVarint needs a byte-aligned stream")
        var index = bitCount >> 3
        var rest = value
        while rest >= 0x80 {
            bytes[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
            index += 1
        }
        bytes[index] = UInt8(rest)
    }
}
