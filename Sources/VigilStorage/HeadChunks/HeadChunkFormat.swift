/// Names, file header and sizes of the head chunk segments (docs/formats/head-chunks.md).
enum HeadChunkFormat {
    /// The directory below the store's directory that holds the files.
    static let directoryName = "chunks_head"
    /// "VHCK", the version byte, three zero bytes; chunks, each after its `HeadChunkHeader`,
    /// follow back to back.
    static let header: [UInt8] = [0x56, 0x48, 0x43, 0x4b, version, 0, 0, 0]
    static let version: UInt8 = 2
    /// The largest segment size accepted: chunk offsets are 32-bit.
    static let maxSegmentBytes = 1 << 31
    /// The smallest, so that a segment holds at least its header and a small chunk.
    static let minSegmentBytes = 1 << 10
    /// The largest heap arena (chunks whose write failed); smaller when segments are.
    static let maxArenaBytes = 1 << 16

    /// The file name of segment `id`: six decimal digits, zero-padded (more when needed).
    static func fileName(_ id: UInt32) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
