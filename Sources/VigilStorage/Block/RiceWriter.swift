/// Writes the bit stream of a decimal Rice column: Rice codes (`RiceCode`) and single bits,
/// most significant bit first, through a 64-bit accumulator that hands out whole bytes.
/// `RiceReader` reads what it writes.
struct RiceWriter {
    private(set) var bytes: [UInt8] = []
    /// Bits not yet in `bytes`, right-aligned; fewer than 8 between writes.
    private var pending: UInt64 = 0
    private var pendingCount = 0
    private(set) var bitCount = 0

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends the low `count` (0...32) bits of `value`.
    @inline(__always)
    private mutating func append(_ value: UInt64, count: Int) {
        pending = pending &<< UInt64(count) | value & (UInt64(1) &<< UInt64(count) &- 1)
        pendingCount &+= count
        bitCount &+= count
        while pendingCount >= 8 {
            pendingCount &-= 8
            bytes.append(UInt8(truncatingIfNeeded: pending &>> UInt64(pendingCount)))
        }
    }

    /// Appends the low `count` (0...64) bits of `value`, most significant first.
    @inline(__always)
    mutating func write(_ value: UInt64, count: Int) {
        if count > 32 {
            append(value &>> 32, count: count &- 32)
            append(value, count: 32)
        } else {
            append(value, count: count)
        }
    }

    mutating func write(bit: Bool) {
        append(bit ? 1 : 0, count: 1)
    }

    /// The stream, its last byte padded with zero bits.
    mutating func finish() -> [UInt8] {
        if pendingCount > 0 {
            bytes.append(UInt8(truncatingIfNeeded: pending &<< UInt64(8 &- pendingCount)))
            pendingCount = 0
        }
        return bytes
    }
}
