/// The checks `BlockIndex` runs once on open (docs/formats/index.md, "What a reader does with
/// damage"), so that reads afterwards can index into the mapping without failing.
extension BlockIndex {
    struct Checked {
        var symbols = 0
        var series = 0
        var names: [(name: String, table: Int, valueCount: Int)] = []
    }

    /// Walks every section once, checking each reference; see docs/formats/index.md.
    static func check(
        _ raw: UnsafeRawBufferPointer, sections: [Range<Int>], chunksSize: Int,
        corrupt: (String, Int) -> StorageError
    ) throws(StorageError) -> Checked {
        var checked = Checked()
        // Tables: count, offsets, entries; every offset must point inside the section.
        func table(_ section: Range<Int>, _ what: String) throws(StorageError) -> [Int] {
            guard section.count >= 4 else { throw corrupt("the \(what) section is shorter than its count", section.lowerBound) }
            let count = Int(raw.uint32LE(at: section.lowerBound))
            guard count <= (section.count - 4) / 4 else { throw corrupt("the \(what) count \(count) does not fit its section", section.lowerBound) }
            var starts: [Int] = []
            starts.reserveCapacity(count)
            for index in 0..<count {
                let offset = Int(raw.uint32LE(at: section.lowerBound + 4 + 4 * index))
                guard offset >= 4 + 4 * count, offset < section.count else {
                    throw corrupt("\(what) entry \(index) points outside its section", section.lowerBound + 4 + 4 * index)
                }
                starts.append(section.lowerBound + offset)
            }
            return starts
        }

        let symbolStarts = try table(sections[0], "symbols")
        checked.symbols = symbolStarts.count
        var previous: UnsafeRawBufferPointer?
        for (ref, start) in symbolStarts.enumerated() {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[start..<sections[0].upperBound]))
            let length = Int(truncatingIfNeeded: reader.readUVarint())
            guard !reader.failed, let bytes = reader.readBytes(length) else { throw corrupt("symbol \(ref) runs past its section", start) }
            if let previous, !previous.lexicographicallyPrecedes(bytes) {
                throw corrupt("symbol \(ref) is not after symbol \(ref - 1) in byte order", start)
            }
            previous = bytes
        }

        let seriesStarts = try table(sections[1], "series")
        checked.series = seriesStarts.count
        for (id, start) in seriesStarts.enumerated() {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[start..<sections[1].upperBound]))
            _ = reader.readUInt64LE()
            let labelCount = reader.readUVarint()
            guard !reader.failed, labelCount > 0, labelCount < 1 << 16 else { throw corrupt("series \(id) has a bad label count", start) }
            var previousName: UInt64?
            for _ in 0..<labelCount {
                let name = reader.readUVarint()
                let value = reader.readUVarint()
                guard name < UInt64(checked.symbols), value < UInt64(checked.symbols), previousName.map({ $0 < name }) ?? true else {
                    throw corrupt("series \(id) has a label ref out of range or out of order", start)
                }
                previousName = name
            }
            let chunks = readChunkRefs(&reader)
            guard !reader.failed, !chunks.isEmpty else { throw corrupt("series \(id)'s chunk list is malformed or empty", start) }
            var previousMax: Int64?
            func inside(_ column: Range<Int>) -> Bool {
                column.lowerBound >= BlockFormat.chunksHeader.count && !column.isEmpty
                    && column.upperBound <= chunksSize - BlockFormat.chunkCRCBytes
            }
            for chunk in chunks {
                guard chunk.minTime <= chunk.maxTime, previousMax.map({ chunk.minTime > $0 }) ?? true,
                      chunk.count > 0, inside(chunk.timestamps), inside(chunk.values) else {
                    throw corrupt("series \(id) references a chunk outside the chunks file or out of time order", start)
                }
                previousMax = chunk.maxTime
            }
        }

        let postings = sections[2]
        let labelStarts = try table(sections[3], "labels")
        var previousName: UInt32?
        for (index, start) in labelStarts.enumerated() {
            guard sections[3].upperBound - start >= 8 else { throw corrupt("label name \(index) runs past its section", start) }
            let name = raw.uint32LE(at: start)
            let valueCount = Int(raw.uint32LE(at: start + 4))
            guard Int(name) < checked.symbols, previousName.map({ $0 < name }) ?? true,
                  valueCount > 0, valueCount <= (sections[3].upperBound - start - 8) / 8 else {
                throw corrupt("label name \(index) has a bad symbol ref, order or value count", start)
            }
            previousName = name
            var previousValue: UInt32?
            for position in 0..<valueCount {
                let value = raw.uint32LE(at: start + 8 + 8 * position)
                let offset = Int(raw.uint32LE(at: start + 12 + 8 * position))
                guard Int(value) < checked.symbols, previousValue.map({ $0 < value }) ?? true, offset < postings.count else {
                    throw corrupt("label name \(index) value \(position) has a bad symbol ref, order or postings offset", start)
                }
                previousValue = value
                var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(postings.lowerBound + offset)..<postings.upperBound]))
                let count = reader.readUVarint()
                guard !reader.failed, count > 0, count <= UInt64(checked.series) else {
                    throw corrupt("a postings list has a bad length", postings.lowerBound + offset)
                }
                var id: UInt64 = 0
                for position in 0..<count {
                    let delta = reader.readUVarint()
                    guard position == 0 || delta > 0 else { throw corrupt("a postings list is not ascending", postings.lowerBound + offset) }
                    id &+= delta
                }
                guard !reader.failed, id < UInt64(checked.series) else {
                    throw corrupt("a postings list names a series past the series table", postings.lowerBound + offset)
                }
            }
            checked.names.append((symbolString(raw, symbolStarts[Int(name)]), start, valueCount))
        }
        return checked
    }

    static func symbolString(_ raw: UnsafeRawBufferPointer, _ start: Int) -> String {
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[start...]))
        return reader.readString()
    }
}
