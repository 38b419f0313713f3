import VigilModel

/// Value columns of block chunks (docs/formats/chunk.md, "Value column"): the writer tries the
/// kinds that apply and keeps the smallest.
extension BlockColumns {
    /// The value column of `samples` (at least one): kind 1 when every value has the same
    /// bits, otherwise the smallest of kind 2 and, when the values are decimals, kinds 3 to 6.
    /// Costs a Gorilla pass, two deflate calls and a few passes for the Rice kinds.
    static func encodeValues(_ samples: ArraySlice<Sample>) -> [UInt8] {
        let first = samples.first!.value.bitPattern
        var out: [UInt8] = []
        if samples.allSatisfy({ $0.value.bitPattern == first }) {
            out.append(ValueKind.constant.rawValue)
            out.appendUVarint(UInt64(samples.count))
            out.appendUInt64LE(first)
            return out
        }
        var best = gorilla(samples)
        if let (decimals, integers) = decimalIntegers(samples) {
            let byDelta = integerVarints(integers, order: 1)
            let byDeltaOfDelta = integerVarints(integers, order: 2)
            let (order, varints) = byDeltaOfDelta.count < byDelta.count ? (UInt8(2), byDeltaOfDelta) : (UInt8(1), byDelta)
            let candidate = packed(varints, count: samples.count, raw: ValueKind.decimal.rawValue,
                                   deflated: ValueKind.decimalDeflated.rawValue, header: [UInt8(decimals), order])
            if candidate.count < best.count { best = candidate }
            let rice = decimalRice(integers, decimals: decimals)
            if rice.count < best.count { best = rice }
        }
        return best
    }

    /// Decodes a value column, calling `sink` with each value in order, and stops after
    /// `limit` values: the values are delta coded, so reading the first n costs n, not the
    /// column. Returns the number of values passed, min(limit, the column's count), or nil
    /// when the column is malformed as far as it was read (some values may have been passed
    /// already); only a whole read checks that nothing follows the last value.
    static func decodeValues(_ raw: UnsafeRawBufferPointer, limit: Int = .max, _ sink: (Double) -> Void) -> Int? {
        var reader = ByteReader(raw)
        let kind = ValueKind(rawValue: reader.readByte())
        let stored = Int(truncatingIfNeeded: reader.readUVarint())
        guard !reader.failed, let kind, stored > 0, stored <= 1 << 24 else { return nil }
        let count = Swift.min(stored, limit)
        switch kind {
        case .constant:
            let bits = reader.readUInt64LE()
            guard !reader.failed, reader.isAtEnd else { return nil }
            for _ in 0..<count { sink(Double(bitPattern: bits)) }
            return count
        case .gorilla:
            let start = reader.offset
            var iterator = ChunkIterator(count: count, timestamps: UnsafeRawBufferPointer(start: nil, count: 0),
                                         values: UnsafeRawBufferPointer(rebasing: raw[start...]))
            var decoded = 0
            while decoded < count, let value = iterator.nextValue() {
                sink(value)
                decoded += 1
            }
            return decoded == count ? count : nil
        case .decimal, .decimalDeflated:
            let decimals = Int(reader.readByte())
            let order = reader.readByte()
            guard !reader.failed, decimals < powersOfTen.count, order == 1 || order == 2 else { return nil }
            let scale = powersOfTen[decimals]
            let complete: Bool? = unpacked(&reader, raw, deflated: kind == .decimalDeflated, toEnd: count == stored) { reader in
                var integer: Int64 = 0
                var delta: Int64 = 0
                for position in 0..<count {
                    let number = reader.readVarint()
                    if position == 0 {
                        integer = number
                    } else if order == 1 || position == 1 {
                        delta = number
                        integer = integer &+ delta
                    } else {
                        delta = delta &+ number
                        integer = integer &+ delta
                    }
                    sink(Double(integer) / scale)
                }
                return true
            }
            return complete == nil ? nil : count
        case .decimalRice, .decimalRiceZeroFlags:
            return decodeDecimalRice(&reader, raw, zeroFlags: kind == .decimalRiceZeroFlags, count: count, stored: stored, sink)
        }
    }

    private static func gorilla(_ samples: ArraySlice<Sample>) -> [UInt8] {
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: 0, value: sample.value) }
        var out: [UInt8] = [ValueKind.gorilla.rawValue]
        out.appendUVarint(UInt64(samples.count))
        appender.appendValueColumn(to: &out)
        return out
    }

    /// The fewest decimals k ≤ 9 for which every value is exactly Double(i) / 10^k for an
    /// integer i of at most 53 bits, with those integers.
    private static func decimalIntegers(_ samples: ArraySlice<Sample>) -> (Int, [Int64])? {
        var integers = [Int64](repeating: 0, count: samples.count)
        search: for (decimals, scale) in powersOfTen.enumerated() {
            for (position, sample) in samples.enumerated() {
                let scaled = (sample.value * scale).rounded()
                guard scaled.isFinite, abs(scaled) < 9.007e15 else { continue search }
                let integer = Int64(scaled)
                guard (Double(integer) / scale).bitPattern == sample.value.bitPattern else { continue search }
                integers[position] = integer
            }
            return (decimals, integers)
        }
        return nil
    }

    private static func integerVarints(_ integers: [Int64], order: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(integers.count * 2)
        var previousDelta: Int64 = 0
        for position in integers.indices {
            if position == 0 {
                out.appendVarint(integers[0])
                continue
            }
            let delta = integers[position] &- integers[position - 1]
            out.appendVarint(order == 1 || position == 1 ? delta : delta &- previousDelta)
            previousDelta = delta
        }
        return out
    }
}
