/// UTF-8 checks on raw bytes, used where a decoder must say where the text went wrong.
enum UTF8Validation {
    /// Makes a String from bytes that must be well-formed UTF-8; on failure returns the
    /// offset (relative to `bytes`) of the first byte that starts an ill-formed sequence.
    static func string(_ bytes: UnsafeRawBufferPointer) -> Result<String, InvalidOffset> {
        let invalid = firstInvalidOffset(bytes)
        guard invalid == bytes.count else { return .failure(InvalidOffset(offset: invalid)) }
        return .success(String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self))
    }

    struct InvalidOffset: Error {
        let offset: Int
    }

    /// The offset of the first ill-formed sequence (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF), or `bytes.count` when there is none. ASCII runs are
    /// checked eight bytes at a time.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index < bytes.count {
            if bytes.count - index >= 8,
               bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for continuation in 1..<length {
                let byte = bytes[index + continuation]
                let (low, high) = continuation == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                if byte < low || byte > high { return index }
            }
            index += length
        }
        return bytes.count
    }
}
