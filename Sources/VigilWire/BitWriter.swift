/// Appends bits most significant first to a byte buffer, for the XOR value column.
struct BitWriter {
    private var pending: UInt64 = 0
    private var pendingCount = 0

    /// Appends the low `count` bits of `value` (0...64), most significant first.
    @inline(__always)
    mutating func write(_ value: UInt64, count: Int, to out: inout ByteWriter) {
        guard count <= 56 else { return writeWide(value, count: count, to: &out) }
        // pendingCount < 8 between calls, so at most 63 bits are held here.
        pending = (pending << UInt64(count)) | (value & ((1 << UInt64(count)) &- 1))
        pendingCount += count
        while pendingCount >= 8 {
            pendingCount -= 8
            out.append(UInt8(truncatingIfNeeded: pending >> UInt64(pendingCount)))
        }
    }

    @inline(never)
    private mutating func writeWide(_ value: UInt64, count: Int, to out: inout ByteWriter) {
        write(value >> 32, count: count - 32, to: &out)
        write(value & 0xFFFF_FFFF, count: 32, to: &out)
    }

    /// Pads the last partial byte with zero bits and appends it.
    mutating func finish(to out: inout ByteWriter) {
        if pendingCount > 0 {
            out.append(UInt8(truncatingIfNeeded: pending << UInt64(8 - pendingCount)))
        }
        pending = 0
        pendingCount = 0
    }
}
