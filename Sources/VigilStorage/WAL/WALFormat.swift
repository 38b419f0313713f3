import CZlib

/// Byte layout of WAL segments and record frames (docs/formats/wal.md).
enum WALFormat {
    /// "VWAL", then the format version and three zero bytes.
    static let segmentMagic: [UInt8] = [0x56, 0x57, 0x41, 0x4C]
    static let version: UInt8 = 1
    static let segmentHeader: [UInt8] = segmentMagic + [version, 0, 0, 0]
    static var segmentHeaderBytes: Int { segmentHeader.count }

    /// crc32 (u32 LE) | payload length (u32 LE) | type (u8); the CRC covers length, type, payload.
    static let frameHeaderBytes = 9

    /// Segment files are named by their index as eight decimal digits.
    static func segmentName(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A checkpoint holding the state of every segment before `index` is named
    /// `checkpoint.<index as eight digits>`; replay reads it, then segments from `index` on.
    static let checkpointPrefix = "checkpoint."
    static let temporarySuffix = ".tmp"

    static func checkpointName(_ index: Int) -> String {
        checkpointPrefix + segmentName(index)
    }

    /// The segment index a checkpoint file name covers up to, or nil for other names.
    static func checkpointIndex(_ name: String) -> Int? {
        guard name.hasPrefix(checkpointPrefix) else { return nil }
        return segmentIndex(String(name.dropFirst(checkpointPrefix.count)))
    }

    /// The index of a segment file name, or nil for files that are not segments.
    static func segmentIndex(_ name: String) -> Int? {
        guard name.utf8.count == 8, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(name)
    }

    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return UInt32(CZlib.crc32(0, base.assumingMemoryBound(to: UInt8.self), uInt(bytes.count)))
    }
}

/// Record types; a reader that meets another type stops with an error (newer format).
enum WALRecordType: UInt8 {
    /// New series: ref and labels, written once per series before any of its samples.
    case series = 1
    /// Samples of one append call, with its idempotency key when it had one.
    case samples = 2
    /// Idempotency windows of producers: written only into checkpoints.
    case idempotency = 3
}

extension Array where Element == UInt8 {
    /// Reserves a frame header; `finishWALFrame` fills it once the payload is appended.
    mutating func beginWALFrame() -> Int {
        let start = count
        append(contentsOf: repeatElement(0, count: WALFormat.frameHeaderBytes))
        return start
    }

    /// Fills the header reserved at `start` for the payload appended since.
    mutating func finishWALFrame(at start: Int, type: WALRecordType) {
        let payloadLength = count - start - WALFormat.frameHeaderBytes
        setUInt32LE(UInt32(payloadLength), at: start + 4)
        self[start + 8] = type.rawValue
        let crc = withUnsafeBytes { raw in
            WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[(start + 4)...]))
        }
        setUInt32LE(crc, at: start)
    }
}
