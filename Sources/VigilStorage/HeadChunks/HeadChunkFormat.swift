/// Names and header of the head chunk files (docs/formats/head-chunks.md).
enum HeadChunkFormat {
    /// The directory below the store's directory that holds the files.
    static let directoryName = "chunks_head"
    /// "VHCK", the version byte, three zero bytes; chunks follow back to back.
    static let header: [UInt8] = [0x56, 0x48, 0x43, 0x4b, version, 0, 0, 0]
    static let version: UInt8 = 1
    /// The largest segment size accepted: chunk offsets are 32-bit.
    static let maxSegmentBytes = 1 << 31
    /// The smallest, so that a segment holds at least its header and a small chunk.
    static let minSegmentBytes = 1 << 10

    /// The file name of segment `id`: six decimal digits, zero-padded (more when needed).
    static func fileName(_ id: UInt32) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
