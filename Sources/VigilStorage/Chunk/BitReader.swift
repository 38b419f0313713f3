/// Reads a `BitWriter` stream: bits most significant first, bounded by the buffer's length.
///
/// Reading past the end yields zero bits and sets `overrun`; decoders check it instead of
/// trusting a sample count taken from possibly damaged bytes.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private var position: Int = 0
    private(set) var overrun = false

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    @inline(__always)
    mutating func readBit() -> Bool {
        let index = position >> 3
        guard index < bytes.count else {
            overrun = true
            return false
        }
        let bit = (bytes[index] >> UInt8(7 - (position & 7))) & 1
        position += 1
        return bit == 1
    }

    /// Reads `count` bits (1...64) as the low bits of the result.
    @inline(__always)
    mutating func read(_ count: Int) -> UInt64 {
        var result: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let index = position >> 3
            guard index < bytes.count else {
                overrun = true
                return 0
            }
            let used = position & 7
            let available = 8 - used
            let take = available < remaining ? available : remaining
            let byte = UInt64(bytes[index])
            let piece = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            result = (result << UInt64(take)) | piece
            remaining -= take
            position += take
        }
        return result
    }

    /// Reads an unsigned LEB128 varint at a byte-aligned position.
    mutating func readUVarint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let index = position >> 3
            guard index < bytes.count, shift < 64 else {
                overrun = true
                return 0
            }
            let byte = bytes[index]
            position += 8
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}
