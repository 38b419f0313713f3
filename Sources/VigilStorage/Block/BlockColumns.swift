/// The columns of block chunks (docs/formats/chunk.md, "Block columns"): a timestamp column
/// and a value column per chunk, each a kind byte, the sample count and the data. The writer
/// tries the kinds that apply and keeps the smallest.
enum BlockColumns {
    enum TimestampKind: UInt8 {
        /// first, delta: every step equal.
        case regular = 1
        /// zigzag varints: first, first delta, then delta-of-delta.
        case deltaOfDelta = 2
        /// The same varints, raw-deflated.
        case deltaOfDeltaDeflated = 3
    }

    enum ValueKind: UInt8 {
        /// One value repeated.
        case constant = 1
        /// Gorilla XOR bit stream, as the value column of a head chunk.
        case gorilla = 2
        /// Integers `i` with value = Double(i) / 10^k: zigzag varints of the first integer and
        /// then deltas (order 1) or deltas of deltas (order 2).
        case decimal = 3
        /// The same, the varints raw-deflated.
        case decimalDeflated = 4
        /// Decimal integers whose differences (order 1 or 2), divided by a common factor and
        /// less a bias, are Rice codes in a bit stream (BlockColumns+DecimalRiceEncode.swift).
        case decimalRice = 5
        /// The same with a flag bit per difference, 0 for one that equals the bias: gauges that
        /// mostly stand still.
        case decimalRiceZeroFlags = 6
    }

    /// How a decimal Rice difference less the bias becomes the unsigned number that is coded.
    enum RiceMapping: UInt8 {
        /// zigzag: small magnitudes of either sign stay small (bias: the median).
        case zigzag = 0
        /// The two's complement bits, for differences never below the bias (bias: the least).
        case offset = 1
    }

    /// Powers of ten that Double holds exactly; decimal columns use 10^0 ... 10^9.
    static let powersOfTen: [Double] = (0...9).map { k in (0..<k).reduce(1.0) { value, _ in value * 10 } }

    // MARK: Deflated varints, shared by both columns

    /// kind | count | header | varints, or kind' | count | header | raw length | deflated
    /// varints, whichever is smaller.
    static func packed(_ varints: [UInt8], count: Int, raw: UInt8, deflated: UInt8, header: [UInt8]) -> [UInt8] {
        var plain: [UInt8] = [raw]
        plain.appendUVarint(UInt64(count))
        plain.append(contentsOf: header)
        let prefix = plain.count
        plain.append(contentsOf: varints)
        guard varints.count > 32 else { return plain }
        let compressed = Deflate.compress(varints)
        var packed: [UInt8] = [deflated]
        packed.appendUVarint(UInt64(count))
        packed.append(contentsOf: header)
        packed.appendUVarint(UInt64(varints.count))
        guard packed.count + compressed.count < prefix + varints.count else { return plain }
        packed.append(contentsOf: compressed)
        return packed
    }

    /// Reads the varints that follow the header, inflating them first for a deflated kind,
    /// and checks that `decode` read them without running out, and used them exactly when
    /// `toEnd`.
    static func unpacked<T>(
        _ reader: inout ByteReader, _ raw: UnsafeRawBufferPointer, deflated: Bool, toEnd: Bool, _ decode: (inout ByteReader) -> T
    ) -> T? {
        if !deflated {
            let start = reader.offset
            var body = ByteReader(UnsafeRawBufferPointer(rebasing: raw[start...]))
            let result = decode(&body)
            return !body.failed && (body.isAtEnd || !toEnd) ? result : nil
        }
        let length = Int(truncatingIfNeeded: reader.readUVarint())
        guard !reader.failed,
              let varints = Deflate.expand(UnsafeRawBufferPointer(rebasing: raw[reader.offset...]), length: length) else { return nil }
        return varints.withUnsafeBytes { bytes in
            var body = ByteReader(bytes)
            let result = decode(&body)
            return !body.failed && (body.isAtEnd || !toEnd) ? result : nil
        }
    }
}
