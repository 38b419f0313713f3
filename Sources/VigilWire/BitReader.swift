/// Reads bits most significant first from a raw buffer, for the XOR value column.
///
/// Holds up to 64 bits in `buffer`, left-aligned; `available` of them are unread. Refilling
/// loads eight bytes at once while at least eight remain before `end`, then byte by byte.
struct BitReader {
    private let base: UnsafeRawPointer
    private let end: Int
    private var next: Int
    private var buffer: UInt64 = 0
    private var available = 0

    init(base: UnsafeRawPointer, position: Int, end: Int) {
        self.base = base
        self.next = position
        self.end = end
    }

    /// The offset of the byte holding the next unread bit.
    var bytePosition: Int { next - (available + 7) / 8 }

    /// Reads `count` bits (1...56) or returns nil when the buffer ends first.
    @inline(__always)
    mutating func read(_ count: Int) -> UInt64? {
        if available < count {
            refill()
            if available < count { return nil }
        }
        let value = buffer >> UInt64(64 - count)
        buffer <<= UInt64(count)
        available -= count
        return value
    }

    /// Reads one bit or returns nil when the buffer ends first.
    @inline(__always)
    mutating func readBit() -> Bool? {
        if available == 0 {
            refill()
            if available == 0 { return nil }
        }
        let bit = buffer >> 63
        buffer <<= 1
        available -= 1
        return bit == 1
    }

    /// Skips the zero bits that pad the current byte, returning false when any is set.
    /// Afterwards `bytePosition` is the first byte after the column.
    mutating func skipPadding() -> Bool {
        let padding = available % 8
        guard padding > 0 else { return true }
        let bits = buffer >> UInt64(64 - padding)
        buffer <<= UInt64(padding)
        available -= padding
        return bits == 0
    }

    @inline(__always)
    private mutating func refill() {
        guard end - next >= 8 else { return refillNearEnd() }
        // Bits beyond `available` in `buffer` already equal the stream's bits, so OR-ing
        // the reloaded word over them is harmless.
        let word = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: next, as: UInt64.self))
        buffer |= word >> UInt64(available)
        next += (63 - available) >> 3
        available |= 56
    }

    @inline(never)
    private mutating func refillNearEnd() {
        while available <= 56, next < end {
            buffer |= UInt64(base.load(fromByteOffset: next, as: UInt8.self)) << UInt64(56 - available)
            next += 1
            available += 8
        }
    }
}
