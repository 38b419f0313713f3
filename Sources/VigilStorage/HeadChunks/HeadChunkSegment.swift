#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Bytes that hold cut head chunks, each after its `HeadChunkHeader`: a head chunk file mapped
/// read-only, or a heap arena that takes the chunks whose write to a file failed.
///
/// Both are filled at their end by `HeadChunkFiles` alone (a file with `pwrite`, never through
/// the mapping; an arena by copying) and only ever grow: `written` says how far, and is
/// raised after the bytes are in place. Readers read only below it, so they never read an
/// arena byte being copied nor a mapped byte past the file's end (which would raise SIGBUS):
/// the mapping covers the segment's whole capacity up front while the file grows behind it.
///
/// Registries (`HeadChunkRegistry`) retain their segments, so a segment's bytes stay readable
/// for as long as a registry a reader took holds it, also after its file was deleted (a
/// mapping outlives its file's name). The last reference unmaps or frees the bytes.
final class HeadChunkSegment: @unchecked Sendable {
    /// The segment's number, unique in the store while it is open; a file's name.
    let id: UInt32
    private let base: UnsafeMutableRawPointer
    /// Bytes mapped (a multiple of the page size) or allocated.
    let capacity: Int
    /// Whether the bytes live in a mapped file rather than in a heap arena.
    let isFile: Bool
    private let writtenBytes: Atomic<Int>

    /// Maps `capacity` bytes of `file`, whose first `written` bytes are written, read-only and
    /// shared (the capacity is rounded up to whole pages). Throws `.io` when `mmap` fails.
    init(mapping file: POSIXFile, id: UInt32, capacity: Int, written: Int) throws(StorageError) {
        let page = max(4096, sysconf(Int32(_SC_PAGESIZE)))
        let rounded = (capacity + page - 1) / page * page
        let address = mmap(nil, rounded, PROT_READ, MAP_SHARED, file.descriptor, 0)
        guard let address, address != MAP_FAILED else { throw POSIXFile.error("mmap", file.path) }
        self.id = id
        self.base = address
        self.capacity = rounded
        self.isFile = true
        self.writtenBytes = Atomic(written)
    }

    /// A heap arena of `capacity` bytes, none written.
    init(arenaCapacity capacity: Int, id: UInt32) {
        self.id = id
        self.base = UnsafeMutableRawPointer.allocate(byteCount: max(1, capacity), alignment: 16)
        self.capacity = capacity
        self.isFile = false
        self.writtenBytes = Atomic(0)
    }

    deinit {
        if isFile {
            munmap(base, capacity)
        } else {
            base.deallocate()
        }
    }

    /// Bytes from the start that hold whole chunks: readers may read below this.
    var written: Int { writtenBytes.load(ordering: .acquiring) }

    /// Records that the bytes up to `end` are in place. Called by the one writer, after
    /// writing them.
    func markWritten(through end: Int) {
        precondition(end >= written && end <= capacity, "bug: head chunk segment \(id) marked written to \(end) of \(capacity)")
        writtenBytes.store(end, ordering: .releasing)
    }

    /// Copies `bytes` into a heap arena at `offset`, at or past `written` (so no reader
    /// reads there yet). Called by the one writer.
    func copy(_ bytes: UnsafeRawBufferPointer, to offset: Int) {
        precondition(!isFile && offset >= written && offset + bytes.count <= capacity,
                     "bug: copying \(bytes.count) bytes to \(offset) of head chunk segment \(id)")
        if let source = bytes.baseAddress { (base + offset).copyMemory(from: source, byteCount: bytes.count) }
    }

    /// The bytes at `offset`; valid while this segment is alive. The range must lie below
    /// `written` (see the type's comment); a range outside the capacity is a bug and traps.
    @inline(__always)
    func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && count >= 0 && offset + count <= capacity,
                     "bug: head chunk range \(offset)+\(count) outside a segment of \(capacity) bytes")
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }

    /// Drops the pages of the written bytes from this process's resident set: they stay in
    /// the page cache and come back on the next read. Nothing for a heap arena.
    func releaseResidentPages() {
        let count = written
        guard isFile, count > 0 else { return }
        _ = madvise(base, min(count, capacity), MADV_DONTNEED)
    }

    /// Heap bytes this segment holds: the object, and a heap arena's allocation (malloc's
    /// overhead included); a mapping costs page cache, not heap.
    var heapBytes: Int {
        64 + (isFile ? 0 : capacity + 16)
    }
}
