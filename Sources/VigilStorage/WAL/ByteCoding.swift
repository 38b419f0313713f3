/// Little helpers for the byte-level WAL encodings: LEB128 varints, zigzag, fixed-width
/// little-endian integers.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendUVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        append(UInt8(rest))
    }

    @inline(__always)
    mutating func appendVarint(_ value: Int64) {
        appendUVarint(ChunkFormat.zigzag(value))
    }

    mutating func setUInt32LE(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }

    mutating func appendUInt32LE(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendUInt64LE(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            appendUVarint(UInt64(utf8.count))
            append(contentsOf: utf8)
        }
    }
}

/// Reads the byte-level encodings from a borrowed buffer. A read past the end returns zero
/// and sets `failed`; decoders check it once per record instead of after every field.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0
    private(set) var failed = false

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    mutating func readByte() -> UInt8 {
        guard offset < bytes.count else {
            failed = true
            return 0
        }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func readUVarint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        failed = true
        return 0
    }

    @inline(__always)
    mutating func readVarint() -> Int64 {
        ChunkFormat.unzigzag(readUVarint())
    }

    mutating func readUInt32LE() -> UInt32 {
        guard bytes.count - offset >= 4 else {
            failed = true
            offset = bytes.count
            return 0
        }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    mutating func readUInt64LE() -> UInt64 {
        let low = UInt64(readUInt32LE())
        return low | UInt64(readUInt32LE()) << 32
    }

    /// Reads `count` raw bytes; nil (and `failed`) when fewer remain.
    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= bytes.count - offset else {
            failed = true
            offset = bytes.count
            return nil
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Reads a uvarint length and that many bytes as UTF-8 (invalid sequences repaired).
    mutating func readString() -> String {
        let length = readUVarint()
        guard !failed, length <= UInt64(bytes.count - offset) else {
            failed = true
            return ""
        }
        let start = offset
        offset += Int(length)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }
}
