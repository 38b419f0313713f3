import VigilModel

/// Timestamp columns of block chunks (docs/formats/chunk.md, "Timestamp column").
extension BlockColumns {
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
}
