import CZlib

/// zlib streams (RFC 1950: deflate with a two-byte header and an Adler-32 trailer), the framing
/// of a batch body on the wire (`Content-Encoding: deflate`).
public enum Zlib {
    /// Compresses `bytes` into one complete zlib stream at `level` (0 = store ... 9 = smallest,
    /// -1 = zlib's default). Sets up and frees a zlib stream per call (about 256 KiB of state;
    /// for a batch of a few KB that costs more than half as much again as compressing it);
    /// `BatchCompressor` keeps one stream for callers that compress repeatedly. A level outside
    /// -1...9 is a programming error and traps.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        Deflater(level: level).compress(bytes)
    }

    /// Inflates one complete zlib stream, producing at most `maxOutputBytes` bytes (a negative
    /// limit counts as 0).
    ///
    /// Output memory grows by doubling and never past `maxOutputBytes`; as soon as the stream
    /// would produce one byte more, inflating stops and `WireError.inflatedTooLarge` is thrown,
    /// so a decompression bomb costs at most the limit. Throws `zlibTruncated` when the input
    /// ends before the stream's end marker and checksum, `zlibTrailingBytes` when bytes follow
    /// it, and `zlibCorrupt` for anything zlib rejects.
    /// The framing around a deflate stream.
    public enum Container: Sendable {
        case zlib, gzip
    }

    public static func decompress(_ bytes: UnsafeRawBufferPointer, maxOutputBytes: Int) throws(WireError) -> [UInt8] {
        try withInflated(bytes, maxOutputBytes: maxOutputBytes) { [UInt8]($0) }
    }

    /// Inflates as `decompress` does and lends the output to `body` without copying it into
    /// an array; the bytes are freed when `body` returns.
    ///
    /// `container` chooses the framing: `.zlib` (RFC 1950, HTTP's `deflate`) or `.gzip`
    /// (RFC 1952, HTTP's `gzip`, as Prometheus text imports are often sent).
    public static func withInflated<Result>(
        _ bytes: UnsafeRawBufferPointer, maxOutputBytes: Int, container: Container = .zlib,
        _ body: (UnsafeRawBufferPointer) throws(WireError) -> Result
    ) throws(WireError) -> Result {
        let maxOutputBytes = max(0, maxOutputBytes)
        var stream = z_stream()
        let windowBits: Int32 = container == .gzip ? 16 + MAX_WBITS : MAX_WBITS
        let initStatus = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "Zlib.decompress: inflateInit failed with \(initStatus) (out of memory?)")
        defer { inflateEnd(&stream) }

        var output = UnsafeMutableRawBufferPointer.allocate(
            byteCount: min(maxOutputBytes, max(bytes.count * 4, 16 << 10)), alignment: 16)
        defer { output.deallocate() }
        var produced = 0
        var consumed = 0
        while true {
            if produced == output.count, output.count < maxOutputBytes {
                let grown = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: min(maxOutputBytes, max(output.count * 2, 16 << 10)), alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: output[..<produced]))
                output.deallocate()
                output = grown
            }
            let step: (status: Int32, input: Int, output: Int)
            let atLimit = produced == output.count
            if atLimit {
                // The output is full at the limit: inflate into one spare byte to learn whether
                // the stream ends here or would grow past the limit.
                var probe: UInt8 = 0
                step = withUnsafeMutableBytes(of: &probe) { inflateStep(&stream, bytes, from: consumed, into: $0) }
                if step.output > 0 { throw .inflatedTooLarge(limit: maxOutputBytes, offset: consumed + step.input) }
            } else {
                step = inflateStep(&stream, bytes, from: consumed, into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
            }
            consumed += step.input
            produced += step.output
            switch step.status {
            case Z_STREAM_END:
                if consumed < bytes.count {
                    throw .zlibTrailingBytes(count: bytes.count - consumed, offset: consumed)
                }
                return try body(UnsafeRawBufferPointer(rebasing: output[..<produced]))
            case Z_OK, Z_BUF_ERROR:
                // No end marker yet. With all input consumed and output room left unused, none will come.
                if consumed == bytes.count, atLimit || produced < output.count {
                    throw .zlibTruncated(offset: consumed)
                }
            case Z_NEED_DICT:
                throw .zlibCorrupt(reason: "the stream needs a preset dictionary, which batches never use", offset: consumed)
            case Z_DATA_ERROR:
                let reason = stream.msg.map { String(cString: $0) } ?? "invalid deflate data"
                throw .zlibCorrupt(reason: reason, offset: consumed)
            default:
                preconditionFailure("Zlib.decompress: inflate failed with \(step.status) (out of memory?)")
            }
        }
    }

    /// One `inflate` call from `input[offset...]` into `output`; returns zlib's status and the
    /// bytes consumed and produced. The stream keeps no pointer into either buffer afterwards.
    private static func inflateStep(
        _ stream: inout z_stream, _ input: UnsafeRawBufferPointer, from offset: Int, into output: UnsafeMutableRawBufferPointer
    ) -> (status: Int32, input: Int, output: Int) {
        let chunkIn = min(input.count - offset, Int(UInt32.max))
        let room = min(output.count, Int(UInt32.max))
        stream.next_in = chunkIn == 0 ? nil
            : UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(chunkIn)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(room)
        let status = inflate(&stream, Z_NO_FLUSH)
        let result = (status, chunkIn - Int(stream.avail_in), room - Int(stream.avail_out))
        stream.next_in = nil
        stream.next_out = nil
        return result
    }
}
