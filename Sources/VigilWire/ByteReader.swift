/// Reads the batch format's primitives from a raw buffer without copying. Every read is
/// bounds-checked against `end` and throws `WireError.truncated` naming the field and the
/// offset where it started.
struct ByteReader {
    let base: UnsafeRawPointer
    let end: Int
    var position: Int

    init(base: UnsafeRawPointer, position: Int, end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    var remaining: Int { end - position }

    mutating func readLittleEndianUInt64(_ field: StaticString) throws(WireError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated(field: "\(field)", offset: position) }
        defer { position += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Skips `count` bytes and returns the offset where they start.
    mutating func skip(_ count: UInt64, _ field: StaticString) throws(WireError) -> Int {
        guard count <= UInt64(remaining) else { throw .truncated(field: "\(field)", offset: position) }
        defer { position += Int(count) }
        return position
    }

    /// An unsigned LEB128 varint of at most ten bytes; the tenth may only carry the top bit.
    @inline(__always)
    mutating func readUVarint(_ field: StaticString) throws(WireError) -> UInt64 {
        if position < end {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte < 0x80 {
                position += 1
                return UInt64(byte)
            }
        }
        return try readLongUVarint(field)
    }

    @inline(__always)
    mutating func readZigzagVarint(_ field: StaticString) throws(WireError) -> Int64 {
        Zigzag.decode(try readUVarint(field))
    }

    private mutating func readLongUVarint(_ field: StaticString) throws(WireError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .truncated(field: "\(field)", offset: start) }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            if shift == 63, byte > 1 { throw .varintOverflow(field: "\(field)", offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}
