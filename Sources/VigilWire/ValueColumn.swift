import VigilModel

/// A series' values: the first as its raw IEEE 754 bits (8 bytes, little-endian), the rest
/// XOR-encoded against the previous value in a bit stream padded to a whole byte:
///
/// - `0`: the same bits as the previous value.
/// - `10` + bits: the XOR fits the previous window (as many leading and trailing zero bits or
///   more); the window's meaningful bits follow.
/// - `11` + 5 bits leading zeros (0...31) + 6 bits meaningful length (1...64, 64 written as 0)
///   + that many bits: a new window.
///
/// An unchanged gauge costs one bit, a slowly moving counter a dozen or two.
enum ValueColumn {
    static func encode(_ samples: UnsafeBufferPointer<Sample>, to out: inout ByteWriter) {
        guard let first = samples.first else { return }
        var previous = first.value.bitPattern
        out.appendLittleEndian(previous)
        guard samples.count > 1 else { return }
        var bits = BitWriter()
        var windowLeading = -1
        var windowTrailing = 0
        for sample in samples.dropFirst() {
            let current = sample.value.bitPattern
            let xor = current ^ previous
            previous = current
            if xor == 0 {
                bits.write(0, count: 1, to: &out)
                continue
            }
            let leading = min(xor.leadingZeroBitCount, 31)
            let trailing = xor.trailingZeroBitCount
            if windowLeading >= 0, leading >= windowLeading, trailing >= windowTrailing {
                bits.write(0b10, count: 2, to: &out)
                bits.write(xor >> UInt64(windowTrailing), count: 64 - windowLeading - windowTrailing, to: &out)
            } else {
                windowLeading = leading
                windowTrailing = trailing
                let length = 64 - leading - trailing
                bits.write(0b11, count: 2, to: &out)
                bits.write(UInt64(leading), count: 5, to: &out)
                bits.write(UInt64(length & 63), count: 6, to: &out)
                bits.write(xor >> UInt64(trailing), count: length, to: &out)
            }
        }
        bits.finish(to: &out)
    }

    /// Decodes the values of `samples` (whose timestamps are already set) and leaves the
    /// reader after the column's padding.
    static func decode(into samples: UnsafeMutableBufferPointer<Sample>, from reader: inout ByteReader) throws(WireError) {
        let start = reader.position
        var previous = try reader.readLittleEndianUInt64("first value")
        samples[0].value = Double(bitPattern: previous)
        guard samples.count > 1 else { return }
        let columnStart = reader.position
        var bits = BitReader(base: reader.base, position: columnStart, end: reader.end)
        var windowLeading = -1
        var windowTrailing = 0
        for index in 1..<samples.count {
            guard let changed = bits.readBit() else { throw truncated(start) }
            if changed {
                guard let isNewWindow = bits.readBit() else { throw truncated(start) }
                if isNewWindow {
                    guard let header = bits.read(11) else { throw truncated(start) }
                    let leading = Int(header >> 6)
                    let length = header & 63 == 0 ? 64 : Int(header & 63)
                    guard leading + length <= 64 else {
                        throw .invalidValueEncoding(
                            reason: "window of \(leading) leading zeros and \(length) meaningful bits exceeds 64 bits",
                            offset: bits.bytePosition)
                    }
                    windowLeading = leading
                    windowTrailing = 64 - leading - length
                } else if windowLeading < 0 {
                    throw .invalidValueEncoding(reason: "value \(index) reuses a window before one was set", offset: bits.bytePosition)
                }
                let length = 64 - windowLeading - windowTrailing
                let meaningful: UInt64
                if length <= 56 {
                    guard let bitsRead = bits.read(length) else { throw truncated(start) }
                    meaningful = bitsRead
                } else {
                    guard let high = bits.read(length - 32), let low = bits.read(32) else { throw truncated(start) }
                    meaningful = high << 32 | low
                }
                previous ^= meaningful << UInt64(windowTrailing)
            }
            samples[index].value = Double(bitPattern: previous)
        }
        guard bits.skipPadding() else {
            throw .invalidValueEncoding(reason: "padding bits after the last value are not zero", offset: bits.bytePosition - 1)
        }
        reader.position = bits.bytePosition
    }

    private static func truncated(_ offset: Int) -> WireError {
        .truncated(field: "value column", offset: offset)
    }
}
