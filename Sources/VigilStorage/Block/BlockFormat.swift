/// Names and constants of block directories and their `chunks` file (docs/formats/block.md).
enum BlockFormat {
    /// "VCNK", the format version, three zero bytes.
    static let chunksHeader: [UInt8] = [0x56, 0x43, 0x4E, 0x4B, 1, 0, 0, 0]
    /// Each column in the chunks file is followed by the CRC-32 of its bytes.
    static let chunkCRCBytes = 4
    /// A series' samples in a block are cut into chunks at aligned 12 h boundaries (so the
    /// chunks of series scraped together share timestamp columns) and after this many samples.
    static let chunkWindow: Int64 = 12 * 3_600_000
    static let samplesPerChunk = 16_384

    static let metaFile = "meta"
    static let indexFile = "index"
    static let chunksFile = "chunks"
    /// A block being written; removed on open.
    static let temporarySuffix = ".tmp"
    /// A block being deleted; removed on open.
    static let deletedSuffix = ".deleted"

    /// Block directories are named by their id as twelve decimal digits.
    static func directoryName(_ id: UInt64) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// The id of a block directory name, or nil for other names.
    static func id(ofDirectory name: String) -> UInt64? {
        guard name.utf8.count == 12, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(name)
    }

    /// The start of the aligned range of `width` ms holding `time` (floor division; saturates).
    static func rangeStart(_ time: Int64, width: Int64) -> Int64 {
        var quotient = time / width
        if time % width != 0, time < 0 { quotient -= 1 }
        let start = quotient.multipliedReportingOverflow(by: width)
        return start.overflow ? Int64.min : start.partialValue
    }

    /// `start + width`, saturating at `Int64.max`.
    static func rangeEnd(_ start: Int64, width: Int64) -> Int64 {
        let end = start.addingReportingOverflow(width)
        return end.overflow ? Int64.max : end.partialValue
    }
}
