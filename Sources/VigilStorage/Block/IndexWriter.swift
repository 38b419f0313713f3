import VigilModel

/// Builds a block's `index` file in memory from series added in the block's order.
///
/// Series ids are positions in that order. The caller adds series sorted by
/// `Labels.precedes`, so a block lists them the way queries return them.
struct IndexWriter {
    private var entries: [(labels: Labels, chunks: [IndexFormat.ChunkRef])] = []

    var seriesCount: Int { entries.count }

    mutating func add(_ labels: Labels, chunks: [IndexFormat.ChunkRef]) {
        entries.append((labels, chunks))
    }

    /// The complete file. Throws `.io` when a section would outgrow its 32-bit offsets.
    func encoded(path: String) throws(StorageError) -> [UInt8] {
        var symbolSet = Set<String>()
        var postings: [String: [String: [UInt32]]] = [:]
        for (id, entry) in entries.enumerated() {
            for label in entry.labels {
                symbolSet.insert(label.name)
                symbolSet.insert(label.value)
                postings[label.name, default: [:]][label.value, default: []].append(UInt32(id))
            }
        }
        let symbols = symbolSet.sorted(by: IndexFormat.precedes)
        var refs: [String: UInt32] = [:]
        refs.reserveCapacity(symbols.count)
        for (ref, symbol) in symbols.enumerated() { refs[symbol] = UInt32(ref) }

        var sections: [[UInt8]] = []
        sections.append(try Self.table(symbols.count, path: path) { index, out in out.appendString(symbols[index]) })
        sections.append(try Self.table(entries.count, path: path) { index, out in
            Self.appendSeries(entries[index].labels, entries[index].chunks, refs: refs, into: &out)
        })

        var postingsSection: [UInt8] = []
        var labelsTable: [(name: UInt32, values: [(value: UInt32, postings: Int)])] = []
        for name in postings.keys.sorted(by: IndexFormat.precedes) {
            var values: [(value: UInt32, postings: Int)] = []
            for (value, ids) in postings[name]!.sorted(by: { IndexFormat.precedes($0.key, $1.key) }) {
                values.append((refs[value]!, postingsSection.count))
                postingsSection.appendUVarint(UInt64(ids.count))
                var previous: UInt32 = 0
                for (position, id) in ids.enumerated() {
                    postingsSection.appendUVarint(UInt64(position == 0 ? id : id - previous))
                    previous = id
                }
            }
            labelsTable.append((refs[name]!, values))
        }
        guard postingsSection.count <= UInt32.max else { throw Self.tooLarge(path, "postings") }
        sections.append(postingsSection)
        sections.append(try Self.table(labelsTable.count, path: path) { index, out in
            out.appendUInt32LE(labelsTable[index].name)
            out.appendUInt32LE(UInt32(labelsTable[index].values.count))
            for (value, offset) in labelsTable[index].values {
                out.appendUInt32LE(value)
                out.appendUInt32LE(UInt32(offset))
            }
        })

        var file = IndexFormat.magic + [IndexFormat.version, 0, 0, 0]
        var toc: [UInt8] = []
        for section in sections {
            toc.appendUInt64LE(UInt64(file.count))
            toc.appendUInt64LE(UInt64(section.count))
            toc.appendUInt32LE(section.withUnsafeBytes { WALFormat.crc32($0) })
            file.append(contentsOf: section)
        }
        toc.appendUInt32LE(toc.withUnsafeBytes { WALFormat.crc32($0) })
        file.append(contentsOf: toc)
        return file
    }

    /// A section of `count` entries: count (u32), then each entry's offset from the section
    /// start (u32), then the entries.
    private static func table(
        _ count: Int, path: String, _ body: (Int, inout [UInt8]) -> Void
    ) throws(StorageError) -> [UInt8] {
        guard count <= UInt32.max else { throw tooLarge(path, "entry count") }
        var entries: [UInt8] = []
        var offsets: [UInt32] = []
        offsets.reserveCapacity(count)
        let start = 4 + 4 * count
        for index in 0..<count {
            guard start + entries.count <= UInt32.max else { throw tooLarge(path, "section") }
            offsets.append(UInt32(start + entries.count))
            body(index, &entries)
        }
        var out: [UInt8] = []
        out.reserveCapacity(start + entries.count)
        out.appendUInt32LE(UInt32(count))
        for offset in offsets { out.appendUInt32LE(offset) }
        out.append(contentsOf: entries)
        return out
    }

    private static func appendSeries(
        _ labels: Labels, _ chunks: [IndexFormat.ChunkRef], refs: [String: UInt32], into out: inout [UInt8]
    ) {
        out.appendUInt64LE(SeriesHash.of(labels))
        out.appendUVarint(UInt64(labels.count))
        for label in labels {
            out.appendUVarint(UInt64(refs[label.name]!))
            out.appendUVarint(UInt64(refs[label.value]!))
        }
        out.appendUVarint(UInt64(chunks.count))
        var previousMax: Int64 = 0
        for (position, chunk) in chunks.enumerated() {
            out.appendVarint(position == 0 ? chunk.minTime : chunk.minTime &- previousMax)
            out.appendUVarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime))
            out.appendUVarint(UInt64(chunk.count))
            out.appendUVarint(UInt64(chunk.timestamps.lowerBound))
            out.appendUVarint(UInt64(chunk.timestamps.count))
            out.appendUVarint(UInt64(chunk.values.lowerBound))
            out.appendUVarint(UInt64(chunk.values.count))
            previousMax = chunk.maxTime
        }
    }

    private static func tooLarge(_ path: String, _ what: String) -> StorageError {
        StorageError(.io, "cannot write block index \(path): its \(what) would pass 4 GiB, the format's limit; "
            + "use a shorter block range")
    }
}
