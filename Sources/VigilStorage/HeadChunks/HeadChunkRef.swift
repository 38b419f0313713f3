/// Where a cut chunk of a head series lies: the id of its segment (a head chunk file, or a heap
/// arena when writing failed) and the offset of its `HeadChunkHeader` there. 8 bytes; the time
/// bounds, the length and the link to the series' previous chunk are in that header, so a
/// series keeps only its newest ref (`MemSeries.newestChunk`).
///
/// Resolved through a `HeadChunkRegistry`; made only by `HeadChunkFiles`.
struct HeadChunkRef: Equatable, Sendable {
    let segment: UInt32
    let offset: UInt32

    /// No chunk: the link of a series' first chunk. Segment ids start at 1.
    static let none = HeadChunkRef(segment: 0, offset: 0)
}
