import VigilModel

/// A series' timestamps: the first as a zigzag varint relative to the batch's base timestamp,
/// the second as an unsigned varint delta, the rest as zigzag varint delta-of-deltas. Regular
/// scrapes make every delta-of-delta 0 or close to it: one byte per sample.
///
/// Arithmetic wraps modulo 2^64 in both directions, so any Int64 timestamps round-trip; the
/// decoder's "strictly increasing" check also rejects any delta that overflowed.
enum TimestampColumn {
    static func encode(_ samples: UnsafeBufferPointer<Sample>, base: Int64, to out: inout ByteWriter) {
        guard let first = samples.first else { return }
        out.appendZigzagVarint(first.timestamp &- base)
        guard samples.count > 1 else { return }
        var previous = first.timestamp
        var previousDelta = UInt64(bitPattern: samples[1].timestamp &- previous)
        out.appendUVarint(previousDelta)
        previous = samples[1].timestamp
        for sample in samples.dropFirst(2) {
            let delta = UInt64(bitPattern: sample.timestamp &- previous)
            out.appendZigzagVarint(Int64(bitPattern: delta &- previousDelta))
            previous = sample.timestamp
            previousDelta = delta
        }
    }

    /// Decodes `samples.count` timestamps into `samples`.
    static func decode(
        into samples: UnsafeMutableBufferPointer<Sample>, base: Int64, from reader: inout ByteReader
    ) throws(WireError) {
        let count = samples.count
        var timestamp = base &+ (try reader.readZigzagVarint("first timestamp"))
        samples[0].timestamp = timestamp
        guard count > 1 else { return }
        var offset = reader.position
        var delta = try reader.readUVarint("timestamp delta")
        var next = timestamp &+ Int64(bitPattern: delta)
        for index in 1..<count {
            if index > 1 {
                offset = reader.position
                delta &+= UInt64(bitPattern: try reader.readZigzagVarint("timestamp delta-of-delta"))
                next = timestamp &+ Int64(bitPattern: delta)
            }
            guard next > timestamp else {
                throw .timestampNotIncreasing(previous: timestamp, timestamp: next, offset: offset)
            }
            timestamp = next
            samples[index].timestamp = timestamp
        }
    }
}
