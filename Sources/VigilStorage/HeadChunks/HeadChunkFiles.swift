#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// The head chunk files of a store, `<data>/chunks_head/NNNNNN`: the head writes every chunk
/// it cuts into them, after a header with its time bounds, length and a link to the series'
/// previous chunk, and keeps only the 8-byte `HeadChunkRef` of each series' newest chunk, so
/// cut chunks cost page cache rather than heap (docs/formats/head-chunks.md).
///
/// The files are not durable state: the WAL and its checkpoint remain the store's only truth,
/// so `init` clears the directory, WAL replay fills it again, and nothing is fsynced. A chunk
/// whose write fails (disk full, I/O error) goes to a heap arena instead, a segment like a
/// file's but in memory, and is counted in `stats`; the next chunk tries the file again. Its
/// samples are in the WAL already, so a failure costs memory, never data.
///
/// One file and one arena are written at a time, at their end, and sealed when the next chunk
/// would not fit (an arena also at each block cut, `sealedSegments`). A sealed segment is
/// removed by `remove` once no head series refers to it any more
/// (`Storage.removeUnusedHeadChunkFiles` finds those).
///
/// Thread-safe: cutting and removing take a short lock (a cut holds it for one `pwrite` of a
/// few hundred bytes); reading takes none but resolves refs through a `HeadChunkRegistry`,
/// which `registry` returns from a second lock that no write holds.
final class HeadChunkFiles: Sendable {
    /// The directory; nil keeps every chunk in heap arenas (for tests of the head alone).
    let directory: String?
    /// A segment is sealed before a chunk would take it past this many bytes.
    let segmentBytes: Int
    /// A heap arena is sealed before a chunk would take it past this many bytes.
    let arenaBytes: Int
    private let io: any HeadChunkIO
    private let state: Mutex<State>
    /// `state.segments`, for readers.
    private let published: Mutex<HeadChunkRegistry>

    private struct State {
        /// The file being written: its segment and open file.
        var current: (segment: HeadChunkSegment, file: POSIXFile)?
        /// The heap arena being written.
        var arena: HeadChunkSegment?
        /// Every segment not removed, `current` and `arena` included.
        var segments = HeadChunkRegistry()
        var nextID: UInt32 = 1
        /// The chunk being placed, header first (reused: a cut allocates nothing unless it starts a segment).
        var scratch: [UInt8] = []
        var chunksOnHeap = 0
        var failedWrites = 0
        var lastError: StorageError?
        var closed = false
    }

    /// Clears (or creates) `directory`. `segmentBytes` is clamped to
    /// `HeadChunkFormat.minSegmentBytes...maxSegmentBytes`. Throws `.io` when the directory
    /// cannot be cleared or created.
    init(directory: String?, segmentBytes: Int, io: any HeadChunkIO = POSIXHeadChunkIO()) throws(StorageError) {
        if let directory {
            try Directory.removeTree(directory)
            try Directory.create(directory)
        }
        self.directory = directory
        self.segmentBytes = min(max(segmentBytes, HeadChunkFormat.minSegmentBytes), HeadChunkFormat.maxSegmentBytes)
        self.arenaBytes = min(self.segmentBytes, HeadChunkFormat.maxArenaBytes)
        self.io = io
        self.state = Mutex(State())
        self.published = Mutex(HeadChunkRegistry())
    }

    /// The segments now, to resolve refs with. Take it in the shard-lock critical section in
    /// which the series whose chunks it will read are copied (`HeadChunkRegistry` says why
    /// that suffices); a registry taken earlier may lack a newer chunk's segment, one taken
    /// later may lack a segment removed since.
    var registry: HeadChunkRegistry {
        published.withLock { $0 }
    }

    /// Freezes an open chunk (at least one sample) into a segment, after a header that links
    /// it to `previous`, the series' chunk before it (`HeadChunkRef.none` for its first).
    func cut(_ appender: ChunkAppender, previous: HeadChunkRef) -> HeadChunkRef {
        precondition(appender.count > 0, "bug: cutting an empty head chunk")
        return state.withLock { state in
            state.scratch.removeAll(keepingCapacity: true)
            state.scratch.append(contentsOf: repeatElement(0, count: HeadChunkHeader.bytes))
            appender.serialize(appendingTo: &state.scratch)
            let header = HeadChunkHeader(previous: previous, minTime: appender.firstTimestamp, maxTime: appender.lastTimestamp,
                                         length: state.scratch.count - HeadChunkHeader.bytes)
            state.scratch.withUnsafeMutableBytes { header.store(to: $0) }
            return place(&state)
        }
    }

    /// Writes `state.scratch` to the current file (starting one if needed), or copies it to a
    /// heap arena when that fails.
    private func place(_ state: inout State) -> HeadChunkRef {
        let length = state.scratch.count
        if directory != nil, !state.closed {
            do throws(StorageError) {
                let (segment, file, offset) = try reserve(length, in: &state)
                let written: Result<Void, StorageError> = state.scratch.withUnsafeBytes { raw in
                    Result { () throws(StorageError) in try io.write(raw, to: file, at: offset) }
                }
                try written.get()
                segment.markWritten(through: offset + length)
                state.lastError = nil
                return HeadChunkRef(segment: segment.id, offset: UInt32(offset))
            } catch {
                // The file stays current: the next chunk is written at the same offset, over
                // whatever part of this one reached the file.
                state.failedWrites += 1
                state.lastError = error
            }
        }
        state.chunksOnHeap += 1
        let arena = reserveArena(length, in: &state)
        let offset = arena.written
        state.scratch.withUnsafeBytes { arena.copy($0, to: offset) }
        arena.markWritten(through: offset + length)
        return HeadChunkRef(segment: arena.id, offset: UInt32(offset))
    }

    /// The file segment and offset where `length` bytes go: the end of the current file, or
    /// a new one when they would take it past `segmentBytes`.
    private func reserve(_ length: Int, in state: inout State) throws(StorageError) -> (HeadChunkSegment, POSIXFile, Int) {
        if case let (segment, file)? = state.current {
            let written = segment.written
            // A file takes at least one chunk, however large: its mapping was made for it.
            let first = written == HeadChunkFormat.header.count
            if written + length <= segmentBytes || (first && written + length <= segment.capacity) {
                return (segment, file, written)
            }
            file.close()
            state.current = nil
        }
        let id = takeID(&state)
        let path = self.path(of: id)
        let file = try POSIXFile(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
        do throws(StorageError) {
            let header: Result<Void, StorageError> = HeadChunkFormat.header.withUnsafeBytes { raw in
                Result { () throws(StorageError) in try io.write(raw, to: file, at: 0) }
            }
            try header.get()
            let capacity = max(segmentBytes, HeadChunkFormat.header.count + length)
            let segment = try HeadChunkSegment(mapping: file, id: id, capacity: capacity, written: HeadChunkFormat.header.count)
            add(segment, to: &state)
            state.current = (segment, file)
            return (segment, file, HeadChunkFormat.header.count)
        } catch {
            file.close()
            try? Directory.removeFile(path)
            throw error
        }
    }

    /// The heap arena where `length` bytes go: the current one, or a new one when they would
    /// take it past its capacity.
    private func reserveArena(_ length: Int, in state: inout State) -> HeadChunkSegment {
        if let arena = state.arena, arena.written + length <= arena.capacity { return arena }
        let arena = HeadChunkSegment(arenaCapacity: max(arenaBytes, length), id: takeID(&state))
        add(arena, to: &state)
        state.arena = arena
        return arena
    }

    private func takeID(_ state: inout State) -> UInt32 {
        precondition(state.nextID < UInt32.max, "bug: head chunk segment ids exhausted")
        defer { state.nextID += 1 }
        return state.nextID
    }

    /// Registers a segment before any ref into it exists, so every registry taken after a
    /// series stored such a ref holds it.
    private func add(_ segment: HeadChunkSegment, to state: inout State) {
        state.segments = state.segments.adding(segment)
        let segments = state.segments
        published.withLock { $0 = segments }
    }

    /// Seals the heap arena being written, if any, and returns the segments that no longer
    /// receive chunks: every chunk that will ever lie in them exists already. Files and heap
    /// arenas alike, all but the file being written.
    ///
    /// Sealing the arena here (once per block cut) lets an arena that a passing failure started
    /// go once its chunks are gone, while a lasting failure fills arenas one after another.
    func sealedSegments() -> [UInt32] {
        state.withLock { state in
            state.arena = nil
            return state.segments.all.filter { $0 !== state.current?.segment }.map(\.id)
        }
    }

    /// Removes these sealed segments, which no head series may refer to any more, and deletes
    /// the files among them. Readers holding a registry that holds them keep reading: the
    /// mappings and arenas live until the last registry goes. A failed delete is recorded in
    /// `stats` (the file goes at the next open).
    func remove(_ ids: [UInt32]) {
        let paths: [String] = state.withLock { state in
            var removed = Set<UInt32>()
            var paths: [String] = []
            for id in ids where id != state.current?.segment.id && id != state.arena?.id {
                guard let segment = state.segments.segment(id), removed.insert(id).inserted else { continue }
                if segment.isFile { paths.append(path(of: id)) }
            }
            guard !removed.isEmpty else { return [] }
            state.segments = state.segments.removing(removed)
            let segments = state.segments
            published.withLock { $0 = segments }
            return paths
        }
        for path in paths {
            do throws(StorageError) {
                try Directory.removeFile(path)
            } catch {
                state.withLock { $0.lastError = error }
            }
        }
    }

    /// Drops the pages of every file from the process's resident set (they stay in the page
    /// cache): after a pass that read the whole head (a block cut and its checkpoint), so those
    /// reads do not count as the process's memory until something reads them again.
    func releaseResidentPages() {
        for segment in registry.all { segment.releaseResidentPages() }
    }

    /// Closes the file being written; later chunks go to heap arenas. The files stay on disk
    /// until the next open clears them, and reads keep working.
    func close() {
        state.withLock { state in
            state.current?.file.close()
            state.current = nil
            state.closed = true
        }
    }

    /// Files and bytes on disk, and the chunks kept on the heap because writing them failed.
    var stats: HeadChunkFileStats {
        state.withLock { state in
            let files = state.segments.all.filter(\.isFile)
            return HeadChunkFileStats(files: files.count, bytes: files.reduce(0) { $0 + $1.written },
                                      chunksOnHeap: state.chunksOnHeap, failedWrites: state.failedWrites,
                                      lastError: state.lastError?.message)
        }
    }

    /// Heap bytes held for cut chunks: the heap arenas (chunks whose write failed), segment
    /// objects and the registry; mapped files count as page cache, not here.
    var heapBytes: Int {
        registry.heapBytes
    }

    private func path(of id: UInt32) -> String {
        directory! + "/" + HeadChunkFormat.fileName(id)
    }
}

/// See `HeadChunkFiles.stats`.
struct HeadChunkFileStats: Sendable, Equatable {
    var files: Int
    var bytes: Int
    /// Chunks cut since the store opened that went to the heap because a write failed.
    var chunksOnHeap: Int
    /// Failed writes since the store opened (a failed new file counts once).
    var failedWrites: Int
    /// The last failed write or delete; nil once a later chunk was written.
    var lastError: String?
}
