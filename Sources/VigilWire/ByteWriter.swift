/// Appends the batch format's primitives (bytes, little-endian integers, LEB128 varints) to a buffer.
struct ByteWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    var count: Int { bytes.count }

    /// Empties the buffer but keeps its memory for the next payload.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        var remaining = value
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        var remaining = value
        for _ in 0..<4 {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    /// Unsigned LEB128: seven bits per byte, least significant group first, high bit = more follows.
    mutating func appendUVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func appendUVarint(_ value: Int) {
        appendUVarint(UInt64(value))
    }

    /// Signed values as zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) then LEB128.
    mutating func appendZigzagVarint(_ value: Int64) {
        appendUVarint(Zigzag.encode(value))
    }

    /// A string as its UTF-8 length (varint) and bytes.
    mutating func appendString(_ string: String) {
        var copy = string
        copy.withUTF8 { utf8 in
            appendUVarint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
}

enum Zigzag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}

enum UVarint {
    /// The number of bytes `ByteWriter.appendUVarint` writes for `value` (1...10).
    static func size(_ value: Int) -> Int {
        let bits = 64 - UInt64(value).leadingZeroBitCount
        return max(1, (bits + 6) / 7)
    }
}
