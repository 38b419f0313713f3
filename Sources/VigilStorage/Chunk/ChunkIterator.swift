import VigilModel

/// Decodes the two columns of a chunk back into samples, oldest first.
///
/// Works on borrowed bytes: use it inside the `withIterator` of a `Chunk` or `ChunkAppender`.
/// `next()` returns nil after `count` samples, or when the bytes end early or hold an
/// impossible code, in which case `damaged` is set (never the case for encoder output).
struct ChunkIterator {
    private var timestamps: BitReader
    private var values: BitReader
    private let count: Int
    private var index = 0
    private var timestamp: Int64 = 0
    private var delta: Int64 = 0
    private var valueBits: UInt64 = 0
    private var leading = 0
    private var trailing = 0
    private var hasWindow = false
    private var malformed = false
    /// Set when the bytes ended early or held an impossible code.
    private(set) var damaged = false

    init(count: Int, timestamps: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer) {
        self.count = count
        self.timestamps = BitReader(timestamps)
        self.values = BitReader(values)
    }

    mutating func next() -> Sample? {
        guard index < count, !damaged else { return nil }
        readTimestamp()
        readValue()
        index += 1
        if timestamps.overrun || values.overrun || malformed {
            damaged = true
            return nil
        }
        return Sample(timestamp: timestamp, value: Double(bitPattern: valueBits))
    }

    /// The next value only, for a value column without timestamps (block columns); nil after
    /// `count` values or on damage.
    mutating func nextValue() -> Double? {
        guard index < count, !damaged else { return nil }
        readValue()
        index += 1
        if values.overrun || malformed {
            damaged = true
            return nil
        }
        return Double(bitPattern: valueBits)
    }

    private mutating func readTimestamp() {
        switch index {
        case 0:
            timestamp = ChunkFormat.unzigzag(timestamps.readUVarint())
        case 1:
            delta = Int64(bitPattern: timestamps.readUVarint())
            timestamp = timestamp &+ delta
        default:
            var ones = 0
            while ones < 4, timestamps.readBit() { ones += 1 }
            let dod: Int64
            switch ones {
            case 0: dod = 0
            case 1: dod = ChunkFormat.signExtend(timestamps.read(14), bits: 14)
            case 2: dod = ChunkFormat.signExtend(timestamps.read(17), bits: 17)
            case 3: dod = ChunkFormat.signExtend(timestamps.read(20), bits: 20)
            default: dod = Int64(bitPattern: timestamps.read(64))
            }
            delta = delta &+ dod
            timestamp = timestamp &+ delta
        }
    }

    private mutating func readValue() {
        if index == 0 {
            valueBits = values.read(64)
            return
        }
        guard values.readBit() else { return }
        if values.readBit() {
            let header = values.read(11)
            let significant = header & 63 == 0 ? 64 : Int(header & 63)
            leading = Int(header >> 6)
            trailing = 64 - leading - significant
            hasWindow = trailing >= 0
        }
        guard hasWindow else {
            // A `10` control before any window, or a window wider than 64 bits.
            malformed = true
            return
        }
        valueBits ^= values.read(64 - leading - trailing) << UInt64(trailing)
    }
}
