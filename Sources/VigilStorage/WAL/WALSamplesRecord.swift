import VigilModel

/// Encodes the payload of a samples record (docs/formats/wal.md): an optional idempotency
/// key, a base timestamp, then per series its ref, sample count and samples, timestamps as
/// deltas and values XORed with the previous value of the same entry, zero bytes trimmed.
struct WALSamplesWriter {
    private let baseTimestamp: Int64
    private var previousTimestamp: Int64 = 0
    private var previousBits: UInt64 = 0
    private var first = true

    static let flagIdempotencyKey: UInt8 = 1

    /// Appends the record header fields; call `appendEntry` and `appendSample` next.
    init(key: IdempotencyKey?, baseTimestamp: Int64, into buffer: inout [UInt8]) {
        self.baseTimestamp = baseTimestamp
        if let key {
            buffer.append(Self.flagIdempotencyKey)
            buffer.appendString(key.producer)
            buffer.appendUVarint(key.sequence)
        } else {
            buffer.append(0)
        }
        buffer.appendVarint(baseTimestamp)
    }

    /// Starts the samples of one series; exactly `count` (at least 1) `appendSample` calls follow.
    @inline(__always)
    mutating func appendEntry(ref: UInt64, count: Int, into buffer: inout [UInt8]) {
        buffer.appendUVarint(ref)
        buffer.appendUVarint(UInt64(count))
        first = true
    }

    @inline(__always)
    mutating func appendSample(timestamp: Int64, value: Double, into buffer: inout [UInt8]) {
        let bits = value.bitPattern
        if first {
            buffer.appendVarint(timestamp &- baseTimestamp)
            WALSamplesWriter.appendXOR(bits, into: &buffer)
            first = false
        } else {
            buffer.appendUVarint(UInt64(bitPattern: timestamp &- previousTimestamp))
            WALSamplesWriter.appendXOR(bits ^ previousBits, into: &buffer)
        }
        previousTimestamp = timestamp
        previousBits = bits
    }

    /// One control byte (leading zero bytes << 4 | trailing zero bytes), then the bytes between,
    /// most significant first. Zero is 0x80 alone.
    @inline(__always)
    static func appendXOR(_ xor: UInt64, into buffer: inout [UInt8]) {
        if xor == 0 {
            buffer.append(0x80)
            return
        }
        let leading = xor.leadingZeroBitCount >> 3
        let trailing = xor.trailingZeroBitCount >> 3
        buffer.append(UInt8(leading << 4 | trailing))
        var shift = (7 - leading) * 8
        let last = trailing * 8
        while shift >= last {
            buffer.append(UInt8(truncatingIfNeeded: xor >> UInt64(shift)))
            shift -= 8
        }
    }
}

/// Decodes a samples record payload written by `WALSamplesWriter`.
struct WALSamplesReader {
    private var reader: ByteReader
    private let baseTimestamp: Int64
    private var previousTimestamp: Int64 = 0
    private var previousBits: UInt64 = 0
    private var remaining = 0
    private var first = true
    let key: IdempotencyKey?
    private(set) var malformed: String?

    init(_ payload: UnsafeRawBufferPointer) {
        reader = ByteReader(payload)
        let flags = reader.readByte()
        if flags & WALSamplesWriter.flagIdempotencyKey != 0 {
            let producer = reader.readString()
            key = IdempotencyKey(producer: producer, sequence: reader.readUVarint())
        } else {
            key = nil
        }
        baseTimestamp = reader.readVarint()
        if flags & ~WALSamplesWriter.flagIdempotencyKey != 0 {
            malformed = "samples record has unknown flags \(flags)"
        } else if reader.failed {
            malformed = "samples record header runs past the payload"
        }
    }

    /// The next series entry, or nil at the end of the payload or when it is malformed.
    mutating func nextEntry() -> (ref: UInt64, count: Int)? {
        guard malformed == nil, !reader.isAtEnd else { return nil }
        precondition(remaining == 0, "bug: WALSamplesReader.nextEntry before the previous entry was read")
        let start = reader.offset
        let ref = reader.readUVarint()
        let count = reader.readUVarint()
        guard !reader.failed, count > 0, count <= UInt64(Int32.max) else {
            malformed = "samples entry at payload offset \(start) has a bad ref or sample count"
            return nil
        }
        remaining = Int(count)
        first = true
        return (ref, remaining)
    }

    /// The next sample of the current entry; nil when it is malformed.
    mutating func nextSample() -> Sample? {
        guard malformed == nil, remaining > 0 else { return nil }
        let start = reader.offset
        let timestamp: Int64
        let bits: UInt64
        if first {
            timestamp = baseTimestamp &+ reader.readVarint()
            bits = readXOR()
            first = false
        } else {
            timestamp = previousTimestamp &+ Int64(bitPattern: reader.readUVarint())
            bits = readXOR() ^ previousBits
        }
        if reader.failed || malformed != nil {
            malformed = "sample at payload offset \(start): \(malformed ?? "runs past the payload")"
            return nil
        }
        remaining -= 1
        previousTimestamp = timestamp
        previousBits = bits
        return Sample(timestamp: timestamp, value: Double(bitPattern: bits))
    }

    @inline(__always)
    private mutating func readXOR() -> UInt64 {
        let control = reader.readByte()
        let leading = Int(control >> 4)
        let trailing = Int(control & 0x0f)
        if control == 0x80 { return 0 }
        guard leading + trailing < 8 else {
            malformed = "value control byte \(control) is impossible"
            return 0
        }
        var xor: UInt64 = 0
        for _ in 0..<(8 - leading - trailing) {
            xor = xor << 8 | UInt64(reader.readByte())
        }
        return xor << UInt64(trailing * 8)
    }
}
