#if canImport(Glibc)
import Glibc
#endif

/// Bytes that hold cut head chunks: a head chunk file mapped read-only, or one chunk copied
/// to the heap because writing it to a file failed.
///
/// `HeadChunkRef`s retain their segment, so its bytes stay readable for as long as anyone can
/// reach a chunk in it: the head, or a query's copy of a series taken under the shard lock,
/// also after the file is deleted (a mapping outlives its file's name). The last reference
/// unmaps or frees the bytes.
///
/// The mapping covers the segment's whole capacity up front while the file grows behind it
/// (written with `pwrite`, never through the mapping). Reading mapped bytes past the file's
/// end raises SIGBUS, so callers read only ranges the writer has written: the ranges of the
/// `HeadChunkRef`s it returned.
final class HeadChunkSegment: @unchecked Sendable {
    /// The file's number; 0 for a heap copy.
    let id: UInt32
    private let base: UnsafeRawPointer
    /// Bytes mapped (a multiple of the page size) or allocated.
    let capacity: Int
    private let isMapped: Bool

    /// Maps `capacity` bytes of `file` read-only and shared (the capacity is rounded up to
    /// whole pages). Throws `.io` when `mmap` fails.
    init(mapping file: POSIXFile, id: UInt32, capacity: Int) throws(StorageError) {
        let page = max(4096, sysconf(Int32(_SC_PAGESIZE)))
        let rounded = (capacity + page - 1) / page * page
        let address = mmap(nil, rounded, PROT_READ, MAP_SHARED, file.descriptor, 0)
        guard let address, address != MAP_FAILED else { throw POSIXFile.error("mmap", file.path) }
        self.id = id
        self.base = UnsafeRawPointer(address)
        self.capacity = rounded
        self.isMapped = true
    }

    /// Copies `bytes` (one chunk) to the heap.
    init(copying bytes: UnsafeRawBufferPointer) {
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        if let source = bytes.baseAddress { copy.copyMemory(from: source, byteCount: bytes.count) }
        self.id = 0
        self.base = UnsafeRawPointer(copy)
        self.capacity = bytes.count
        self.isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), capacity)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Whether the bytes live in a mapped file rather than on the heap.
    var isFile: Bool { isMapped }

    /// The bytes at `offset`; valid while this segment is alive. The range must have been
    /// written (see the type's comment); a range outside the capacity is a bug and traps.
    @inline(__always)
    func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && count >= 0 && offset + count <= capacity,
                     "bug: head chunk range \(offset)+\(count) outside a segment of \(capacity) bytes")
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }

    /// Drops the pages of the first `count` bytes from this process's resident set: they stay
    /// in the page cache and come back on the next read. Nothing for a heap copy.
    func releaseResidentPages(count: Int) {
        guard isMapped, count > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), min(count, capacity), MADV_DONTNEED)
    }
}
