import Glibc

/// Reads whole /proc and /sys files into one buffer that is reused from call to call,
/// so a steady-state tick does not allocate for file contents.
///
/// Not thread-safe: one reader belongs to one `HostSampler`.
final class FileReader {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int

    /// Starts with `initialCapacity` bytes; the buffer doubles when a file does not fit.
    init(initialCapacity: Int = 64 * 1024) {
        capacity = max(initialCapacity, 4096)
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// Reads the whole file at `path` (open, read until end of file, close).
    ///
    /// The returned bytes live in this reader's buffer and stay valid only until the next
    /// call of `read`; the caller parses them before reading another file.
    /// Throws `.fileMissing` when the file does not exist and `.readFailed` for other errors.
    func read(_ path: CPath) throws(HostReadError) -> UnsafeRawBufferPointer {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            throw HostReadError.openFailed(path: path.text, errno: errno)
        }
        defer { close(fd) }
        var count = 0
        while true {
            if count == capacity {
                grow()
            }
            let n = Glibc.read(fd, storage + count, capacity - count)
            if n > 0 {
                count += n
            } else if n == 0 {
                return UnsafeRawBufferPointer(start: storage, count: count)
            } else if errno != EINTR {
                throw HostReadError.readFailed(path: path.text, errno: errno)
            }
        }
    }

    private func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
        bigger.copyMemory(from: storage, byteCount: capacity)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
