import VigilModel

/// The open chunk of a series: compresses samples as they arrive into two columns,
/// delta-of-delta timestamps and Gorilla XOR values (docs/formats/chunk.md).
///
/// Callers append timestamps in strictly increasing order; the head enforces that before
/// calling. Appending costs no allocation except when a column's byte array grows.
struct ChunkAppender {
    /// Samples per chunk before the head cuts a new one (as in Prometheus' head).
    static let samplesPerChunk = 120

    private(set) var timestamps = BitWriter()
    private(set) var values = BitWriter()
    private var storedCount: UInt16 = 0
    private(set) var firstTimestamp: Int64 = 0
    private(set) var lastTimestamp: Int64 = 0
    private var lastDelta: Int64 = 0
    private(set) var lastValueBits: UInt64 = 0
    /// Leading and trailing zero bits of the current XOR window; `leading == 0xff` means none yet.
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

    init() {}

    var count: Int { Int(storedCount) }
    var isFull: Bool { count >= Self.samplesPerChunk }
    var lastSample: Sample { Sample(timestamp: lastTimestamp, value: Double(bitPattern: lastValueBits)) }

    mutating func append(timestamp: Int64, value: Double) {
        appendTimestamp(timestamp)
        appendValue(value.bitPattern)
        if storedCount == 0 { firstTimestamp = timestamp }
        lastTimestamp = timestamp
        storedCount += 1
    }

    private mutating func appendTimestamp(_ timestamp: Int64) {
        switch storedCount {
        case 0:
            timestamps.writeUVarint(ChunkFormat.zigzag(timestamp))
        case 1:
            let delta = timestamp &- lastTimestamp
            timestamps.writeUVarint(UInt64(bitPattern: delta))
            lastDelta = delta
        default:
            let delta = timestamp &- lastTimestamp
            let dod = delta &- lastDelta
            lastDelta = delta
            if dod == 0 {
                timestamps.write(bit: false)
                return
            }
            let raw = UInt64(bitPattern: dod)
            if ChunkFormat.fits(dod, bits: 14) {
                timestamps.write(0b10 << 14 | raw & 0x3fff, count: 16)
            } else if ChunkFormat.fits(dod, bits: 17) {
                timestamps.write(0b110 << 17 | raw & 0x1_ffff, count: 20)
            } else if ChunkFormat.fits(dod, bits: 20) {
                timestamps.write(0b1110 << 20 | raw & 0xf_ffff, count: 24)
            } else {
                timestamps.write(0b1111, count: 4)
                timestamps.write(raw, count: 64)
            }
        }
    }

    private mutating func appendValue(_ bits: UInt64) {
        defer { lastValueBits = bits }
        if storedCount == 0 {
            values.write(bits, count: 64)
            return
        }
        let xor = bits ^ lastValueBits
        if xor == 0 {
            values.write(bit: false)
            return
        }
        let lead = UInt8(min(xor.leadingZeroBitCount, 31))
        let trail = UInt8(xor.trailingZeroBitCount)
        if leading != 0xff, lead >= leading, trail >= trailing {
            values.write(0b10, count: 2)
            values.write(xor >> UInt64(trailing), count: 64 - Int(leading) - Int(trailing))
            return
        }
        leading = lead
        trailing = trail
        let significant = 64 - Int(lead) - Int(trail)
        // 5 bits of leading zeros, then 6 bits of significant length where 0 stands for 64.
        values.write(0b11 << 11 | UInt64(lead) << 6 | UInt64(significant & 63), count: 13)
        values.write(xor >> UInt64(trail), count: significant)
    }

    /// The chunk's bytes as specified in docs/formats/chunk.md.
    func serialized() -> [UInt8] {
        ChunkFormat.serialize(count: count, timestamps: timestamps.bytes, values: values.bytes)
    }

    /// Appends the chunk's bytes to `out`, as `serialized()` would return them.
    func serialize(appendingTo out: inout [UInt8]) {
        ChunkFormat.serialize(count: count, timestamps: timestamps.bytes, values: values.bytes, appendingTo: &out)
    }

    /// Runs `body` with an iterator over the samples appended so far.
    func withIterator<R>(_ body: (inout ChunkIterator) -> R) -> R {
        timestamps.bytes.withUnsafeBytes { ts in
            values.bytes.withUnsafeBytes { vs in
                var iterator = ChunkIterator(count: count, timestamps: ts, values: vs)
                return body(&iterator)
            }
        }
    }

    /// Bytes of heap memory held by the two columns, including array headers.
    var heapBytes: Int {
        timestamps.bytes.capacity + values.bytes.capacity + 2 * ChunkFormat.arrayOverhead
    }
}
