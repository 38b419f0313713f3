#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// The head chunk files of a store, `<data>/chunks_head/NNNNNN`: the head writes every chunk
/// it cuts into them and keeps a 32-byte `HeadChunkRef` instead of the bytes, so cut chunks
/// cost page cache rather than heap (docs/formats/head-chunks.md).
///
/// The files are not durable state: the WAL and its checkpoint remain the store's only truth,
/// so `init` clears the directory, WAL replay fills it again, and nothing is fsynced. A chunk
/// whose write fails (disk full, I/O error) stays on the heap and is counted in `stats`; the
/// next chunk tries the file again. Its samples are in the WAL already, so a failure costs
/// memory, never data.
///
/// One segment is written at a time, with `pwrite` at its end, and sealed when the next chunk
/// would take it past `segmentBytes`. A sealed segment is deleted by `remove` once no head
/// series refers to it any more (`Storage.removeUnusedHeadChunkFiles` finds those).
///
/// Thread-safe: cutting and removing take a short lock (a cut holds it for one `pwrite` of a
/// few hundred bytes); reading a chunk never does, it goes through the ref's segment.
final class HeadChunkFiles: Sendable {
    /// The directory; nil keeps every chunk on the heap (for tests of the head alone).
    let directory: String?
    /// A segment is sealed before a chunk would take it past this many bytes.
    let segmentBytes: Int
    private let io: any HeadChunkIO
    private let state: Mutex<State>

    private struct State {
        /// The segment being written and its open file.
        var current: (id: UInt32, file: POSIXFile)?
        /// Segments with a file on disk, `current` included: the mapping and bytes written.
        var segments: [UInt32: (segment: HeadChunkSegment, written: Int)] = [:]
        var nextID: UInt32 = 1
        /// The chunk being placed, serialized (reused: cutting allocates nothing else).
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
        self.io = io
        self.state = Mutex(State())
    }

    /// Freezes an open chunk (at least one sample) into a segment.
    func cut(_ appender: ChunkAppender) -> HeadChunkRef {
        precondition(appender.count > 0, "bug: cutting an empty head chunk")
        return state.withLock { state in
            state.scratch.removeAll(keepingCapacity: true)
            appender.serialize(appendingTo: &state.scratch)
            return place(&state, minTime: appender.firstTimestamp, maxTime: appender.lastTimestamp)
        }
    }

    /// Encodes samples sorted by strictly increasing time (at least one, at most 65,535)
    /// into a chunk in a segment.
    func cut(_ samples: ArraySlice<Sample>) -> HeadChunkRef {
        var appender = ChunkAppender()
        for sample in samples { appender.append(timestamp: sample.timestamp, value: sample.value) }
        return cut(appender)
    }

    /// Writes `state.scratch` to the current segment (starting one if needed), or copies it
    /// to the heap when that fails.
    private func place(_ state: inout State, minTime: Int64, maxTime: Int64) -> HeadChunkRef {
        let length = state.scratch.count
        if directory != nil, !state.closed {
            do throws(StorageError) {
                let (id, offset) = try reserve(length, in: &state)
                let file = state.current!.file
                let written: Result<Void, StorageError> = state.scratch.withUnsafeBytes { raw in
                    Result { () throws(StorageError) in try io.write(raw, to: file, at: offset) }
                }
                try written.get()
                state.segments[id]!.written = offset + length
                state.lastError = nil
                return HeadChunkRef(minTime: minTime, maxTime: maxTime, segment: state.segments[id]!.segment,
                                    offset: UInt32(offset), length: UInt32(length))
            } catch {
                // The segment stays current: the next chunk is written at the same offset,
                // over whatever part of this one reached the file.
                state.failedWrites += 1
                state.lastError = error
            }
        }
        state.chunksOnHeap += 1
        let segment = state.scratch.withUnsafeBytes { HeadChunkSegment(copying: $0) }
        return HeadChunkRef(minTime: minTime, maxTime: maxTime, segment: segment, offset: 0, length: UInt32(length))
    }

    /// The segment and offset where `length` bytes go: the end of the current segment, or a
    /// new one when they would take it past `segmentBytes`.
    private func reserve(_ length: Int, in state: inout State) throws(StorageError) -> (UInt32, Int) {
        if let current = state.current {
            let (segment, written) = state.segments[current.id]!
            // A segment takes at least one chunk, however large: its mapping was made for it.
            let first = written == HeadChunkFormat.header.count
            if written + length <= segmentBytes || (first && written + length <= segment.capacity) {
                return (current.id, written)
            }
            current.file.close()
            state.current = nil
        }
        let id = state.nextID
        state.nextID += 1
        let path = self.path(of: id)
        let file = try POSIXFile(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
        do throws(StorageError) {
            let header: Result<Void, StorageError> = HeadChunkFormat.header.withUnsafeBytes { raw in
                Result { () throws(StorageError) in try io.write(raw, to: file, at: 0) }
            }
            try header.get()
            let capacity = max(segmentBytes, HeadChunkFormat.header.count + length)
            let segment = try HeadChunkSegment(mapping: file, id: id, capacity: capacity)
            state.segments[id] = (segment, HeadChunkFormat.header.count)
            state.current = (id, file)
            return (id, HeadChunkFormat.header.count)
        } catch {
            file.close()
            try? Directory.removeFile(path)
            throw error
        }
    }

    /// Segments that no longer receive chunks and still have a file: every chunk that will
    /// ever refer to them exists already.
    func sealedSegments() -> [UInt32] {
        state.withLock { state in state.segments.keys.filter { $0 != state.current?.id } }
    }

    /// Deletes the files of these sealed segments, which no head series may refer to any
    /// more. Readers holding refs into them keep reading: the mappings live until the last
    /// ref goes. A failed delete is recorded in `stats` (the file goes at the next open).
    func remove(_ ids: [UInt32]) {
        let paths: [String] = state.withLock { state in
            ids.compactMap { id in
                guard id != state.current?.id, state.segments.removeValue(forKey: id) != nil else { return nil }
                return path(of: id)
            }
        }
        for path in paths {
            do throws(StorageError) {
                try Directory.removeFile(path)
            } catch {
                state.withLock { $0.lastError = error }
            }
        }
    }

    /// Drops the pages of every segment from the process's resident set (they stay in the
    /// page cache): after a pass that read the whole head (a block cut and its checkpoint),
    /// so those reads do not count as the process's memory until something reads them again.
    func releaseResidentPages() {
        let segments = state.withLock { state in state.segments.values.map { ($0.segment, $0.written) } }
        for (segment, written) in segments { segment.releaseResidentPages(count: written) }
    }

    /// Closes the file being written; later chunks stay on the heap. The files stay on disk
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
            HeadChunkFileStats(files: state.segments.count, bytes: state.segments.values.reduce(0) { $0 + $1.written },
                               chunksOnHeap: state.chunksOnHeap, failedWrites: state.failedWrites,
                               lastError: state.lastError?.message)
        }
    }

    private func path(of id: UInt32) -> String {
        directory! + "/" + HeadChunkFormat.fileName(id)
    }
}

/// See `HeadChunkFiles.stats`.
struct HeadChunkFileStats: Sendable, Equatable {
    var files: Int
    var bytes: Int
    /// Chunks cut since the store opened that stayed on the heap because a write failed.
    var chunksOnHeap: Int
    /// Failed writes since the store opened (a failed new file counts once).
    var failedWrites: Int
    /// The last failed write or delete; nil once a later chunk was written.
    var lastError: String?
}
