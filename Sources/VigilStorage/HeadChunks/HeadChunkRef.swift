import VigilModel

/// A cut in-order chunk of a head series: where its bytes (docs/formats/chunk.md) lie in a
/// head chunk segment, and its time bounds, which let reads skip it without touching them.
///
/// 32 bytes on the heap whatever the chunk's size; the bytes themselves are file pages
/// (page cache) unless writing them failed. Made only by `HeadChunkFiles`.
struct HeadChunkRef {
    let minTime: Int64
    let maxTime: Int64
    /// Retained, so the bytes outlive the head's interest in them while a copy is read.
    let segment: HeadChunkSegment
    let offset: UInt32
    let length: UInt32

    /// Samples in the chunk, read from its header (this touches the chunk's first page).
    var count: Int {
        withBytes { raw in raw.count >= ChunkFormat.fixedHeaderBytes ? Int(raw[1]) << 8 | Int(raw[2]) : 0 }
    }

    /// Runs `body` with an iterator over the chunk's samples; nil when the header is damaged.
    /// The bytes are checked as for a heap chunk (`ChunkLayout`, then the iterator stops at
    /// the first impossible code), so a damaged page gives fewer samples, never a read
    /// outside the chunk.
    func withIterator<R>(_ body: (inout ChunkIterator) -> R) -> R? {
        withBytes { raw in Chunk.withIterator(over: raw, body) }
    }

    /// Heap bytes this chunk holds beyond its reference: its copy when it could not be written
    /// to a file (about 64 bytes of object and allocation overhead included), else none.
    var heapBytes: Int {
        segment.isFile ? 0 : Int(length) + 64
    }

    @inline(__always)
    private func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withExtendedLifetime(segment) {
            body(segment.bytes(at: Int(offset), count: Int(length)))
        }
    }
}
