extension HeadChunkRegistry {
    /// The header of the chunk at `ref`; nil when it is damaged: its CRC does not match, or it
    /// or its chunk runs past the bytes written to the segment.
    ///
    /// `ref` must lie in a segment this registry holds (a ref of a series copy taken with it,
    /// or a link read through it): anything else means a segment was removed while a series
    /// referred to it, or the registry was not taken with the copy, and traps as the bug it is.
    func header(of ref: HeadChunkRef) -> HeadChunkHeader? {
        let segment = resolve(ref)
        let written = segment.written
        let offset = Int(ref.offset)
        guard offset <= written - HeadChunkHeader.bytes else { return nil }
        return withExtendedLifetime(segment) {
            guard let header = HeadChunkHeader(segment.bytes(at: offset, count: HeadChunkHeader.bytes)),
                  header.length <= written - offset - HeadChunkHeader.bytes else { return nil }
            return header
        }
    }

    /// Runs `body` with an iterator over the samples of the chunk at `ref`, whose header
    /// `header(of:)` returned; nil when the chunk's own header is damaged. The bytes are checked
    /// as for a heap chunk (`ChunkLayout`, then the iterator stops at the first impossible
    /// code), so a damaged page gives fewer samples, never a read outside the chunk.
    func withIterator<R>(_ ref: HeadChunkRef, _ header: HeadChunkHeader, _ body: (inout ChunkIterator) -> R) -> R? {
        let segment = resolve(ref)
        return withExtendedLifetime(segment) {
            Chunk.withIterator(over: segment.bytes(at: Int(ref.offset) + HeadChunkHeader.bytes, count: header.length), body)
        }
    }

    /// Calls `body` with the ref and header of up to `count` chunks of one series, newest
    /// first from `newest`, each reached through the link in the header of the one after it,
    /// until `body` returns false. Reads only headers.
    ///
    /// A damaged header, or a link to a chunk that is not older than the one naming it, ends
    /// the walk: the chunks before it cannot be reached, so reads return fewer samples. Returns
    /// the ref of that chunk, whose segment every later walk of the series resolves again.
    @discardableResult
    func walk(from newest: HeadChunkRef, count: Int, _ body: (HeadChunkRef, HeadChunkHeader) -> Bool) -> HeadChunkRef? {
        var ref = newest
        var newerMinTime: Int64?
        for _ in 0..<count {
            guard let header = header(of: ref), header.minTime <= header.maxTime,
                  newerMinTime.map({ header.maxTime < $0 }) ?? true else { return ref }
            guard body(ref, header) else { return nil }
            newerMinTime = header.minTime
            ref = header.previous
        }
        return nil
    }

    @inline(__always)
    private func resolve(_ ref: HeadChunkRef) -> HeadChunkSegment {
        guard let segment = segment(ref.segment) else {
            preconditionFailure("bug: head chunk ref \(ref.segment):\(ref.offset) names a segment this registry does not "
                                + "hold (removed while a series referred to it, or the registry was not taken with the copy)")
        }
        return segment
    }
}
