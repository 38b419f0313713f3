/// What `HeadChunkRef`s resolve against: an immutable table, by id, of the head chunk segments
/// (files and heap arenas) that were alive when it was taken. It retains them, so their bytes
/// stay readable while a reader holds it, whatever `HeadChunkFiles` removes meanwhile.
///
/// `HeadChunkFiles` publishes a new registry when it adds or removes a segment, and a reader
/// takes the current one (`HeadChunkFiles.registry`) in the same shard-lock critical section
/// in which it copies series. That registry resolves every chunk of those copies: a segment
/// is removed only once no head series refers to it (after a block cut has truncated every
/// shard, `Storage.removeUnusedHeadChunkFiles`), and a segment that a series' chunk lies in
/// was added before the ref to that chunk was stored in the series. So a copy taken before
/// its shard's truncation comes with a registry that still holds the segments truncation
/// freed, and a copy taken after it refers to none of the removed ones.
final class HeadChunkRegistry: Sendable {
    /// The id of `segments[0]`.
    private let firstID: UInt32
    /// Segments by id from `firstID`; nil for ids removed, or never given a segment (a file
    /// that could not be created).
    private let segments: [HeadChunkSegment?]

    /// No segments.
    convenience init() {
        self.init(firstID: 1, segments: [])
    }

    private init(firstID: UInt32, segments: [HeadChunkSegment?]) {
        self.firstID = firstID
        self.segments = segments
    }

    /// The segment with this id, if the registry holds it.
    @inline(__always)
    func segment(_ id: UInt32) -> HeadChunkSegment? {
        let index = Int(id) &- Int(firstID)
        guard index >= 0, index < segments.count else { return nil }
        return segments[index]
    }

    /// Every segment held, by increasing id.
    var all: [HeadChunkSegment] { segments.compactMap { $0 } }

    /// This registry plus `segment`, whose id must be above every id held.
    func adding(_ segment: HeadChunkSegment) -> HeadChunkRegistry {
        let index = Int(segment.id) - Int(firstID)
        precondition(index >= segments.count, "bug: head chunk segment \(segment.id) added below the newest held")
        var grown = segments
        grown.reserveCapacity(index + 1)
        while grown.count < index { grown.append(nil) }
        grown.append(segment)
        return HeadChunkRegistry(firstID: firstID, segments: grown)
    }

    /// This registry without the segments of these ids; the table starts at the oldest id left.
    func removing(_ ids: Set<UInt32>) -> HeadChunkRegistry {
        var kept = segments.map { segment in segment.flatMap { ids.contains($0.id) ? nil : $0 } }
        let leading = kept.firstIndex { $0 != nil } ?? kept.count
        kept.removeFirst(leading)
        return HeadChunkRegistry(firstID: firstID + UInt32(leading), segments: kept)
    }

    /// Heap bytes of the table and its segments (heap arenas' bytes included, not mappings').
    var heapBytes: Int {
        var bytes = 64 + segments.capacity * MemoryLayout<HeadChunkSegment?>.stride + ChunkFormat.arrayOverhead
        for case let segment? in segments { bytes += segment.heapBytes }
        return bytes
    }
}
