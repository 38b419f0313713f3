/// The one file call whose failure the head chunk files must survive: writing a chunk.
/// `POSIXHeadChunkIO` is the real one; tests substitute one that fails on demand.
protocol HeadChunkIO: Sendable {
    /// Writes all of `bytes` at `offset` of `file`, or throws `.io`; on a throw any prefix of
    /// the bytes may have been written.
    func write(_ bytes: UnsafeRawBufferPointer, to file: POSIXFile, at offset: Int) throws(StorageError)
}

/// Writes with `pwrite(2)`.
struct POSIXHeadChunkIO: HeadChunkIO {
    func write(_ bytes: UnsafeRawBufferPointer, to file: POSIXFile, at offset: Int) throws(StorageError) {
        try file.writeAll(bytes, at: offset)
    }
}
