/// What a block holds and where it came from: the `meta` file of a block directory
/// (docs/formats/block.md). Written last, so a block with a valid meta is complete.
struct BlockMeta: Equatable, Sendable {
    static let magic: [UInt8] = [0x56, 0x4D, 0x45, 0x54]  // "VMET"
    static let version: UInt8 = 1

    /// Unique within the store; also the directory name (12 decimal digits).
    var id: UInt64
    /// The aligned time range the block covers: `rangeStart <= t < rangeEnd` (ms).
    var rangeStart: Int64
    var rangeEnd: Int64
    /// The oldest and newest sample in the block (ms, inclusive).
    var minTime: Int64
    var maxTime: Int64
    var series: Int
    var samples: Int
    var chunks: Int
    /// 1 for a block cut from the head; a compacted block is one more than its highest parent.
    var level: Int
    /// Blocks this one replaces; a reader deletes any of them it still finds.
    var parents: [UInt64]

    func encoded() -> [UInt8] {
        var out = Self.magic + [Self.version, 0, 0, 0]
        out.appendUVarint(id)
        out.appendVarint(rangeStart)
        out.appendVarint(rangeEnd)
        out.appendVarint(minTime)
        out.appendVarint(maxTime)
        out.appendUVarint(UInt64(series))
        out.appendUVarint(UInt64(samples))
        out.appendUVarint(UInt64(chunks))
        out.appendUVarint(UInt64(level))
        out.appendUVarint(UInt64(parents.count))
        for parent in parents { out.appendUVarint(parent) }
        let crc = out.withUnsafeBytes { WALFormat.crc32($0) }
        out.appendUInt32LE(crc)
        return out
    }

    /// Decodes a meta file; throws `.corruptBlock` naming `path` and what is wrong.
    static func decode(_ bytes: [UInt8], path: String) throws(StorageError) -> BlockMeta {
        func corrupt(_ problem: String) -> StorageError {
            StorageError(.corruptBlock, "block meta \(path): \(problem); move the block directory out of the "
                + "blocks directory to open the store without it")
        }
        guard bytes.count >= 12 else { throw corrupt("only \(bytes.count) bytes, too short for a meta file") }
        guard bytes.prefix(4).elementsEqual(magic) else { throw corrupt("it does not start with \"VMET\"") }
        guard bytes[4] == version else {
            throw corrupt("format version \(bytes[4]); this build reads version \(version), open it with the Vigil that wrote it")
        }
        let body = bytes.count - 4
        let stored = UInt32(bytes[body]) | UInt32(bytes[body + 1]) << 8 | UInt32(bytes[body + 2]) << 16
            | UInt32(bytes[body + 3]) << 24
        let actual = bytes.withUnsafeBytes { WALFormat.crc32(UnsafeRawBufferPointer(rebasing: $0[..<body])) }
        guard stored == actual else { throw corrupt("CRC mismatch (stored \(stored), computed \(actual))") }
        let decoded: BlockMeta? = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[8..<body]))
            var meta = BlockMeta(id: reader.readUVarint(), rangeStart: reader.readVarint(), rangeEnd: reader.readVarint(),
                                 minTime: reader.readVarint(), maxTime: reader.readVarint(),
                                 series: Int(truncatingIfNeeded: reader.readUVarint()),
                                 samples: Int(truncatingIfNeeded: reader.readUVarint()),
                                 chunks: Int(truncatingIfNeeded: reader.readUVarint()),
                                 level: Int(truncatingIfNeeded: reader.readUVarint()), parents: [])
            let parentCount = reader.readUVarint()
            guard !reader.failed, parentCount <= UInt64(body) else { return nil }
            for _ in 0..<parentCount { meta.parents.append(reader.readUVarint()) }
            guard !reader.failed, reader.isAtEnd else { return nil }
            return meta
        }
        guard let decoded else { throw corrupt("its fields do not fill the file exactly") }
        guard decoded.rangeStart < decoded.rangeEnd, decoded.minTime <= decoded.maxTime,
              decoded.minTime >= decoded.rangeStart, decoded.maxTime < decoded.rangeEnd else {
            throw corrupt("its time range is inconsistent (range \(decoded.rangeStart)..<\(decoded.rangeEnd), "
                + "samples \(decoded.minTime)...\(decoded.maxTime))")
        }
        return decoded
    }
}
