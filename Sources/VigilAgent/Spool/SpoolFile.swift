#if canImport(Glibc)
import Glibc
#endif

/// One open segment file: appends at its end, reads at offsets. Not thread-safe; the spool's
/// lock serialises every call. Closing is explicit (`close()`), so a file is never closed
/// twice or behind a reader's back.
struct SpoolFile {
    let path: String
    private(set) var descriptor: Int32

    /// Opens `path` for reading and appending, creating it (mode 0644) when `create` is set.
    static func open(_ path: String, create: Bool) throws(SpoolError) -> SpoolFile {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        let descriptor = Glibc.open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw .system(.io, create ? "create" : "open", path: path, errno: errno, hint: hintForAccess)
        }
        return SpoolFile(path: path, descriptor: descriptor)
    }

    /// Size in bytes, from fstat.
    func size() throws(SpoolError) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .system(.io, "stat", path: path, errno: errno, hint: Self.hintForAccess)
        }
        return Int(status.st_size)
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and EINTR.
    func write(_ bytes: [UInt8], at offset: Int) throws(SpoolError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(offset + written))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(.io, "write", path: path, errno: errno, hint: Self.hintForSpace)
            }
            written += count
        }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (resized); false at end of file.
    func read(into buffer: inout [UInt8], count: Int, at offset: Int) throws(SpoolError) -> Bool {
        if buffer.count < count { buffer.append(contentsOf: repeatElement(0, count: count - buffer.count)) }
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .system(.io, "read", path: path, errno: errno, hint: Self.hintForAccess)
            }
            if got == 0 { return false }
            done += got
        }
        return true
    }

    func sync() throws(SpoolError) {
        guard fdatasync(descriptor) == 0 else {
            throw .system(.io, "sync", path: path, errno: errno, hint: Self.hintForSpace)
        }
    }

    func truncate(to size: Int) throws(SpoolError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw .system(.io, "truncate", path: path, errno: errno, hint: Self.hintForAccess)
        }
    }

    mutating func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    static let hintForAccess = "check that the spool directory is on a working file system and writable by the agent"
    static let hintForSpace = "free space on the spool's file system or lower [spool] max_size"
}
