#if canImport(Glibc)
import Glibc
#endif

/// Writes a new file sequentially through a 1 MiB buffer, then fsyncs and closes it.
///
/// For block files: they are written once, in order, and must be durable before the block
/// directory is renamed into place.
struct BufferedFileWriter {
    private let file: POSIXFile
    private var buffer: [UInt8] = []
    private var isOpen = true
    /// Bytes written so far, buffered or not: the offset of the next byte.
    private(set) var offset = 0
    private static let flushThreshold = 1 << 20

    /// Creates (or truncates) `path`.
    init(path: String) throws(StorageError) {
        file = try POSIXFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    var path: String { file.path }

    mutating func write(_ bytes: [UInt8]) throws(StorageError) {
        buffer.append(contentsOf: bytes)
        offset += bytes.count
        if buffer.count >= Self.flushThreshold { try drain() }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        buffer.append(contentsOf: bytes)
        offset += bytes.count
        if buffer.count >= Self.flushThreshold { try drain() }
    }

    /// Writes what is buffered, fsyncs (when `sync`) and closes the file.
    mutating func finish(sync: Bool) throws(StorageError) {
        defer {
            file.close()
            isOpen = false
        }
        try drain()
        if sync { try file.syncData() }
    }

    /// Closes the file, if still open, without caring about its contents (the caller removes it).
    mutating func abandon() {
        if isOpen { file.close() }
        isOpen = false
    }

    private mutating func drain() throws(StorageError) {
        try file.writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
