import VigilModel

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
    }

    /// Powers of ten that Double holds exactly; decimal columns use 10^0 ... 10^9.
    static let powersOfTen: [Double] = (0...9).map { k in (0..<k).reduce(1.0) { value, _ in value * 10 } }

    // MARK: Timestamps

    static func encodeTimestamps(_ samples: ArraySlice<Sample>) -> [UInt8] {
        let first = samples.first!.timestamp
        var out: [UInt8] = []
        if samples.count >= 2 {
            let delta = samples[samples.startIndex + 1].timestamp &- first
            var regular = true
            var previous = first
            for sample in samples.dropFirst() {
                if sample.timestamp &- previous != delta { regular = false; break }
                previous = sample.timestamp
            }
            if regular {
                out.append(TimestampKind.regular.rawValue)
                out.appendUVarint(UInt64(samples.count))
                out.appendVarint(first)
                out.appendVarint(delta)
                return out
            }
        }
        var varints: [UInt8] = []
        varints.reserveCapacity(samples.count)
        var previous: Int64 = 0
        var previousDelta: Int64 = 0
        for (position, sample) in samples.enumerated() {
            switch position {
            case 0: varints.appendVarint(sample.timestamp)
            case 1:
                previousDelta = sample.timestamp &- previous
                varints.appendVarint(previousDelta)
            default:
                let delta = sample.timestamp &- previous
                varints.appendVarint(delta &- previousDelta)
                previousDelta = delta
            }
            previous = sample.timestamp
        }
        return packed(varints, count: samples.count, raw: TimestampKind.deltaOfDelta.rawValue,
                      deflated: TimestampKind.deltaOfDeltaDeflated.rawValue, header: [])
    }

    /// Decodes a timestamp column; nil when it is malformed.
    static func decodeTimestamps(_ raw: UnsafeRawBufferPointer) -> TimestampColumn? {
        var reader = ByteReader(raw)
        let kind = TimestampKind(rawValue: reader.readByte())
        let count = Int(truncatingIfNeeded: reader.readUVarint())
        guard !reader.failed, let kind, count > 0, count <= 1 << 24 else { return nil }
        switch kind {
        case .regular:
            let first = reader.readVarint()
            let delta = reader.readVarint()
            guard !reader.failed, reader.isAtEnd else { return nil }
            return .regular(first: first, delta: delta, count: count)
        case .deltaOfDelta, .deltaOfDeltaDeflated:
            let listed: [Int64]? = unpacked(&reader, raw, deflated: kind == .deltaOfDeltaDeflated, toEnd: true) { reader in
                var out = [Int64](repeating: 0, count: count)
                var delta: Int64 = 0
                for position in 0..<count {
                    let number = reader.readVarint()
                    switch position {
                    case 0: out[0] = number
                    case 1:
                        delta = number
                        out[1] = out[0] &+ delta
                    default:
                        delta = delta &+ number
                        out[position] = out[position - 1] &+ delta
                    }
                }
                return out
            }
            return listed.map(TimestampColumn.listed)
        }
    }

    // MARK: Values

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
        }
    }

    // MARK: Helpers

    private static func gorilla(_ samples: ArraySlice<Sample>) -> [UInt8] {
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: 0, value: sample.value) }
        var out: [UInt8] = [ValueKind.gorilla.rawValue]
        out.appendUVarint(UInt64(samples.count))
        out.append(contentsOf: appender.values.bytes)
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

    /// kind | count | header | varints, or kind' | count | header | raw length | deflated
    /// varints, whichever is smaller.
    private static func packed(_ varints: [UInt8], count: Int, raw: UInt8, deflated: UInt8, header: [UInt8]) -> [UInt8] {
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
    private static func unpacked<T>(
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
