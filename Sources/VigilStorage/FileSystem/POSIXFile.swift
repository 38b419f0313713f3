#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor with the few calls the WAL needs, each turning errno into a
/// `StorageError` that names the call and the path.
struct POSIXFile {
    let path: String
    let descriptor: Int32

    /// Opens `path` with `open(2)` flags; `mode` applies when O_CREAT creates the file.
    init(path: String, flags: Int32, mode: mode_t = 0o644) throws(StorageError) {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXFile.error("open", path) }
        self.path = path
        self.descriptor = fd
    }

    static func error(_ call: String, _ path: String, _ code: Int32 = errno) -> StorageError {
        StorageError(.io, "\(call) \(path): \(String(cString: strerror(code))) (errno \(code))")
    }

    /// Writes every byte, retrying short writes and EINTR.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.error("write", path)
            }
            offset += written
        }
    }

    /// Writes every byte at `offset` with `pwrite(2)` (the file offset does not move),
    /// retrying short writes and EINTR.
    func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.error("pwrite", path)
            }
            done += written
        }
    }

    func writeAll(_ bytes: [UInt8]) throws(StorageError) {
        let result: Result<Void, StorageError> = bytes.withUnsafeBytes { raw in
            do throws(StorageError) {
                try writeAll(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Flushes the file's data (and the size, which reading it back needs) to stable storage.
    func syncData() throws(StorageError) {
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw Self.error("fdatasync", path) }
        }
    }

    func truncate(to length: Int) throws(StorageError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.error("ftruncate", path) }
    }

    func size() throws(StorageError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.error("fstat", path) }
        return Int(info.st_size)
    }

    /// Reads the whole file from the start.
    func readAll() throws(StorageError) -> [UInt8] {
        let total = try size()
        var failure: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var offset = 0
            while offset < total {
                let got = pread(descriptor, buffer.baseAddress! + offset, total - offset, off_t(offset))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = Self.error("read", path)
                    break
                }
                if got == 0 { break }
                offset += got
            }
            initialized = offset
        }
        if let failure { throw failure }
        return bytes
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
