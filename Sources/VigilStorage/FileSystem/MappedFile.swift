#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory, unmapped when the last reference goes.
///
/// Blocks read their index and chunks through it, so the kernel's page cache holds them
/// rather than the heap. The mapping stays valid after the file is unlinked (a block being
/// deleted by compaction or retention), so a query that still holds the block can finish.
final class MappedFile: @unchecked Sendable {
    let path: String
    private let base: UnsafeMutableRawPointer?
    let count: Int

    /// Maps `path`; an empty file maps to an empty buffer.
    init(path: String) throws(StorageError) {
        let file = try POSIXFile(path: path, flags: O_RDONLY)
        defer { file.close() }
        let size = try file.size()
        self.path = path
        self.count = size
        guard size > 0 else {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_SHARED, file.descriptor, 0)
        guard let address, address != MAP_FAILED else { throw POSIXFile.error("mmap", path) }
        base = address
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// The mapped bytes; valid as long as this object is alive.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
