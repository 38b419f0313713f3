import VigilModel

/// A block's `index` file, mapped and checked once on open, then read without copying:
/// symbols, the series table, postings per label pair and the label table.
///
/// Opening verifies the header, every CRC and every reference (symbol refs, series ids in
/// postings, offsets), so later reads index into the mapping without failing; a file that
/// passes the checks but still breaks an invariant is a bug and stops with a precondition.
final class BlockIndex: Sendable {
    let file: MappedFile
    private let symbolsStart: Int
    let symbolCount: Int
    private let seriesStart: Int
    let seriesCount: Int
    private let postingsStart: Int
    private let labelsStart: Int
    /// Label names, sorted by bytes, with the file offset of each one's value table.
    let names: [(name: String, table: Int, valueCount: Int)]

    var path: String { file.path }

    /// Maps and verifies `path`; `chunksSize` bounds the chunk references of the series table.
    init(path: String, chunksSize: Int) throws(StorageError) {
        file = try MappedFile(path: path)
        let raw = file.bytes
        func corrupt(_ problem: String, _ offset: Int) -> StorageError {
            StorageError(.corruptBlock, "block index \(path): \(problem) at byte offset \(offset); move the "
                + "block directory out of the blocks directory to open the store without it")
        }
        guard raw.count >= IndexFormat.headerBytes + IndexFormat.tocBytes else {
            throw corrupt("the file has only \(raw.count) bytes, too short for an index", 0)
        }
        guard raw.prefix(4).elementsEqual(IndexFormat.magic) else { throw corrupt("the magic is not \"VIDX\"", 0) }
        guard raw[4] == IndexFormat.version else {
            throw corrupt("format version \(raw[4]) (this build reads \(IndexFormat.version)); open it with the Vigil that wrote it", 4)
        }
        let toc = raw.count - IndexFormat.tocBytes
        let tocCRC = WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[toc..<(raw.count - 4)]))
        guard tocCRC == raw.uint32LE(at: raw.count - 4) else { throw corrupt("the table of contents' CRC does not match", toc) }
        var sections: [Range<Int>] = []
        for index in 0..<IndexFormat.sectionCount {
            let entry = toc + index * 20
            let start = raw.uint64LE(at: entry)
            let length = raw.uint64LE(at: entry + 8)
            guard start >= UInt64(IndexFormat.headerBytes), start <= UInt64(toc), length <= UInt64(toc) - start else {
                throw corrupt("section \(index) lies outside the file", entry)
            }
            let range = Int(start)..<Int(start + length)
            let crc = WALFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[range]))
            guard crc == raw.uint32LE(at: entry + 16) else { throw corrupt("section \(index)'s CRC does not match", range.lowerBound) }
            sections.append(range)
        }
        let checked = try Self.check(raw, sections: sections, chunksSize: chunksSize, corrupt: corrupt)
        symbolsStart = sections[0].lowerBound
        symbolCount = checked.symbols
        seriesStart = sections[1].lowerBound
        seriesCount = checked.series
        postingsStart = sections[2].lowerBound
        labelsStart = sections[3].lowerBound
        names = checked.names
    }

    // MARK: Reading (after the checks in init)

    func symbol(_ ref: UInt32) -> String {
        let raw = file.bytes
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(symbolsStart + Int(raw.uint32LE(at: symbolsStart + 4 + 4 * Int(ref))))...]))
        return reader.readString()
    }

    /// The ref of `text` among the sorted symbols, or nil when the block has no such string.
    func symbolRef(_ text: String) -> UInt32? {
        var low = 0
        var high = symbolCount
        var text = text
        return text.withUTF8 { wanted in
            while low < high {
                let middle = (low + high) / 2
                let order = compareSymbol(UInt32(middle), wanted)
                if order == 0 { return UInt32(middle) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// The values of label name number `nameIndex` (in `names`): value ref and postings offset.
    func values(ofName nameIndex: Int) -> [(value: UInt32, postings: Int)] {
        let raw = file.bytes
        let table = names[nameIndex].table + 8
        return (0..<names[nameIndex].valueCount).map { index in
            (raw.uint32LE(at: table + 8 * index), Int(raw.uint32LE(at: table + 8 * index + 4)))
        }
    }

    /// The postings offset of value `value` (a symbol ref) of name number `nameIndex`, found by
    /// binary search in the name's value table.
    func postingsOffset(ofName nameIndex: Int, value: UInt32) -> Int? {
        let raw = file.bytes
        let table = names[nameIndex].table + 8
        var low = 0
        var high = names[nameIndex].valueCount
        while low < high {
            let middle = (low + high) / 2
            let candidate = raw.uint32LE(at: table + 8 * middle)
            if candidate == value { return Int(raw.uint32LE(at: table + 8 * middle + 4)) }
            if candidate < value { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The index in `names` of label name `name`, or nil.
    func nameIndex(_ name: String) -> Int? {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle].name == name { return middle }
            if IndexFormat.precedes(names[middle].name, name) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The postings list at `offset` in the postings section: ascending series ids.
    func postings(at offset: Int) -> [UInt32] {
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[(postingsStart + offset)...]))
        let count = Int(reader.readUVarint())
        var ids = [UInt32](repeating: 0, count: count)
        var id: UInt32 = 0
        for position in 0..<count {
            id = id &+ UInt32(truncatingIfNeeded: reader.readUVarint())
            ids[position] = id
        }
        return ids
    }

    /// The stored label hash of series `id` (`SeriesHash`).
    func seriesHash(_ id: UInt32) -> UInt64 {
        file.bytes.uint64LE(at: seriesEntry(id))
    }

    func labels(of id: UInt32) -> Labels {
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[(seriesEntry(id) + 8)...]))
        return readLabels(&reader)
    }

    func chunks(of id: UInt32) -> [IndexFormat.ChunkRef] {
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[(seriesEntry(id) + 8)...]))
        let labelCount = reader.readUVarint()
        for _ in 0..<(2 * labelCount) { _ = reader.readUVarint() }
        return Self.readChunkRefs(&reader)
    }

    private func seriesEntry(_ id: UInt32) -> Int {
        precondition(Int(id) < seriesCount, "bug: series id \(id) out of range in \(path)")
        return seriesStart + Int(file.bytes.uint32LE(at: seriesStart + 4 + 4 * Int(id)))
    }

    private func readLabels(_ reader: inout ByteReader) -> Labels {
        let count = Int(reader.readUVarint())
        var pairs: [Label] = []
        pairs.reserveCapacity(count)
        for _ in 0..<count {
            let name = symbol(UInt32(truncatingIfNeeded: reader.readUVarint()))
            pairs.append(Label(name, symbol(UInt32(truncatingIfNeeded: reader.readUVarint()))))
        }
        return Labels(presorted: pairs)
    }

    static func readChunkRefs(_ reader: inout ByteReader) -> [IndexFormat.ChunkRef] {
        let count = Int(truncatingIfNeeded: reader.readUVarint())
        guard !reader.failed, count >= 0, count < 1 << 24 else { return [] }
        var refs: [IndexFormat.ChunkRef] = []
        refs.reserveCapacity(count)
        var previousMax: Int64 = 0
        for position in 0..<count {
            let minTime = position == 0 ? reader.readVarint() : previousMax &+ reader.readVarint()
            let maxTime = minTime &+ Int64(bitPattern: reader.readUVarint())
            let samples = Int(truncatingIfNeeded: reader.readUVarint())
            let timestamps = range(&reader)
            let values = range(&reader)
            guard let timestamps, let values else { return [] }
            refs.append(IndexFormat.ChunkRef(minTime: minTime, maxTime: maxTime, count: samples,
                                             timestamps: timestamps, values: values))
            previousMax = maxTime
        }
        return refs
    }

    /// An offset and a length as uvarints; nil when they overflow.
    private static func range(_ reader: inout ByteReader) -> Range<Int>? {
        let start = reader.readUVarint()
        let length = reader.readUVarint()
        guard start < 1 << 48, length < 1 << 32 else { return nil }
        return Int(start)..<Int(start + length)
    }

    /// Compares symbol `ref` with `bytes` by bytes: negative, zero or positive.
    private func compareSymbol(_ ref: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = file.bytes
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(symbolsStart + Int(raw.uint32LE(at: symbolsStart + 4 + 4 * Int(ref))))...]))
        let length = Int(reader.readUVarint())
        let start = symbolsStart + Int(raw.uint32LE(at: symbolsStart + 4 + 4 * Int(ref))) + reader.offset
        let common = min(length, bytes.count)
        for index in 0..<common where raw[start + index] != bytes[index] {
            return raw[start + index] < bytes[index] ? -1 : 1
        }
        return length - bytes.count
    }
}
