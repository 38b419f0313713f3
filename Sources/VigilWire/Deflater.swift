import CZlib

/// One zlib deflate stream (RFC 1950 output), set up once and reset after every use, so
/// compressing input after input costs one `deflateInit` in all instead of one per input.
/// At the default window and memory level the stream holds about 256 KiB of zlib state, of
/// which about 100 KiB is touched when compressing a 10 KB input.
///
/// `deflateReset` returns the stream to the state `deflateInit` left it in (level, window
/// size and memory level kept, hash chains cleared), so an input compresses to the same
/// bytes on a reused stream as on a new one; `BatchCompressorTests` checks this.
///
/// Not thread-safe: one owner at a time.
final class Deflater {
    /// zlib's internal state points back at its `z_stream`, so the stream lives at a fixed
    /// address rather than in a Swift property that may move.
    private let stream: UnsafeMutablePointer<z_stream>
    /// Output space kept between calls, at least `deflateBound` of the last input.
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// Scratch space beyond this is freed after the call that needed it, so one large input
    /// does not pin its output buffer for the owner's lifetime.
    private static let retainedScratchBytes = 1 << 20

    /// `level` is zlib's: 0 = store ... 9 = smallest, -1 = zlib's default (6). A level
    /// outside -1...9 is a programming error and traps.
    init(level: Int32) {
        precondition((-1...9).contains(level), "Deflater: level \(level) is outside -1...9")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit_(stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "Deflater: deflateInit failed with \(status) (out of memory?)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Compresses `bytes` into one complete zlib stream, returned in an array of exactly its
    /// size (the worst-case-sized working buffer stays here for the next call).
    func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        defer { deflateReset(stream) }
        reserveScratch(Int(deflateBound(stream, uLong(bytes.count))))
        var consumed = 0
        var produced = 0
        while true {
            if produced == scratch.count { reserveScratch(max(scratch.count * 2, 64), keeping: produced) }
            let chunkIn = min(bytes.count - consumed, Int(UInt32.max))
            let room = min(scratch.count - produced, Int(UInt32.max))
            stream.pointee.next_in = chunkIn == 0 ? nil
                : UnsafeMutablePointer(mutating: bytes.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(chunkIn)
            stream.pointee.next_out = scratch.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(room)
            let isLast = consumed + chunkIn == bytes.count
            let status = deflate(stream, isLast ? Z_FINISH : Z_NO_FLUSH)
            consumed += chunkIn - Int(stream.pointee.avail_in)
            produced += room - Int(stream.pointee.avail_out)
            if status == Z_STREAM_END { break }
            precondition(status == Z_OK || status == Z_BUF_ERROR, "Deflater: deflate failed with \(status)")
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        let output = [UInt8](UnsafeRawBufferPointer(rebasing: scratch[..<produced]))
        if scratch.count > Self.retainedScratchBytes {
            scratch.deallocate()
            scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        }
        return output
    }

    /// Makes `scratch` at least `count` bytes long, keeping its first `keeping` bytes.
    private func reserveScratch(_ count: Int, keeping: Int = 0) {
        guard scratch.count < count else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        if keeping > 0 { grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[..<keeping])) }
        scratch.deallocate()
        scratch = grown
    }
}
