import VigilModel

/// The open chunk of a series: compresses samples as they arrive into two columns,
/// delta-of-delta timestamps and Gorilla XOR values (docs/formats/chunk.md).
///
/// Callers append timestamps in strictly increasing order; the head enforces that before
/// calling. Both columns live in one `OpenChunkBuffer`; appending costs no allocation except
/// when a column outgrows its region, or when a copy of the chunk (a reader's) shares the
/// buffer, which is then copied first: the appender is a value, copies never see later appends.
///
/// Sendable because the buffer is written only while uniquely referenced (checked with
/// `isKnownUniquelyReferenced`): a buffer another copy can see, such as a series copied under
/// the shard lock and read outside it, never changes.
struct ChunkAppender: @unchecked Sendable {
    /// Samples per chunk before the head cuts a new one (as in Prometheus' head).
    static let samplesPerChunk = 120
    /// Regions of a series' first buffer: a millisecond timestamp and the first delta take
    /// about 8 bytes, then a regular interval one bit a sample; a first value takes 8 bytes.
    static let initialTimestampBytes = 16
    static let initialValueBytes = 24

    /// Nil until the first sample.
    private var buffer: OpenChunkBuffer?
    private(set) var lastTimestamp: Int64 = 0
    private var storedCount: UInt16 = 0

    init() {}

    var count: Int { Int(storedCount) }
    var isFull: Bool { count >= Self.samplesPerChunk }

    /// The first sample's timestamp; the chunk must hold a sample.
    var firstTimestamp: Int64 { buffer!.firstTimestamp }

    /// The newest sample; the chunk must hold one.
    var lastSample: Sample { Sample(timestamp: lastTimestamp, value: Double(bitPattern: buffer!.state.lastValueBits)) }

    mutating func append(timestamp: Int64, value: Double) {
        if buffer == nil {
            buffer = .make(timestampBytes: Self.initialTimestampBytes, valueBytes: Self.initialValueBytes)
        } else if !isKnownUniquelyReferenced(&buffer!) {
            let shared = buffer!
            buffer = shared.copy(timestampBytes: shared.regionBytes(.timestamps), valueBytes: shared.regionBytes(.values))
        }
        appendTimestamp(timestamp)
        appendValue(value.bitPattern)
        lastTimestamp = timestamp
        storedCount += 1
    }

    /// Empties the chunk for the series' next one, after this one was cut. Keeps the buffer
    /// when no copy shares it and it suits the columns this chunk took (the next chunk of a
    /// series takes about as many bytes), else allocates one sized for them.
    mutating func restart() {
        storedCount = 0
        lastTimestamp = 0
        guard buffer != nil else { return }
        let timestampBytes = Self.reserve(buffer!.timestampBytes)
        let valueBytes = Self.reserve(buffer!.valueBytes)
        if isKnownUniquelyReferenced(&buffer!), buffer!.suits(timestampBytes: timestampBytes, valueBytes: valueBytes) {
            buffer!.reset(timestampBytes: timestampBytes)
        } else {
            buffer = .make(timestampBytes: timestampBytes, valueBytes: valueBytes)
        }
    }

    /// A region for a column that took `bytes` in the previous chunk: a thirty-second more and
    /// two bytes, for chunks that come out a little larger than the last (a larger one grows
    /// its region once, near its end).
    private static func reserve(_ bytes: Int) -> Int {
        bytes + bytes / 32 + 2
    }

    private mutating func appendTimestamp(_ timestamp: Int64) {
        switch storedCount {
        case 0:
            writeTimestampUVarint(ChunkFormat.zigzag(timestamp))
        case 1:
            let delta = timestamp &- lastTimestamp
            writeTimestampUVarint(UInt64(bitPattern: delta))
            buffer.unsafelyUnwrapped.withState { $0.lastDelta = delta }
        default:
            let delta = timestamp &- lastTimestamp
            let dod = buffer.unsafelyUnwrapped.withState { state in
                defer { state.lastDelta = delta }
                return delta &- state.lastDelta
            }
            if dod == 0 {
                write(bit: false, to: .timestamps)
                return
            }
            let raw = UInt64(bitPattern: dod)
            if ChunkFormat.fits(dod, bits: 14) {
                write(0b10 << 14 | raw & 0x3fff, count: 16, to: .timestamps)
            } else if ChunkFormat.fits(dod, bits: 17) {
                write(0b110 << 17 | raw & 0x1_ffff, count: 20, to: .timestamps)
            } else if ChunkFormat.fits(dod, bits: 20) {
                write(0b1110 << 20 | raw & 0xf_ffff, count: 24, to: .timestamps)
            } else {
                write(0b1111, count: 4, to: .timestamps)
                write(raw, count: 64, to: .timestamps)
            }
        }
    }

    private mutating func appendValue(_ bits: UInt64) {
        let state = buffer.unsafelyUnwrapped.withState { state in
            defer { state.lastValueBits = bits }
            return state
        }
        if storedCount == 0 {
            write(bits, count: 64, to: .values)
            return
        }
        let xor = bits ^ state.lastValueBits
        if xor == 0 {
            write(bit: false, to: .values)
            return
        }
        let lead = UInt8(min(xor.leadingZeroBitCount, 31))
        let trail = UInt8(xor.trailingZeroBitCount)
        if state.leading != 0xff, lead >= state.leading, trail >= state.trailing {
            write(0b10, count: 2, to: .values)
            write(xor >> UInt64(state.trailing), count: 64 - Int(state.leading) - Int(state.trailing), to: .values)
            return
        }
        buffer.unsafelyUnwrapped.withState { state in
            state.leading = lead
            state.trailing = trail
        }
        let significant = 64 - Int(lead) - Int(trail)
        // 5 bits of leading zeros, then 6 bits of significant length where 0 stands for 64.
        write(0b11 << 11 | UInt64(lead) << 6 | UInt64(significant & 63), count: 13, to: .values)
        write(xor >> UInt64(trail), count: significant, to: .values)
    }

    @inline(__always)
    private mutating func write(_ value: UInt64, count: Int, to column: OpenChunkBuffer.Column) {
        if !buffer.unsafelyUnwrapped.hasRoom(forBits: count, in: column) { grow(column, forBits: count) }
        buffer.unsafelyUnwrapped.write(value, count: count, to: column)
    }

    @inline(__always)
    private mutating func write(bit: Bool, to column: OpenChunkBuffer.Column) {
        if !buffer.unsafelyUnwrapped.hasRoom(forBits: 1, in: column) { grow(column, forBits: 1) }
        buffer.unsafelyUnwrapped.write(bit: bit, to: column)
    }

    private mutating func writeTimestampUVarint(_ value: UInt64) {
        let bits = BitWriter.uvarintBits(value)
        if !buffer.unsafelyUnwrapped.hasRoom(forBits: bits, in: .timestamps) { grow(.timestamps, forBits: bits) }
        buffer.unsafelyUnwrapped.writeTimestampUVarint(value)
    }

    /// Moves the columns to a buffer whose region of `column` holds `count` more bits: as
    /// many bytes as the column's rate so far projects for a whole chunk, at least 8 more and
    /// at most about double (the first timestamp and value are costlier than the rest, so
    /// early rates overstate). Past a whole chunk (block columns) it grows by half.
    private mutating func grow(_ column: OpenChunkBuffer.Column, forBits count: Int) {
        let old = buffer.unsafelyUnwrapped
        let needed = (old.bits(column) + count + 7) >> 3
        let grown: Int
        if storedCount >= Self.samplesPerChunk {
            grown = needed + needed / 2
        } else {
            let projected = needed * Self.samplesPerChunk / max(1, Int(storedCount))
            grown = min(max(projected, needed + 8), 2 * needed + 8)
        }
        buffer = old.copy(timestampBytes: column == .timestamps ? grown : old.regionBytes(.timestamps),
                          valueBytes: column == .values ? grown : old.regionBytes(.values))
    }

    /// The chunk's bytes as specified in docs/formats/chunk.md.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ChunkFormat.fixedHeaderBytes + 5 + (buffer.map { $0.timestampBytes + $0.valueBytes } ?? 0))
        serialize(appendingTo: &out)
        return out
    }

    /// Appends the chunk's bytes to `out`, as `serialized()` would return them.
    func serialize(appendingTo out: inout [UInt8]) {
        withColumns { timestamps, values in
            ChunkFormat.serialize(count: count, timestamps: timestamps, values: values, appendingTo: &out)
        }
    }

    /// Appends the value column's bytes alone to `out` (a block's Gorilla value column).
    func appendValueColumn(to out: inout [UInt8]) {
        withColumns { _, values in out.append(contentsOf: values) }
    }

    /// Runs `body` with an iterator over the samples appended so far.
    func withIterator<R>(_ body: (inout ChunkIterator) -> R) -> R {
        withColumns { timestamps, values in
            var iterator = ChunkIterator(count: count, timestamps: timestamps, values: values)
            return body(&iterator)
        }
    }

    private func withColumns<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
        guard let buffer else {
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            return body(empty, empty)
        }
        return buffer.withColumns(body)
    }

    /// Heap bytes of the buffer (none before the first sample).
    var heapBytes: Int { buffer?.heapBytes ?? 0 }
}
