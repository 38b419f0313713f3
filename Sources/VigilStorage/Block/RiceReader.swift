/// Reads Rice codes (`RiceCode`) and single bits from a borrowed bit stream, most significant
/// bit first, through a 64-bit window: a code costs a few shifts and one leading-zero count,
/// not a loop over its bits.
///
/// Bits past the end read as zero and set `overrun`. Decoders read a bounded number of codes
/// (each consumes at least one bit) and check `overrun` afterwards instead of trusting a
/// count taken from possibly damaged bytes.
struct RiceReader {
    private let bytes: UnsafeRawBufferPointer
    /// The next byte not yet counted in `filled`.
    private var next = 0
    /// Unread bits, left-aligned. Bits below the first `filled` are either zero or the
    /// stream's next bits (a refill may load part of a byte ahead), never anything else.
    private var window: UInt64 = 0
    private var filled = 0
    private(set) var overrun = false

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Tops the window up to at least 56 bits, or to every bit left.
    @inline(__always)
    private mutating func refill() {
        guard filled < 56 else { return }
        guard next &+ 8 <= bytes.count else { return refillTail() }
        let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: next, as: UInt64.self))
        window |= word &>> UInt64(filled)
        let whole = (63 &- filled) &>> 3
        next &+= whole
        filled &+= whole &<< 3
    }

    /// `refill` within the last 8 bytes, a byte at a time.
    @inline(never)
    private mutating func refillTail() {
        while filled < 56, next < bytes.count {
            window |= UInt64(bytes[next]) &<< UInt64(56 &- filled)
            next &+= 1
            filled &+= 8
        }
    }

    /// Drops `count` (0...64) bits from the window; more than it holds is an overrun.
    @inline(__always)
    private mutating func consume(_ count: Int) {
        guard count <= filled else {
            overrun = true
            (window, filled) = (0, 0)
            return
        }
        window = count < 64 ? window &<< UInt64(count) : 0
        filled &-= count
    }

    /// The next `count` (1...56) bits; the window must have been refilled since the last read.
    @inline(__always)
    private mutating func take(_ count: Int) -> UInt64 {
        let value = window &>> UInt64(64 &- count)
        consume(count)
        return value
    }

    @inline(__always)
    mutating func readBit() -> Bool {
        refill()
        return take(1) == 1
    }

    /// The next Rice code with `parameter` (0...RiceCode.maxParameter).
    @inline(__always)
    mutating func read(parameter: Int) -> UInt64 {
        refill()
        // Past the end the window is zero, so the run of ones never outgrows `filled`.
        let ones = (~window).leadingZeroBitCount
        guard ones < RiceCode.escapeQuotient else { return readEscaped() }
        consume(ones &+ 1)
        guard parameter > 0 else { return UInt64(ones) }
        refill()
        return UInt64(ones) &<< UInt64(parameter) | take(parameter)
    }

    /// The rest of an escaped code: the run of ones, then 64 raw bits.
    @inline(never)
    private mutating func readEscaped() -> UInt64 {
        consume(RiceCode.escapeQuotient)
        refill()
        let high = take(32)
        refill()
        return high &<< 32 | take(32)
    }

    /// Whether the stream has been read to its last byte, leaving only zero padding bits
    /// (fewer than 8) in it.
    mutating func isAtCleanEnd() -> Bool {
        refill()
        return !overrun && next == bytes.count && filled < 8 && window == 0
    }
}
