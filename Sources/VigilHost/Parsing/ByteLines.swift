import Glibc

/// Walks the lines of a file's bytes without copying them, counting lines and byte offsets so
/// that parse errors can say where they happened.
struct ByteLines {
    let bytes: UnsafeRawBufferPointer
    private var nextOffset = 0
    private var nextNumber = 1

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next line without its newline, or nil at the end of the bytes. A final line without
    /// a newline is still returned; the empty remainder after a final newline is not.
    mutating func next() -> ByteLine? {
        guard nextOffset < bytes.count, let base = bytes.baseAddress else { return nil }
        let start = nextOffset
        let remaining = bytes.count - start
        let end: Int
        if let newline = memchr(base + start, 0x0A, remaining) {
            end = base.distance(to: UnsafeRawPointer(newline))
            nextOffset = end + 1
        } else {
            end = bytes.count
            nextOffset = end
        }
        let line = ByteLine(
            bytes: UnsafeRawBufferPointer(start: base + start, count: end - start),
            number: nextNumber,
            offset: start)
        nextNumber += 1
        return line
    }
}

/// One line of a file, read as whitespace-separated fields from left to right.
struct ByteLine {
    /// The line's bytes, without the newline.
    let bytes: UnsafeRawBufferPointer
    /// 1-based line number within the file.
    let number: Int
    /// Byte offset of the line's first byte within the file.
    let offset: Int
    /// Byte position within the line where the next field search starts.
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer, number: Int, offset: Int) {
        self.bytes = bytes
        self.number = number
        self.offset = offset
    }

    /// The next run of bytes that are neither space nor tab, or nil when the line has no more.
    mutating func nextField() -> UnsafeRawBufferPointer? {
        var index = position
        while index < bytes.count, ByteLine.isBlank(bytes[index]) { index += 1 }
        guard index < bytes.count else {
            position = index
            return nil
        }
        let start = index
        while index < bytes.count, !ByteLine.isBlank(bytes[index]) { index += 1 }
        position = index
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    /// The next field parsed as an unsigned decimal integer, or a parse error naming `field`.
    mutating func nextUnsigned(field: @autoclosure () -> String) throws(HostParseError) -> UInt64 {
        let start = fieldStart()
        guard let token = nextField() else {
            throw error(at: start, field: field(), reason: "missing, the line ends early")
        }
        guard let value = ByteNumber.unsigned(token) else {
            throw error(at: start, field: field(), reason: "\"\(String(decoding: token, as: UTF8.self))\" is not an unsigned integer")
        }
        return value
    }

    /// The next field parsed as a decimal number (Go's `strconv.ParseFloat`), or a parse error naming `field`.
    mutating func nextDecimal(field: @autoclosure () -> String) throws(HostParseError) -> Double {
        let start = fieldStart()
        guard let token = nextField() else {
            throw error(at: start, field: field(), reason: "missing, the line ends early")
        }
        guard let value = ByteNumber.decimal(token) else {
            throw error(at: start, field: field(), reason: "\"\(String(decoding: token, as: UTF8.self))\" is not a number")
        }
        return value
    }

    /// Byte offset (within the line) of the next field, for error messages.
    func fieldStart() -> Int {
        var index = position
        while index < bytes.count, ByteLine.isBlank(bytes[index]) { index += 1 }
        return index
    }

    /// A parse error located at `lineOffset` bytes into this line.
    func error(at lineOffset: Int, field: String, reason: String) -> HostParseError {
        HostParseError(line: number, byteOffset: offset + lineOffset, field: field, reason: reason)
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
