/// An append-only stream of bits, most significant bit first within each byte.
///
/// The last byte may be partly filled; unused low bits are zero. Chunks keep one writer per
/// column (timestamps, values), so the bytes of a stream are exactly what a reader decodes.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var bitCount: Int = 0

    init() {}

    /// Appends one bit.
    @inline(__always)
    mutating func write(bit: Bool) {
        let used = bitCount & 7
        if used == 0 { appendZeroByte() }
        if bit { bytes[bytes.count - 1] |= UInt8(0x80) >> UInt8(used) }
        bitCount += 1
    }

    /// Appends the low `count` bits of `value` (1...64), most significant first.
    @inline(__always)
    mutating func write(_ value: UInt64, count: Int) {
        let end = bitCount + count
        let needed = (end + 7) >> 3
        if needed > bytes.count { appendZeroBytes(needed - bytes.count) }
        let start = bitCount
        bytes.withUnsafeMutableBufferPointer { buffer in
            var position = start
            var remaining = count
            // Fill the partly used last byte, then whole bytes, then the top bits of one more.
            let used = position & 7
            if used != 0 {
                let free = 8 - used
                let take = free < remaining ? free : remaining
                let piece = (value >> UInt64(remaining - take)) & ((1 << UInt64(take)) - 1)
                buffer[position >> 3] |= UInt8(truncatingIfNeeded: piece) << UInt8(free - take)
                remaining -= take
                position += take
            }
            while remaining >= 8 {
                buffer[position >> 3] = UInt8(truncatingIfNeeded: value >> UInt64(remaining - 8))
                remaining -= 8
                position += 8
            }
            if remaining > 0 {
                // The low `remaining` bits of value land in the byte's top bits.
                buffer[position >> 3] = UInt8(truncatingIfNeeded: value << UInt64(8 - remaining))
            }
        }
        bitCount = end
    }

    /// Grows a full array of 128 bytes or more by a quarter rather than the standard library's
    /// doubling: every open chunk of the head holds two of these arrays, and doubling left on
    /// average 123 of the 448 bytes held by a full chunk's value column unused (node-like data).
    /// Smaller arrays double, which wastes little and keeps reallocations few.
    @inline(__always)
    private mutating func appendZeroByte() {
        appendZeroBytes(1)
    }

    /// Appends `count` zero bytes, growing as `appendZeroByte` describes.
    @inline(__always)
    private mutating func appendZeroBytes(_ count: Int) {
        if bytes.count + count > bytes.capacity, bytes.count >= 128 {
            bytes.reserveCapacity(max(bytes.count + count, bytes.count + bytes.count / 4))
        }
        if count == 1 {
            bytes.append(0)
        } else {
            bytes.append(contentsOf: repeatElement(0, count: count))
        }
    }

    /// Appends `value` as an unsigned LEB128 varint; the stream must be byte aligned.
    mutating func writeUVarint(_ value: UInt64) {
        precondition(bitCount & 7 == 0, "bug: BitWriter.writeUVarint needs a byte-aligned stream")
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        bitCount = bytes.count * 8
    }
}
