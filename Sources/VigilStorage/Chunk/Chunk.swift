import VigilModel

/// A cut, immutable chunk: the bytes of docs/formats/chunk.md plus its time bounds, which
/// let queries skip it without decoding.
struct Chunk {
    let minTime: Int64
    let maxTime: Int64
    let bytes: [UInt8]

    /// Freezes an open chunk; it must hold at least one sample.
    init(_ appender: ChunkAppender) {
        precondition(appender.count > 0, "bug: cutting an empty chunk")
        minTime = appender.firstTimestamp
        maxTime = appender.lastTimestamp
        bytes = appender.serialized()
    }

    /// Encodes samples sorted by strictly increasing time (at least one).
    init(_ samples: ArraySlice<Sample>) {
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: sample.timestamp, value: sample.value) }
        self.init(appender)
    }

    /// Samples in the chunk, read from its header.
    var count: Int { Int(bytes[1]) << 8 | Int(bytes[2]) }

    /// Runs `body` with an iterator over the chunk's samples; nil when the header is damaged.
    func withIterator<R>(_ body: (inout ChunkIterator) -> R) -> R? {
        Self.withIterator(over: bytes, body)
    }

    /// Runs `body` with an iterator over serialized chunk bytes; nil when the header is damaged.
    static func withIterator<R>(over bytes: [UInt8], _ body: (inout ChunkIterator) -> R) -> R? {
        bytes.withUnsafeBytes { raw in withIterator(over: raw, body) }
    }

    /// Runs `body` with an iterator over serialized chunk bytes; nothing outside `raw` is read.
    /// Nil when the header is damaged.
    static func withIterator<R>(over raw: UnsafeRawBufferPointer, _ body: (inout ChunkIterator) -> R) -> R? {
        guard let layout = ChunkLayout(raw) else { return nil }
        var iterator = ChunkIterator(
            count: layout.count,
            timestamps: UnsafeRawBufferPointer(rebasing: raw[layout.timestamps]),
            values: UnsafeRawBufferPointer(rebasing: raw[layout.values]))
        return body(&iterator)
    }

    var heapBytes: Int { bytes.capacity + ChunkFormat.arrayOverhead }
}

/// Where the columns of a serialized chunk lie, read from its header.
struct ChunkLayout {
    let count: Int
    let timestamps: Range<Int>
    let values: Range<Int>

    /// Parses the header; nil when the encoding is unknown or the lengths do not fit.
    init?(_ raw: UnsafeRawBufferPointer) {
        guard raw.count > ChunkFormat.fixedHeaderBytes, raw[0] == ChunkFormat.columnarGorilla else { return nil }
        count = Int(raw[1]) << 8 | Int(raw[2])
        var offset = ChunkFormat.fixedHeaderBytes
        var length = 0
        var shift = 0
        while true {
            guard offset < raw.count, shift < 35 else { return nil }
            let byte = raw[offset]
            offset += 1
            length |= Int(byte & 0x7f) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard count > 0, length <= raw.count - offset else { return nil }
        timestamps = offset..<(offset + length)
        values = (offset + length)..<raw.count
    }
}

/// Decoding a serialized chunk failed.
struct ChunkDecodingError: Error, CustomStringConvertible {
    let description: String
}

extension Chunk {
    /// Decodes serialized chunk bytes into samples, checking the header and column lengths.
    static func decode(_ bytes: [UInt8]) throws(ChunkDecodingError) -> [Sample] {
        let decoded: (samples: [Sample], damaged: Bool)? = withIterator(over: bytes) { iterator in
            var samples: [Sample] = []
            while let sample = iterator.next() { samples.append(sample) }
            return (samples, iterator.damaged)
        }
        guard let decoded else {
            throw ChunkDecodingError(description:
                "chunk header is not a columnar Gorilla chunk (byte 0 = \(bytes.first ?? 0), \(bytes.count) bytes)")
        }
        if decoded.damaged {
            throw ChunkDecodingError(description:
                "chunk columns end early or hold an impossible code after \(decoded.samples.count) samples")
        }
        return decoded.samples
    }
}
